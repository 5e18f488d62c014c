"""Softmax regression from scratch (section 4.4): a numerically stable softmax,
the cross-entropy loss by indexing, and the model; and the concise model of section
4.5, whose loss is `Classifier`'s cross-entropy on the logits."""

from __future__ import annotations

import torch
from torch import nn

from .classifier import Classifier

__all__ = [
    "softmax",
    "cross_entropy",
    "SoftmaxRegressionScratch",
    "SoftmaxRegression",
]


def softmax(X):
    """Row-wise softmax of the logits X (batch, num_classes).

    Subtracting each row's maximum leaves the result unchanged but keeps
    exp from overflowing for large logits."""
    X_exp = torch.exp(X - X.max(dim=-1, keepdim=True).values)
    partition = X_exp.sum(dim=-1, keepdim=True)  # (batch, 1)
    return X_exp / partition  # broadcasting divides each row by its sum


def cross_entropy(y_hat, y):
    """Mean of -log(y_hat[i, y[i]]) for probabilities y_hat (batch, q) and
    integer labels y (batch,)."""
    return -torch.log(y_hat[torch.arange(len(y_hat)), y]).mean()


class SoftmaxRegressionScratch(Classifier):
    """Softmax regression with its parameters and softmax written by hand."""

    def __init__(self, num_inputs, num_outputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W = nn.Parameter(
            torch.normal(0, sigma, size=(num_inputs, num_outputs))
        )
        self.b = nn.Parameter(torch.zeros(num_outputs))

    def forward(self, X):
        X = X.reshape((-1, self.W.shape[0]))  # (batch, num_inputs)
        return softmax(
            torch.matmul(X, self.W) + self.b
        )  # (batch, num_outputs)

    def loss(self, y_hat, y):
        return cross_entropy(y_hat, y)


class SoftmaxRegression(Classifier):
    """The softmax regression model implemented with high-level APIs."""

    def __init__(self, num_outputs, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_outputs))

    def forward(self, X):
        return self.net(X)  # (batch, num_outputs) logits
