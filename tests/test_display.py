"""The live figure in a notebook (d2lcore/_display.py), seen through ProgressBoard.

A fake Jupyter kernel stands in for IPython: ``get_ipython()`` returns a shell with a
``kernel``, an ``execution_count`` and ``events``; ``IPython.display.display``
records what the notebook would show. A fake clock drives the redraw throttling.
"""
from __future__ import annotations

import base64
import io
import sys
from types import SimpleNamespace

import matplotlib
import pytest
from matplotlib.figure import Figure

import d2lcore as d2l
from conftest import png_size
from d2lcore import _display

class Clock:
    def __init__(self, t: float = 100.0):
        self.t = t

    def perf_counter(self) -> float:
        return self.t


class Kernel:
    """A Jupyter kernel's shell, as far as d2lcore looks at it."""
    def __init__(self, clock: Clock, display_cost: float = 0.0):
        self.kernel = object()
        self.execution_count = 1
        self.hooks: list[tuple[str, object]] = []
        self.events = SimpleNamespace(register=lambda event, fn:
                                      self.hooks.append((event, fn)))
        self.outputs: list[list[bytes]] = []   # one list of frames per output
        self.sizes: list[dict] = []            # each frame's display size (metadata)
        self.clock, self.display_cost = clock, display_cost

    # IPython.display.display and DisplayHandle.update
    def display(self, obj, raw=False, display_id=None, metadata=None, **kw):
        self.clock.t += self.display_cost
        self.outputs.append([_png(obj, raw)])
        self.sizes.append((metadata or {}).get("image/png"))
        if not display_id:
            return None          # IPython returns a handle only for a display_id
        kernel, index = self, len(self.outputs) - 1

        class Handle:
            def update(self, obj, raw=False, metadata=None, **kw):
                kernel.clock.t += kernel.display_cost
                kernel.outputs[index].append(_png(obj, raw))
                kernel.sizes.append((metadata or {}).get("image/png"))
        return Handle()

    def start_cell(self) -> None:
        for event, fn in self.hooks:
            if event == "pre_execute":
                fn()

    def end_cell(self) -> None:
        for event, fn in self.hooks:
            if event == "post_execute":
                fn()
        self.execution_count += 1

    @property
    def frames(self) -> int:
        return sum(len(o) for o in self.outputs)


def _png(obj, raw) -> bytes:
    """The image a notebook would show for ``display(obj, raw=raw)``."""
    if isinstance(obj, Figure):
        buf = io.BytesIO()
        obj.savefig(buf, format="png")
        return buf.getvalue()
    assert raw is True and isinstance(obj, dict), "a MIME bundle needs raw=True"
    text = obj["text/plain"]
    assert text.startswith("<ProgressBoard") and text.endswith(">")
    return base64.b64decode(obj["image/png"])


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(_display, "time", clock)
    return clock


@pytest.fixture
def kernel(monkeypatch, clock):
    import IPython
    import IPython.display
    kernel = Kernel(clock)
    monkeypatch.setattr(IPython, "get_ipython", lambda: kernel)
    monkeypatch.setattr(IPython.display, "display", kernel.display)
    monkeypatch.setattr(_display, "_HOOKED", False)
    monkeypatch.setattr(_display, "_CELL_START", None)
    monkeypatch.setattr(_display, "_PENDING", _display.weakref.WeakSet())
    return kernel


# -- in a notebook ---------------------------------------------------------------


def test_the_end_of_a_cell_shows_the_board_as_a_sharp_png(kernel):
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss")     # every_n defaults to 1: plotted at once ...
    assert board.series("loss") == ([0.0], [1.0])
    assert kernel.outputs == [] and board._live.renders == 0   # ... but not shown yet
    kernel.end_cell()
    assert len(kernel.outputs) == 1 and board._live.renders == 1
    # figsize (3.5, 2.5) at 200 dpi, shown at the size of 100 dpi
    assert png_size(kernel.outputs[0][0]) == (700, 500)
    assert kernel.sizes == [{"width": 350, "height": 250}]


