"""Module: the base class of every model in the book (section 3.2.2).

A model keeps its network (``self.net``) or its own parameters, defines
``loss``, and plots training and validation metrics on its `ProgressBoard`
through `plot`. Its default optimizer is ``torch.optim.SGD`` (section 4.3).
"""

from __future__ import annotations

import torch
from torch import nn

from .board import ProgressBoard
from .utils import HyperParameters

__all__ = ["Module"]


class Module(nn.Module, HyperParameters):
    """The base class of models (section 3.2.2)."""

    def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()
        self.trainer = None

    def loss(self, y_hat, y):
        raise NotImplementedError(
            f"{type(self).__name__} must define loss(self, y_hat, y)"
        )

    def forward(self, X):
        return self.net(X)

    def plot(self, key, value, train):
        """Plot a point in animation: the x axis counts epochs."""
        self.board.xlabel = "epoch"
        if train:
            x = self.trainer.train_batch_idx / self.trainer.num_train_batches
            n = self.trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = self.trainer.epoch + 1
            n = self.trainer.num_val_batches / self.plot_valid_per_epoch
        self.board.draw(
            x,
            value.item(),  # a Python number, detached from the graph
            ("train_" if train else "val_") + key,
            every_n=max(1, int(n)),
        )

    def training_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=True)
        return l

    def validation_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=False)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)

    def apply_init(self, inputs, init=None):
        """Run one forward pass (to create lazy parameters), then apply
        `init`."""
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)
