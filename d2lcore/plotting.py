"""Static plotting helpers used throughout the book (sections 2.4 and 4.2.3).

`plot` draws curves, `show_images` a grid of images. Both draw on matplotlib
figures that Jupyter's inline backend shows at the end of a cell; in a plain script
they never open a window. `in_notebook` tells whether we run inside a Jupyter kernel.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib

from ._checks import check_figsize, check_positive_int
from ._display import in_notebook

__all__ = ["in_notebook", "use_svg_display", "set_figsize", "set_axes", "plot",
           "show_images"]


def use_svg_display(enabled: bool = True) -> None:
    """Show inline figures as SVG (crisp when zoomed) instead of PNG.

    SVG element ids are made reproducible with a fixed ``svg.hashsalt``. The book
    itself stores PNG figures at twice the pixels of their size on the page (what
    ``import d2lcore`` chooses in a notebook); ``use_svg_display(False)`` goes back
    to those.
    """
    matplotlib.rcParams["svg.hashsalt"] = "d2lcore"
    if in_notebook():
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        set_matplotlib_formats("svg" if enabled else "retina")


def _pyplot():
    import matplotlib.pyplot as plt
    return plt


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """Set the default size of new matplotlib figures, in inches."""
    check_figsize(figsize)
    matplotlib.rcParams["figure.figsize"] = tuple(figsize)


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend) -> None:
    """Set the labels, limits, scales and legend of matplotlib axes."""
    axes.set_xlabel(xlabel), axes.set_ylabel(ylabel)
    axes.set_xscale(xscale), axes.set_yscale(yscale)
    axes.set_xlim(xlim), axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _to_numpy(v: Any):
    if hasattr(v, "detach"):
        return v.detach().cpu().numpy()
    return v


def plot(X: Any, Y: Any = None, xlabel: str | None = None,
         ylabel: str | None = None, legend: Sequence[str] | None = None,
         xlim=None, ylim=None, xscale: str = "linear", yscale: str = "linear",
         fmts: Sequence[str] = ("-", "m--", "g-.", "r:"),
         figsize: tuple[float, float] = (3.5, 2.5), axes=None) -> None:
    """Plot one or several curves (section 2.4).

    ``X`` and ``Y`` may be tensors, arrays or lists; ``Y`` may hold several curves
    (a list of them, or a 2-D tensor with one curve per row). Without ``Y``, ``X``
    is plotted against its indices.

    As in the published book, the curves go into ``axes`` or else into the current
    axes (``plt.gca()``, which creates a figure if there is none), whose old curves
    are cleared; ``figsize`` becomes the size of new figures (`set_figsize`). In a
    notebook each cell starts without a figure, so every cell that plots gets its
    own; two calls in one cell draw into the same axes, the second replacing the
    first (call ``plt.figure()`` in between to keep both).
    """
    def has_one_axis(v):
        return (hasattr(v, "ndim") and v.ndim == 1) or (
            isinstance(v, list) and not hasattr(v[0], "__len__"))

    if Y is None:
        X, Y = [[]] * len(X), X
    if has_one_axis(X):
        X = [X]
    if has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    set_figsize(figsize)
    if axes is None:
        axes = _pyplot().gca()
    axes.cla()
    for x, y, fmt in zip(X, Y, list(fmts) * len(Y)):
        x, y = _to_numpy(x), _to_numpy(y)
        if len(x):
            if len(x) != len(y):
                raise ValueError(f"plot: x has {len(x)} values but y has {len(y)}")
            axes.plot(x, y, fmt)
        else:
            axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)


def show_images(imgs: Any, num_rows: int, num_cols: int,
                titles: Sequence[str] | None = None, scale: float = 1.5):
    """Show images in a ``num_rows`` x ``num_cols`` grid (section 4.2.3).

    ``imgs`` is a sequence (or a tensor) of 2-D images, or of RGB images with the
    channel last. Returns the array of axes.
    """
    num_rows = check_positive_int("num_rows", num_rows)
    num_cols = check_positive_int("num_cols", num_cols)
    plt = _pyplot()
    figsize = (num_cols * scale, num_rows * scale)
    _, axes = plt.subplots(num_rows, num_cols, figsize=figsize, squeeze=False)
    axes = axes.flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        ax.imshow(_to_numpy(img), cmap="gray" if _to_numpy(img).ndim == 2 else None)
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles is not None and i < len(titles):
            ax.set_title(titles[i])
    for ax in axes[len(imgs):]:
        ax.axis("off")
    return axes