def test_live_frames_are_100_dpi_and_the_final_state_is_drawn_sharp(kernel, clock):
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss")
    clock.t += 0.5
    board.draw(1, 2.0, "loss")                    # a live frame of the final data
    assert png_size(kernel.outputs[0][-1]) == (350, 250)
    kernel.end_cell()                             # the same data again, sharp
    assert [png_size(f) for f in kernel.outputs[0]] == [(350, 250), (700, 500)]
    assert kernel.sizes == [{"width": 350, "height": 250}] * 2
    assert all(type(v) is int for size in kernel.sizes for v in size.values())
    kernel.end_cell()                             # already sharp: nothing more
    assert kernel.frames == 2


def test_the_sharp_final_frame_is_the_same_bytes_every_time(kernel):
    frames = []
    for _ in range(2):
        board = d2l.ProgressBoard()
        for i in range(5):
            board.draw(i, 1.0 / (i + 1), "train_loss")
        board.flush()
        frames.append(kernel.outputs[-1][-1])
    assert frames[0] == frames[1]


def test_only_live_frames_are_made_the_cheap_way(kernel, clock, monkeypatch):
    board = d2l.ProgressBoard()
    to_png, cheap = board.to_png, []
    def recording_to_png(dpi):
        cheap.append((dpi, _display._LIVE_FRAME))
        return to_png(dpi)
    monkeypatch.setattr(board._live, "make_png", recording_to_png)
    board.draw(0, 1.0, "loss")
    clock.t += 0.5
    board.draw(1, 2.0, "loss")                    # a live frame
    board.flush()                                 # the final one
    assert cheap == [(100, True), (200, False)]
    assert _display._LIVE_FRAME is False          # and nothing cheap after it


def zlib_level(png: bytes) -> int:
    """The compression level a PNG's image data says it was made with (zlib's
    FLEVEL: 0 for level 1, 1 for levels 2-5, 2 for level 6, 3 for levels 7-9)."""
    idat = png.index(b"IDAT") + 4
    return png[idat + 1] >> 6


def test_live_frames_are_compressed_fast_and_the_final_frame_compactly(kernel, clock):
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss")
    clock.t += 0.5
    board.draw(1, 2.0, "loss")                    # a live frame
    board.flush()                                 # the final one
    assert [zlib_level(frame) for frame in kernel.outputs[0]] == [0, 2]
    assert zlib_level(board.to_png()) == 2        # outside a cell's frames too


def pixels(png: bytes) -> bytes:
    from PIL import Image
    return Image.open(io.BytesIO(png)).convert("RGBA").tobytes()


def test_the_first_live_frame_is_laid_out_like_any_figure(kernel, clock):
    board, plain = d2l.ProgressBoard(), d2l.ProgressBoard(display=False)
    for b in (board, plain):
        b.draw(0, 1000.0, "train_loss")           # wide tick labels need room
    clock.t += 0.5
    for b in (board, plain):
        b.draw(1, 2000.0, "train_loss")           # board: its first (live) frame
    assert kernel.frames == 1
    assert pixels(kernel.outputs[0][0]) == pixels(plain.to_png(100))


def test_figures_are_laid_out_at_the_live_dpi_whatever_matplotlibs_setting(
        monkeypatch):
    pngs = []
    for dpi in (100, 72):                         # 72: Jupyter's inline backend
        monkeypatch.setitem(matplotlib.rcParams, "figure.dpi", dpi)
        board = d2l.ProgressBoard(display=False)
        for i in range(5):
            board.draw(i, 1.0 / (i + 1), "train_loss")
        assert board.render().get_dpi() == _display.LIVE_DPI
        pngs.append(board.to_png(_display.FINAL_DPI))
    assert pngs[0] == pngs[1]


def test_the_final_frame_does_not_depend_on_the_live_frames_before_it(kernel, clock):
    points = [(i, 10.0 ** -i) for i in range(6)]    # y ticks grow wider as it falls
    finals = []
    for live in (False, True):
        board = d2l.ProgressBoard()
        for x, y in points:
            board.draw(x, y, "train_loss")
            clock.t += 0.5 if live else 0.01      # live: a frame for each point
        assert board._live.renders == (len(points) - 1 if live else 0)
        board.flush()
        finals.append(kernel.outputs[-1][-1])
        kernel.end_cell()
    assert finals[0] == finals[1]


