"""Utilities for building classes step by step (section 3.2.1).

`add_to_class` lets a chapter define a class in one cell and add methods to it
in later cells; `HyperParameters.save_hyperparameters` turns the arguments of
an ``__init__`` into attributes so that models, data and trainers need no
boilerplate.
"""

from __future__ import annotations

import inspect

__all__ = ["add_to_class", "HyperParameters"]


def add_to_class(Class):
    """Register functions as methods in created class (section 3.2.1)."""

    def wrapper(obj):
        setattr(Class, obj.__name__, obj)
        return obj  # the name defined in the cell stays usable

    return wrapper


class HyperParameters:
    """The base class of hyperparameters (section 3.2.1)."""

    # It reads its caller's frame, so mutmut must not wrap it.
    def save_hyperparameters(self, ignore=()):  # pragma: no mutate block
        """Save the arguments of the calling function (an __init__) as
        attributes and in self.hparams, except `self`, those in `ignore` and
        names starting with _."""
        frame = inspect.currentframe().f_back  # the caller's frame
        info = inspect.getargvalues(frame)
        values = {name: info.locals[name] for name in info.args}
        if info.keywords:  # **kwargs
            values.update(info.locals[info.keywords])
        if "hparams" not in vars(self):
            self.hparams = {}
        for name, value in values.items():
            if name == "self" or name in ignore or name.startswith("_"):
                continue
            setattr(self, name, value)
            self.hparams[name] = value
