"""Linear regression, from scratch (section 3.4) and with PyTorch's layer, loss and
optimizer (section 3.5).

The scratch model trains with the minibatch SGD written from scratch
(`d2lcore.optim.SGD`), the concise one with ``torch.optim.SGD``."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .module import Module
from .optim import SGD

__all__ = ["LinearRegressionScratch", "LinearRegression"]


class LinearRegressionScratch(Module):
    """The linear regression model implemented from scratch."""

    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.w = nn.Parameter(torch.normal(0, sigma, (num_inputs, 1)))
        self.b = nn.Parameter(torch.zeros(1))

    def forward(self, X):
        return torch.matmul(X, self.w) + self.b  # (batch, 1)

    def loss(self, y_hat, y):
        l = (y_hat - y) ** 2 / 2
        return l.mean()

    def configure_optimizers(self):
        return SGD([self.w, self.b], self.lr)


class LinearRegression(Module):
    """The linear regression model implemented with high-level APIs."""

    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)

    def forward(self, X):
        return self.net(X)  # (batch, 1)

    def loss(self, y_hat, y):
        return F.mse_loss(y_hat, y)  # mean of (y_hat - y)**2, no 1/2

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self):
        """The learned weights (1, num_inputs) and bias (1,)."""
        return self.net.weight.data, self.net.bias.data
