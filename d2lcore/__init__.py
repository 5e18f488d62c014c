"""d2lcore: the tested library behind the d2lcore book (chapters 3-5 of *Dive into
Deep Learning*). Chapters use it as ``import d2lcore as d2l``.

The taught classes live in one module each (board, module, data, trainer, ...);
private modules hold what is not the lesson: argument checks (`_checks`), the live
display in Jupyter (`_display`) and where data files come from (`_sources`).
"""

from . import _display, compat
from ._display import LiveFigure
from .board import Point, ProgressBoard
from .classifier import Classifier
from .compat import *  # noqa: F401,F403  d2l.reshape, d2l.tensor, ... (see compat)
from .data import (
    DataModule,
    ImageDataset,
    SyntheticRegressionData,
    TensorLoader,
    default_root,
)
from .device import cpu, gpu, num_gpus, try_gpu
from .fashion_mnist import FashionMNIST, read_fashion_mnist
from .initialization import init_xavier, layer_stds
from .kaggle_house import (
    DATA_URL,
    KaggleHouse,
    download,
    extract,
    k_fold,
    k_fold_data,
)
from .linear import LinearRegression, LinearRegressionScratch
from .mlp import MLP, MLPScratch, relu
from .module import Module
from .optim import SGD
from .plotting import (
    in_notebook,
    plot,
    set_axes,
    set_figsize,
    show_images,
    use_svg_display,
)
from .regularization import (
    DropoutMLP,
    DropoutMLPScratch,
    WeightDecay,
    WeightDecayScratch,
    dropout_layer,
    l2_penalty,
)
from .softmax import (
    SoftmaxRegression,
    SoftmaxRegressionScratch,
    cross_entropy,
    softmax,
)
from .timer import Timer
from .trainer import Trainer
from .utils import HyperParameters, add_to_class

__version__ = "0.1.0"

# In a notebook: matplotlib's inline figures get twice the pixels of their size on
# the page (sharp on high-density screens) unless the reader chose a format.
_display.notebook_setup()

__all__ = [
    "add_to_class",
    "HyperParameters",
    "Point",
    "ProgressBoard",
    "Module",
    "DataModule",
    "default_root",
    "TensorLoader",
    "SyntheticRegressionData",
    "Trainer",
    "cpu",
    "gpu",
    "num_gpus",
    "try_gpu",
    "SGD",
    "LinearRegressionScratch",
    "LinearRegression",
    "Classifier",
    "softmax",
    "cross_entropy",
    "SoftmaxRegressionScratch",
    "SoftmaxRegression",
    "relu",
    "MLPScratch",
    "MLP",
    "init_xavier",
    "layer_stds",
    "l2_penalty",
    "WeightDecayScratch",
    "WeightDecay",
    "dropout_layer",
    "DropoutMLPScratch",
    "DropoutMLP",
    "FashionMNIST",
    "read_fashion_mnist",
    "ImageDataset",
    "in_notebook",
    "plot",
    "set_axes",
    "set_figsize",
    "show_images",
    "use_svg_display",
    "Timer",
    "LiveFigure",
    "download",
    "extract",
    "DATA_URL",
    "KaggleHouse",
    "k_fold_data",
    "k_fold",
    "plt",
    *compat.__all__,
]


def __getattr__(name: str):
    # d2l.plt is matplotlib.pyplot, as in the published package; imported on first
    # use so that `import d2lcore` does not pick a matplotlib backend.
    if name == "plt":
        import matplotlib.pyplot as plt

        return plt
    raise AttributeError(f"module 'd2lcore' has no attribute {name!r}")
