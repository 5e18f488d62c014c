"""The Fashion-MNIST dataset, in memory and offline-first (section 4.2).

The files are found, in this order, in

1. the directory named by ``$D2LCORE_FASHION_MNIST``;
2. ``/usr/share/datasets/fashion-mnist`` (Debian's package ``dataset-fashion-mnist``);
3. torchvision's download into ``root`` (needs the network).

A directory may hold the four original files gzipped (``*-ubyte.gz``) or plain.
Every file is checked against its known SHA-256 before use, then parsed by
torchvision's ``FashionMNIST`` class. The images stay in memory as uint8 tensors
(resized once when ``resize`` is not 28x28) and batches are cut from them, so an
epoch costs tensor indexing rather than 60 000 PIL transforms.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import operator
import os
from collections.abc import Sequence
from pathlib import Path

import torch

from .data import DataModule, TensorLoader, check_batch_size
from .plotting import show_images

__all__ = ["FashionMNIST", "ImageDataset", "ENV_VAR", "DEBIAN_DIR", "FILES",
           "DatasetNotFoundError", "DatasetCorruptError", "find_source"]

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
LABELS = ("t-shirt", "trouser", "pullover", "dress", "coat",
          "sandal", "shirt", "sneaker", "bag", "ankle boot")


class DatasetNotFoundError(FileNotFoundError):
    """No source holds the Fashion-MNIST files."""


class DatasetCorruptError(ValueError):
    """A Fashion-MNIST file is truncated or altered."""


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


def _load(root: Path, train: bool) -> tuple[torch.Tensor, torch.Tensor]:
    import torchvision
    _prepare_raw(root)
    ds = torchvision.datasets.FashionMNIST(root=str(root), train=train, download=False)
    return ds.data, ds.targets                          # (n, 28, 28) uint8, (n,) int64


def _check_resize(resize) -> tuple[int, int]:
    if (not isinstance(resize, Sequence) or isinstance(resize, str) or len(resize) != 2
            or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0
                       for s in resize)):
        raise ValueError(f"resize must be two positive ints (height, width), "
                         f"e.g. (32, 32); got {resize!r}")
    return int(resize[0]), int(resize[1])


def _resize(images: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Resize uint8 images (n, 1, 28, 28) once, as torchvision's Resize would."""
    if tuple(images.shape[-2:]) == size:
        return images
    from torchvision.transforms.functional import resize
    return torch.cat([resize(chunk, list(size), antialias=True)
                      for chunk in images.split(10000)])


def _to_float(images: torch.Tensor) -> torch.Tensor:
    return images.float().div_(255)


class ImageDataset(torch.utils.data.Dataset):
    """Images kept as uint8 (n, 1, h, w) with labels; items come out as floats in
    [0, 1], like torchvision's ``ToTensor``."""

    def __init__(self, images: torch.Tensor, targets: torch.Tensor):
        self.images, self.targets = images, targets

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        return _to_float(self.images[i]), int(self.targets[i])


class FashionMNIST(DataModule):
    """The Fashion-MNIST dataset (section 4.2)."""
    def __init__(self, batch_size: int = 64, resize: tuple[int, int] = (28, 28),
                 root: str | None = None, num_workers: int = 0):
        super().__init__(root, num_workers)
        check_batch_size(batch_size)
        resize = _check_resize(resize)
        self.save_hyperparameters(ignore=["root", "num_workers"])
        splits = []
        for train in (True, False):
            images, labels = _load(Path(self.root), train)
            images = _resize(images.unsqueeze(1), resize)       # (n, 1, h, w) uint8
            splits.append(ImageDataset(images, labels))
        self.train, self.val = splits

    def text_labels(self, indices) -> list[str]:
        """The text labels of the class indices ``indices``."""
        out = []
        for i in indices:
            try:
                i = operator.index(i)
            except TypeError:
                if torch.is_tensor(i) and i.ndim > 0:   # a row of scores
                    raise TypeError(
                        "text_labels needs integer class indices, got rows of shape "
                        f"{tuple(i.shape)}: for scores, take the argmax of each row "
                        "first, e.g. text_labels(y_hat.argmax(dim=1))") from None
                raise TypeError("text_labels needs integer class indices, got "
                                f"{i!r}") from None
            if not 0 <= i < len(LABELS):
                raise ValueError(f"label {i} is not a Fashion-MNIST class; the "
                                 f"classes are 0..{len(LABELS) - 1}")
            out.append(LABELS[i])
        return out

    def get_dataloader(self, train: bool):
        data = self.train if train else self.val
        if self.num_workers > 0:
            return torch.utils.data.DataLoader(data, self.batch_size, shuffle=train,
                                               num_workers=self.num_workers)
        return TensorLoader((data.images, data.targets), self.batch_size,
                            shuffle=train, transform=_to_float)

    def visualize(self, batch: Sequence[torch.Tensor], nrows: int = 1,
                  ncols: int = 8, labels: Sequence[str] | None = None) -> None:
        """Show the first ``nrows * ncols`` images of ``batch`` with their labels."""
        X, y = batch
        if not labels:
            labels = self.text_labels(y)
        show_images(X.squeeze(1), nrows, ncols, titles=labels)
