import os
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
import torch


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def fashion_mnist_available() -> bool:
    from d2lcore.fashion_mnist import find_source
    from d2lcore.data import default_root
    raw = Path(default_root()) / "FashionMNIST" / "raw"
    return find_source() is not None or (raw / "train-images-idx3-ubyte").is_file()


def pytest_collection_modifyitems(config, items):
    if fashion_mnist_available():
        return
    if os.environ.get("D2LCORE_REQUIRE_DATA"):
        raise pytest.UsageError(
            "Fashion-MNIST is required (D2LCORE_REQUIRE_DATA is set) but not found: "
            "apt-get install dataset-fashion-mnist or set D2LCORE_FASHION_MNIST")
    skip = pytest.mark.skip(reason="Fashion-MNIST not installed (apt-get install "
                                   "dataset-fashion-mnist or set D2LCORE_FASHION_MNIST)")
    for item in items:
        if "fashion" in item.keywords:
            item.add_marker(skip)
