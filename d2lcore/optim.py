"""Minibatch stochastic gradient descent, written from scratch (section 3.4.3).

`LinearRegressionScratch` trains with it; the other models use PyTorch's
``torch.optim.SGD`` (the default of `Module.configure_optimizers`), which performs
the same update.
"""

from __future__ import annotations

import torch

from .utils import HyperParameters

__all__ = ["SGD"]


class SGD(HyperParameters):
    """Minibatch stochastic gradient descent."""

    def __init__(self, params, lr):
        self.save_hyperparameters()

    def step(self):
        with torch.no_grad():
            for param in self.params:
                param -= self.lr * param.grad

    def zero_grad(self):
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()
