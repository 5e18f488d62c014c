import math

import numpy as np
import pytest

import d2lcore as d2l


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
    assert board.renders == 0 and board.fig is None


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


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_points_are_skipped_with_a_warning(value):
    board = d2l.ProgressBoard()
    with pytest.warns(RuntimeWarning, match="non-finite"):
        board.draw(1, value, "loss")
    assert board.data == {}


@pytest.mark.parametrize("every_n", [0, -1, 1.5, True])
def test_bad_every_n(every_n):
    with pytest.raises(ValueError, match="every_n must be a positive int"):
        d2l.ProgressBoard().draw(0, 0, "loss", every_n=every_n)


def test_unknown_series():
    with pytest.raises(KeyError, match="no series 'acc'"):
        d2l.ProgressBoard().series("acc")
