"""Clear errors for the mistakes that would otherwise be silent or baffling.

The rule: the taught classes hold the lesson and call no checks. Where Python or
PyTorch already raise a clear error (a float ``max_epochs``, a label out of
range, matrices that do not multiply), it goes through unchanged. What would
train silently wrong, or fail far from its cause, is checked here, once, at one
boundary: ``trainer.fit(model, data)``, which `checked_fit` wraps.

* Before training: ``fit`` got objects, not classes; the model has a
  ``forward`` (or ``self.net``) and, for the default optimizer, ``lr``.
* At every loss computed during ``fit``: float targets ``y`` have the shape of
  ``y_hat`` (no silent broadcasting). In training, the loss is one number as a
  tensor (not one per example, not ``loss.item()``) and finite (a NaN means
  the learning rate is too high), and d2l's ``SGD`` has a list of parameters
  (not none, not a one-pass iterator such as ``model.parameters()``).
* After training: the training loader yielded batches.

`warn` points a warning at the reader's own line, however deep it is raised.
"""

from __future__ import annotations

import functools
import math
import os
import sys
import warnings

import torch

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message: str) -> None:
    """A RuntimeWarning at the first line outside d2lcore (the reader's)."""
    frame, level = sys._getframe(1), 2  # level 2: the caller of warn()
    while frame.f_back and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, RuntimeWarning, stacklevel=level)


def _inherited(obj, name: str, base: str) -> bool:
    """Whether ``obj.<name>`` is the default of d2lcore's class ``base``."""
    owner = next((c for c in type(obj).__mro__ if name in vars(c)), object)
    return owner.__name__ == base and owner.__module__.startswith("d2lcore.")


def check_model_and_data(model, data) -> None:
    for obj, what in ((model, "model"), (data, "data")):
        if isinstance(obj, type):
            raise TypeError(
                f"fit() needs a {what} object, got the class {obj.__name__}; "
                f"create one with {obj.__name__}(...)"
            )
    name = type(model).__name__
    if _inherited(model, "forward", "Module") and not hasattr(model, "net"):
        raise NotImplementedError(
            f"{name} has no self.net: set self.net in __init__ "
            "or define forward(self, X)"
        )
    if _inherited(model, "configure_optimizers", "Module") and not hasattr(
        model, "lr"
    ):
        raise AttributeError(
            f"{name} has no learning rate: take lr in __init__ and call "
            "save_hyperparameters(), or override configure_optimizers"
        )


def check_shapes(y_hat, y) -> None:
    """Float targets (regression) must have the predictions' shape."""
    if torch.is_tensor(y) and y.is_floating_point() and y_hat.shape != y.shape:
        raise ValueError(
            f"y_hat has shape {tuple(y_hat.shape)} but y has shape "
            f"{tuple(y.shape)}: give y the shape of the predictions, "
            "e.g. y.reshape(-1, 1)"
        )


def check_training_loss(loss, trainer) -> None:
    """The loss to backpropagate: a finite scalar tensor."""
    if not torch.is_tensor(loss):
        raise TypeError(
            f"the loss must be a tensor, got {type(loss).__name__}: "
            "return the tensor itself, not loss.item()"
        )
    if loss.numel() != 1:
        raise TypeError(
            f"the training loss must be one number, got a tensor of shape "
            f"{tuple(loss.shape)}: reduce it to one number, e.g. with .mean()"
        )
    if not math.isfinite(loss.item()):
        batch = trainer.train_batch_idx % trainer.num_train_batches
        raise FloatingPointError(
            f"the training loss became {loss.item()} at epoch "
            f"{trainer.epoch + 1}, batch {batch + 1}: lower the learning rate "
            f"(lr={getattr(trainer.model, 'lr', '?')}), set gradient_clip_val, "
            "or check the data for NaN/inf"
        )
    params = getattr(trainer.optim, "params", None)  # d2l's SGD
    if params is not None and (iter(params) is params or len(params) == 0):
        raise ValueError(
            "SGD needs a non-empty list of the parameters to update, e.g. "
            "SGD([self.w, self.b], lr) or SGD(list(self.parameters()), lr); "
            f"got {params!r}"
        )


def checked_fit(fit):
    """``fit`` with the checks above (see the module's docstring)."""

    @functools.wraps(fit)
    def fit_with_checks(trainer, model, data):
        check_model_and_data(model, data)
        loss = model.loss
        patch = getattr(loss, "__self__", None) is model  # a method

        def checked_loss(y_hat, y, *args, **kwargs):
            check_shapes(y_hat, y)
            value = loss(y_hat, y, *args, **kwargs)
            # a loss per example, asked for with averaged=False, is no mistake
            averaged = kwargs.get("averaged", args[0] if args else True)
            if model.training and averaged is not False:
                check_training_loss(value, trainer)
            return value

        if patch:
            model.loss = checked_loss  # for this fit only
        try:
            fit(trainer, model, data)
        finally:
            if patch:
                del model.loss
        if trainer.num_train_batches == 0:
            raise ValueError(
                "the training data loader yields no batches: "
                "get_dataloader(train=True) must return a loader over a "
                "non-empty training set"
            )

    return fit_with_checks
