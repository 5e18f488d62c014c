"""Static plotting helpers used throughout the book (sections 2.4 and 4.2.3).

`plot` draws curves and `show_images` a grid of images on matplotlib's current
figure, which Jupyter's inline backend shows at the end of a cell; a plain
script never opens a window.
"""

from __future__ import annotations

import matplotlib

from ._display import in_notebook

__all__ = [
    "in_notebook",
    "use_svg_display",
    "set_figsize",
    "set_axes",
    "plot",
    "show_images",
]


def use_svg_display(enabled=True):
    """Show inline figures as SVG (reproducible ids), or, with ``False``, as
    PNGs with twice the pixels of their size (what the book stores)."""
    matplotlib.rcParams["svg.hashsalt"] = "d2lcore"
    if in_notebook():
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("svg" if enabled else "retina")


def set_figsize(figsize=(3.5, 2.5)):
    """Set the size of new matplotlib figures, in inches."""
    matplotlib.rcParams["figure.figsize"] = tuple(figsize)


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """Set the labels, limits, scales and legend of matplotlib axes."""
    axes.set_xlabel(xlabel), axes.set_ylabel(ylabel)
    axes.set_xscale(xscale), axes.set_yscale(yscale)
    axes.set_xlim(xlim), axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _numpy(v):
    return v.detach().cpu().numpy() if hasattr(v, "detach") else v


def plot(
    X,
    Y=None,
    xlabel=None,
    ylabel=None,
    legend=None,
    xlim=None,
    ylim=None,
    xscale="linear",
    yscale="linear",
    fmts=("-", "m--", "g-.", "r:"),
    figsize=(3.5, 2.5),
    axes=None,
):
    """Plot one or several curves (section 2.4).

    ``X`` and ``Y`` may be tensors, arrays or lists, ``Y`` several curves (a
    list, or a 2-D tensor with one curve per row); without ``Y``, ``X`` is
    plotted against its indices. As in the published book, the curves replace
    those of ``axes``, or of the current axes (``plt.gca()``)."""
    import matplotlib.pyplot as plt

    def has_one_axis(v):
        return (hasattr(v, "ndim") and v.ndim == 1) or (
            isinstance(v, list) and not hasattr(v[0], "__len__")
        )

    if Y is None:
        X, Y = [[]] * len(X), X
    if has_one_axis(X):
        X = [X]
    if has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    set_figsize(figsize)
    axes = axes if axes is not None else plt.gca()
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts * len(Y)):
        x, y = _numpy(x), _numpy(y)
        if len(x):
            axes.plot(x, y, fmt)
        else:
            axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)


def show_images(imgs, num_rows, num_cols, titles=None, scale=1.5):
    """Show images in a ``num_rows`` x ``num_cols`` grid (section 4.2.3): 2-D
    images, or RGB images with the channel last. Returns the array of axes."""
    import matplotlib.pyplot as plt

    figsize = (num_cols * scale, num_rows * scale)
    _, axes = plt.subplots(num_rows, num_cols, figsize=figsize, squeeze=False)
    axes = axes.flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        img = _numpy(img)
        ax.imshow(img, cmap="gray" if img.ndim == 2 else None)
        ax.xaxis.set_visible(False)
        ax.yaxis.set_visible(False)
        if titles is not None and i < len(titles):
            ax.set_title(titles[i])
    for ax in axes[len(imgs) :]:
        ax.axis("off")
    return axes
