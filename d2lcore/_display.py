"""Figures in Jupyter: the display plumbing behind `d2l.LiveFigure`.

The rule of a live figure in a Jupyter kernel: the figure is one output of its
cell, updated in place. After a change, a new frame comes when at least
max(0.5 s, 20 times the CPU time of the last frame) has passed since the last
one, so frames take at most about 1/21 of the time between them; the final
frame comes when the fit or the cell ends. Every frame is a PNG with twice the
pixels of its size on the page, of a figure laid out once, at its first frame.
Outside a notebook nothing is shown.
"""

from __future__ import annotations

import base64
import io
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

__all__ = ["in_notebook", "notebook_setup", "LiveFigure"]

DPI = 100  # dots per inch on the page; every PNG has twice as many


def in_notebook() -> bool:
    """True in a Jupyter kernel (a notebook, nbval, a book build)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return hasattr(get_ipython(), "kernel")


def notebook_setup() -> None:
    """In a notebook, let matplotlib's inline backend show figures as PNGs
    with twice the pixels at the same size, unless a format was chosen."""
    if not in_notebook():
        return
    from IPython import get_ipython
    from IPython.core.pylabtools import select_figure_formats
    from matplotlib_inline.config import InlineBackend

    cfg = InlineBackend.instance()
    if cfg.figure_formats == {"png"}:  # the default: nobody chose
        cfg.figure_formats = {"retina"}
        select_figure_formats(
            get_ipython(), {"retina"}, **cfg.print_figure_kwargs
        )


class LiveFigure:
    """A matplotlib figure shown in a notebook and updated in place.

    ``draw()`` brings the figure up to date and returns it. Call `update` after
    each change: a new frame comes when at least ``min_interval`` seconds and
    ``cost_factor`` times the CPU time of the last frame have passed since it.
    `flush` shows the final state now; it also runs when the cell ends.
    Outside a notebook both do nothing."""

    min_interval = 0.5
    cost_factor = 20

    def __init__(self, draw):
        self.draw = draw
        owner = getattr(draw, "__self__", None)  # text for a text-only view
        self.text = f"<{type(owner).__name__} figure>" if owner else "<figure>"
        self.output = None  # (cell number, display handle) of the output
        self.last_frame = 0.0  # when the last frame was shown ...
        self.cost = 0.0  # ... and the CPU time it took to make
        self.frames = 0  # frames shown so far
        self.dirty = False  # a change not shown yet
        self.hooked = False  # flush registered for the end of the cell
        self.laid_out = False

    def update(self):
        """Something changed: show it if a frame is due."""
        if not in_notebook():
            return
        self.dirty = True
        if not self.hooked:  # the final frame when the cell ends
            _shell().events.register("post_execute", self.flush)
            self.hooked = True
        wait = max(self.min_interval, self.cost_factor * self.cost)
        new_cell = self.output is None or self.output[0] != _cell()
        if new_cell or time.perf_counter() - self.last_frame >= wait:
            self.show()

    def flush(self):
        """Show the latest state now, if it is not shown yet."""
        if self.hooked:
            _shell().events.unregister("post_execute", self.flush)
            self.hooked = False
        if self.dirty:
            self.show()

    def show(self):
        """Draw a frame and show it (a new output in a new cell)."""
        from IPython.display import display

        if not self.laid_out:  # once: every frame keeps this layout
            fig = self.draw()
            fig.set_dpi(2 * DPI)
            FigureCanvasAgg(fig)
            fig.tight_layout()
            self.laid_out = True
        start = time.process_time()  # CPU time: other programs do not count
        fig = self.draw()
        fig.canvas.draw()
        image = Image.fromarray(np.asarray(fig.canvas.buffer_rgba()))
        png = io.BytesIO()
        image.save(png, format="png", compress_level=1)
        bundle = {
            "image/png": base64.b64encode(png.getvalue()).decode(),
            "text/plain": self.text,
        }
        width, height = image.size
        meta = {"image/png": {"width": width // 2, "height": height // 2}}
        cell = _cell()
        if self.output is None or self.output[0] != cell:
            handle = display(bundle, raw=True, metadata=meta, display_id=True)
            self.output = cell, handle
        else:
            self.output[1].update(bundle, raw=True, metadata=meta)
        self.dirty = False
        self.frames += 1
        self.last_frame = time.perf_counter()
        self.cost = time.process_time() - start


def _shell():
    from IPython import get_ipython

    return get_ipython()


def _cell():
    return _shell().execution_count
