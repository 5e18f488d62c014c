"""Every way a reader can misuse the API, and the error that tells them so.

This is the one home of misuse cases: the tests of each module cover what works.
One table per kind of outcome. Each row is (what the reader did, the call, the
exception, the key phrase of its message, as a regular expression searched for in
it). A message must say what was wrong and, where it is not obvious, what to do
instead; the key phrase pins those parts, not the wording around them.

Rows marked ``xfail(strict=True, reason="needs library fix: ...")`` describe how a
misuse *should* be reported; today it ends in an unclear error (or none). When the
library is fixed the row passes, strict xfail turns that into a failure, and the
marker is removed.
"""
from __future__ import annotations

import functools
import math
import warnings

import matplotlib
import matplotlib.pyplot as plt
import pytest
import torch
from torch import nn

import d2lcore as d2l
from conftest import fit, small_data
from d2lcore import compat

# --------------------------------------------------------------------------- helpers


@functools.lru_cache(maxsize=None)
def fashion() -> d2l.FashionMNIST:
    return d2l.FashionMNIST(batch_size=4)


def needs_fix(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"needs library fix: {reason}")


class NetAndLr(d2l.Module):
    """A model done right except for what a subclass below leaves out."""
    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Linear(2, 1)


class NoLoss(NetAndLr):
    pass  # d2l.Module's loss raises NotImplementedError


class NoNetNoForward(d2l.Module):
    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()


class WithLoss(NetAndLr):
    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2).mean()


class PerExampleLoss(NetAndLr):
    def loss(self, y_hat, y):
        return (y_hat - y) ** 2 / 2  # forgot .mean()


class VectorStep(WithLoss):
    def training_step(self, batch):
        return (self(*batch[:-1]) - batch[-1]) ** 2


class FloatStep(WithLoss):
    def training_step(self, batch):
        return self.loss(self(*batch[:-1]), batch[-1]).item()


