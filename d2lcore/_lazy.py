"""Optional dependencies imported on first use.

``pd = LazyModule("pandas", "the Kaggle house-price data (section 5.7)")`` lets a
module write ``pd.read_csv(...)`` as a chapter does, while ``import d2lcore`` still
works without pandas; using ``pd`` without pandas installed says what needs it and
how to install it.
"""

from __future__ import annotations

import importlib


class LazyModule:
    """A stand-in for a module, imported when one of its attributes is used."""

    def __init__(self, name: str, needed_by: str):
        self._name, self._needed_by = name, needed_by

    def __getattr__(self, attr):
        try:
            module = importlib.import_module(self._name)
        except ImportError as err:
            raise ImportError(
                f"{self._needed_by} needs the package {self._name}, which is not "
                f"installed: pip install {self._name}"
            ) from err
        return getattr(module, attr)
