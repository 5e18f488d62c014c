"""ProgressBoard: training curves that update while a model trains (section 3.2.1).

`draw(x, y, label, every_n)` averages every ``every_n`` points of a series (from
running sums) and keeps the averaged points in ``board.data`` (a dict from label to
a list of `Point`), so the history stays available after training.

What it shows depends on who is watching:

* a live Jupyter kernel: one figure, displayed and then updated in place. Frames
  are rationed: at least ``min_interval`` seconds apart, and only while the frames
  of the cell, the new one and the final one together take at most
  ``max_render_share`` (3 %) of the time since the cell plotted its first point.
  The first frame thus comes after a few seconds (a shorter fit shows only its
  final figure), and the last state is always drawn when the fit or the cell ends
  (so a stored notebook holds one final figure);
* a plain script: no figure at all (`Trainer.fit` prints one text line per epoch).

A frame is a PNG (100 dpi) of a figure whose axes, lines and legend are made once;
later frames move the lines' data, and the same data always gives the same bytes.
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
    #: ... and spend at most this fraction of a cell's time rendering.
    max_render_share: float = 0.03

    def __init__(self, xlabel: str | None = None, ylabel: str | None = None,
                 xlim=None, ylim=None, xscale: str = "linear",
                 yscale: str = "linear",
                 ls: Sequence[str] = ("-", "--", "-.", ":"),
                 colors: Sequence[str] = ("C0", "C1", "C2", "C3"),
                 fig=None, axes=None, figsize: tuple[float, float] = (3.5, 2.5),
                 display: bool = True):
        self.save_hyperparameters()
        self.data: dict[str, list[Point]] = OrderedDict()
        self._raw: dict[str, tuple[int, float, float]] = {}  # count, sum x, sum y
        self._handle = None
        self._handle_cell = None
        self._dirty = False
        self._cell = self._start = None   # the cell and its first point's time
        self._spent = 0.0                 # seconds spent rendering in that cell
        self._last_render = -math.inf
        self._render_cost = 0.05          # a guess until the first frame is timed
        self._axes_drawn = None
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
        if label not in self._raw:                    # a new series
            self.data.setdefault(label, [])
            self._raw[label] = (0, 0.0, 0.0)
        n, sum_x, sum_y = self._raw[label]
        n, sum_x, sum_y = n + 1, sum_x + x, sum_y + y
        if n < every_n:
            self._raw[label] = (n, sum_x, sum_y)
            return
        self.data.setdefault(label, []).append(Point(sum_x / n, sum_y / n))
        self._raw[label] = (0, 0.0, 0.0)
        if self.display and in_notebook():
            self._dirty = True
            _PENDING.add(self)
            _hook_cell_end()
            now, cell = time.perf_counter(), _cell_number()
            if self._start is None or cell != self._cell:  # a new cell, a new budget
                self._cell, self._start, self._spent = cell, now, 0.0
            # a new frame if it and the final one fit in the share of the time
            if (now - max(self._start, self._last_render) >= self.min_interval and
                    self._spent + 2 * self._render_cost
                    <= self.max_render_share * (now - self._start)):
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
        """Draw all series on the board's figure and return the figure.

        The axes, lines and legend are made once; later calls move the lines' data
        (a new series gets a new line and legend entry), which is much cheaper
        than drawing everything anew and gives the same image for the same data."""
        axes = self._make_axes()
        labels = list(self.data)
        if labels[:len(self._lines)] != list(self._lines):  # a series went away
            for line in self._lines.values():
                line.remove()
            self._lines.clear()
        legend = []
        for (label, points), ls, color in zip(
                self.data.items(), _cycle(self.ls), _cycle(self.colors)):
            if label not in self._lines:
                self._lines[label] = axes.plot([], [])[0]
            line = self._lines[label]
            line.set_data([p.x for p in points], [p.y for p in points])
            line.set_linestyle(ls)
            line.set_color(color)
            legend.append((label, ls, color))
        if axes.get_xscale() != self.xscale:
            axes.set_xscale(self.xscale)
        if axes.get_yscale() != self.yscale:
            axes.set_yscale(self.yscale)
        axes.set_autoscalex_on(not self.xlim)
        axes.set_autoscaley_on(not self.ylim)
        if self.xlim:
            axes.set_xlim(self.xlim)
        if self.ylim:
            axes.set_ylim(self.ylim)
        axes.relim()
        axes.autoscale_view()
        axes.set_xlabel(self.xlabel or "x")
        axes.set_ylabel(self.ylabel or "")
        if legend != self._legend:  # a new series or style: a new legend
            if legend:
                axes.legend(list(self._lines.values()), list(self._lines))
            elif axes.get_legend() is not None:
                axes.get_legend().remove()
            self._legend = legend
        self.fig.subplots_adjust(**self._subplotpars)  # lay out from the same start
        self.fig.tight_layout()
        self.fig.set_layout_engine("none")  # laid out: savefig need not do it again
        return self.fig

    def _make_axes(self):
        """The board's axes; the figure and axes are made on first use."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        if self.fig is None and self.axes is not None:  # axes given: their figure
            self.fig = self.axes.figure
        if self.fig is None:
            self.fig = Figure(figsize=self.figsize, dpi=100)
            FigureCanvasAgg(self.fig)
        if self.axes is None:
            self.axes = self.fig.add_subplot()
        if self._axes_drawn is not self.axes:  # new axes: new lines and legend
            self._axes_drawn, self._lines, self._legend = self.axes, {}, []
            pars = self.fig.subplotpars
            self._subplotpars = {k: getattr(pars, k) for k in
                                 ("left", "right", "bottom", "top", "wspace", "hspace")}
        return self.axes

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
        self._spent += self._render_cost
        self._dirty = False
        self.renders += 1


def _cell_number() -> int | None:
    from IPython import get_ipython
    shell = get_ipython()
    return getattr(shell, "execution_count", None)


def _cycle(items: Sequence[str]):
    while True:
        yield from items
