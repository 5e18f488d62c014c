"""Regularization: weight decay (section 3.7) and dropout (section 5.6).

Weight decay adds an l2 penalty on the weights to the loss (from scratch) or
lets the optimizer shrink the weights at every step (concise). Dropout zeroes
hidden activations at random during training and rescales the survivors, so
that the expectation of each activation stays the same.
"""

from __future__ import annotations

import torch
from torch import nn

from .classifier import Classifier
from .linear import LinearRegression, LinearRegressionScratch

__all__ = [
    "l2_penalty",
    "WeightDecayScratch",
    "WeightDecay",
    "dropout_layer",
    "DropoutMLPScratch",
    "DropoutMLP",
]


def l2_penalty(w):
    """Half the squared l2 norm of w: the sum of its squares, divided by 2."""
    return torch.sum(w**2) / 2


class WeightDecayScratch(LinearRegressionScratch):
    """Scratch linear regression, its loss plus lambd * l2_penalty(w)."""

    def __init__(self, num_inputs, lambd, lr, sigma=0.01):
        super().__init__(num_inputs, lr, sigma)
        self.save_hyperparameters()

    def loss(self, y_hat, y):
        return super().loss(y_hat, y) + self.lambd * l2_penalty(self.w)


class WeightDecay(LinearRegression):
    """Concise linear regression; weight decay on the weight, not the bias."""

    def __init__(self, wd, lr):
        super().__init__(lr)
        self.save_hyperparameters()

    def configure_optimizers(self):
        return torch.optim.SGD(
            [
                {'params': [self.net.weight], 'weight_decay': self.wd},
                {'params': [self.net.bias]},
            ],
            lr=self.lr,
        )


def dropout_layer(X, dropout):
    """Zero each element of X with probability dropout and scale the others
    by 1 / (1 - dropout), so that the expectation stays X."""
    if not 0 <= dropout <= 1:
        raise ValueError(
            f'dropout must be a probability in [0, 1], got {dropout}'
        )
    if dropout == 1:
        return torch.zeros_like(X)
    # uniform in [0, 1): each element is kept with probability 1 - dropout
    mask = (torch.rand(X.shape, device=X.device) >= dropout).float()
    return mask * X / (1.0 - dropout)


class DropoutMLPScratch(Classifier):
    """An MLP with two hidden layers and our dropout_layer after each."""

    def __init__(
        self,
        num_outputs,
        num_hiddens_1,
        num_hiddens_2,
        dropout_1,
        dropout_2,
        lr,
    ):
        super().__init__()
        self.save_hyperparameters()
        self.lin1 = nn.LazyLinear(num_hiddens_1)
        self.lin2 = nn.LazyLinear(num_hiddens_2)
        self.lin3 = nn.LazyLinear(num_outputs)
        self.relu = nn.ReLU()

    def forward(self, X):
        H1 = self.relu(self.lin1(X.reshape((X.shape[0], -1))))
        if self.training:  # model.train(): drop units; model.eval(): not
            H1 = dropout_layer(H1, self.dropout_1)
        H2 = self.relu(self.lin2(H1))
        if self.training:
            H2 = dropout_layer(H2, self.dropout_2)
        return self.lin3(H2)


class DropoutMLP(Classifier):
    """The same MLP from PyTorch's layers, nn.Dropout after each ReLU."""

    def __init__(
        self,
        num_outputs,
        num_hiddens_1,
        num_hiddens_2,
        dropout_1,
        dropout_2,
        lr,
    ):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.LazyLinear(num_hiddens_1),
            nn.ReLU(),
            nn.Dropout(dropout_1),
            nn.LazyLinear(num_hiddens_2),
            nn.ReLU(),
            nn.Dropout(dropout_2),
            nn.LazyLinear(num_outputs),
        )
