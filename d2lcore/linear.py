"""Linear regression from scratch (section 3.4): the model and the squared loss,
trained with the minibatch SGD written from scratch (`d2lcore.optim.SGD`)."""
from __future__ import annotations

import torch
from torch import nn

from ._checks import check_same_shape
from .module import Module
from .optim import SGD

__all__ = ["LinearRegressionScratch"]


class LinearRegressionScratch(Module):
    """The linear regression model implemented from scratch."""
    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.w = nn.Parameter(torch.normal(0, sigma, (num_inputs, 1)))
        self.b = nn.Parameter(torch.zeros(1))

    def forward(self, X):
        return torch.matmul(X, self.w) + self.b     # (batch, 1)

    def loss(self, y_hat, y):
        check_same_shape(y_hat, y)                  # (batch, 1) both
        l = (y_hat - y) ** 2 / 2
        return l.mean()

    def configure_optimizers(self):
        return SGD([self.w, self.b], self.lr)
