"""Showing a figure while code runs: the display plumbing behind `ProgressBoard`.

What a board shows depends on who is watching:

* a live Jupyter kernel: one output, displayed once and then updated in place
  (`LiveFigure`). The first frame comes with the first point plotted once the cell
  has run for 0.3 s (so a fit shows its first points as soon as it has them, and a
  short loop only its final state); later frames are rationed: at least
  ``min_interval`` seconds apart while the frames of the cell, the new one and the
  final one together take at most ``max_render_share`` (3 %) of the cell's time,
  and at least every ``refresh`` (2) seconds. The last state is always drawn when
  the fit or the cell ends (a hook on IPython's ``post_execute``), so a stored
  notebook holds one final figure;
* a plain script: no figure at all; `print_progress` prints one line per epoch.

A frame is a PNG of a figure whose lines are made once and later moved to their new
data (`draw_lines`), and the same data always gives the same bytes. Frames shown
while the cell runs are drawn at 100 dpi (cheap); the final one at 200 dpi with the
100-dpi size as its display size, sharp on high-density ("retina") screens.
`notebook_setup` (run by ``import d2lcore``) does the same for matplotlib's own
inline figures and notes when each cell starts.
This module knows nothing of boards: it is handed a figure, or a function that
makes the PNG.
"""
from __future__ import annotations

import base64
import io
import struct
import time
import weakref
from collections.abc import Callable, Iterable

__all__ = ["in_notebook", "notebook_setup", "retina_inline_figures", "LiveFigure",
           "new_figure", "draw_lines", "set_axes_once", "ylabel_of", "lay_out",
           "png_bytes", "png_size", "print_progress"]

#: dots per inch of the frames shown while a cell runs, and of the final frame
LIVE_DPI, FINAL_DPI = 100, 200

_PENDING: "weakref.WeakSet[LiveFigure]" = weakref.WeakSet()
_HOOKED = False
_CELL_START: float | None = None   # when the running cell started (pre_execute)
_LIVE_FRAME = False                # making a frame shown while the cell runs
# What this module remembers of the axes and figures it drew, for as long as they live:
_LINES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()    # axes -> lines
_LEGENDS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # axes -> legend
_FIRST_PARS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # fig -> pars


def in_notebook() -> bool:
    """True when running in a Jupyter kernel (a notebook, nbval, a book build)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def notebook_setup() -> None:
    """In a notebook: sharp inline figures (`retina_inline_figures`), and a note of
    when each cell starts, from which a board times its first frame."""
    global _CELL_START
    if not in_notebook() or _CELL_START is not None:
        return
    from IPython import get_ipython
    get_ipython().events.register("pre_execute", _note_cell_start)
    _note_cell_start()           # the cell that imports d2lcore
    retina_inline_figures()


def _note_cell_start() -> None:
    global _CELL_START
    _CELL_START = time.perf_counter()


def retina_inline_figures() -> None:
    """In a notebook, let matplotlib's inline backend show figures as PNGs with twice
    the pixels at the same size on the page, unless other formats were chosen."""
    if not in_notebook():
        return
    from IPython import get_ipython
    from IPython.core.pylabtools import select_figure_formats
    from matplotlib_inline.config import InlineBackend
    cfg = InlineBackend.instance()
    if cfg.figure_formats == {"png"}:              # the default: nobody chose
        cfg.figure_formats = {"retina"}            # for when the backend starts
        select_figure_formats(get_ipython(), {"retina"}, **cfg.print_figure_kwargs)


def _cell_number() -> int | None:
    from IPython import get_ipython
    return getattr(get_ipython(), "execution_count", None)


def _flush_pending() -> None:
    for live in list(_PENDING):
        live.flush()


def _hook_cell_end() -> None:
    """Draw every pending figure's final state when a notebook cell finishes."""
    global _HOOKED
    if _HOOKED:
        return
    from IPython import get_ipython
    get_ipython().events.register("post_execute", _flush_pending)
    _HOOKED = True


