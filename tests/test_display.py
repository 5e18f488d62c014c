"""`d2l.LiveFigure` and where the code runs, through the public API.

A fake Jupyter shell stands in for IPython (a ``kernel``, an
``execution_count``, ``events`` and ``display``) and fake clocks drive the rule:
a new frame when at least max(0.5 s, 20 times the CPU time of the last frame)
has passed, plus the final frame when the fit or the cell ends.
"""

from __future__ import annotations

import base64
import io
import sys
import time
from types import SimpleNamespace

import pytest
from matplotlib.figure import Figure
from PIL import Image

import d2lcore as d2l
from d2lcore import _display


class Shell:
    """A Jupyter kernel's shell and clocks, as far as d2lcore looks at them."""

    def __init__(self):
        self.kernel, self.execution_count = object(), 1
        self.hooks = []  # (event, function) as IPython's events keep them
        self.events = SimpleNamespace(
            register=lambda event, fn: self.hooks.append((event, fn)),
            unregister=lambda event, fn: self.hooks.remove((event, fn)),
        )
        self.outputs = []  # one list of (png, metadata) per output
        self.texts = []  # the text/plain of every frame
        self.now, self.cpu = 1000.0, 0.0

    def display(self, bundle, raw, metadata, display_id):
        assert raw is True and display_id is True
        frames = []
        self.outputs.append(frames)
        self.frame(frames, bundle, metadata)

        def update(bundle, raw, metadata):
            assert raw is True
            self.frame(frames, bundle, metadata)

        return SimpleNamespace(update=update)

    def frame(self, frames, bundle, metadata):
        size = metadata["image/png"]
        assert all(type(v) is int for v in size.values()), size
        frames.append((base64.b64decode(bundle["image/png"]), metadata))
        self.texts.append(bundle["text/plain"])

    def end_cell(self):
        for event, fn in list(self.hooks):
            if event == "post_execute":
                fn()
        self.execution_count += 1


@pytest.fixture
def shell(monkeypatch):
    import IPython
    import IPython.display

    shell = Shell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    monkeypatch.setattr(IPython.display, "display", shell.display)
    monkeypatch.setattr(time, "perf_counter", lambda: shell.now)
    monkeypatch.setattr(time, "process_time", lambda: shell.cpu)
    return shell


def live_figure(shell, cost=0.0):
    """A LiveFigure whose every frame costs ``cost`` seconds of CPU time."""
    fig = Figure(figsize=(3.5, 2.5))
    ax = fig.add_subplot()

    def draw():
        shell.cpu += cost
        ax.plot([0, 1], [0, len(ax.lines)])
        return fig

    return d2l.LiveFigure(draw)


def frames(shell):
    return sum(len(output) for output in shell.outputs)


def test_outside_a_notebook_nothing_is_shown():
    live = d2l.LiveFigure(lambda: pytest.fail("drawn outside a notebook"))
    live.update()
    live.flush()
    assert live.frames == 0


def test_a_frame_at_once_then_after_half_a_second(shell):
    live = live_figure(shell)
    live.update()
    assert frames(shell) == live.frames == 1, "the first change shows at once"
    shell.now += 0.49
    live.update()
    assert frames(shell) == live.frames == 1, "less than 0.5 s after the last"
    shell.now += 0.01
    live.update()
    assert frames(shell) == live.frames == 2, "half a second after the last"
    assert len(shell.outputs) == 1, "not in place"


def test_the_text_that_stands_in_for_a_frame_names_its_owner(shell):
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss")
    board.draw(1, 2.0, "loss")
    live_figure(shell).update()
    assert shell.texts == ["<ProgressBoard figure>", "<figure>"]


def test_a_costly_frame_waits_twenty_times_its_cost(shell):
    live = live_figure(shell, cost=0.1)
    live.update()
    shell.now += 1.99
    live.update()
    assert frames(shell) == 1, "frames took more than 5 % of the time"
    shell.now += 0.01
    live.update()
    assert frames(shell) == 2


