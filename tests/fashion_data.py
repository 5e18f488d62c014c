"""Fashion-MNIST for the test run: found once at collection, or one message.

Tests marked ``@pytest.mark.fashion`` and the chapters that load the data set
(``FashionMNIST(`` in a code cell) need the four files. When no source holds
them (see the README: ``$D2LCORE_FASHION_MNIST``, Debian's
``dataset-fashion-mnist``, or a cache filled by an earlier download), the run
either stops at collection with one error (``D2LCORE_REQUIRE_DATA=1``, as CI
sets it) or skips exactly those items with one reason, printed once at the end
of the run. The count comes from the skip reports, which reach the terminal
also from xdist's workers (where collection runs).

Loaded with ``-p tests.fashion_data`` (pyproject.toml's pytest addopts).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

MISSING = (
    "Fashion-MNIST not found. Install Debian's package (apt-get install "
    "dataset-fashion-mnist), or set D2LCORE_FASHION_MNIST to a directory "
    "holding the four *-ubyte.gz files, or download it once with internet "
    "access: python -c 'import d2lcore as d2l; d2l.FashionMNIST()'"
)


def fashion_mnist_available() -> bool:
    from d2lcore._sources import FILES, _is_verified, default_root, find_source

    raw = Path(default_root()) / "FashionMNIST" / "raw"
    return find_source() is not None or all(
        _is_verified(raw / n) for n in FILES
    )


@cache
def _chapter_loads_data(path: Path) -> bool:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return any(
        c.cell_type == "code" and "FashionMNIST(" in c.source for c in nb.cells
    )


def needs_data(item: pytest.Item) -> bool:
    if item.get_closest_marker("fashion"):
        return True
    path = Path(str(item.fspath))
    return path.suffix == ".ipynb" and _chapter_loads_data(path)


def pytest_collection_modifyitems(config, items):
    needing = [item for item in items if needs_data(item)]
    if not needing or fashion_mnist_available():
        return
    if os.environ.get("D2LCORE_REQUIRE_DATA"):
        raise pytest.UsageError(
            f"{MISSING} (D2LCORE_REQUIRE_DATA is set, so the "
            f"{len(needing)} tests that need it cannot be skipped)"
        )
    skip = pytest.mark.skip(reason=MISSING)
    for item in needing:
        item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reports = terminalreporter.stats.get("skipped", [])
    skipped = sum(MISSING in str(r.longrepr) for r in reports)
    if skipped:
        terminalreporter.write_line(
            f"{skipped} tests and chapter cells skipped. {MISSING}",
            yellow=True,
        )
