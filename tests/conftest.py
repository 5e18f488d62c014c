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
