"""DataModule and synthetic regression data (sections 3.2.3 and 3.3).

Data modules hand out minibatches through ``train_dataloader`` and
``val_dataloader``. Data that fits in memory is served by `TensorLoader`, which
slices whole batches out of tensors: no per-example Python work, no worker
processes, the same on Linux, macOS and Windows.
"""
from __future__ import annotations

import operator
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import torch

from .utils import HyperParameters

__all__ = ["DataModule", "TensorLoader", "SyntheticRegressionData", "default_root"]


def default_root() -> str:
    """Where datasets are cached: ``$D2LCORE_DATA`` or ``~/.cache/d2lcore``."""
    return os.environ.get("D2LCORE_DATA") or str(Path.home() / ".cache" / "d2lcore")


def check_batch_size(batch_size: int) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")


def _is_int(n) -> bool:
    """True for ints and integer scalars (numpy, 0-d tensors), False for bool."""
    if isinstance(n, bool):
        return False
    try:
        operator.index(n)
    except TypeError:
        return False
    return True


class TensorLoader:
    """Minibatches sliced from in-memory tensors (shuffled when ``shuffle``).

    ``transform`` (optional) is applied to each batch of the first tensor, e.g.
    to turn uint8 images into floats batch by batch. Shuffling draws from torch's
    global random generator, so ``torch.manual_seed`` makes it repeatable.
    """

    def __init__(self, tensors: Sequence[torch.Tensor], batch_size: int,
                 shuffle: bool = False,
                 transform: Callable[[torch.Tensor], torch.Tensor] | None = None):
        check_batch_size(batch_size)
        if torch.is_tensor(tensors):
            raise TypeError("TensorLoader takes a sequence of tensors, e.g. "
                            "TensorLoader((X, y), batch_size), not a single tensor")
        tensors = tuple(tensors)
        if not tensors or any(len(t) != len(tensors[0]) for t in tensors):
            raise ValueError("TensorLoader needs tensors of equal length, got "
                             f"lengths {[len(t) for t in tensors]}")
        self.tensors, self.batch_size = tensors, batch_size
        self.shuffle, self.transform = shuffle, transform

    def __len__(self) -> int:
        return -(-len(self.tensors[0]) // self.batch_size)

    def __iter__(self) -> Iterator[list[torch.Tensor]]:
        n = len(self.tensors[0])
        order = torch.randperm(n) if self.shuffle else None
        for start in range(0, n, self.batch_size):
            if order is None:
                batch = [t[start:start + self.batch_size] for t in self.tensors]
            else:
                idx = order[start:start + self.batch_size]
                batch = [t[idx] for t in self.tensors]
            if self.transform is not None:
                batch[0] = self.transform(batch[0])
            yield batch


class DataModule(HyperParameters):
    """The base class of data (section 3.2.3)."""
    def __init__(self, root: str | None = None, num_workers: int = 0):
        if root is None:
            root = default_root()
        if isinstance(num_workers, bool) or not isinstance(num_workers, int) \
                or num_workers < 0:
            raise ValueError(f"num_workers must be an int >= 0, got {num_workers!r}")
        self.save_hyperparameters()

    def get_dataloader(self, train: bool):
        raise NotImplementedError(
            f"{type(self).__name__} must define get_dataloader(self, train)")

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors: Sequence[torch.Tensor], train: bool,
                         indices: slice = slice(0, None)):
        """Batches of ``tensors[indices]``, shuffled for training.

        With ``num_workers > 0`` the batches come from a torch ``DataLoader`` with
        that many worker processes (useful when a transform is expensive).
        """
        tensors = tuple(a[indices] for a in tensors)
        loader = TensorLoader(tensors, self.batch_size, shuffle=train)
        if self.num_workers == 0:
            return loader
        dataset = torch.utils.data.TensorDataset(*tensors)
        return torch.utils.data.DataLoader(dataset, self.batch_size, shuffle=train,
                                           num_workers=self.num_workers)


class SyntheticRegressionData(DataModule):
    """Synthetic data for linear regression: y = Xw + b + noise (section 3.3)."""
    def __init__(self, w: torch.Tensor | Sequence[float], b: float,
                 noise: float = 0.01, num_train: int = 1000, num_val: int = 1000,
                 batch_size: int = 32):
        super().__init__()
        check_batch_size(batch_size)
        w = torch.as_tensor(w, dtype=torch.float32)
        if w.ndim != 1 or len(w) == 0:
            raise ValueError(f"w must be a non-empty 1-D weight vector, got shape "
                             f"{tuple(w.shape)}")
        if not all(_is_int(n) for n in (num_train, num_val)) \
                or num_train < 1 or num_val < 0:
            raise ValueError(f"need ints num_train >= 1 and num_val >= 0, got "
                             f"{num_train!r}, {num_val!r}")
        self.save_hyperparameters()
        self.w = w
        n = num_train + num_val
        self.X = torch.randn(n, len(w))                        # (n, num_inputs)
        noise = torch.randn(n, 1) * noise
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + noise  # (n, 1)

    def get_dataloader(self, train: bool):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)
