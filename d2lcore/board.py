"""ProgressBoard: training curves that update while a model trains (section 3.2.1).

`draw(x, y, label, every_n)` averages every ``every_n`` points of a series and keeps
the averaged points in ``board.data`` (a dict from label to a list of `Point`), so
the history stays available after training.

What it shows depends on who is watching:

* a live Jupyter kernel: one figure, displayed once and then updated in place, with
  redraws throttled so that rendering takes at most ~5 % of the time; the last state
  is always drawn when the cell ends (so a stored notebook holds one final figure);
* a plain script: no figure at all (`Trainer.fit` prints one text line per epoch).
"""
from __future__ import annotations

import base64
import math
import time
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, NamedTuple

from .plotting import in_notebook
from .utils import HyperParameters

__all__ = ["Point", "ProgressBoard"]

_PENDING: "weakref.WeakSet[ProgressBoard]" = weakref.WeakSet()
_HOOKED = False


class Point(NamedTuple):
    """One averaged point of a series."""
    x: float
    y: float


def _flush_pending() -> None:
    for board in list(_PENDING):
        board.flush()


def _hook_cell_end() -> None:
    """Draw every board's final state when a notebook cell finishes."""
    global _HOOKED
    if _HOOKED:
        return
    from IPython import get_ipython
    get_ipython().events.register("post_execute", _flush_pending)
    _HOOKED = True


class ProgressBoard(HyperParameters):
    """The board that plots data points while training runs (section 3.2.1)."""

    #: Redraw at most every this many seconds ...
    min_interval: float = 0.5
    #: ... and never spend more than this fraction of the time rendering.
    max_render_share: float = 0.05

    def __init__(self, xlabel: str | None = None, ylabel: str | None = None,
                 xlim=None, ylim=None, xscale: str = "linear",
                 yscale: str = "linear",
                 ls: Sequence[str] = ("-", "--", "-.", ":"),
                 colors: Sequence[str] = ("C0", "C1", "C2", "C3"),
                 fig=None, axes=None, figsize: tuple[float, float] = (3.5, 2.5),
                 display: bool = True):
        self.save_hyperparameters()
        self.data: dict[str, list[Point]] = OrderedDict()
        self._raw: dict[str, list[Point]] = OrderedDict()
        self._handle = None
        self._handle_cell = None
        self._dirty = False
        self._last_render = -math.inf
        self._render_cost = 0.0
        self.renders = 0

    # -- collecting -----------------------------------------------------------
    def draw(self, x: float, y: Any, label: str, every_n: int = 1) -> None:
        """Add the point ``(x, y)`` to series ``label``; plot the mean of every
        ``every_n`` points. Non-finite values are skipped with a warning."""
        if not isinstance(every_n, int) or isinstance(every_n, bool) or every_n < 1:
            raise ValueError(f"every_n must be a positive int, got {every_n!r}")
        x, y = float(x), float(y)
        if not (math.isfinite(x) and math.isfinite(y)):
            warnings.warn(f"ProgressBoard: skipped non-finite point ({x}, {y}) "
                          f"of series '{label}'", RuntimeWarning, stacklevel=2)
            return
        raw = self._raw.setdefault(label, [])
        points = self.data.setdefault(label, [])
        raw.append(Point(x, y))
        if len(raw) < every_n:
            return
        points.append(Point(sum(p.x for p in raw) / len(raw),
                            sum(p.y for p in raw) / len(raw)))
        raw.clear()
        if self.display and in_notebook():
            self._dirty = True
            _PENDING.add(self)
            _hook_cell_end()
            now = time.perf_counter()
            wait = max(self.min_interval, self._render_cost / self.max_render_share)
            if self._handle is None or self._handle_cell != _cell_number() or now - self._last_render >= wait:
                self.flush()

    def series(self, label: str) -> tuple[list[float], list[float]]:
        """The x and y values plotted so far for ``label``."""
        if label not in self.data:
            raise KeyError(f"no series '{label}'; the board has {list(self.data)}")
        points = self.data[label]
        return [p.x for p in points], [p.y for p in points]

    def latest(self) -> dict[str, float]:
        """The last plotted y value of every series."""
        return {label: pts[-1].y for label, pts in self.data.items() if pts}

    # -- showing --------------------------------------------------------------
    def render(self):
        """Draw all series on the board's figure and return the figure."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        if self.fig is None:
            self.fig = Figure(figsize=self.figsize)
            FigureCanvasAgg(self.fig)
        if self.axes is None:
            self.axes = self.fig.add_subplot()
        axes = self.axes
        axes.cla()
        lines, labels = [], []
        for (label, points), ls, color in zip(
                self.data.items(), _cycle(self.ls), _cycle(self.colors)):
            lines.append(axes.plot([p.x for p in points], [p.y for p in points],
                                   linestyle=ls, color=color)[0])
            labels.append(label)
        if self.xlim:
            axes.set_xlim(self.xlim)
        if self.ylim:
            axes.set_ylim(self.ylim)
        axes.set_xlabel(self.xlabel or "x")
        axes.set_ylabel(self.ylabel or "")
        axes.set_xscale(self.xscale)
        axes.set_yscale(self.yscale)
        if lines:
            axes.legend(lines, labels)
        self.fig.tight_layout()
        return self.fig

    def to_png(self) -> bytes:
        """The board as PNG bytes."""
        import io
        buf = io.BytesIO()
        self.render().savefig(buf, format="png", dpi=100)
        return buf.getvalue()

    def flush(self) -> None:
        """Show the current state now (in a notebook); a no-op elsewhere."""
        _PENDING.discard(self)
        if not (self.display and self._dirty and in_notebook()):
            return
        from IPython.display import display
        start = time.perf_counter()
        bundle = {"image/png": base64.b64encode(self.to_png()).decode("ascii"),
                  "text/plain": "<ProgressBoard figure>"}
        cell = _cell_number()
        if self._handle is None or self._handle_cell != cell:
            self._handle = display(bundle, raw=True, display_id=True)
            self._handle_cell = cell
        else:
            self._handle.update(bundle, raw=True)
        self._last_render = time.perf_counter()
        self._render_cost = self._last_render - start
        self._dirty = False
        self.renders += 1


def _cell_number() -> int | None:
    from IPython import get_ipython
    shell = get_ipython()
    return getattr(shell, "execution_count", None)


def _cycle(items: Sequence[str]):
    while True:
        yield from items
