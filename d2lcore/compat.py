"""The framework-neutral names of the published book's PyTorch edition.

The published chapters write many tensor operations through names that exist in
each framework's edition of the ``d2l`` package (``d2l.reshape``, ``d2l.matmul``,
``d2l.reduce_sum``, ...), so that one text serves MXNet, PyTorch, TensorFlow and
JAX. With ``import d2lcore as d2l`` the same code runs on PyTorch: each name below
stands for one PyTorch call, with that call's arguments and result.

* Functions and dtypes: ``d2l.zeros`` *is* ``torch.zeros`` (the same object), and
  so on for every entry of `ALIASES` (``d2l.concat`` is ``torch.cat``,
  ``d2l.batch_matmul`` is ``torch.bmm``).
* Tensor methods as functions: ``d2l.reshape(x, shape)`` calls
  ``x.reshape(shape)``, ``d2l.reduce_sum(x, 0)`` calls ``x.sum(0)``, and so on for
  every entry of `METHODS`. They check that ``x`` is a tensor first.

``d2l.nn_Module`` is ``torch.nn.Module`` (the base class of ``d2l.Module``).
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

# Functions and dtypes: the very torch objects.
ones, zeros = torch.ones, torch.zeros
ones_like, zeros_like = torch.ones_like, torch.zeros_like
tensor = torch.tensor
arange, linspace, meshgrid, eye = torch.arange, torch.linspace, torch.meshgrid, torch.eye
normal, rand, randn = torch.normal, torch.rand, torch.randn
sin, sinh, cos, cosh, tanh = torch.sin, torch.sinh, torch.cos, torch.cosh, torch.tanh
exp, log, abs, sigmoid = torch.exp, torch.log, torch.abs, torch.sigmoid
matmul, batch_matmul = torch.matmul, torch.bmm
concat, stack = torch.cat, torch.stack
int32, int64, float32 = torch.int32, torch.int64, torch.float32
nn_Module = nn.Module

#: d2l name -> the name of the torch object it is (``torch.<name>``).
ALIASES: dict[str, str] = {
    "ones": "ones", "zeros": "zeros", "ones_like": "ones_like",
    "zeros_like": "zeros_like", "tensor": "tensor", "arange": "arange",
    "linspace": "linspace", "meshgrid": "meshgrid", "eye": "eye",
    "normal": "normal", "rand": "rand", "randn": "randn", "sin": "sin",
    "sinh": "sinh", "cos": "cos", "cosh": "cosh", "tanh": "tanh", "exp": "exp",
    "log": "log", "abs": "abs", "sigmoid": "sigmoid", "matmul": "matmul",
    "batch_matmul": "bmm", "concat": "cat", "stack": "stack", "int32": "int32",
    "int64": "int64", "float32": "float32",
}

#: d2l name -> the tensor method it calls on its first argument.
METHODS: dict[str, str] = {
    "reshape": "reshape", "to": "to", "size": "numel",
    "reduce_sum": "sum", "reduce_mean": "mean", "argmax": "argmax",
    "astype": "type", "transpose": "t", "expand_dims": "unsqueeze",
    "swapaxes": "swapaxes", "repeat": "repeat", "numpy": "numpy",
}


def _check_tensor(name: str, x: Any) -> None:
    if not torch.is_tensor(x):
        raise TypeError(
            f"d2l.{name} needs a tensor as its first argument, got "
            f"{type(x).__name__}; convert it first, e.g. d2l.{name}(d2l.tensor(x), "
            "...)")


def reshape(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.reshape(*args, **kwargs)``: ``x`` with a new shape."""
    _check_tensor("reshape", x)
    return x.reshape(*args, **kwargs)


def to(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.to(*args, **kwargs)``: ``x`` on another device or with another dtype."""
    _check_tensor("to", x)
    return x.to(*args, **kwargs)


def size(x: torch.Tensor, *args, **kwargs) -> int:
    """``x.numel()``: the number of elements of ``x``."""
    _check_tensor("size", x)
    return x.numel(*args, **kwargs)


def reduce_sum(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.sum(*args, **kwargs)``, e.g. ``reduce_sum(X, 1, keepdims=True)``."""
    _check_tensor("reduce_sum", x)
    return x.sum(*args, **kwargs)


def reduce_mean(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.mean(*args, **kwargs)``."""
    _check_tensor("reduce_mean", x)
    return x.mean(*args, **kwargs)


def argmax(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.argmax(*args, **kwargs)``, e.g. ``argmax(Y_hat, axis=1)``."""
    _check_tensor("argmax", x)
    return x.argmax(*args, **kwargs)


def astype(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.type(*args, **kwargs)``: ``x`` converted to another dtype."""
    _check_tensor("astype", x)
    return x.type(*args, **kwargs)


def transpose(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.t()``: the transpose of a matrix (or ``x`` itself for 0-D and 1-D)."""
    _check_tensor("transpose", x)
    return x.t(*args, **kwargs)


def expand_dims(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.unsqueeze(*args, **kwargs)``: ``x`` with a new axis of length 1."""
    _check_tensor("expand_dims", x)
    return x.unsqueeze(*args, **kwargs)


def swapaxes(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.swapaxes(*args, **kwargs)``: ``x`` with two axes exchanged."""
    _check_tensor("swapaxes", x)
    return x.swapaxes(*args, **kwargs)


def repeat(x: torch.Tensor, *args, **kwargs) -> torch.Tensor:
    """``x.repeat(*args, **kwargs)``: ``x`` tiled along each axis."""
    _check_tensor("repeat", x)
    return x.repeat(*args, **kwargs)


def numpy(x: torch.Tensor, *args, **kwargs):
    """``x.detach().cpu().numpy(*args, **kwargs)``: a NumPy array of ``x``'s values.

    Unlike the published helper (``x.detach().numpy()``), a tensor on a GPU is
    copied to the CPU first instead of raising an error."""
    _check_tensor("numpy", x)
    return x.detach().cpu().numpy(*args, **kwargs)


__all__ = [*ALIASES, *METHODS, "nn_Module"]
