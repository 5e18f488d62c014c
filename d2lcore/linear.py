"""Linear regression from scratch (section 3.4): the model, the squared loss and
minibatch stochastic gradient descent."""
from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from .module import Module
from .utils import HyperParameters

__all__ = ["SGD", "LinearRegressionScratch"]


class SGD(HyperParameters):
    """Minibatch stochastic gradient descent."""
    def __init__(self, params: Iterable[torch.Tensor], lr: float):
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
            if param.grad is not None:
                param.grad.zero_()


class LinearRegressionScratch(Module):
    """The linear regression model implemented from scratch."""
    def __init__(self, num_inputs: int, lr: float, sigma: float = 0.01):
        super().__init__()
        self.save_hyperparameters()
        self.w = nn.Parameter(torch.normal(0, sigma, (num_inputs, 1)))
        self.b = nn.Parameter(torch.zeros(1))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return torch.matmul(X, self.w) + self.b                # (batch, 1)

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        l = (y_hat - y) ** 2 / 2
        return l.mean()

    def configure_optimizers(self) -> SGD:
        return SGD([self.w, self.b], self.lr)
