"""Numerical stability and initialization (section 5.4): Xavier
initialization for `Module.apply_init`, and the per-layer scale of activations
and gradients."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["init_xavier", "layer_stds"]


def init_xavier(module):
    """Xavier-uniform weights and zero biases for every linear layer."""
    if isinstance(module, nn.Linear):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)


def layer_stds(net, X):
    """The standard deviation of each linear layer's output in `net` (an
    nn.Sequential) for the batch `X`, and of the gradient that reaches it when
    a gradient of standard normal noise enters at the top."""
    outputs, H = [], X
    for layer in net:
        H = layer(H)
        if isinstance(layer, nn.Linear):
            outputs.append(H)
    grads = torch.autograd.grad(H, outputs, torch.randn_like(H))
    return ([O.std().item() for O in outputs], [G.std().item() for G in grads])
