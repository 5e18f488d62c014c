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
from pathlib import Path

import pytest
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
    with pytest.raises(
        fm.DatasetNotFoundError, match="could not be downloaded"
    ):
        sources._prepare_raw(root)
    assert list(root.iterdir()) == []


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
