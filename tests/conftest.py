"""Shared test set-up: one torch thread per test process, the Agg backend, a seeded
torch, and small models and data sets used by several test modules (import them with
``from conftest import small_data, ...``). Fashion-MNIST's availability is handled by
tests/fashion_data.py."""
import os
import sys
from pathlib import Path

# One intra-op thread in every test process and in every notebook kernel they start
# (kernels inherit the environment): the pytest-xdist workers run side by side, one
# notebook each, instead of fighting over the cores. The chapters' outputs do not
# depend on the thread count (tests/test_notebook_checks.py runs them with another).
THREADS = os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", THREADS)

import matplotlib

matplotlib.use("Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
import torch
from torch import nn

import d2lcore as d2l

torch.set_num_threads(int(THREADS))


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per usable core, at most 4 (each worker may hold a
    notebook kernel with torch loaded, about 1 GB)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


# -- shared data and models ----------------------------------------------------------


def small_data(**kw) -> d2l.SyntheticRegressionData:
    """y = Xw + b + noise with w = (2, -3.4), b = 4.2: 4 training batches of 16 and
    2 validation batches (keywords override)."""
    kw = {"num_train": 64, "num_val": 32, "batch_size": 16, **kw}
    return d2l.SyntheticRegressionData(w=[2.0, -3.4], b=4.2, **kw)


def fit(model, data=None, **trainer_kw):
    """Train ``model`` on ``data`` (default: `small_data()`) for one epoch."""
    d2l.Trainer(max_epochs=trainer_kw.pop("max_epochs", 1), **trainer_kw).fit(
        model, small_data() if data is None else data)


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
