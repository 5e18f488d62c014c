"""ProgressBoard (d2lcore/board.py, section 3.2.1): averaging, the history, rendering."""

from __future__ import annotations

import math
import warnings

import matplotlib
import numpy as np
import pytest

import d2lcore as d2l
from conftest import png_size


def test_draw_averages_every_n_points_per_series():
    board = d2l.ProgressBoard("x")
    for x in np.arange(0, 10, 0.1):
        board.draw(x, np.sin(x), "sin", every_n=2)
        board.draw(x, np.cos(x), "cos", every_n=10)
    assert list(board.data) == ["sin", "cos"]
    assert len(board.data["sin"]) == 50 and len(board.data["cos"]) == 10
    first = board.data["cos"][0]
    xs = np.arange(0, 10, 0.1)[:10]
    assert first.x == pytest.approx(xs.mean())
    assert first.y == pytest.approx(np.cos(xs).mean())
    xs, ys = board.series("sin")
    assert len(xs) == len(ys) == 50
    assert board.latest()["cos"] == board.data["cos"][-1].y


def test_headless_board_prints_nothing_and_renders_no_frames(capsys):
    board = d2l.ProgressBoard()
    for i in range(100):
        board.draw(i, i * i, "square")
    board.flush()
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert board._live.renders == 0 and board.fig is None


def test_render_draws_every_series_on_one_figure():
    board = d2l.ProgressBoard(xlabel="epoch", xlim=[0, 3], yscale="log")
    for i in range(1, 7):
        board.draw(i / 2, 1 / i, "train_loss")
        board.draw(i / 2, 2 / i, "val_loss")
    fig = board.render()
    assert fig is board.render()  # the same figure, redrawn in place
    axes = fig.axes[0]
    assert len(axes.lines) == 2
    assert axes.get_xlabel() == "epoch" and axes.get_yscale() == "log"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == \
        ["train_loss", "val_loss"]


def test_render_moves_the_lines_in_place_and_gives_a_late_series_its_own_line():
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "train_loss")
    axes = board.render().axes[0]
    (train,) = axes.lines
    board.draw(1, 0.5, "train_loss")
    board.draw(1, 0.25, "val_loss")               # a series that appears later
    board.render()
    assert axes.lines[0] is train                 # the same line, with new data
    assert list(train.get_xdata()) == [0.0, 1.0]
    assert list(train.get_ydata()) == [1.0, 0.5]
    (_, val) = axes.lines
    assert (val.get_linestyle(), val.get_color()) == ("--", "C1")
    assert list(val.get_ydata()) == [0.25]
    legend = axes.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["train_loss", "val_loss"]
    assert [h.get_color() for h in legend.legend_handles] == ["C0", "C1"]
    low, high = axes.get_ylim()                   # rescaled to the new data
    assert low < 0.25 and high > 1.0


def test_x_going_back_starts_a_fresh_board():
    board = d2l.ProgressBoard()
    for x in (0.5, 1.0):
        board.draw(x, 1.0, "train_loss")
        board.draw(x, 2.0, "val_loss")
    board.draw(1.0, 0.5, "train_loss", every_n=2)  # the same x: still the same fit
    assert board.series("val_loss") == ([0.5, 1.0], [2.0, 2.0])
    board.draw(0.5, 3.0, "train_loss")           # a new fit: its first point
    assert board.data == {"train_loss": [d2l.Point(0.5, 3.0)]}
    assert board._raw == {"train_loss": (0, 0.0, 0.0)}


def test_the_legend_is_one_row_above_the_axes_where_it_hides_no_curve():
    board = d2l.ProgressBoard()
    for label in ("train_loss", "val_loss", "val_acc"):
        board.draw(0, 1.0, label)
    fig = board.render()
    axes = fig.axes[0]
    legend = axes.get_legend()
    assert legend.legend_handles[0].get_linestyle() == axes.lines[0].get_linestyle()
    assert legend._loc == 8 and legend._ncols == 3          # 8: "lower center" ...
    anchor = legend.get_bbox_to_anchor().transformed(axes.transAxes.inverted())
    assert (anchor.x0, anchor.y0) == pytest.approx((0.5, 1.0))   # ... of the top edge
    assert legend.get_frame_on() is False
    assert legend.prop.get_size() == pytest.approx(
        matplotlib.font_manager.FontProperties(size="small").get_size())
    assert (legend.handlelength, legend.columnspacing) == (1.5, 1.0)
    fig.canvas.draw()
    box = legend.get_window_extent()
    assert box.y0 >= axes.get_window_extent().y1 - 1       # drawn above the plot


def test_render_follows_changed_settings_and_removed_series():
    board = d2l.ProgressBoard(xlim=[0, 2], ylim=(0, 1))
    for x in range(5):
        board.draw(x, 2.0 ** -x, "a")
        board.draw(x, 2.0 ** x, "b")
    axes = board.render().axes[0]
    assert axes.get_xlim() == (0, 2) and axes.get_ylim() == (0, 1)
    board.xlim, board.ylim, board.yscale, board.xlabel = None, None, "log", "step"
    board.colors = ("C5", "C6")
    board.render()
    assert axes.get_xlim()[1] >= 4 and axes.get_yscale() == "log"
    assert axes.get_ylim()[0] <= 1 / 16 and axes.get_ylim()[1] >= 16   # autoscaled
    assert axes.get_xlabel() == "step"
    assert [line.get_color() for line in axes.lines] == ["C5", "C6"]
    assert [h.get_color() for h in axes.get_legend().legend_handles] == ["C5", "C6"]
    del board.data["a"]
    board.render()
    assert len(axes.lines) == 1 and list(axes.lines[0].get_ydata()) == [1, 2, 4, 8, 16]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["b"]
    board.data.clear()
    board.render()
    assert len(axes.lines) == 0 and axes.get_legend() is None