class NoLr(d2l.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(2, 1)


class NoSuperInit(d2l.Module):
    def __init__(self, lr=0.1):
        self.save_hyperparameters()  # forgot super().__init__()


class SaveInMethod(d2l.HyperParameters):
    def setup(self, a):
        self.save_hyperparameters()


class IgnoreUnknown(d2l.HyperParameters):
    def __init__(self, a):
        self.save_hyperparameters(ignore=["b"])


class NoGetDataloader(d2l.DataModule):
    pass


class EmptyData(d2l.DataModule):
    def __init__(self):
        super().__init__()

    def get_dataloader(self, train):
        return []


def nan_data() -> d2l.SyntheticRegressionData:
    data = small_data()
    data.X[:, 0] = math.nan  # every batch, so the first one already fails
    return data


def save_hyperparameters_at_top_level():
    d2l.HyperParameters().save_hyperparameters()


# ------------------------------------------------ misuses that must raise clearly

RAISES = [
    # -- save_hyperparameters / add_to_class ---------------------------------------
    ("save_hyperparameters in a method",
     lambda: SaveInMethod().setup(1), RuntimeError,
     r"save_hyperparameters\(\) must be called inside the __init__ of the object whose "
     r"arguments it saves \(it was called from 'setup'\)"),
    ("save_hyperparameters outside any class",
     save_hyperparameters_at_top_level, RuntimeError,
     r"must be called inside the __init__ .*'save_hyperparameters_at_top_level'"),
    ("save_hyperparameters ignore= names no argument",
     lambda: IgnoreUnknown(1), ValueError,
     r"ignore=\['b'\] names no argument of __init__; the arguments are \['a'\]"),
    ("save_hyperparameters before super().__init__()",
     lambda: NoSuperInit(), RuntimeError,
     r"NoSuperInit.__init__ must call super\(\).__init__\(\) before"),
    ("add_to_class given an instance",
     lambda: d2l.add_to_class(d2l.Trainer(1)), TypeError,
     r"add_to_class expects a class, got Trainer; write @add_to_class\(MyClass\)"),
    ("add_to_class given a name",
     lambda: d2l.add_to_class("Module"), TypeError,
     r"add_to_class expects a class, got str"),

    # -- Trainer arguments ---------------------------------------------------------
    ("Trainer max_epochs=0", lambda: d2l.Trainer(0), ValueError,
     r"max_epochs must be a positive int, got 0"),
    ("Trainer max_epochs=-3", lambda: d2l.Trainer(-3), ValueError,
     r"max_epochs must be a positive int, got -3"),
    ("Trainer max_epochs='3'", lambda: d2l.Trainer("3"), ValueError,
     r"max_epochs must be a positive int, got '3'"),
    ("Trainer max_epochs=2.0", lambda: d2l.Trainer(2.0), ValueError,
     r"max_epochs must be a positive int, got 2.0"),
    ("Trainer max_epochs=True", lambda: d2l.Trainer(True), ValueError,
     r"max_epochs must be a positive int, got True"),
    ("Trainer gradient_clip_val<0", lambda: d2l.Trainer(1, gradient_clip_val=-0.5),
     ValueError, r"gradient_clip_val must be a number >= 0, got -0.5"),
    ("Trainer gradient_clip_val=nan",
     lambda: d2l.Trainer(1, gradient_clip_val=math.nan), ValueError,
     r"gradient_clip_val must be a number >= 0, got nan"),
    ("Trainer gradient_clip_val='1'", lambda: d2l.Trainer(1, gradient_clip_val="1"),
     ValueError, r"gradient_clip_val must be a number >= 0, got '1'"),
    ("Trainer gradient_clip_val=True",
     lambda: d2l.Trainer(1, gradient_clip_val=True), ValueError,
     r"gradient_clip_val must be a number >= 0, got True"),
    ("Trainer num_gpus=0.5", lambda: d2l.Trainer(1, num_gpus=0.5), ValueError,
     r"num_gpus must be an int >= 0, got 0.5"),
    ("Trainer num_gpus=-1", lambda: d2l.Trainer(1, num_gpus=-1), ValueError,
     r"num_gpus must be an int >= 0, got -1"),
    ("Trainer num_gpus='1'", lambda: d2l.Trainer(1, num_gpus="1"), ValueError,
     r"num_gpus must be an int >= 0, got '1'"),

    # -- fit: the model ------------------------------------------------------------
    ("fit a plain nn.Module", lambda: fit(nn.Linear(2, 1)), TypeError,
     r"fit\(\) needs a d2l.Module \(with \w+\), got Linear; subclass d2l.Module"),
    ("fit a d2l.Module without loss", lambda: fit(NoLoss()), NotImplementedError,
     r"NoLoss must define loss\(self, y_hat, y\)"),
    ("fit a model without lr", lambda: fit(NoLr()), AttributeError,
     r"NoLr has no learning rate: take lr in __init__ and call save_hyperparameters\(\), "
     r"or override configure_optimizers"),
    ("training_step returns a vector", lambda: fit(VectorStep()), TypeError,
     r"scalar tensor, got a tensor of shape \(16, 1\): reduce it to one number, e.g. "
     r"with \.mean\(\)"),
    ("training_step returns a float", lambda: fit(FloatStep()), TypeError,
     r"scalar tensor, got float: return the tensor itself, not loss.item\(\)"),
    ("loss becomes NaN (lr far too large)",
     lambda: fit(d2l.LinearRegressionScratch(2, lr=1e6), max_epochs=2),
     FloatingPointError,
     r"the training loss became (nan|inf) at epoch \d+, batch \d+: lower the learning "
     r"rate \(lr=1000000.0\)"),
    ("loss becomes NaN (NaN in the data)",
     lambda: fit(d2l.LinearRegressionScratch(2, lr=0.1), nan_data()),
     FloatingPointError,
     r"the training loss became nan at epoch 1, batch 1: .*check the data for NaN/inf"),
    ("fit a model with no parameters (no net, no forward)",
     lambda: fit(NoNetNoForward()), ValueError,
     r"NoNetNoForward has no parameters to train: set self.net in __init__ or create "
     r"nn.Parameter attributes"),
    ("loss returns per-example values (forgot .mean())",
     lambda: fit(PerExampleLoss()), TypeError,
     r"plot\('loss', \.\.\.\) needs a scalar, got a tensor of shape \(16, 1\): does loss "
     r"return one value per example\? Reduce it to one number, e.g. with \.mean\(\)"),
    ("fit the model class instead of an instance",
     lambda: fit(d2l.LinearRegressionScratch), TypeError,
     r"fit\(\) needs a model object, got the class LinearRegressionScratch"),

    # -- fit: the data -------------------------------------------------------------
    ("fit a list as data",
     lambda: fit(d2l.LinearRegressionScratch(2, 0.1), [1, 2]), TypeError,
     r"fit\(\) needs a data module with train_dataloader\(\), got list"),
    ("fit a DataModule without get_dataloader",
     lambda: fit(d2l.LinearRegressionScratch(2, 0.1), NoGetDataloader()),
     NotImplementedError, r"NoGetDataloader must define get_dataloader\(self, train\)"),
    ("fit data that yields no batches",
     lambda: fit(d2l.LinearRegressionScratch(2, 0.1), EmptyData()), ValueError,
     r"the training data loader yields no batches: get_dataloader\(train=True\) must "
     r"return a loader over a non-empty training set"),
    ("fit the data class instead of an instance",
     lambda: fit(d2l.LinearRegressionScratch(2, 0.1), d2l.SyntheticRegressionData),
     TypeError, r"fit\(\) needs a data object, got the class SyntheticRegressionData"),

    # -- Module ----------------------------------------------------------------------
    ("call a Module without net or forward",
     lambda: NoNetNoForward()(torch.ones(1, 2)), NotImplementedError,
     r"NoNetNoForward has no self.net: set self.net in __init__ or define "
     r"forward\(self, X\)"),
    ("Module.plot before fit",
     lambda: d2l.LinearRegressionScratch(2, 0.1).plot("loss", 1.0, train=True),
     RuntimeError,
     r"plot\(\) needs a trainer: train the model with trainer.fit\(model, data\) first"),
    ("apply_init given a tensor instead of a list",
     lambda: d2l.MLP(2, 3, 0.1).apply_init(torch.rand(4, 5)), TypeError,
     r"apply_init takes a list of inputs, e.g. model.apply_init\(\[X\]\)"),
    ("dropout_layer with a probability above 1",
     lambda: d2l.dropout_layer(torch.ones(2, 3), 1.5), ValueError,
     r"dropout must be a probability in \[0, 1\], got 1.5"),
    ("dropout_layer with a negative probability",
     lambda: d2l.dropout_layer(torch.ones(2, 3), -0.1), ValueError,
     r"dropout must be a probability in \[0, 1\], got -0.1"),

    # -- data --------------------------------------------------------------------------
    ("SyntheticRegressionData batch_size=0", lambda: small_data(batch_size=0),
     ValueError, r"batch_size must be a positive int, got 0"),
    ("SyntheticRegressionData batch_size=8.0", lambda: small_data(batch_size=8.0),
     ValueError, r"batch_size must be a positive int, got 8.0"),
    ("SyntheticRegressionData 2-D w",
     lambda: d2l.SyntheticRegressionData(w=[[1.0, 2.0]], b=0.0), ValueError,
     r"w must be a non-empty 1-D weight vector, got shape \(1, 2\)"),
    ("SyntheticRegressionData empty w",
     lambda: d2l.SyntheticRegressionData(w=[], b=0.0), ValueError,
     r"w must be a non-empty 1-D weight vector, got shape \(0,\)"),
    ("SyntheticRegressionData num_train=0", lambda: small_data(num_train=0),
     ValueError, r"num_train must be a positive int, got 0"),
    ("SyntheticRegressionData num_val=-1", lambda: small_data(num_val=-1),
     ValueError, r"num_val must be an int >= 0, got -1"),
    ("SyntheticRegressionData num_train=True", lambda: small_data(num_train=True),
     ValueError, r"num_train must be a positive int, got True"),
    ("SyntheticRegressionData num_train=10.5", lambda: small_data(num_train=10.5),
     ValueError, r"num_train must be a positive int, got 10.5"),
    ("TensorLoader batch_size=0", lambda: d2l.TensorLoader((torch.ones(3),), 0),
     ValueError, r"batch_size must be a positive int, got 0"),
    ("TensorLoader batch_size='2'", lambda: d2l.TensorLoader((torch.ones(3),), "2"),
     ValueError, r"batch_size must be a positive int, got '2'"),
    ("TensorLoader batch_size=True", lambda: d2l.TensorLoader((torch.ones(3),), True),
     ValueError, r"batch_size must be a positive int, got True"),
    ("TensorLoader tensors of unequal length",
     lambda: d2l.TensorLoader((torch.ones(3), torch.ones(4)), 2), ValueError,
     r"TensorLoader needs tensors of equal length, got lengths \[3, 4\]"),
    ("TensorLoader given one tensor instead of a tuple",
     lambda: d2l.TensorLoader(torch.ones(8, 2), 4), TypeError,
     r"TensorLoader takes a sequence of tensors, e.g. TensorLoader\(\(X, y\)"),
    ("DataModule num_workers=-1", lambda: d2l.DataModule(num_workers=-1),
     ValueError, r"num_workers must be an int >= 0, got -1"),
    ("DataModule num_workers=1.5", lambda: d2l.DataModule(num_workers=1.5),
     ValueError, r"num_workers must be an int >= 0, got 1.5"),
    ("DataModule num_workers=True", lambda: d2l.DataModule(num_workers=True),
     ValueError, r"num_workers must be an int >= 0, got True"),
    ("DataModule num_workers='2'", lambda: d2l.DataModule(num_workers="2"),
     ValueError, r"num_workers must be an int >= 0, got '2'"),
    ("DataModule without get_dataloader",
     lambda: d2l.DataModule().val_dataloader(), NotImplementedError,
     r"DataModule must define get_dataloader\(self, train\)"),
    # FashionMNIST checks its arguments before it loads anything: no data needed.
    ("FashionMNIST batch_size=0", lambda: d2l.FashionMNIST(batch_size=0),
     ValueError, r"batch_size must be a positive int, got 0"),
    ("FashionMNIST batch_size=-64", lambda: d2l.FashionMNIST(batch_size=-64),
     ValueError, r"batch_size must be a positive int, got -64"),
    ("FashionMNIST resize=32", lambda: d2l.FashionMNIST(resize=32), ValueError,
     r"resize must be two positive ints \(height, width\), e.g. \(32, 32\); got 32"),
    ("FashionMNIST resize=(32,)", lambda: d2l.FashionMNIST(resize=(32,)), ValueError,
     r"resize must be two positive ints .*got \(32,\)"),
    ("FashionMNIST resize=(0, 28)", lambda: d2l.FashionMNIST(resize=(0, 28)),
     ValueError, r"resize must be two positive ints .*got \(0, 28\)"),
    ("FashionMNIST resize=(28.0, 28)", lambda: d2l.FashionMNIST(resize=(28.0, 28)),
     ValueError, r"resize must be two positive ints .*got \(28.0, 28\)"),
    ("FashionMNIST resize='32'", lambda: d2l.FashionMNIST(resize="32"), ValueError,
     r"resize must be two positive ints .*got '32'"),
    ("FashionMNIST resize=(True, 28)", lambda: d2l.FashionMNIST(resize=(True, 28)),
     ValueError, r"resize must be two positive ints .*got \(True, 28\)"),
    ("FashionMNIST num_workers=-2", lambda: d2l.FashionMNIST(num_workers=-2),
     ValueError, r"num_workers must be an int >= 0, got -2"),
    pytest.param("FashionMNIST.text_labels(10)",
                 lambda: fashion().text_labels([10]), ValueError,
                 r"label 10 is not a Fashion-MNIST class; the classes are 0..9",
                 marks=pytest.mark.fashion, id="FashionMNIST.text_labels(10)"),
    pytest.param("FashionMNIST.text_labels(-1)",
                 lambda: fashion().text_labels(torch.tensor([3, -1])), ValueError,
                 r"label -1 is not a Fashion-MNIST class",
                 marks=pytest.mark.fashion, id="FashionMNIST.text_labels(-1)"),
    pytest.param(
        "FashionMNIST.text_labels(logits)",
        lambda: fashion().text_labels(torch.randn(3, 10)), TypeError,
        r"got rows of shape \(10,\): for scores, take the argmax of each row first",
        marks=pytest.mark.fashion, id="FashionMNIST.text_labels(logits)"),
    pytest.param(
        "FashionMNIST.text_labels(tensor(1.5))",
        lambda: fashion().text_labels([torch.tensor(1.5)]), TypeError,
        r"text_labels needs integer class indices, got tensor\(1.5000\)",
        marks=pytest.mark.fashion, id="FashionMNIST.text_labels(tensor(1.5))"),
    pytest.param(
        "FashionMNIST.text_labels(1.5)",
        lambda: fashion().text_labels([1.5]), TypeError,
        r"text_labels needs integer class indices, got 1.5",
        marks=pytest.mark.fashion, id="FashionMNIST.text_labels(1.5)"),

    # -- models and losses -----------------------------------------------------------
    ("accuracy with fewer labels than predictions",
     lambda: d2l.Classifier().accuracy(torch.rand(3, 4), torch.tensor([0, 1])),
     ValueError, r"accuracy: 3 predictions but 2 labels"),
    ("accuracy with 1-D scores",
     lambda: d2l.Classifier().accuracy(torch.rand(3), torch.tensor([0, 1, 2])),
     ValueError, r"accuracy: 1 predictions but 3 labels"),
    ("accuracy with one-hot labels",
     lambda: d2l.Classifier().accuracy(torch.rand(3, 4), torch.eye(4)[:3]),
     ValueError, r"got one-hot labels of shape \(3, 4\): pass Y.argmax\(dim=-1\)"),
    ("cross_entropy label above the classes",
     lambda: d2l.cross_entropy(torch.full((2, 3), 1 / 3), torch.tensor([0, 3])),
     ValueError, r"labels must lie in \[0, 2\], got values from 0 to 3"),
    ("cross_entropy negative label",
     lambda: d2l.cross_entropy(torch.full((2, 3), 1 / 3), torch.tensor([-1, 2])),
     ValueError, r"labels must lie in \[0, 2\], got values from -1 to 2"),
    ("cross_entropy float labels",
     lambda: d2l.cross_entropy(torch.full((2, 3), 1 / 3), torch.tensor([0.0, 1.0])),
     TypeError, r"labels y must be integer class indices, got torch.float32"),
    ("cross_entropy bool labels",
     lambda: d2l.cross_entropy(torch.full((2, 2), 0.5), torch.tensor([True, False])),
     TypeError, r"labels y must be integer class indices, got torch.bool"),
    ("cross_entropy labels of another batch size",
     lambda: d2l.cross_entropy(torch.rand(2, 3), torch.tensor([0, 1, 2])), ValueError,
     r"y of shape \(batch,\), got \(2, 3\) and \(3,\)"),
    ("cross_entropy 1-D y_hat",
     lambda: d2l.cross_entropy(torch.rand(3), torch.tensor([0, 1, 2])), ValueError,
     r"cross_entropy needs y_hat of shape \(batch, classes\).*got \(3,\) and \(3,\)"),
    ("SGD lr=0", lambda: d2l.SGD([torch.ones(1, requires_grad=True)], 0), ValueError,
     r"the learning rate lr must be > 0, got 0"),
    ("SGD lr<0", lambda: d2l.SGD([torch.ones(1, requires_grad=True)], -0.1),
     ValueError, r"the learning rate lr must be > 0, got -0.1"),
    ("SGD lr=nan", lambda: d2l.SGD([torch.ones(1, requires_grad=True)], math.nan),
     ValueError, r"the learning rate lr must be > 0, got nan"),
    ("SGD without parameters", lambda: d2l.SGD([], 0.1), ValueError,
     r"SGD got an empty list of parameters: pass the tensors it should update, e.g. "
     r"SGD\(\[self.w, self.b\], lr\)"),
    ("SGD given one tensor instead of a list",
     lambda: d2l.SGD(torch.ones(3, requires_grad=True), 0.1), TypeError,
     r"SGD takes a list of parameters, e.g. SGD\(\[self.w, self.b\], lr\)"),
    ("LinearRegressionScratch.loss with y of shape (batch,)",
     lambda: d2l.LinearRegressionScratch(2, 0.1).loss(torch.zeros(4, 1),
                                                      torch.zeros(4)),
     ValueError, r"y_hat has shape \(4, 1\) but y has shape \(4,\): .*y.reshape\(-1, 1\)"),

    ("LinearRegression.loss with y of shape (batch,)",
     lambda: d2l.LinearRegression(0.1).loss(torch.zeros(4, 1), torch.zeros(4)),
     ValueError, r"y_hat has shape \(4, 1\) but y has shape \(4,\): give y the shape "
                 r"of the predictions, e.g. y.reshape\(-1, 1\)"),
    ("LinearRegression.get_w_b before the first batch",
     lambda: d2l.LinearRegression(0.1).get_w_b(), RuntimeError,
     r"the model has no weights yet: nn.LazyLinear creates them at the first batch; "
     r"train the model \(or call model\(X\)\) first"),

    ("a misspelt name: d2l.Trainr", lambda: d2l.Trainr, AttributeError,
     r"module 'd2lcore' has no attribute 'Trainr'"),
    ("LinearRegression lr=0 (torch.optim.SGD would never move the weights)",
     lambda: d2l.LinearRegression(lr=0), ValueError,
     r"the learning rate lr must be > 0, got 0"),
    ("LinearRegression lr='0.1'", lambda: d2l.LinearRegression(lr="0.1"), ValueError,
     r"the learning rate lr must be > 0, got '0.1'"),
    ("SoftmaxRegression num_outputs=0",
     lambda: d2l.SoftmaxRegression(num_outputs=0, lr=0.1), ValueError,
     r"num_outputs must be a positive int, got 0"),
    ("SoftmaxRegression num_outputs=2.5",
     lambda: d2l.SoftmaxRegression(num_outputs=2.5, lr=0.1), ValueError,
     r"num_outputs must be a positive int, got 2.5"),
    ("SoftmaxRegression lr=-0.1",
     lambda: d2l.SoftmaxRegression(num_outputs=10, lr=-0.1), ValueError,
     r"the learning rate lr must be > 0, got -0.1"),

    # -- devices -----------------------------------------------------------------------
    ("gpu(-1)", lambda: d2l.gpu(-1), ValueError,
     r"GPU index must be a non-negative int, got -1"),
    ("gpu(1.0)", lambda: d2l.gpu(1.0), ValueError,
     r"GPU index must be a non-negative int, got 1.0"),
    ("try_gpu(-1)", lambda: d2l.try_gpu(-1), ValueError,
     r"GPU index must be a non-negative int, got -1"),
    ("gpu(True)", lambda: d2l.gpu(True), ValueError,
     r"GPU index must be a non-negative int, got True"),

    # -- ProgressBoard -----------------------------------------------------------------
    ("ProgressBoard every_n=0", lambda: d2l.ProgressBoard().draw(0, 1, "loss", 0),
     ValueError, r"every_n must be a positive int, got 0"),
    ("ProgressBoard every_n=-1", lambda: d2l.ProgressBoard().draw(0, 1, "loss", -1),
     ValueError, r"every_n must be a positive int, got -1"),
    ("ProgressBoard every_n=2.5", lambda: d2l.ProgressBoard().draw(0, 1, "loss", 2.5),
     ValueError, r"every_n must be a positive int, got 2.5"),
    ("ProgressBoard every_n=True",
     lambda: d2l.ProgressBoard().draw(0, 1, "loss", True), ValueError,
     r"every_n must be a positive int, got True"),
    ("ProgressBoard.series of an unknown label",
     lambda: d2l.ProgressBoard().series("acc"), KeyError,
     r"no series 'acc'; the board has \[\]"),

    # -- framework-neutral helpers and Timer -------------------------------------------
    *[(f"d2l.{name} of a list", functools.partial(getattr(d2l, name), [1.0, 2.0]),
       TypeError, rf"d2l\.{name} needs a tensor as its first argument, got list; "
                  rf"convert it first, e\.g\. d2l\.{name}\(d2l\.tensor\(x\), \.\.\.\)")
      for name in compat.METHODS],
    ("d2l.numpy of a NumPy array",
     lambda: d2l.numpy(torch.ones(2).numpy()), TypeError,
     r"d2l\.numpy needs a tensor as its first argument, got ndarray; .*"),
    ("Timer.avg before any stop()", lambda: d2l.Timer().avg(), ValueError,
     r"the timer has no recorded times yet: call stop\(\) after the code to time, "
     r"then avg\(\)"),

    # -- plotting ----------------------------------------------------------------------
    ("set_figsize with a zero", lambda: d2l.set_figsize((0, 3)), ValueError,
     r"figsize must be two positive numbers, got \(0, 3\)"),
    ("set_figsize with a negative", lambda: d2l.set_figsize((4, -1)), ValueError,
     r"figsize must be two positive numbers, got \(4, -1\)"),
    ("set_figsize with three numbers", lambda: d2l.set_figsize((4, 3, 2)), ValueError,
     r"figsize must be two positive numbers, got \(4, 3, 2\)"),
    ("set_figsize(3)", lambda: d2l.set_figsize(3), ValueError,
     r"figsize must be two positive numbers, got 3"),
    ("set_figsize((inf, 2))", lambda: d2l.set_figsize((math.inf, 2)),
     ValueError, r"figsize must be two positive numbers, got \(inf, 2\)"),
    ("set_figsize((nan, 2))", lambda: d2l.set_figsize((math.nan, 2)),
     ValueError, r"figsize must be two positive numbers, got \(nan, 2\)"),
    ("show_images with 0 rows", lambda: d2l.show_images(torch.rand(2, 4, 4), 0, 2),
     ValueError, r"num_rows must be a positive int, got 0"),
    ("show_images with -1 columns",
     lambda: d2l.show_images(torch.rand(2, 4, 4), 1, -1), ValueError,
     r"num_cols must be a positive int, got -1"),
    ("plot x and y of different lengths", lambda: d2l.plot([0, 1, 2], [[1, 2]]),
     ValueError, r"plot: x has 3 values but y has 2"),
    ("plot tensors of different lengths",
     lambda: d2l.plot(torch.arange(3), [torch.arange(3), torch.arange(4)]), ValueError,
     r"plot: x has 3 values but y has 4"),
]


def _param(row):
    if hasattr(row, "marks"):        # already a pytest.param (marked rows)
        return row
    what, call, exc, match = row
    return pytest.param(what, call, exc, match, id=what)


@pytest.mark.parametrize("what,call,exc,match", [_param(r) for r in RAISES])
def test_misuse_raises_a_clear_error(what, call, exc, match):
    with warnings.catch_warnings(), matplotlib.rc_context():
        # A NaN loss is also a NaN point for the board: that warning is not the test.
        warnings.filterwarnings("ignore", "ProgressBoard: skipped non-finite")
        with pytest.raises(exc, match=match):
            call()
    plt.close("all")


# ------------------------------------------- misuses that warn and carry on

WARNS = [
    ("ProgressBoard.draw(y=nan)", 1, math.nan),
    ("ProgressBoard.draw(y=inf)", 1, math.inf),
    ("ProgressBoard.draw(y=-inf)", 1, -math.inf),
    ("ProgressBoard.draw(x=nan)", math.nan, 1.0),
    ("ProgressBoard.draw(y=tensor(nan))", 1, torch.tensor(math.nan)),
]


@pytest.mark.parametrize("what,x,y", [pytest.param(*r, id=r[0]) for r in WARNS])
def test_non_finite_points_are_skipped_with_a_warning(what, x, y):
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss", every_n=2)
    with pytest.warns(RuntimeWarning,
                      match=r"ProgressBoard: skipped non-finite point .* of series "
                            r"'loss'"):
        board.draw(x, y, "loss", every_n=2)
    board.draw(2, 3.0, "loss", every_n=2)   # the bad point did not count
    assert board.series("loss") == ([1.0], [2.0])
    board.render()                           # and drawing the board still works
    assert all(math.isfinite(v) for v in board.series("loss")[1])


def test_nan_loss_warns_on_the_board_then_stops_fit():
    model = d2l.LinearRegressionScratch(2, lr=1e6)
    with pytest.warns(RuntimeWarning, match="skipped non-finite"), \
            pytest.raises(FloatingPointError, match=r"at epoch \d+, batch \d+"):
        fit(model, max_epochs=2)