def test_the_final_state_is_shown_once_when_the_cell_ends(shell):
    live = live_figure(shell)
    live.update()
    live.update()  # not shown yet
    assert [event for event, _ in shell.hooks] == ["post_execute"]
    shell.end_cell()
    shell.end_cell()
    assert frames(shell) == live.frames == 2 and shell.hooks == []
    live.flush()  # nothing new: no frame
    assert frames(shell) == live.frames == 2


def test_a_new_cell_gets_a_new_output(shell):
    live = live_figure(shell)
    live.update()
    shell.end_cell()
    live.update()
    assert [len(output) for output in shell.outputs] == [1, 1]


def test_frames_are_sharp_and_keep_one_layout(shell):
    board = d2l.ProgressBoard(xlim=[0, 10])
    for x in range(10):
        board.draw(x, 10 - x, "train_loss")
        shell.now += 1
    board.draw(9, 0.5, "val_loss")
    board.draw(10, 0.1, "val_loss")
    board.flush()
    shown = shell.outputs[0]
    assert len(shown) == 10, "one frame per second"
    for png, metadata in shown:
        assert Image.open(io.BytesIO(png)).size == (700, 500)
        assert metadata == {"image/png": {"width": 350, "height": 250}}
    position = board.axes.get_position().bounds
    board.draw(10, 90.0, "val_acc")  # a new series and y label
    board.draw(11, 95.0, "val_acc")
    board.flush()
    assert len(shown) == 11 and board.axes.get_ylabel() == "loss, acc"
    assert board.axes.get_position().bounds == position


def test_the_same_data_gives_the_same_frame(shell):
    pngs = []
    for _ in range(2):
        board = d2l.ProgressBoard()
        board.draw(0, 1, "loss")
        board.draw(1, 2, "loss")
        pngs.append(shell.outputs[-1][-1][0])
        shell.end_cell()
    assert pngs[0] == pngs[1]


def test_display_false_shows_nothing_in_a_notebook(shell):
    board = d2l.ProgressBoard(display=False)
    board.draw(0, 1.0, "loss")
    board.draw(1, 2.0, "loss")
    board.flush()
    shell.end_cell()
    assert shell.outputs == [] and board.series("loss") == ([0, 1], [1, 2])


@pytest.mark.parametrize(
    "in_kernel,before,after",
    [
        (True, {"png"}, {"retina"}),  # nobody chose: twice the pixels
        (True, {"svg"}, {"svg"}),  # the reader's choice is kept
        (False, {"png"}, {"png"}),  # outside a notebook: nothing to do
    ],
)
def test_import_makes_inline_figures_retina_unless_a_format_was_chosen(
    monkeypatch, in_kernel, before, after
):
    import IPython
    from IPython.core import pylabtools
    from matplotlib_inline.config import InlineBackend

    shell = SimpleNamespace(kernel=object()) if in_kernel else None
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    calls = []
    monkeypatch.setattr(
        pylabtools,
        "select_figure_formats",
        lambda *args, **kwargs: calls.append((args, kwargs)),
    )
    monkeypatch.setattr(InlineBackend.instance(), "figure_formats", before)
    _display.notebook_setup()
    assert InlineBackend.instance().figure_formats == after
    kwargs = InlineBackend.instance().print_figure_kwargs
    chosen = [((shell, {"retina"}), kwargs)] if after != before else []
    assert calls == chosen, "IPython shows the new format from now on"


@pytest.mark.parametrize(
    "shell,expected",
    [
        (None, False),  # plain python
        (SimpleNamespace(), False),  # terminal IPython: no kernel
        (SimpleNamespace(kernel=object()), True),  # Jupyter kernel
    ],
)
def test_in_notebook_needs_a_kernel(monkeypatch, shell, expected):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    assert d2l.in_notebook() is expected


def test_in_notebook_without_ipython_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython", None)  # import IPython fails
    assert d2l.in_notebook() is False
