"""ProgressBoard: training curves that update while a model trains (section 3.2.1).

`draw(x, y, label, every_n)` averages every ``every_n`` points of a series and keeps
the averaged points in ``board.data`` (a dict from label to a list of `Point`), so
the history stays available after training. In a notebook the board shows one
figure, updated in place and throttled; in a script it shows nothing (see
`d2lcore._display`).
"""
from __future__ import annotations

from collections import namedtuple
from itertools import cycle

from ._checks import check_finite_point, check_positive_int
from ._display import (LiveFigure, draw_lines, lay_out, new_figure, png_bytes,
                       set_axes_once, ylabel_of)
from .utils import HyperParameters

__all__ = ["Point", "ProgressBoard"]


Point = namedtuple("Point", ["x", "y"])  # one averaged point of a series


class ProgressBoard(HyperParameters):
    """The board that plots data points in animation (section 3.2.1)."""
    def __init__(self, xlabel=None, ylabel=None, xlim=None, ylim=None,
                 xscale="linear", yscale="linear", ls=("-", "--", "-.", ":"),
                 colors=("C0", "C1", "C2", "C3"), fig=None, axes=None,
                 figsize=(3.5, 2.5), display=True):
        self.save_hyperparameters()
        self.data = {}   # label -> list of averaged Points
        self._raw = {}   # label -> (count, sum of x, sum of y) since its last Point
        self._live = LiveFigure(self.to_png, "<ProgressBoard figure>")

    def draw(self, x, y, label, every_n=1):
        """Add (x, y) to series `label`; plot the mean of every `every_n` points."""
        check_positive_int("every_n", every_n)
        x, y = float(x), float(y)
        if not check_finite_point(label, x, y):
            return
        if self.data.get(label) and x < self.data[label][-1].x:
            self.data, self._raw = {}, {}  # x went back: a new fit, a fresh board
        points = self.data.setdefault(label, [])
        n, sum_x, sum_y = self._raw.get(label, (0, 0.0, 0.0))
        n, sum_x, sum_y = n + 1, sum_x + x, sum_y + y
        if n < every_n:
            self._raw[label] = (n, sum_x, sum_y)
            return
        points.append(Point(sum_x / n, sum_y / n))
        self._raw[label] = (0, 0.0, 0.0)
        if self.display:
            self._live.changed()  # in a notebook: a new frame when time allows

    def render(self):
        """Draw every series on the board's axes and return the figure."""
        if self.axes is None:
            self.axes = (self.fig or new_figure(self.figsize)).add_subplot()
        self.fig = self.axes.figure
        series = {label: ([p.x for p in points], [p.y for p in points])
                  for label, points in self.data.items()}
        draw_lines(self.axes, series, zip(cycle(self.ls), cycle(self.colors)))
        set_axes_once(self.axes, self.xlabel or "x", self.ylabel or ylabel_of(series),
                      self.xlim, self.ylim, self.xscale, self.yscale)
        lay_out(self.fig)
        return self.fig

    def to_png(self, dpi=100):
        """The board as PNG bytes."""
        return png_bytes(self.render(), dpi)

    def flush(self):
        """Show the current state now (in a notebook); a no-op elsewhere."""
        self._live.flush()

    def series(self, label):
        """The x and y values plotted so far for `label`."""
        if label not in self.data:
            raise KeyError(f"no series '{label}'; the board has {list(self.data)}")
        return [p.x for p in self.data[label]], [p.y for p in self.data[label]]

    def latest(self):
        """The last plotted y value of every series."""
        return {label: points[-1].y for label, points in self.data.items() if points}
