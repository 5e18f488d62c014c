"""Linear regression from scratch (section 3.4): the model and the squared loss.

Its optimizer, minibatch stochastic gradient descent (`SGD`), lives in `optim`."""
from __future__ import annotations

import torch
from torch import nn

from .module import Module
from .optim import SGD

__all__ = ["LinearRegressionScratch"]


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
        if y_hat.shape != y.shape:
            raise ValueError(f"y_hat has shape {tuple(y_hat.shape)} but y has shape "
                             f"{tuple(y.shape)}: give y the shape of the predictions, "
                             "e.g. y.reshape(-1, 1)")
        l = (y_hat - y) ** 2 / 2                               # (batch, 1)
        return l.mean()

    def configure_optimizers(self) -> SGD:
        return SGD([self.w, self.b], self.lr)
