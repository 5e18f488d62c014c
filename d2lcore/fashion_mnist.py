"""The Fashion-MNIST dataset, in memory and offline-first (section 4.2).

The files come from a local copy when there is one (``$D2LCORE_FASHION_MNIST``,
Debian's ``dataset-fashion-mnist``) and are checked against their SHA-256 before
use (`d2lcore._sources`). The images stay in memory as uint8 tensors (resized once
when ``resize`` is not 28x28) and batches are cut from them, so an epoch costs
tensor indexing rather than 60 000 PIL transforms.
"""

from __future__ import annotations

import torch

from ._sources import (
    DEBIAN_DIR,
    ENV_VAR,
    FILES,
    DatasetCorruptError,  # noqa: F401
    DatasetNotFoundError,
    find_source,
    read_fashion_mnist,
)
from .data import DataModule, ImageDataset, TensorLoader
from .plotting import show_images

__all__ = [
    "FashionMNIST",
    "ImageDataset",
    "ENV_VAR",
    "DEBIAN_DIR",
    "FILES",
    "DatasetNotFoundError",
    "DatasetCorruptError",
    "find_source",
]


class FashionMNIST(DataModule):
    """The Fashion-MNIST dataset (section 4.2)."""

    def __init__(
        self, batch_size=64, resize=(28, 28), root=None, num_workers=0
    ):
        super().__init__(root, num_workers)
        self.save_hyperparameters(ignore=["root", "num_workers"])
        self.train = ImageDataset(
            *read_fashion_mnist(self.root, train=True), resize
        )
        self.val = ImageDataset(
            *read_fashion_mnist(self.root, train=False), resize
        )

    def text_labels(self, indices):
        """Return text labels."""
        labels = [
            "t-shirt",
            "trouser",
            "pullover",
            "dress",
            "coat",
            "sandal",
            "shirt",
            "sneaker",
            "bag",
            "ankle boot",
        ]
        return [labels[int(i)] for i in indices]

    def get_dataloader(self, train):
        data = self.train if train else self.val
        if self.num_workers > 0:  # worker processes convert the images
            return torch.utils.data.DataLoader(
                data,
                self.batch_size,
                shuffle=train,
                num_workers=self.num_workers,
            )
        return TensorLoader(
            (data.images, data.targets),
            self.batch_size,
            shuffle=train,
            transform=ImageDataset.to_float,
        )

    def visualize(self, batch, nrows=1, ncols=8, labels=None):
        """Show the first nrows * ncols images of `batch` with their labels."""
        X, y = batch
        if not labels:
            labels = self.text_labels(y)
        show_images(X.squeeze(1), nrows, ncols, titles=labels)