def test_a_cell_that_has_run_a_while_shows_its_first_point_at_once(kernel, clock,
                                                                  monkeypatch):
    monkeypatch.setattr(_display, "retina_inline_figures", lambda: None)
    _display.notebook_setup()                     # what import d2lcore does
    kernel.end_cell()
    kernel.start_cell()                           # the next cell starts: t = 100.0
    clock.t = 100.5                               # a fit's first point, half an epoch in
    board = d2l.ProgressBoard()
    board.draw(0.5, 1.0, "train_loss")
    assert kernel.frames == 1 and png_size(kernel.outputs[0][0]) == (350, 250)
    _display.notebook_setup()                     # imported again: hooked once
    assert [e for e, _ in kernel.hooks].count("pre_execute") == 1


def test_a_short_loop_shows_only_its_final_figure(kernel, clock):
    # the first frame comes once the cell has plotted for first_frame_after (0.3 s)
    board = d2l.ProgressBoard()
    for i in range(29):                           # 0.28 s of points
        board.draw(i, 1.0 / (i + 1), "loss")
        clock.t += 0.01
    assert kernel.outputs == [] and board._live.renders == 0
    board.flush()                                 # what Trainer.fit does at the end
    assert kernel.frames == 1 and board._live.renders == 1
    kernel.end_cell()                             # already shown: nothing more
    assert kernel.frames == 1


def test_the_first_frame_comes_soon_after_the_first_point(kernel, clock):
    kernel.display_cost = 0.05                    # showing a frame takes 0.05 s
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss")                    # t = 100.0: the cell's first point
    clock.t = 100.29
    board.draw(1, 2.0, "loss")                    # before first_frame_after: held back
    assert kernel.frames == 0
    clock.t = 100.31
    board.draw(2, 3.0, "loss")                    # shown, whatever the budget says
    assert len(kernel.outputs) == 1 and kernel.frames == 1 and board._live.renders == 1
    clock.t = 101.0
    board.draw(3, 4.0, "loss")                    # 0.05 + 2 * 0.05 > 0.03 * 1.0: held
    assert kernel.frames == 1
    clock.t = 100.36 + board._live.refresh        # refresh seconds after the frame
    board.draw(4, 5.0, "loss")
    assert kernel.frames == 2 and len(kernel.outputs) == 1


def test_the_first_frame_is_due_when_the_cell_has_run_first_frame_after(
        kernel, clock, monkeypatch):
    monkeypatch.setattr(_display.LiveFigure, "first_frame_after", 0.25)  # exact in binary
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss")                    # t = 100.0
    clock.t = 100.25                              # first_frame_after later, exactly
    board.draw(1, 2.0, "loss")
    assert kernel.frames == 1


def test_a_frame_comes_at_least_every_refresh_seconds(kernel, clock):
    kernel.display_cost = 0.1                     # slow frames: the budget allows
    board = d2l.ProgressBoard()                   # none after the first in 10 s
    shown = []
    for i in range(1000):                         # a point every 0.01 s for 10 s
        renders = board._live.renders
        board.draw(i, 1.0, "loss")
        if board._live.renders > renders:
            shown.append(clock.t)
        clock.t += 0.01
    # every max(refresh, cost / share) = 0.1 / 0.03 = 3.33 s after the last frame
    # ended (each frame takes 0.1 s): 3 % of the time
    gaps = [b - a for a, b in zip(shown, shown[1:])]
    assert len(gaps) == 2 and all(3.43 <= g <= 3.45 for g in gaps), gaps


