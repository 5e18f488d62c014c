"""d2lcore: the tested library behind the d2lcore book (chapters 3-5 of *Dive into
Deep Learning*). Chapters use it as ``import d2lcore as d2l``.

The taught classes live in one module each (board, module, data, trainer, ...);
private modules hold what is not the lesson: argument checks (`_checks`), the live
display in Jupyter (`_display`) and where data files come from (`_sources`).
"""
from ._display import in_notebook
from .board import Point, ProgressBoard
from .classifier import Classifier
from .data import DataModule, SyntheticRegressionData, TensorLoader
from .device import cpu, gpu, num_gpus, try_gpu
from .fashion_mnist import FashionMNIST
from .linear import LinearRegressionScratch
from .mlp import MLP, MLPScratch, relu
from .module import Module
from .optim import SGD
from .plotting import plot, set_axes, set_figsize, show_images, use_svg_display
from .softmax import SoftmaxRegressionScratch, cross_entropy, softmax
from .trainer import Trainer
from .utils import HyperParameters, add_to_class

__version__ = "0.1.0"

__all__ = [
    "add_to_class", "HyperParameters", "Point", "ProgressBoard", "Module",
    "DataModule", "TensorLoader", "SyntheticRegressionData", "Trainer",
    "cpu", "gpu", "num_gpus", "try_gpu", "SGD", "LinearRegressionScratch",
    "Classifier", "softmax", "cross_entropy", "SoftmaxRegressionScratch", "relu",
    "MLPScratch", "MLP", "FashionMNIST", "in_notebook", "plot", "set_axes",
    "set_figsize", "show_images", "use_svg_display",
]
