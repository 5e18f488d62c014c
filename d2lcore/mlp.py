"""Multilayer perceptrons (section 5.2): ReLU and an MLP from scratch, and the
concise MLP built from PyTorch layers."""

from __future__ import annotations

import torch
from torch import nn

from .classifier import Classifier

__all__ = ["relu", "MLPScratch", "MLP"]


def relu(X):
    """max(X, 0), elementwise."""
    a = torch.zeros_like(X)
    return torch.max(X, a)


class MLPScratch(Classifier):
    """An MLP with one hidden layer, its parameters created by hand."""

    def __init__(self, num_inputs, num_outputs, num_hiddens, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.b1 = nn.Parameter(torch.zeros(num_hiddens))
        self.W2 = nn.Parameter(torch.randn(num_hiddens, num_outputs) * sigma)
        self.b2 = nn.Parameter(torch.zeros(num_outputs))

    def forward(self, X):
        X = X.reshape((-1, self.num_inputs))  # (batch, num_inputs)
        H = relu(torch.matmul(X, self.W1) + self.b1)  # (batch, num_hiddens)
        return torch.matmul(H, self.W2) + self.b2  # (batch, num_outputs)


class MLP(Classifier):
    """The same MLP from PyTorch's layers; input sizes are inferred lazily."""

    def __init__(self, num_outputs, num_hiddens, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.LazyLinear(num_hiddens),
            nn.ReLU(),
            nn.LazyLinear(num_outputs),
        )