def test_redraws_are_spaced_by_min_interval_and_update_the_same_output(kernel, clock):
    board = d2l.ProgressBoard()
    board._live.max_render_share = 1.0                  # only min_interval spaces frames
    board.draw(0, 1.0, "loss")                    # t = 100.0: the first point
    clock.t = 100.25
    board.draw(1, 2.0, "loss")                    # within min_interval of it: held
    assert kernel.frames == 0
    clock.t = 100.0 + board._live.min_interval          # exactly the interval: shown
    board.draw(2, 3.0, "loss")
    assert kernel.frames == 1
    clock.t += 0.25
    board.draw(3, 4.0, "loss")                    # within min_interval: held back
    assert kernel.frames == 1 and board._live.renders == 1
    clock.t = 100.0 + 2 * board._live.min_interval      # the interval again: redrawn
    board.draw(4, 5.0, "loss")
    assert len(kernel.outputs) == 1 and kernel.frames == 2 and board._live.renders == 2


def test_slow_rendering_spaces_redraws_out(kernel, clock):
    kernel.display_cost = 0.25                    # showing a frame takes 0.25 s
    board = d2l.ProgressBoard()
    board._live.max_render_share = 0.25                 # a quarter of the time: exact sums
    board._live.refresh = float("inf")                  # the budget only
    board.draw(0, 1.0, "loss")                    # t = 100.0: the first point
    clock.t = 100.5                               # after first_frame_after: shown
    board.draw(1, 2.0, "loss")
    assert board._live.renders == 1 and clock.t == 100.75
    # the next frame and the final one bring the rendering to 0.75 s: they fit in
    # a quarter of the time from 0.75 / 0.25 = 3 s on
    clock.t = 102.75
    board.draw(2, 3.0, "loss")
    assert board._live.renders == 1
    clock.t = 103.0
    board.draw(3, 4.0, "loss")
    assert board._live.renders == 2
    clock.t = 103.75                              # the third one: from 4 s on
    board.draw(4, 5.0, "loss")
    assert board._live.renders == 2
    clock.t = 104.0
    board.draw(5, 6.0, "loss")
    assert board._live.renders == 3 and kernel.frames == 3 and len(kernel.outputs) == 1


def test_rendering_stays_within_its_share_of_a_long_fit(kernel, clock):
    kernel.display_cost = 0.05                    # showing a frame takes 0.05 s
    board = d2l.ProgressBoard()
    shown = []
    for i in range(6000):                         # a point every 0.01 s for 60 s
        now = clock.t
        board.draw(i, 1.0 / (i + 1), "loss")
        if board._live.renders > len(shown):      # a frame: the first one, one within
            shown.append(now)                     # the budget (with the final one, in
            within = 0.05 * (board._live.renders + 1) <= 0.03 * (now - 100.0) + 1e-9
            assert len(shown) == 1 or within or now - shown[-2] >= 2.0  # 3 %) or a refresh
        clock.t += 0.01
    # the budget is used, not wasted: about 0.03 * 61.8 / 0.05 - 1 = 36 frames
    assert 34 <= board._live.renders <= 37 and len(kernel.outputs) == 1
    assert all(b - a >= board._live.min_interval for a, b in zip(shown, shown[1:]))


def test_a_new_cell_gets_a_new_output_and_a_new_budget(kernel, clock):
    kernel.display_cost = 0.1
    board = d2l.ProgressBoard()
    board._live.refresh = float("inf")                  # the budget only
    for i in range(900):                          # 9 s: the first frame at 0.3 s ...
        board.draw(i, 1.0, "loss")
        clock.t += 0.01
    assert board._live.renders == 1               # ... then 0.1 + 0.2 > 0.03 * 9 s
    kernel.end_cell()                             # ... and the final state
    assert len(kernel.outputs) == 1 and board._live.renders == 2
    renders, start = board._live.renders, clock.t
    board.draw(900, 2.0, "loss")                  # the next cell's first point
    clock.t = start + 0.29                        # too soon for its first frame
    board.draw(901, 3.0, "loss")
    assert len(kernel.outputs) == 1 and board._live.renders == renders
    clock.t = start + 0.31                        # its first frame: a new output
    board.draw(902, 4.0, "loss")
    assert len(kernel.outputs) == 2 and board._live.renders == renders + 1
    clock.t += 0.01
    board.draw(903, 5.0, "loss")                  # same cell again: throttled
    kernel.end_cell()                             # ... and drawn when it ends
    assert len(kernel.outputs) == 2 and len(kernel.outputs[1]) == 2
    assert board._live.renders == renders + 2


