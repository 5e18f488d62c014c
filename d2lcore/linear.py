"""Linear regression, from scratch (section 3.4) and with PyTorch's layer, loss and
optimizer (section 3.5).

The scratch model's optimizer, minibatch stochastic gradient descent (`SGD`), lives
in `optim`."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .module import Module
from .optim import SGD

__all__ = ["LinearRegressionScratch", "LinearRegression"]


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


class LinearRegression(Module):
    """The linear regression model implemented with high-level APIs."""
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)

    def forward(self, X):
        return self.net(X)                          # (batch, 1)

    def loss(self, y_hat, y):
        if y_hat.shape != y.shape:
            raise ValueError(f"y_hat has shape {tuple(y_hat.shape)} but y has shape "
                             f"{tuple(y.shape)}: give y the shape of the predictions, "
                             "e.g. y.reshape(-1, 1)")
        return F.mse_loss(y_hat, y)                 # mean of (y_hat - y)**2, no 1/2

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self):
        """The learned weights (1, num_inputs) and bias (1,)."""
        if isinstance(self.net.weight, nn.parameter.UninitializedParameter):
            raise RuntimeError("the model has no weights yet: nn.LazyLinear creates "
                               "them at the first batch; train the model (or call "
                               "model(X)) first")
        return self.net.weight.data, self.net.bias.data
