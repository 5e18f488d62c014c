"""Multilayer perceptrons (section 5.2): ReLU and an MLP from scratch, and the
concise MLP built from PyTorch layers."""
from __future__ import annotations

import torch
from torch import nn

from .classifier import Classifier

__all__ = ["relu", "MLPScratch", "MLP"]


def relu(X: torch.Tensor) -> torch.Tensor:
    """max(X, 0) elementwise as X times the indicator of X > 0; its derivative is
    that indicator, so 0 at 0 (as for ``torch.relu``). For finite X only: -inf
    gives nan (-inf * 0), where ``torch.relu`` gives 0."""
    return X * (X > 0)


class MLPScratch(Classifier):
    """An MLP with one hidden layer, its parameters created by hand."""
    def __init__(self, num_inputs: int, num_outputs: int, num_hiddens: int,
                 lr: float, sigma: float = 0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.b1 = nn.Parameter(torch.zeros(num_hiddens))
        self.W2 = nn.Parameter(torch.randn(num_hiddens, num_outputs) * sigma)
        self.b2 = nn.Parameter(torch.zeros(num_outputs))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        X = X.reshape((-1, self.num_inputs))                   # (batch, num_inputs)
        H = relu(torch.matmul(X, self.W1) + self.b1)           # (batch, num_hiddens)
        return torch.matmul(H, self.W2) + self.b2              # (batch, num_outputs)


class MLP(Classifier):
    """The same MLP from PyTorch's layers; input sizes are inferred lazily."""
    def __init__(self, num_outputs: int, num_hiddens: int, lr: float):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_hiddens),
                                 nn.ReLU(), nn.LazyLinear(num_outputs))
