"""Shared test set-up: the Agg backend, a seeded torch, and small models and data
sets used by several test modules (import them with ``from conftest import
small_data, ...``). One torch thread per process: tests/one_thread.py.
The data sets' availability is handled by tests/data_sets.py."""

import contextlib
import os
import struct
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
import torch
from torch import nn

import d2lcore as d2l

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


# -- images ---------------------------------------------------------------------------


def png_size(png: bytes) -> tuple[int, int]:
    """The width and height in pixels of a PNG image, read independently of the
    library's own reader, after checking that it is a PNG at all."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), "not a PNG image"
    return struct.unpack(">II", png[16:24])


def outside_library(filename: str) -> bool:
    """Whether a warning points outside d2lcore, at the reader's own call (or,
    in a mutation run, at mutmut's wrapper around the library's function)."""
    return not filename.startswith(os.path.dirname(d2l.__file__) + os.sep)


# -- shared data and models ----------------------------------------------------------


def small_data(**kw) -> d2l.SyntheticRegressionData:
    """y = Xw + b + noise with w = (2, -3.4), b = 4.2: 4 training batches of 16 and
    2 validation batches (keywords override)."""
    kw = {"num_train": 64, "num_val": 32, "batch_size": 16, **kw}
    return d2l.SyntheticRegressionData(w=[2.0, -3.4], b=4.2, **kw)


def fit(model, data=None, **trainer_kw):
    """Train ``model`` on ``data`` (default: `small_data()`) for one epoch."""
    d2l.Trainer(max_epochs=trainer_kw.pop("max_epochs", 1), **trainer_kw).fit(
        model, small_data() if data is None else data
    )


class TwoInputs(d2l.Module):
    """y ~ X1 + X2 for a batch (X1, X2, y), with a lazy layer."""

    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)

    def forward(self, X1, X2):
        return self.net(torch.cat([X1, X2], dim=1))

    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2).mean()


class ThreeTensors(d2l.DataModule):
    """Batches (X1, X2, y) of 64 examples with y = y(X1, X2)."""

    def __init__(self, y):
        super().__init__()
        self.batch_size = 16
        self.X1, self.X2 = torch.randn(64, 2), torch.randn(64, 3)
        self.y = y(self.X1, self.X2)

    def get_dataloader(self, train):
        return self.get_tensorloader((self.X1, self.X2, self.y), train)


class FakeTrainer:
    """What Module.plot reads from a trainer: one batch seen, one batch per epoch."""

    train_batch_idx, num_train_batches = 1, 1
    epoch, num_val_batches = 0, 1


@contextlib.contextmanager
def library_classes_kept():
    """Undo, on the way out, what the code run inside did to d2lcore's classes
    (``add_to_class`` in a chapter or a published script)."""
    objs = (getattr(d2l, name) for name in d2l.__all__ if name != "plt")
    saved = {
        o: dict(vars(o))
        for o in objs
        if isinstance(o, type) and o.__module__.startswith("d2lcore")
    }
    try:
        yield
    finally:
        for cls, attrs in saved.items():
            for name in set(vars(cls)) - set(attrs):
                delattr(cls, name)
            for name, value in attrs.items():
                if vars(cls).get(name) is not value:
                    setattr(cls, name, value)
