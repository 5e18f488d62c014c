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

__all__ = ["default_root", "read_fashion_mnist", "find_source", "offer_local_copy",
           "ENV_VAR", "DEBIAN_DIR", "FILES", "DatasetNotFoundError", "DatasetCorruptError", "DatasetCacheError"]

ENV_VAR = "D2LCORE_FASHION_MNIST"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
#: SHA-256 and size of the uncompressed original files.
FILES = {
    "train-images-idx3-ubyte": (
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", 47040016),
    "train-labels-idx1-ubyte": (
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", 60008),
    "t10k-images-idx3-ubyte": (
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", 7840016),
    "t10k-labels-idx1-ubyte": (
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", 10008),
}


class DatasetNotFoundError(FileNotFoundError):
    """No source holds the Fashion-MNIST files."""


class DatasetCorruptError(ValueError):
    """A Fashion-MNIST file is truncated or altered."""


class DatasetCacheError(OSError):
    """The cache directory cannot hold the files (read-only, full)."""


def default_root() -> str:
    """Where datasets are cached: ``$D2LCORE_DATA`` or ``~/.cache/d2lcore``."""
    return os.environ.get("D2LCORE_DATA") or str(Path.home() / ".cache" / "d2lcore")


def read_fashion_mnist(root, train: bool):
    """The uint8 images (n, 28, 28) and int64 labels (n,) of one split."""
    import torchvision
    _prepare_raw(Path(root))
    ds = torchvision.datasets.FashionMNIST(root=str(root), train=train, download=False)
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
        for candidate in (directory / sub / name, directory / sub / (name + ".gz")):
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
            with gzip.open(path) as f:       # binary
                return f.read()
        return path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as err:
        raise DatasetCorruptError(
            f"cannot read {path}: {err}. The file is damaged: delete it and "
            "reinstall it (apt-get install --reinstall dataset-fashion-mnist) or "
            f"point ${ENV_VAR} at a good copy") from err


def _verify(name: str, content: bytes, origin: Path) -> None:
    sha, size = FILES[name]
    if len(content) != size or hashlib.sha256(content).hexdigest() != sha:
        raise DatasetCorruptError(
            f"{origin} is not the original Fashion-MNIST file '{name}' (expected "
            f"{size} bytes with SHA-256 {sha[:12]}..., got {len(content)} bytes): "
            "it is truncated or corrupted. Delete it and reinstall it (apt-get "
            f"install --reinstall dataset-fashion-mnist) or point ${ENV_VAR} at a "
            "good copy")


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
            if path.is_file():  # no stamp, or a stamp that no longer fits the file
                if _sha256(path) == FILES[name][0]:
                    _write_atomic(raw, path.name + ".sha256", _stamp(path).encode())
                    continue
                warn(f"{path} is damaged (not the original file, SHA-256 mismatch): "
                     "re-creating it")
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


def _write_atomic(directory: Path, name: str, content: bytes) -> None:
    """Write ``directory/name`` through a temporary file unique to this process,
    renamed into place: readers see the old file or the whole new one."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
            os.replace(tmp, directory / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as err:
        raise _cache_error(directory, err) from err


def _cache_error(directory: Path, err: OSError) -> DatasetCacheError:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full (Fashion-MNIST needs about 55 MB)"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "the directory is read-only"
    else:
        why = f"{err.strerror or err}"
    return DatasetCacheError(
        err.errno, f"cannot write the Fashion-MNIST cache in {directory}: {why}. Set "
        "the environment variable D2LCORE_DATA to a writable directory with space "
        "(or pass root=... to FashionMNIST)")


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
    except Exception as err:  # torchvision raises RuntimeError/URLError/OSError
        shutil.rmtree(target, ignore_errors=True)
        raise DatasetNotFoundError(
            "Fashion-MNIST was not found and could not be downloaded "
            f"({type(err).__name__}: {err}). Either install Debian's package "
            "(apt-get install dataset-fashion-mnist, files under "
            f"{DEBIAN_DIR}), or set ${ENV_VAR} to a directory holding "
            f"{', '.join(n + '.gz' for n in FILES)}, or connect to the internet so "
            "torchvision can download it") from err
    return target
