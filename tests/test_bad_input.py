"""The misuse catalogue: what a reader may do wrong, and the error they get.

One row per rule of ``d2lcore/_checks.py`` (checked when ``Trainer.fit``
runs), one per error the taught classes raise themselves, and the common
reader mistakes whose error comes from Python or PyTorch and is clear as it
is. Each row: (what the reader did, the call, the exception, a key phrase of
its message, a regular expression searched for in it).
"""

from __future__ import annotations

import re

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


class NaNAt(Linear):
    """Its loss is NaN at one global training step."""

    def __init__(self, step, lr=0.1):
        super().__init__(lr)
        self.step = step
        if lr is None:
            del self.lr

    def loss(self, y_hat, y):
        nan = self.trainer.train_batch_idx == self.step
        return super().loss(y_hat, y) * (torch.nan if nan else 1)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)


def exactly(message: str) -> str:
    return f"^{re.escape(message)}$"


def fit(model, data=None, epochs=1):
    d2l.Trainer(max_epochs=epochs).fit(model, data or small_data())


def flat_labels():
    data = small_data()
    data.y = data.y.reshape(-1)  # (n,) instead of (n, 1)
    return data


# fmt: off
ERRORS = [
    # dropout_layer: a probability outside [0, 1] would silently scale wrongly
    ("dropout_layer with a probability above 1",
     lambda: d2l.dropout_layer(torch.ones(2, 3), 1.5), ValueError,
     exactly("dropout must be a probability in [0, 1], got 1.5")),
    ("dropout_layer with a negative probability",
     lambda: d2l.dropout_layer(torch.ones(2, 3), -0.1), ValueError,
     exactly("dropout must be a probability in [0, 1], got -0.1")),
    # the checks of Trainer.fit (d2lcore/_checks.py)
    ("fit() given the model class", lambda: fit(Linear),
     TypeError, exactly("fit() needs a model object, got the class Linear; "
                        "create one with Linear(...)")),
    ("fit() given the data class",
     lambda: fit(Linear(), d2l.SyntheticRegressionData),
     TypeError, exactly("fit() needs a data object, got the class "
                        "SyntheticRegressionData; create one with "
                        "SyntheticRegressionData(...)")),
    ("neither self.net nor forward", lambda: fit(NoNet()),
     NotImplementedError, exactly("NoNet has no self.net: set self.net in "
                                  "__init__ or define forward(self, X)")),
    ("no lr for the default optimizer", lambda: fit(NoLr()),
     AttributeError, exactly("NoLr has no learning rate: take lr in __init__ "
                             "and call save_hyperparameters(), or override "
                             "configure_optimizers")),
    ("y of shape (batch,) for y_hat (batch, 1)",
     lambda: fit(d2l.LinearRegressionScratch(2, lr=0.1), flat_labels()),
     ValueError, exactly("y_hat has shape (16, 1) but y has shape (16,): give y "
                         "the shape of the predictions, e.g. y.reshape(-1, 1)")),
    ("the loss returned as loss.item()", lambda: fit(ItemLoss()),
     TypeError, exactly("the loss must be a tensor, got float: return the "
                        "tensor itself, not loss.item()")),
    ("a loss per example", lambda: fit(PerExampleLoss()),
     TypeError, exactly("the training loss must be one number, got a tensor of "
                        "shape (16, 1): reduce it to one number, e.g. with "
                        ".mean()")),
    ("a learning rate that makes the loss diverge",
     lambda: fit(Linear(lr=1e6), epochs=3),
     FloatingPointError, r"^the training loss became (nan|inf) at epoch \d, "
     r"batch \d: lower the learning rate \(lr=1000000.0\), set "
     r"gradient_clip_val, or check the data for NaN/inf$"),
    ("a diverging loss, the model's own optimizer and no lr",
     lambda: fit(NaNAt(0, lr=None)),
     FloatingPointError, r"lower the learning rate \(lr=\?\)"),
    ("SGD given no parameters", lambda: fit(EmptySGD()),
     ValueError, exactly("SGD needs a non-empty list of the parameters to "
                         "update, e.g. SGD([self.w, self.b], lr) or "
                         "SGD(list(self.parameters()), lr); got []")),
    ("SGD given model.parameters(), a generator", lambda: fit(GeneratorSGD()),
     ValueError, r"SGD needs a non-empty list.*got <generator"),
    ("a training set with no examples",
     lambda: fit(Linear(), small_data(num_train=0)),
     ValueError, exactly("the training data loader yields no batches: "
                         "get_dataloader(train=True) must return a loader "
                         "over a non-empty training set")),
    # raised by the taught base classes
    ("a model without loss", lambda: fit(NoLoss()),
     NotImplementedError, r"NoLoss must define loss\(self, y_hat, y\)"),
    ("a data module without get_dataloader", lambda: fit(Linear(), NoLoader()),
     NotImplementedError, r"NoLoader must define get_dataloader"),
    # clear as Python and PyTorch report them
    ("a plain nn.Module given to fit", lambda: fit(nn.Linear(2, 1)),
     AttributeError, r"'Linear' object has no attribute 'loss'"),
    ("max_epochs not an int", lambda: fit(Linear(), epochs=2.5),
     TypeError, r"'float' object cannot be interpreted as an integer"),
    ("super().__init__() forgotten", NoSuper,
     AttributeError, r"cannot assign parameters before Module.__init__"),
    ("labels as floats for the scratch cross-entropy",
     lambda: d2l.cross_entropy(torch.ones(2, 3) / 3, torch.tensor([0.0, 1.0])),
     IndexError, r"tensors used as indices must be long"),
    ("a list given to a tensor method", lambda: d2l.reshape([1, 2], (2, 1)),
     TypeError, exactly("d2l.reshape needs a tensor as its first argument, "
                        "got list; convert it first, e.g. "
                        "d2l.reshape(d2l.tensor(x), ...)")),
    ("the average time before any was recorded", lambda: d2l.Timer().avg(),
     ValueError, exactly("the timer has no recorded times yet: call stop() "
                         "after the code to time, then avg()")),
]
# fmt: on


@pytest.mark.parametrize(
    "what,call,error,phrase", ERRORS, ids=[row[0] for row in ERRORS]
)
def test_misuse_gets_a_clear_error(what, call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()


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