def _fill(board, renders_every=None, change=None):
    """Draw training-like curves; render every few points when asked."""
    rng = np.random.default_rng(1)
    for i in range(60):
        x = i / 6
        y = float(3 * np.exp(-x / 2) + 0.2 * rng.random() + 0.01)
        board.draw(x, y, "train_loss")
        if i % 6 == 5:
            board.draw(x, 1.2 * y, "val_loss")
        if i >= 30:                                # a series that appears later
            board.draw(x, 0.01 * i, "val_acc")
        if change and i == 40:
            setattr(board, *change)
        if renders_every and i % renders_every == 0:
            board.render()
    return board.to_png()


@pytest.mark.parametrize("settings,change", [
    (dict(xlabel="epoch", xlim=[0, 10]), None),       # as Trainer.fit sets it up
    (dict(), None),
    (dict(ylim=(0, 5)), None),
    (dict(yscale="log"), None),
    (dict(xlim=[0, 10]), ("xlim", None)),
    (dict(), ("yscale", "log")),
    (dict(), ("ylabel", "a much longer label")),
], ids=["trainer", "autoscale", "ylim", "log", "xlim-dropped", "log-later", "ylabel"])
def test_rendering_as_points_arrive_gives_the_png_of_one_render(settings, change):
    # a stored notebook holds the final frame: the same data must give the same
    # bytes however many frames were drawn before it
    once = _fill(d2l.ProgressBoard(**settings), change=change)
    assert _fill(d2l.ProgressBoard(**settings), renders_every=4, change=change) == once
    assert _fill(d2l.ProgressBoard(**settings), change=change) == once


def test_board_given_only_axes_draws_on_their_figure():
    from matplotlib.figure import Figure
    fig = Figure()
    axes = fig.add_subplot()
    board = d2l.ProgressBoard(axes=axes, display=False)
    board.draw(0, 1.0, "loss")
    board.draw(1, 0.5, "loss")
    assert board.render() is fig
    assert [tuple(l.get_ydata()) for l in axes.get_lines()] == [(1.0, 0.5)]


def test_xscale_is_applied_and_can_change_back():
    board = d2l.ProgressBoard(xscale="log", display=False)
    board.draw(1, 1.0, "loss")
    board.draw(10, 0.5, "loss")
    assert board.render().axes[0].get_xscale() == "log"
    board.xscale = "linear"
    assert board.render().axes[0].get_xscale() == "linear"


def test_skipped_point_warning_points_at_the_callers_line():
    board = d2l.ProgressBoard()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        board.draw(0, math.nan, "loss")
    assert len(caught) == 1 and caught[0].filename == __file__


def test_render_styles_each_series_and_applies_limits_and_labels():
    board = d2l.ProgressBoard(ylabel="loss", xlim=[0, 3], ylim=(0, 5))
    for x in (0.5, 1.0, 1.5):
        board.draw(x, 2 * x, "train")
        board.draw(x, x, "val")
    fig = board.render()
    axes = fig.axes[0]
    assert tuple(fig.get_size_inches()) == (3.5, 2.5)
    (train, val) = axes.lines
    assert list(train.get_xdata()) == [0.5, 1.0, 1.5]
    assert list(train.get_ydata()) == [1.0, 2.0, 3.0]
    assert (train.get_linestyle(), train.get_color()) == ("-", "C0")
    assert (val.get_linestyle(), val.get_color()) == ("--", "C1")
    assert axes.get_xlim() == (0, 3) and axes.get_ylim() == (0, 5)
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("x", "loss")
    assert axes.get_yscale() == "linear"
    assert d2l.ProgressBoard().render().axes[0].get_ylabel() == ""


@pytest.mark.parametrize("labels,ylabel", [
    (["train_loss", "val_loss", "val_acc"], "loss, acc"),   # what Module.plot draws
    (["sin", "cos"], "sin, cos"),
    (["val_acc", "train_acc"], "acc"),
    (["train_top_5", "val_top_5"], "top_5"),
])
def test_without_a_ylabel_the_y_axis_names_what_the_series_measure(labels, ylabel):
    board = d2l.ProgressBoard()
    for label in labels:
        board.draw(0, 1.0, label)
    assert board.render().axes[0].get_ylabel() == ylabel
    board.ylabel = "error"                        # one given is kept
    assert board.render().axes[0].get_ylabel() == "error"


def test_to_png_is_100_dpi_png_whatever_the_matplotlib_settings():
    board = d2l.ProgressBoard(figsize=(2, 1))
    board.draw(0, 1.0, "loss")
    with matplotlib.rc_context({"figure.dpi": 72, "savefig.dpi": 50,
                                "savefig.format": "svg"}):
        png = board.to_png()
    assert png_size(png) == (200, 100)
    assert png_size(board.to_png(dpi=200)) == (400, 200)