class LiveFigure:
    """One image output of a notebook cell, updated in place as data arrives.

    ``make_png(dpi)`` returns the current image; `changed` says there is something
    new (and shows it at ``LIVE_DPI`` when the time budget allows), `flush` shows the
    final state now at ``FINAL_DPI``. Outside a notebook both do nothing."""

    #: The first frame once the cell has run for this long (a fit shows its first
    #: points as soon as it has them; a short loop only its final state) ...
    first_frame_after: float = 0.3
    #: ... then a redraw at most every ``min_interval`` seconds while the frames of
    #: the cell, the new one and the final one take at most ``max_render_share`` of
    #: its time ...
    min_interval: float = 0.5
    max_render_share: float = 0.03
    #: ... and at least every ``refresh`` seconds (longer if a frame is slow to
    #: make: these frames, too, take at most ``max_render_share`` of the time).
    refresh: float = 2.0

    def __init__(self, make_png: Callable[[int], bytes], text: str):
        self.make_png, self.text = make_png, text   # text: the plain-text stand-in
        self.output = None              # (cell, display handle) of the output
        self.dirty = False              # something new that is not shown yet
        self.shown_dpi = None           # of the frame on screen (None: none yet)
        self.last_render = self.render_cost = None  # when the last frame came, its cost
        self.renders = 0
        self._new_cell(None, None)

    def changed(self) -> None:
        """Something new to show: show it now if it is due, else at the latest when
        the cell ends."""
        if not in_notebook():
            return
        self.dirty = True
        _PENDING.add(self)
        _hook_cell_end()
        now = time.perf_counter()
        self._enter_cell(now)
        elapsed = now - self.start
        if not self.cell_shown:                        # progress soon after the start
            due = elapsed >= self.first_frame_after
        else:
            since = now - self.last_render
            due = (since >= max(self.refresh, self.render_cost / self.max_render_share)
                   or (since >= self.min_interval and self.spent + 2 * self.render_cost
                       <= self.max_render_share * elapsed))
        if due:
            self._show(LIVE_DPI)

    def _enter_cell(self, now: float) -> None:
        cell = _cell_number()
        if self.start is None or cell != self.cell:
            self._new_cell(cell, now if _CELL_START is None else min(_CELL_START, now))

    def _new_cell(self, cell: int | None, start: float | None) -> None:
        """A new cell (started at ``start``), a new time budget."""
        self.cell, self.start = cell, start
        self.spent = 0.0                # seconds spent rendering in this cell
        self.cell_shown = False         # whether this cell has shown a frame

    def flush(self) -> None:
        """Show the current state now (in a notebook), sharp, if it is not shown
        yet or only as a live frame."""
        _PENDING.discard(self)
        if in_notebook() and (self.dirty or self.shown_dpi == LIVE_DPI):
            self._show(FINAL_DPI)

    def _show(self, dpi: int) -> None:
        from IPython.display import display
        global _LIVE_FRAME
        start = time.perf_counter()
        _LIVE_FRAME = dpi == LIVE_DPI   # cheaper: see lay_out and png_bytes
        try:
            png = self.make_png(dpi)
        finally:
            _LIVE_FRAME = False
        bundle = {"image/png": base64.b64encode(png).decode(), "text/plain": self.text}
        width, height = png_size(png)   # shown at the size of a 100-dpi frame
        metadata = {"image/png": {"width": width * LIVE_DPI // dpi,
                                  "height": height * LIVE_DPI // dpi}}
        cell = _cell_number()
        if self.output is None or self.output[0] != cell:      # a new output
            self.output = cell, display(bundle, raw=True, metadata=metadata,
                                        display_id=True)
        else:                                                  # updated in place
            self.output[1].update(bundle, raw=True, metadata=metadata)
        self.shown_dpi = dpi
        self.last_render = time.perf_counter()
        self.render_cost = self.last_render - start
        self.spent += self.render_cost
        self.cell_shown = True
        self.dirty = False
        self.renders += 1


def new_figure(figsize: tuple[float, float]):
    """A matplotlib figure of its own (not pyplot's: nothing shows it by accident),
    laid out at the live frames' dpi whatever matplotlib's settings (Jupyter's inline
    backend sets 72), so that every frame of the same data has the same layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=figsize, dpi=LIVE_DPI)
    FigureCanvasAgg(fig)
    return fig


def draw_lines(axes, series: dict, styles: Iterable[tuple[str, str]]) -> None:
    """Show ``series`` ({label: (xs, ys)}) on ``axes``, one line per series styled by
    ``styles`` ((linestyle, color) pairs), with a legend above the axes.

    The lines are made once and later moved to their new data (a new series gets a
    new line and legend entry), which is much cheaper than drawing them anew and
    gives the same image for the same data."""
    lines = _LINES.setdefault(axes, {})                 # label -> its line
    labels = list(series)
    if labels[:len(lines)] != list(lines):             # a series went away
        for line in lines.values():
            line.remove()
        lines.clear()
    legend = []
    for (label, (xs, ys)), (ls, color) in zip(series.items(), styles):
        if label not in lines:
            lines[label] = axes.plot([], [])[0]
        line = lines[label]
        line.set_data(xs, ys)
        line.set_linestyle(ls)
        line.set_color(color)
        legend.append((label, ls, color))
    if legend != _LEGENDS.get(axes):                    # a new series or style
        if legend:  # in one row above the plot, where it cannot hide a curve
            axes.legend(list(lines.values()), list(lines), loc="lower center",
                        bbox_to_anchor=(0.5, 1.0), ncol=len(lines), frameon=False,
                        fontsize="small", handlelength=1.5, columnspacing=1.0)
        elif axes.get_legend() is not None:
            axes.get_legend().remove()
        _LEGENDS[axes] = legend


def set_axes_once(axes, xlabel, ylabel, xlim, ylim, xscale, yscale) -> None:
    """Set labels, limits and scales (autoscaling what has no limit); a scale is
    set only when it changes, since setting one resets the axis."""
    if axes.get_xscale() != xscale:
        axes.set_xscale(xscale)
    if axes.get_yscale() != yscale:
        axes.set_yscale(yscale)
    axes.set_autoscalex_on(not xlim)
    axes.set_autoscaley_on(not ylim)
    if xlim:
        axes.set_xlim(xlim)
    if ylim:
        axes.set_ylim(ylim)
    axes.relim()
    axes.autoscale_view()
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)


def ylabel_of(series: Iterable[str]) -> str:
    """A y label that names what the series measure: their labels without a
    ``train_`` or ``val_`` prefix, each once ("loss, acc" for train_loss, val_loss
    and val_acc)."""
    names = (label.split("_", 1)[1] if label.startswith(("train_", "val_")) else label
             for label in series)
    return ", ".join(dict.fromkeys(names))


def lay_out(fig) -> None:
    """Tight layout, always from the figure's first subplot parameters (so that the
    same content gets the same layout), and no layout again when saving. A live
    frame keeps the layout the figure has, if any (finding it takes as long as
    drawing the figure); the final frame lays it out afresh."""
    if _LIVE_FRAME and fig in _FIRST_PARS:
        return
    pars = _FIRST_PARS.setdefault(fig, {
        k: getattr(fig.subplotpars, k)
        for k in ("left", "right", "bottom", "top", "wspace", "hspace")})
    fig.subplots_adjust(**pars)
    fig.tight_layout()
    fig.set_layout_engine("none")


def png_bytes(fig, dpi: int = LIVE_DPI) -> bytes:
    """The figure as PNG bytes, at `dpi` whatever matplotlib's settings (a live
    frame with quicker compression)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi,
                pil_kwargs={"compress_level": 1 if _LIVE_FRAME else 6})
    return buf.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """The width and height in pixels of a PNG image (from its header)."""
    return struct.unpack(">II", png[16:24])


def print_progress(board, epoch: int, max_epochs: int) -> None:
    """Outside a notebook nobody sees the board: print one line per epoch with the
    latest value of every series."""
    if not board.display or in_notebook():
        return
    metrics = "  ".join(f"{k} {v:.4f}" for k, v in board.latest().items())
    print(f"epoch {epoch + 1}/{max_epochs}  {metrics}", flush=True)
