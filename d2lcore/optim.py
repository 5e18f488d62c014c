"""Minibatch stochastic gradient descent, written from scratch (section 3.4.3).

Every model of the book trains with it: `LinearRegressionScratch` hands it its two
parameters, and `Module.configure_optimizers` hands it all of a model's parameters.
It performs the same update as ``torch.optim.SGD`` without momentum, with less
bookkeeping per step.
"""
from __future__ import annotations

from collections.abc import Iterable

import torch

from .utils import HyperParameters

__all__ = ["SGD"]


class SGD(HyperParameters):
    """Minibatch stochastic gradient descent."""
    def __init__(self, params: Iterable[torch.Tensor], lr: float):
        if torch.is_tensor(params):
            raise TypeError("SGD takes a list of parameters, e.g. "
                            "SGD([self.w, self.b], lr), not a single tensor")
        params = list(params)
        if not params:
            raise ValueError("SGD got an empty list of parameters")
        if not lr > 0:
            raise ValueError(f"the learning rate lr must be > 0, got {lr!r}")
        self.save_hyperparameters()

    def step(self) -> None:
        with torch.no_grad():
            for param in self.params:
                if param.grad is not None:
                    param -= self.lr * param.grad

    def zero_grad(self) -> None:
        for param in self.params:
            param.grad = None  # the next backward() stores fresh gradients
