"""The framework-neutral names of the published book's PyTorch edition.

The published chapters write many tensor operations through names that exist in
each framework's edition of the ``d2l`` package (``d2l.reshape``,
``d2l.matmul``, ``d2l.reduce_sum``, ...), so that one text serves MXNet,
PyTorch, TensorFlow and JAX. With ``import d2lcore as d2l`` the same code runs
on PyTorch: each name below stands for one PyTorch call, with that call's
arguments and result.

* Functions and dtypes: ``d2l.zeros`` *is* ``torch.zeros`` (the same object),
  and so on for every entry of `ALIASES` (``d2l.concat`` is ``torch.cat``,
  ``d2l.batch_matmul`` is ``torch.bmm``).
* Tensor methods as functions: ``d2l.reshape(x, shape)`` calls
  ``x.reshape(shape)``, ``d2l.reduce_sum(x, 0)`` calls ``x.sum(0)``, and so on
  for every entry of `METHODS`. They check that ``x`` is a tensor first.
  ``d2l.numpy(x)`` is ``x.detach().cpu().numpy()``: unlike the published
  helper, a tensor on a GPU is copied to the CPU instead of raising an error.

``d2l.nn_Module`` is ``torch.nn.Module`` (the base class of ``d2l.Module``).
"""

from __future__ import annotations

import torch
from torch import nn

#: d2l name -> the name of the torch object it is (``torch.<name>``).
ALIASES: dict[str, str] = {
    name: name
    for name in (
        "ones zeros ones_like zeros_like tensor arange linspace meshgrid eye "
        "normal rand randn sin sinh cos cosh tanh exp log abs sigmoid matmul "
        "stack int32 int64 float32"
    ).split()
} | {"batch_matmul": "bmm", "concat": "cat"}

#: d2l name -> the tensor method it calls on its first argument.
METHODS: dict[str, str] = dict(
    pair.split(":")
    for pair in (
        "reshape:reshape to:to size:numel reduce_sum:sum reduce_mean:mean "
        "argmax:argmax astype:type transpose:t expand_dims:unsqueeze "
        "swapaxes:swapaxes repeat:repeat numpy:numpy"
    ).split()
)


def _call_method(name: str, method: str, x, *args, **kwargs):
    """``x.<method>(*args, **kwargs)``, after checking that ``x`` is a tensor."""
    if not torch.is_tensor(x):
        raise TypeError(
            f"d2l.{name} needs a tensor as its first argument, got "
            f"{type(x).__name__}; convert it first, e.g. "
            f"d2l.{name}(d2l.tensor(x), ...)"
        )
    if name == "numpy":
        x = x.detach().cpu()
    return getattr(x, method)(*args, **kwargs)


# Runs at import, before mutmut can select a mutant: not mutated.
def _tensor_method(name: str, method: str):  # pragma: no mutate block
    """The function ``d2l.<name>``."""

    def call(x, *args, **kwargs):
        return _call_method(name, method, x, *args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``x.{method}(*args, **kwargs)``."
    return call


for _name, _target in ALIASES.items():
    globals()[_name] = getattr(torch, _target)
for _name, _method in METHODS.items():
    globals()[_name] = _tensor_method(_name, _method)
nn_Module = nn.Module

__all__ = [*ALIASES, *METHODS, "nn_Module"]
