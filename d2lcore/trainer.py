"""Trainer: fits a Module to a DataModule (sections 3.2.4 and 3.4.4).

The loop computes the loss with autograd on, backpropagates, optionally clips
gradients and lets the optimizer update the parameters. ``num_gpus > 0`` trains on
a CUDA or Apple GPU when one is present and on the CPU (with one warning) when not.
"""
from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Sequence

import torch
from torch import nn

from .device import accelerator, cpu
from .plotting import in_notebook
from .utils import HyperParameters

__all__ = ["Trainer"]


class Trainer(HyperParameters):
    """The base class for training models with data."""
    def __init__(self, max_epochs: int, num_gpus: int = 0,
                 gradient_clip_val: float = 0):
        _check_int("max_epochs", max_epochs, minimum=1)
        _check_int("num_gpus", num_gpus, minimum=0)
        if isinstance(gradient_clip_val, bool) or not isinstance(
                gradient_clip_val, (int, float)) or not gradient_clip_val >= 0:
            raise ValueError("gradient_clip_val must be a number >= 0 (0 turns "
                             f"clipping off), got {gradient_clip_val!r}")
        self.save_hyperparameters()
        self.gpus = self._find_devices(num_gpus)
        self.epoch = self.train_batch_idx = self.val_batch_idx = 0

    @staticmethod
    def _find_devices(num_gpus: int) -> list[torch.device]:
        if num_gpus == 0:
            return []
        devices = [d for d in (accelerator(i) for i in range(num_gpus)) if d]
        if not devices:
            warnings.warn(f"Trainer(num_gpus={num_gpus}): no GPU found, training "
                          "on the CPU instead", RuntimeWarning, stacklevel=3)
        elif len(devices) < num_gpus:
            warnings.warn(f"Trainer(num_gpus={num_gpus}): only {len(devices)} GPU(s) "
                          f"found; training uses {devices[0]}", RuntimeWarning,
                          stacklevel=3)
        return devices[:1]

    @property
    def device(self) -> torch.device:
        """Where the model and the batches live."""
        return self.gpus[0] if self.gpus else cpu()

    def prepare_data(self, data) -> None:
        if isinstance(data, type):
            raise TypeError(f"fit() needs a data object, got the class {data.__name__}"
                            f"; create one with {data.__name__}(...)")
        for name in ("train_dataloader", "val_dataloader"):
            if not callable(getattr(data, name, None)):
                raise TypeError(f"fit() needs a data module with {name}(), got "
                                f"{type(data).__name__}; subclass d2l.DataModule")
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = (len(self.val_dataloader)
                                if self.val_dataloader is not None else 0)
        if self.num_train_batches == 0:
            raise ValueError("the training data loader yields no batches")

    def prepare_model(self, model) -> None:
        if isinstance(model, type):
            raise TypeError(f"fit() needs a model object, got the class "
                            f"{model.__name__}; create one with {model.__name__}(...)")
        for name in ("loss", "training_step", "configure_optimizers", "board"):
            if not hasattr(model, name):
                raise TypeError(f"fit() needs a d2l.Module (with {name}), got "
                                f"{type(model).__name__}; subclass d2l.Module")
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        if self.gpus:
            model.to(self.gpus[0])
        self.model = model

    def fit(self, model, data) -> None:
        self.prepare_data(data)
        self.prepare_model(model)
        self._materialize(model)
        self.optim = model.configure_optimizers()
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        for self.epoch in range(self.max_epochs):
            self.fit_epoch()
            self._report()
        model.board.flush()

    def prepare_batch(self, batch: Sequence[torch.Tensor]) -> list[torch.Tensor]:
        if self.gpus:
            batch = [a.to(self.gpus[0], non_blocking=True) for a in batch]
        return batch

    def fit_epoch(self) -> None:
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.check_loss(loss)
            self.optim.zero_grad()
            loss.backward()
            if self.gradient_clip_val > 0:
                self.clip_gradients(self.gradient_clip_val, self.model)
            with torch.no_grad():
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with torch.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1

    def check_loss(self, loss: torch.Tensor) -> None:
        """Stop with a clear message when the loss is not a finite scalar."""
        if not torch.is_tensor(loss) or loss.numel() != 1:
            raise TypeError("training_step must return the loss as a scalar tensor, "
                            f"got {type(loss).__name__} "
                            f"{tuple(loss.shape) if torch.is_tensor(loss) else ''}")
        if not math.isfinite(loss.item()):
            batch = self.train_batch_idx - self.epoch * self.num_train_batches
            raise FloatingPointError(
                f"the training loss became {loss.item()} at epoch {self.epoch + 1}, "
                f"batch {batch + 1}: lower the learning rate (lr="
                f"{getattr(self.model, 'lr', '?')}), set gradient_clip_val, or check "
                "the data for NaN/inf")

    def clip_gradients(self, grad_clip_val: float, model: nn.Module) -> None:
        """Rescale the gradients so that their global L2 norm is at most
        ``grad_clip_val``."""
        params = [p for p in model.parameters() if p.requires_grad]
        nn.utils.clip_grad_norm_(params, grad_clip_val)

    def _materialize(self, model: nn.Module) -> None:
        # Lazy layers (nn.LazyLinear) get their shapes from a first batch, before
        # the optimizer is built, so that it sees the real parameters.
        if any(isinstance(p, nn.parameter.UninitializedParameter)
               for p in model.parameters()):
            batch = self.prepare_batch(next(iter(self.train_dataloader)))
            with torch.no_grad():
                model(*batch[:-1])

    def _report(self) -> None:
        # Outside a notebook nobody sees the board: print one line per epoch.
        board = self.model.board
        if not board.display or in_notebook():
            return
        metrics = "  ".join(f"{k} {v:.4f}" for k, v in board.latest().items())
        print(f"epoch {self.epoch + 1}/{self.max_epochs}  {metrics}",
              file=sys.stdout, flush=True)


def _check_int(name: str, value, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
