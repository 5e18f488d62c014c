"""ProgressBoard: training curves that update while a model trains (3.2.1).

`draw(x, y, label, every_n)` averages every ``every_n`` points of a series and
keeps the averaged points in ``board.data`` (a dict from label to a list of
`Point`), so the history stays available after training. `render` draws them
with plain matplotlib. In a notebook the board is one figure updated in place
(`d2l.LiveFigure`); in a script it shows nothing and `print_progress` prints.
"""

from __future__ import annotations

from collections import namedtuple
from itertools import cycle
from statistics import fmean

from matplotlib.figure import Figure

from ._display import LiveFigure, in_notebook
from .utils import HyperParameters

__all__ = ["Point", "ProgressBoard"]


Point = namedtuple("Point", ["x", "y"])  # one averaged point of a series


class ProgressBoard(HyperParameters):
    """The board that plots data points in animation (section 3.2.1)."""

    def __init__(
        self,
        xlabel=None,
        ylabel=None,
        xlim=None,
        ylim=None,
        xscale="linear",
        yscale="linear",
        ls=("-", "--", "-.", ":"),
        colors=("C0", "C1", "C2", "C3"),
        fig=None,
        axes=None,
        figsize=(3.5, 2.5),
        display=True,
    ):
        self.save_hyperparameters()
        self.data = {}  # label -> list of averaged Points
        self.raw = {}  # label -> the Points not averaged yet
        self.live = LiveFigure(self.render)  # one figure, updated in place

    def draw(self, x, y, label, every_n=1):
        """Add (x, y) to series `label`; plot the mean of every `every_n`."""
        x, y = float(x), float(y)
        if self.data.get(label) and x < self.data[label][-1].x:
            self.data, self.raw = {}, {}  # x went back: a new fit
        raw = self.raw.setdefault(label, [])
        raw.append(Point(x, y))
        if len(raw) < every_n:
            return
        points = self.data.setdefault(label, [])
        points.append(Point(fmean(p.x for p in raw), fmean(p.y for p in raw)))
        raw.clear()
        if self.display and len(points) > 1:  # a line needs two points
            self.live.update()  # in a notebook: a new frame when one is due

    def render(self):
        """Draw every series on the board's axes and return the figure."""
        if self.axes is None:
            self.fig = self.fig or Figure(figsize=self.figsize)
            self.axes = self.fig.add_subplot()
            self.axes.set(xscale=self.xscale, yscale=self.yscale)
        ax = self.axes
        for line in list(ax.lines):  # remove the last frame's lines
            line.remove()
        styles = zip(cycle(self.ls), cycle(self.colors))
        for (label, pts), (ls, color) in zip(self.data.items(), styles):
            xs, ys = [p.x for p in pts], [p.y for p in pts]
            ax.plot(xs, ys, linestyle=ls, color=color, label=label)
        ax.relim()  # the limits of the data now on the axes
        if self.xlim:
            ax.set_xlim(self.xlim)
        if self.ylim:
            ax.set_ylim(self.ylim)
        # y label: what the series measure, e.g. "loss" for train_loss
        names = [
            k.removeprefix("train_").removeprefix("val_") for k in self.data
        ]
        ax.set_xlabel(self.xlabel or "x")
        ax.set_ylabel(self.ylabel or ", ".join(dict.fromkeys(names)))
        if self.data:  # in one row above the axes, where it hides no curve
            ax.legend(
                loc="lower center",
                bbox_to_anchor=(0.5, 1),
                ncol=4,
                frameon=False,
            )
        return ax.figure

    def flush(self):
        """Show the current state now (in a notebook); a no-op elsewhere."""
        self.live.flush()

    def print_progress(self, epoch, max_epochs):
        """In a script, where no figure shows, print the latest values."""
        if self.display and not in_notebook():
            latest = self.latest().items()
            values = "  ".join(f"{k} {v:.4f}" for k, v in latest)
            print(f"epoch {epoch}/{max_epochs}  {values}", flush=True)

    def series(self, label):
        """The x and y values plotted so far for `label`."""
        points = self.data[label]
        return [p.x for p in points], [p.y for p in points]

    def latest(self):
        """The last plotted y value of every series."""
        return {label: points[-1].y for label, points in self.data.items()}
