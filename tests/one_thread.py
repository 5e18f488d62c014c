"""pytest plugin (loaded by pyproject's addopts): one intra-op thread per process.

Every test process, and every notebook kernel it starts (kernels inherit the
environment), runs torch on one thread, so the pytest-xdist workers run side by
side, one notebook each, instead of fighting over the cores: two workers with two
threads each on two cores made nbval over book/ several times slower. A plugin, not
tests/conftest.py, because ``pytest book/`` does not load that file. The chapters'
outputs do not depend on the thread count (tests/test_notebook_checks.py and
``make test-machines`` run them with two).
"""

import os

THREADS = os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", THREADS)


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per usable core, at most 4 (each worker may hold a
    notebook kernel with torch loaded, about 1 GB)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))
