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
