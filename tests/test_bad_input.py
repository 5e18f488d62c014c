"""The misuse catalogue: what a reader may do wrong, and the error they get.

One row per rule of ``d2lcore/_checks.py`` (checked when ``Trainer.fit``
runs), one per error the taught classes raise themselves, and the common
reader mistakes whose error comes from Python or PyTorch and is clear as it
is. Each row: (what the reader did, the call, the exception, a key phrase of
its message, a regular expression searched for in it).
"""

from __future__ import annotations

import pytest
import torch
from conftest import outside_library, small_data
from torch import nn

import d2lcore as d2l


class Linear(d2l.Module):
    """A model done right; the subclasses below get one thing wrong."""

    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Linear(2, 1)

    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2).mean()


class NoLoss(Linear):
    loss = d2l.Module.loss


class NoNet(d2l.Module):
    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.w = nn.Parameter(torch.zeros(2, 1))

    loss = Linear.loss


class NoLr(Linear):
    def __init__(self):
        super().__init__()
        del self.lr


class ItemLoss(Linear):
    def loss(self, y_hat, y):
        return super().loss(y_hat, y).item()


class PerExampleLoss(Linear):
    def loss(self, y_hat, y):
        return (y_hat - y) ** 2 / 2  # forgot .mean()


class EmptySGD(Linear):
    def configure_optimizers(self):
        return d2l.SGD([], self.lr)


class GeneratorSGD(Linear):
    def configure_optimizers(self):
        return d2l.SGD(self.parameters(), self.lr)


class NoSuper(d2l.Module):
    def __init__(self):
        self.w = nn.Parameter(torch.zeros(1))


class NoLoader(d2l.DataModule):
    pass


def fit(model, data=None, epochs=1):
    d2l.Trainer(max_epochs=epochs).fit(model, data or small_data())


def flat_labels():
    data = small_data()
    data.y = data.y.reshape(-1)  # (n,) instead of (n, 1)
    return data


# fmt: off
ERRORS = [
    # the checks of Trainer.fit (d2lcore/_checks.py)
    ("fit() given the model class", lambda: fit(Linear),
     TypeError, r"create one with Linear\(\.\.\.\)"),
    ("fit() given the data class",
     lambda: fit(Linear(), d2l.SyntheticRegressionData),
     TypeError, r"create one with SyntheticRegressionData\(\.\.\.\)"),
    ("neither self.net nor forward", lambda: fit(NoNet()),
     NotImplementedError, r"set self.net in __init__ or define forward"),
    ("no lr for the default optimizer", lambda: fit(NoLr()),
     AttributeError, r"NoLr has no learning rate.*save_hyperparameters"),
    ("y of shape (batch,) for y_hat (batch, 1)",
     lambda: fit(d2l.LinearRegressionScratch(2, lr=0.1), flat_labels()),
     ValueError, r"\(16, 1\) but y has shape \(16,\).*y.reshape\(-1, 1\)"),
    ("the loss returned as loss.item()", lambda: fit(ItemLoss()),
     TypeError, r"got float: return the tensor itself, not loss.item\(\)"),
    ("a loss per example", lambda: fit(PerExampleLoss()),
     TypeError, r"shape \(16, 1\): reduce it to one number, e.g. with .mean"),
    ("a learning rate that makes the loss diverge",
     lambda: fit(Linear(lr=1e6), epochs=3),
     FloatingPointError, r"became (nan|inf) at epoch \d, batch \d: lower the "
     r"learning rate \(lr=1000000.0\)"),
    ("SGD given no parameters", lambda: fit(EmptySGD()),
     ValueError, r"SGD needs a non-empty list.*got \[\]"),
    ("SGD given model.parameters(), a generator", lambda: fit(GeneratorSGD()),
     ValueError, r"SGD needs a non-empty list.*got <generator"),
    ("a training set with no examples",
     lambda: fit(Linear(), small_data(num_train=0)),
     ValueError, r"the training data loader yields no batches"),
    # raised by the taught base classes
    ("a model without loss", lambda: fit(NoLoss()),
     NotImplementedError, r"NoLoss must define loss\(self, y_hat, y\)"),
    ("a data module without get_dataloader", lambda: fit(Linear(), NoLoader()),
     NotImplementedError, r"NoLoader must define get_dataloader"),
    # clear as Python and PyTorch report them
    ("max_epochs not an int", lambda: fit(Linear(), epochs=2.5),
     TypeError, r"'float' object cannot be interpreted as an integer"),
    ("super().__init__() forgotten", NoSuper,
     AttributeError, r"cannot assign parameters before Module.__init__"),
    ("labels as floats for the scratch cross-entropy",
     lambda: d2l.cross_entropy(torch.ones(2, 3) / 3, torch.tensor([0.0, 1.0])),
     IndexError, r"tensors used as indices must be long"),
    ("a list given to a tensor method", lambda: d2l.reshape([1, 2], (2, 1)),
     TypeError, r"d2l.reshape needs a tensor.*d2l.tensor\(x\)"),
    ("the average time before any was recorded", lambda: d2l.Timer().avg(),
     ValueError, r"no recorded times yet"),
]
# fmt: on


@pytest.mark.parametrize(
    "what,call,error,phrase", ERRORS, ids=[row[0] for row in ERRORS]
)
def test_misuse_gets_a_clear_error(what, call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()


class NaNAt(Linear):
    """Its loss is NaN at one global training step."""

    def __init__(self, step):
        super().__init__()
        self.step = step

    def loss(self, y_hat, y):
        nan = self.trainer.train_batch_idx == self.step
        return super().loss(y_hat, y) * (torch.nan if nan else 1)


@pytest.mark.parametrize(
    "step,epoch,batch", [(0, 1, 1), (5, 2, 2), (11, 3, 4)]
)
def test_a_nan_loss_is_reported_at_its_epoch_and_batch(step, epoch, batch):
    with pytest.raises(
        FloatingPointError,
        match=rf"^the training loss became "
        rf"nan at epoch {epoch}, batch {batch}: ",
    ):
        fit(NaNAt(step), epochs=3)  # 4 batches an epoch


def test_the_checks_leave_the_model_as_it_was():
    model = ItemLoss()
    with pytest.raises(TypeError):
        fit(model)
    assert "loss" not in vars(model)  # the check's wrapper is gone
    assert isinstance(model.loss(torch.ones(1), torch.zeros(1)), float)


def test_a_missing_gpu_is_a_warning_at_the_readers_line():
    if d2l.num_gpus() or d2l.try_gpu() != d2l.cpu():
        pytest.skip("an accelerator is present")
    with pytest.warns(
        RuntimeWarning,
        match=r"no GPU found, training on the "
        r"CPU instead",
    ) as record:
        d2l.Trainer(max_epochs=1, num_gpus=1)
    assert outside_library(record[0].filename)
