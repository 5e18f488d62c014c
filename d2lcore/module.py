"""Module: the base class of every model in the book (section 3.2.2).

A model keeps its network (``self.net``) or its own parameters, defines ``loss``,
and plots training and validation metrics on its `ProgressBoard` through `plot`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import nn

from .board import ProgressBoard
from .optim import SGD
from .utils import HyperParameters

__all__ = ["Module"]


class Module(nn.Module, HyperParameters):
    """The base class of models."""
    def __init__(self, plot_train_per_epoch: int = 2, plot_valid_per_epoch: int = 1):
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()
        self.trainer = None

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError(
            f"{type(self).__name__} defines no loss: add a method "
            "loss(self, y_hat, y) that returns a scalar tensor")

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        if not hasattr(self, "net"):
            raise NotImplementedError(
                f"{type(self).__name__} has no self.net: set self.net in __init__ "
                "or define forward(self, X)")
        return self.net(X)

    def plot(self, key: str, value: torch.Tensor | float, train: bool) -> None:
        """Plot a point on the board: the x axis counts epochs."""
        if self.trainer is None:
            raise RuntimeError("plot() needs a trainer: train the model with "
                               "trainer.fit(model, data) first")
        self.board.xlabel = "epoch"
        if train:
            x = self.trainer.train_batch_idx / self.trainer.num_train_batches
            n = self.trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = self.trainer.epoch + 1
            n = self.trainer.num_val_batches / self.plot_valid_per_epoch
        if torch.is_tensor(value):
            if value.numel() != 1:
                raise TypeError(
                    f"plot('{key}', ...) needs a scalar, got a tensor of shape "
                    f"{tuple(value.shape)}: does {key} return one value per example? "
                    "Reduce it to one number, e.g. with .mean()")
            value = value.item()   # a Python float: no autograd graph, on the CPU
        self.board.draw(x, value, ("train_" if train else "val_") + key,
                        every_n=max(1, int(n)))

    def training_step(self, batch: Sequence[torch.Tensor]) -> torch.Tensor:
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=True)
        return l

    def validation_step(self, batch: Sequence[torch.Tensor]) -> None:
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=False)

    def configure_optimizers(self) -> SGD:
        if not hasattr(self, "lr"):
            raise AttributeError(
                f"{type(self).__name__} has no learning rate: take lr in __init__ "
                "and call save_hyperparameters(), or override configure_optimizers")
        params = list(self.parameters())
        if not params:
            raise ValueError(
                f"{type(self).__name__} has no parameters to train: set self.net in "
                "__init__ or create nn.Parameter attributes there")
        return SGD(params, self.lr)

    def apply_init(self, inputs: Sequence[torch.Tensor],
                   init: Callable[[nn.Module], Any] | None = None) -> None:
        """Run one forward pass (to create lazy parameters), then apply ``init``."""
        if torch.is_tensor(inputs):
            raise TypeError("apply_init takes a list of inputs, e.g. "
                            "model.apply_init([X]), not a tensor")
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)
