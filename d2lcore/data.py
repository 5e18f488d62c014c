"""DataModule and synthetic regression data (sections 3.2.3 and 3.3).

Data modules hand out minibatches through ``train_dataloader`` and
``val_dataloader``. Data that fits in memory is served by `TensorLoader`, which
slices whole batches out of tensors: no per-example Python work, no worker
processes, the same on Linux, macOS and Windows. `ImageDataset` keeps images as
uint8 tensors and converts a batch to floats only when it is used.
"""

from __future__ import annotations

import torch

from ._sources import default_root as _cache_root
from ._sources import offer_local_copy
from .utils import HyperParameters

__all__ = [
    "DataModule",
    "TensorLoader",
    "ImageDataset",
    "SyntheticRegressionData",
    "default_root",
]


def default_root():
    """Where datasets are cached: ``$D2LCORE_DATA`` or ``~/.cache/d2lcore``.
    A local copy of Fashion-MNIST (``$D2LCORE_FASHION_MNIST``, Debian's) is put
    where torchvision looks there, so published code that hands this root to
    torchvision with ``download=True`` finds the files offline."""
    return offer_local_copy(_cache_root())


class TensorLoader:
    """Minibatches sliced from in-memory tensors (shuffled when ``shuffle``).

    ``transform`` (optional) is applied to each batch of the first tensor, e.g.
    to turn uint8 images into floats batch by batch. Shuffling draws from torch's
    global random generator, so ``torch.manual_seed`` makes it repeatable.
    """

    def __init__(self, tensors, batch_size, shuffle=False, transform=None):
        self.tensors, self.batch_size = tuple(tensors), batch_size
        self.shuffle, self.transform = shuffle, transform

    def __len__(self):
        return -(-len(self.tensors[0]) // self.batch_size)

    def __iter__(self):
        n = len(self.tensors[0])
        order = torch.randperm(n) if self.shuffle else None
        for start in range(0, n, self.batch_size):
            if order is None:
                batch = [
                    t[start : start + self.batch_size] for t in self.tensors
                ]
            else:
                idx = order[start : start + self.batch_size]
                batch = [t[idx] for t in self.tensors]
            if self.transform is not None:
                batch[0] = self.transform(batch[0])
            yield batch


class ImageDataset(torch.utils.data.Dataset):
    """Images kept as uint8 (n, 1, h, w) with their labels; items come out as floats
    in [0, 1], like torchvision's ``ToTensor``. ``resize`` (height, width), if
    given, resizes the images once, as torchvision's ``Resize`` would."""

    def __init__(self, images, targets, resize=None):
        if images.ndim == 3:
            images = images.unsqueeze(1)  # (n, 1, h, w)
        if resize is not None and tuple(images.shape[-2:]) != tuple(resize):
            from torchvision.transforms.functional import resize as tv_resize

            images = torch.cat(
                [
                    tv_resize(chunk, list(resize), antialias=True)
                    for chunk in images.split(10000)
                ]
            )
        self.images, self.targets = images, targets

    @staticmethod
    def to_float(images):
        """uint8 images as floats in [0, 1]."""
        return images.float().div_(255)

    def __len__(self):
        return len(self.targets)

    def __getitem__(self, i):
        return self.to_float(self.images[i]), int(self.targets[i])


class DataModule(HyperParameters):
    """The base class of data (section 3.2.3)."""

    num_workers = 0  # for subclasses that skip __init__, as published code may

    def __init__(self, root=None, num_workers=0):
        if root is None:  # $D2LCORE_DATA or ~/.cache/d2lcore
            root = default_root()
        self.save_hyperparameters()

    def get_dataloader(self, train):
        raise NotImplementedError(
            f"{type(self).__name__} must define get_dataloader(self, train)"
        )

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        """Minibatches of tensors[indices], shuffled for training."""
        tensors = tuple(a[indices] for a in tensors)
        if self.num_workers > 0:  # worker processes prepare the batches
            dataset = torch.utils.data.TensorDataset(*tensors)
            return torch.utils.data.DataLoader(
                dataset,
                self.batch_size,
                shuffle=train,
                num_workers=self.num_workers,
            )
        return TensorLoader(tensors, self.batch_size, shuffle=train)


class SyntheticRegressionData(DataModule):
    """Synthetic data for linear regression: y = Xw + b + noise (section 3.3)."""

    def __init__(
        self, w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32
    ):
        super().__init__()
        w = torch.as_tensor(w, dtype=torch.float32)
        self.save_hyperparameters()
        self.w = w
        n = num_train + num_val
        self.X = torch.randn(n, len(w))  # (n, num_inputs)
        noise = torch.randn(n, 1) * noise
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + noise  # (n, 1)

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)
