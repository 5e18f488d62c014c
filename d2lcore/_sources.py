"""Where the data sets' files come from, and checks that they are intact.

The Fashion-MNIST files are found, in this order, in

1. the directory named by ``$D2LCORE_FASHION_MNIST``;
2. ``/usr/share/datasets/fashion-mnist`` (Debian's package ``dataset-fashion-mnist``);
3. torchvision's download into ``root`` (needs the network).

A directory may hold the four original files gzipped (``*-ubyte.gz``) or plain.
Every file is checked against its known SHA-256 before use and written, verified,
to ``root/FashionMNIST/raw`` (with a ``.sha256`` stamp, so later runs check only the
size), where torchvision's ``FashionMNIST`` class parses it.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
from pathlib import Path

__all__ = ["default_root", "read_fashion_mnist", "find_source", "ENV_VAR", "DEBIAN_DIR",
           "FILES", "DatasetNotFoundError", "DatasetCorruptError"]

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


def default_root() -> str:
    """Where datasets are cached: ``$D2LCORE_DATA`` or ``~/.cache/d2lcore``."""
    return os.environ.get("D2LCORE_DATA") or str(Path.home() / ".cache" / "d2lcore")


def read_fashion_mnist(root, train: bool):
    """The uint8 images (n, 28, 28) and int64 labels (n,) of one split."""
    import torchvision
    _prepare_raw(Path(root))
    ds = torchvision.datasets.FashionMNIST(root=str(root), train=train, download=False)
    return ds.data, ds.targets


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
            with gzip.open(path, "rb") as f:
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
    """Make ``root/FashionMNIST/raw`` hold the four verified plain files."""
    raw = root / "FashionMNIST" / "raw"
    if all(_is_verified(raw / name) for name in FILES):
        return
    source = find_source()
    if source is None:
        _download(root)
        source = raw
    raw.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        origin = _file_in(source, name)
        content = _read(origin)
        _verify(name, content, origin)
        if origin != raw / name:
            tmp = raw / (name + ".tmp")
            tmp.write_bytes(content)
            tmp.replace(raw / name)
        (raw / (name + ".sha256")).write_text(FILES[name][0])


def _is_verified(path: Path) -> bool:
    """A cached file counts if its recorded hash and size match (full check once)."""
    stamp = path.with_name(path.name + ".sha256")
    sha, size = FILES[path.name]
    return (path.is_file() and stamp.is_file() and stamp.read_text() == sha
            and path.stat().st_size == size)


def _download(root: Path) -> None:
    import torchvision
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            torchvision.datasets.FashionMNIST(root=str(root), train=True, download=True)
    except Exception as err:  # torchvision raises RuntimeError/URLError/OSError
        raise DatasetNotFoundError(
            "Fashion-MNIST was not found and could not be downloaded "
            f"({type(err).__name__}: {err}). Either install Debian's package "
            "(apt-get install dataset-fashion-mnist, files under "
            f"{DEBIAN_DIR}), or set ${ENV_VAR} to a directory holding "
            f"{', '.join(n + '.gz' for n in FILES)}, or connect to the internet so "
            "torchvision can download it") from err
