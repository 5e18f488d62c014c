"""ProgressBoard (section 3.2.1): averaging, the history, plain-matplotlib
drawing, and one text line per epoch in a script."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import d2lcore as d2l


def test_draw_averages_every_n_points_per_series():
    board = d2l.ProgressBoard("x")
    for x in np.arange(0, 10, 0.1):
        board.draw(x, np.sin(x), "sin", every_n=2)
        board.draw(x, np.cos(x), "cos", every_n=10)
    assert [len(board.data[k]) for k in ("sin", "cos")] == [50, 10]
    xs = np.arange(0, 10, 0.1)[:10]
    first = board.data["cos"][0]
    assert isinstance(first, d2l.Point)
    assert first == pytest.approx((xs.mean(), np.cos(xs).mean()))
    assert board.series("sin") == tuple(map(list, zip(*board.data["sin"])))
    assert board.latest() == {
        "sin": board.data["sin"][-1].y,
        "cos": board.data["cos"][-1].y,
    }


def test_x_going_back_starts_a_fresh_board():
    board = d2l.ProgressBoard()
    for x in (0, 1, 2):
        board.draw(x, x, "train_loss")
    board.draw(0, 5, "train_loss")  # a new fit
    assert board.series("train_loss") == ([0.0], [5.0])
    board.draw(0, 6, "train_loss")  # the same x again: not going back
    assert board.series("train_loss") == ([0.0, 0.0], [5.0, 6.0])


def test_render_draws_every_series_with_its_style_labels_and_limits():
    board = d2l.ProgressBoard(
        xlim=[1, 3], ylim=(0.5, 5), xscale="log", yscale="log"
    )
    for x in (0.5, 1.0, 1.5):
        board.draw(x, 2 * x, "train_loss")
        board.draw(x, x, "val_acc")
    fig = board.render()
    assert isinstance(fig, Figure) and fig is board.render()
    ax = fig.axes[0]
    train, val = ax.lines  # redrawn, not added
    assert list(train.get_xdata()) == [0.5, 1.0, 1.5]
    assert list(train.get_ydata()) == [1.0, 2.0, 3.0]
    assert (train.get_linestyle(), train.get_color()) == ("-", "C0")
    assert (val.get_linestyle(), val.get_color()) == ("--", "C1")
    assert ax.get_xlim() == (1, 3) and ax.get_ylim() == (0.5, 5)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "loss, acc")
    assert ax.get_xscale() == ax.get_yscale() == "log"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["train_loss", "val_acc"]
    assert tuple(fig.get_size_inches()) == (3.5, 2.5)


def test_the_legend_is_one_row_without_a_frame_centred_above_the_axes():
    board = d2l.ProgressBoard()
    for label in ("train_loss", "val_loss", "val_acc"):
        board.draw(0, 1.0, label)
        board.draw(1, 2.0, label)
    fig = board.render()
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lays the legend out
    renderer = canvas.get_renderer()
    legend, axes_box = board.axes.get_legend(), board.axes.get_window_extent()
    box = legend.get_window_extent(renderer)
    assert not legend.get_frame_on()
    top = axes_box.y1
    assert top <= box.y0 < top + 0.1 * axes_box.height, "right above the axes"
    assert box.x0 + box.x1 == pytest.approx(axes_box.x0 + axes_box.x1, abs=2)
    rows = {t.get_window_extent(renderer).y0 for t in legend.get_texts()}
    assert len(rows) == 1, "one row"


@pytest.mark.parametrize(
    "labels,ylabel",
    [
        (["train_loss", "val_loss", "val_acc"], "loss, acc"),  # Module.plot's
        (["sin", "cos"], "sin, cos"),
        (["train_top_5", "val_top_5"], "top_5"),
    ],
)
def test_the_y_axis_names_what_the_series_measure(labels, ylabel):
    board = d2l.ProgressBoard()
    for label in labels:
        board.draw(0, 1.0, label)
    assert board.render().axes[0].get_ylabel() == ylabel
    board.ylabel = "error"  # one given is kept
    assert board.render().axes[0].get_ylabel() == "error"


def test_a_board_given_axes_draws_on_them():
    ax = Figure().add_subplot()
    board = d2l.ProgressBoard(axes=ax)
    board.draw(0, 1, "loss")
    assert board.render() is ax.figure and len(ax.lines) == 1


def test_in_a_script_nothing_is_drawn_and_a_fit_prints_one_line_per_epoch(
    capsys,
):
    board = d2l.ProgressBoard()
    for i in range(100):
        board.draw(i, i * i, "square")
    board.flush()
    assert capsys.readouterr().out == "" and board.fig is None
    board.print_progress(2, 5)
    assert capsys.readouterr().out == "epoch 2/5  square 9801.0000\n"
    board.display = False
    board.print_progress(3, 5)
    assert capsys.readouterr().out == ""