def test_the_end_of_a_cell_draws_the_final_state_once(kernel, clock):
    boards = [d2l.ProgressBoard(), d2l.ProgressBoard()]
    boards[0].draw(0, 1.0, "loss")
    clock.t += 3.4
    for board in boards:
        board.draw(1, 2.0, "loss")     # the first board is shown, the second just began
    assert [e for e, _ in kernel.hooks] == ["post_execute"]   # hooked only once
    assert kernel.frames == 1
    clock.t += 0.01
    boards[0].draw(2, 3.0, "loss")                           # held back
    assert kernel.frames == 1
    kernel.end_cell()
    assert [len(o) for o in kernel.outputs] == [2, 1]        # updated, then shown
    assert [b._live.renders for b in boards] == [2, 1]
    kernel.end_cell()                                        # nothing new
    assert kernel.frames == 3


def test_flush_with_nothing_new_draws_nothing(kernel):
    board = d2l.ProgressBoard()
    board.flush()                                 # empty board: no output
    assert kernel.outputs == [] and board._live.renders == 0
    board.draw(0, 1.0, "loss")
    board.flush()                                 # shows the new point
    assert kernel.frames == 1 and board._live.renders == 1
    board.flush()                                 # already shown: nothing new
    assert kernel.frames == 1 and board._live.renders == 1


def test_a_shell_without_execution_count_still_shows_the_board(kernel, clock):
    del kernel.execution_count
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss")
    clock.t += 3.4
    board.draw(1, 2.0, "loss")
    assert kernel.frames == 1 and board._live.renders == 1
    clock.t += 0.01
    board.draw(2, 3.0, "loss")
    board.flush()
    assert len(kernel.outputs) == 1 and kernel.frames == 2


def test_display_false_shows_nothing_in_a_notebook(kernel):
    board = d2l.ProgressBoard(display=False)
    board.draw(0, 1.0, "loss")
    board.flush()
    kernel.end_cell()
    assert kernel.outputs == [] and board._live.renders == 0
    assert board.series("loss") == ([0.0], [1.0])   # the data is still kept


# -- matplotlib's inline figures ---------------------------------------------------


@pytest.mark.parametrize("in_kernel,before,after", [
    (True, {"png"}, {"retina"}),          # nobody chose: twice the pixels
    (True, {"svg"}, {"svg"}),             # the reader's choice is kept
    (False, {"png"}, {"png"}),            # outside a notebook: nothing to do
])
def test_retina_inline_figures_unless_a_format_was_chosen(monkeypatch, in_kernel,
                                                          before, after):
    import IPython
    from IPython.core import pylabtools
    from matplotlib_inline.config import InlineBackend
    shell = SimpleNamespace(kernel=object()) if in_kernel else None
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    selected = []
    monkeypatch.setattr(pylabtools, "select_figure_formats",
                        lambda sh, formats, **kw: selected.append((sh, formats, kw)))
    cfg = InlineBackend.instance()
    monkeypatch.setattr(cfg, "figure_formats", before)
    _display.retina_inline_figures()
    assert cfg.figure_formats == after
    kwargs = cfg.print_figure_kwargs                # bbox_inches="tight", as Jupyter's
    assert selected == ([(shell, {"retina"}, kwargs)] if after != before else [])


# -- where the code runs -------------------------------------------------------


@pytest.mark.parametrize("shell,expected", [
    (None, False),                                    # plain python
    (SimpleNamespace(), False),                       # terminal IPython: no kernel
    (SimpleNamespace(kernel=object()), True),         # Jupyter kernel
])
def test_in_notebook_needs_a_kernel(monkeypatch, shell, expected):
    import IPython
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    assert d2l.in_notebook() is expected


def test_in_notebook_without_ipython_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)     # import IPython fails
    assert d2l.in_notebook() is False
