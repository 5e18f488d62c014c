import matplotlib
import matplotlib.pyplot as plt
import pytest
import torch

import d2lcore as d2l


def test_plot_several_curves(capsys):
    x = torch.arange(0, 3, 0.5)
    d2l.plot(x, [x ** 2, 2 * x], "x", "f(x)", legend=["x^2", "2x"])
    axes = plt.gcf().axes[0]
    assert len(axes.lines) == 2 and axes.get_xlabel() == "x"
    assert capsys.readouterr().out == ""
    plt.close("all")


def test_plot_draws_into_the_current_axes_and_sets_the_figure_size():
    plt.close("all")
    with matplotlib.rc_context():
        d2l.plot([0, 1], [1, 2], figsize=(4.5, 2.5))
        fig = plt.gcf()
        assert tuple(plt.rcParams["figure.figsize"]) == (4.5, 2.5)
        assert tuple(fig.get_size_inches()) == (4.5, 2.5)
        d2l.plot([0, 1], [3, 4])        # the same axes: the old curve is replaced
        assert plt.get_fignums() == [fig.number] and len(fig.axes) == 1
        assert [list(l.get_ydata()) for l in fig.axes[0].lines] == [[3, 4]]
    plt.close("all")


def test_plot_uses_the_axes_made_current():
    _, (left, right) = plt.subplots(1, 2)
    plt.sca(right)
    d2l.plot([1.0, 2.0])
    assert not left.lines and len(right.lines) == 1
    plt.close("all")


def test_plot_length_mismatch():
    with pytest.raises(ValueError, match="x has 3 values but y has 2"):
        d2l.plot([0, 1, 2], [[1, 2]])
    plt.close("all")


def test_show_images_grid_with_titles():
    axes = d2l.show_images(torch.rand(5, 4, 4), 2, 3, titles=list("abcde"))
    assert len(axes) == 6 and axes[0].get_title() == "a"
    assert not axes[5].axison
    plt.close("all")


def test_set_figsize():
    d2l.set_figsize((4, 3))
    assert tuple(plt.rcParams["figure.figsize"]) == (4, 3)
    with pytest.raises(ValueError, match="two positive numbers"):
        d2l.set_figsize((0, 3))
    d2l.set_figsize()


def test_use_svg_display_outside_notebook_sets_reproducible_ids():
    d2l.use_svg_display()
    assert plt.rcParams["svg.hashsalt"] == "d2lcore"
    assert not d2l.in_notebook()


def test_d2l_plt_is_pyplot_and_subplots_take_the_curves():
    assert d2l.plt is plt
    with matplotlib.rc_context():
        d2l.plt.figure(figsize=(6, 2))
        d2l.plt.subplot(1, 2, 2)
        d2l.plot([1.0, 2.0, 3.0])
        fig = plt.gcf()
        assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 1
        assert tuple(fig.get_size_inches()) == (6, 2)  # an existing figure keeps its size
    plt.close("all")
