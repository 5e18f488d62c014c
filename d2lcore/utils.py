"""Utilities for building classes step by step (book section 3.2.1).

`add_to_class` lets a chapter define a class in one cell and add methods to it in
later cells; `HyperParameters.save_hyperparameters` turns the arguments of an
``__init__`` into attributes so that models, data and trainers need no boilerplate.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from torch import nn

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["add_to_class", "HyperParameters"]


def add_to_class(Class: type) -> Callable[[F], F]:
    """Register the decorated function as a method of ``Class`` (section 3.2.1).

    The function is returned unchanged, so the name stays usable in the cell.
    """
    if not isinstance(Class, type):
        raise TypeError(
            f"add_to_class expects a class, got {type(Class).__name__}; "
            "write @add_to_class(MyClass), not @add_to_class(my_object)")

    def wrapper(obj: F) -> F:
        setattr(Class, obj.__name__, obj)
        return obj
    return wrapper


class HyperParameters:
    """Base class whose ``__init__`` arguments become attributes (section 3.2.1)."""

    def save_hyperparameters(self, ignore: Iterable[str] = ()) -> None:
        """Save the arguments of the calling ``__init__`` as attributes.

        Every argument (defaults included) except ``self``, the names in ``ignore``
        and names starting with ``_`` is set with ``setattr`` and recorded in the
        dict ``self.hparams``. Call it from ``__init__``, after ``super().__init__()``.
        """
        if isinstance(ignore, str):
            ignore = [ignore]
        frame = inspect.currentframe().f_back  # the caller's frame
        info = inspect.getargvalues(frame)
        if frame.f_code.co_name != "__init__" or info.locals.get("self") is not self:
            raise RuntimeError(
                "save_hyperparameters() must be called inside the __init__ of the "
                f"object whose arguments it saves (it was called from "
                f"'{frame.f_code.co_name}')")
        values = {name: info.locals[name] for name in info.args}
        if info.keywords:
            values.update(info.locals[info.keywords])
        unknown = sorted(set(ignore) - set(values))
        if unknown:
            raise ValueError(
                f"ignore={unknown} names no argument of __init__; "
                f"the arguments are {sorted(k for k in values if k != 'self')}")
        if isinstance(self, nn.Module) and "_parameters" not in vars(self):
            raise RuntimeError(f"{type(self).__name__}.__init__ must call "
                               "super().__init__() before save_hyperparameters()")
        if "hparams" not in vars(self):
            self.hparams = {}
        for name, value in values.items():
            if name == "self" or name in ignore or name.startswith("_"):
                continue
            setattr(self, name, value)
            self.hparams[name] = value
