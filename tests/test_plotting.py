"""The plotting helpers: what plot, set_axes and show_images draw."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import d2lcore as d2l


def test_plot_draws_into_the_current_axes_and_sets_the_figure_size():
    plt.close("all")
    with matplotlib.rc_context():
        d2l.plot([0, 1], [1, 2], figsize=(4.5, 2.5))
        fig = plt.gcf()
        assert tuple(plt.rcParams["figure.figsize"]) == (4.5, 2.5)
        assert tuple(fig.get_size_inches()) == (4.5, 2.5)
        d2l.plot([0, 1], [3, 4])  # the same axes: the old curve is replaced
        assert plt.get_fignums() == [fig.number] and len(fig.axes) == 1
        assert [list(l.get_ydata()) for l in fig.axes[0].lines] == [[3, 4]]
    plt.close("all")


def test_plot_uses_the_axes_made_current():
    _, (left, right) = plt.subplots(1, 2)
    plt.sca(right)
    d2l.plot([1.0, 2.0])
    assert not left.lines and len(right.lines) == 1
    plt.close("all")


def test_use_svg_display_outside_notebook_sets_reproducible_ids():
    d2l.use_svg_display()
    assert plt.rcParams["svg.hashsalt"] == "d2lcore"
    assert not d2l.in_notebook()


@pytest.fixture(autouse=True)
def _close_figures():
    with matplotlib.rc_context():
        yield
    plt.close("all")


# -- in_notebook / use_svg_display -------------------------------------------------


@pytest.mark.parametrize(
    "args,fmt", [((), "svg"), ((True,), "svg"), ((False,), "retina")]
)
def test_use_svg_display_in_a_notebook_sets_the_inline_format(
    monkeypatch, args, fmt
):
    import IPython
    import matplotlib_inline.backend_inline as inline

    chosen = []
    monkeypatch.setattr(
        IPython, "get_ipython", lambda: SimpleNamespace(kernel=object())
    )
    monkeypatch.setattr(inline, "set_matplotlib_formats", chosen.append)
    d2l.use_svg_display(*args)
    assert chosen == [fmt]


# -- set_figsize -----------------------------------------------------------------


def test_set_figsize_accepts_small_sizes():
    d2l.set_figsize((0.5, 0.75))
    assert tuple(plt.rcParams["figure.figsize"]) == (0.5, 0.75)


# -- plot --------------------------------------------------------------------------


def lines_of(axes):
    return [(list(l.get_xdata()), list(l.get_ydata())) for l in axes.lines]


def test_plot_without_y_uses_the_indices():
    d2l.plot([1.0, 4.0, 9.0])
    assert lines_of(plt.gca()) == [([0, 1, 2], [1.0, 4.0, 9.0])]


def test_plot_one_curve_from_tensors_that_require_grad():
    x = torch.arange(3.0, requires_grad=True)
    d2l.plot(x, x * 2)
    assert lines_of(plt.gca()) == [([0.0, 1.0, 2.0], [0.0, 2.0, 4.0])]


def test_plot_several_curves_with_formats_labels_limits_and_legend():
    plt.rcParams["figure.figsize"] = (6.0, 4.0)  # plot's own default wins
    x = np.array([1.0, 2.0, 3.0])
    d2l.plot(
        x,
        [x, x**2],
        xlabel="x",
        ylabel="f(x)",
        legend=["x", "x^2"],
        xlim=(1, 3),
        ylim=(0.5, 10),
        yscale="log",
    )
    axes = plt.gca()
    assert tuple(axes.figure.get_size_inches()) == (3.5, 2.5)
    assert lines_of(axes) == [
        ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
        ([1.0, 2.0, 3.0], [1.0, 4.0, 9.0]),
    ]
    first, second = axes.lines
    assert first.get_linestyle() == "-"
    assert second.get_linestyle() == "--" and second.get_color() == "m"
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("x", "f(x)")
    assert axes.get_xlim() == (1, 3) and axes.get_ylim() == (0.5, 10)
    assert axes.get_yscale() == "log"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "x",
        "x^2",
    ]


def test_plot_several_curves_without_x():
    d2l.plot([[1.0, 2.0], [3.0, 5.0]], figsize=(2, 1))  # Y only, two curves
    axes = plt.gca()
    assert tuple(axes.figure.get_size_inches()) == (2, 1)
    assert lines_of(axes) == [([0, 1], [1.0, 2.0]), ([0, 1], [3.0, 5.0])]
    assert (
        axes.lines[1].get_linestyle() == "--"
        and axes.lines[1].get_color() == "m"
    )


def test_plot_on_given_axes_replaces_what_was_there():
    _, axes = plt.subplots()
    axes.plot([0, 1], [5, 5])
    current = plt.figure().gca()  # another figure is the current one now
    d2l.plot([0.0, 1.0], [2.0, 3.0], axes=axes)
    assert lines_of(axes) == [([0.0, 1.0], [2.0, 3.0])]
    assert len(current.lines) == 0
    d2l.plot([1.0], [2.0], "x", axes=axes)  # a curve of one point
    assert lines_of(axes) == [([1.0], [2.0])] and axes.get_xlabel() == "x"


def test_set_axes_sets_everything():
    _, axes = plt.subplots()
    axes.plot([1, 2], [1, 2])
    d2l.set_axes(axes, "a", "b", (1, 2), (0, 4), "log", "linear", ["curve"])
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("a", "b")
    assert axes.get_xlim() == (1, 2) and axes.get_ylim() == (0, 4)
    assert (axes.get_xscale(), axes.get_yscale()) == ("log", "linear")
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["curve"]


# -- show_images -------------------------------------------------------------------


def test_show_images_grid_size_colormaps_and_hidden_ticks():
    gray = torch.rand(2, 4, 4, requires_grad=True)
    rgb = torch.rand(1, 4, 4, 3)
    axes = d2l.show_images(list(gray) + list(rgb), 2, 3, titles=["a"], scale=2)
    fig = axes[0].figure
    assert tuple(fig.get_size_inches()) == (6.0, 4.0)  # (cols, rows) * scale
    assert len(axes) == 6
    assert axes[0].images[0].get_cmap().name == "gray"
    assert axes[2].images[0].get_cmap().name == plt.rcParams["image.cmap"]
    assert [ax.get_title() for ax in axes[:3]] == ["a", "", ""]
    for ax in axes[:3]:
        assert not ax.xaxis.get_visible() and not ax.yaxis.get_visible()
        assert ax.axison
    assert not any(ax.axison for ax in axes[3:])


def test_show_images_default_scale_and_a_single_cell():
    axes = d2l.show_images(torch.rand(1, 4, 4), 1, 1)
    assert len(axes) == 1
    assert tuple(axes[0].figure.get_size_inches()) == (1.5, 1.5)


def test_d2l_plt_is_pyplot_and_subplots_take_the_curves():
    assert d2l.plt is plt
    with matplotlib.rc_context():
        d2l.plt.figure(figsize=(6, 2))
        d2l.plt.subplot(1, 2, 2)
        d2l.plot([1.0, 2.0, 3.0])
        fig = plt.gcf()
        assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 1
        assert tuple(fig.get_size_inches()) == (
            6,
            2,
        )  # an existing figure keeps its size
    plt.close("all")
