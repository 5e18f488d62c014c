"""The book's fixes to its theme: working sidebar buttons, one search box, scrolling
equations on a phone, a favicon.

sphinx-book-theme 1.3.0 requires pydata-sphinx-theme 0.17.1, whose sidebar buttons
only work for the first button of each kind on the page, a hidden one
(pydata-sphinx-theme issue 2451), so the menu and contents buttons a reader sees did
nothing at phone width. ``static/book-theme-fixes.js`` forwards their clicks (and, on a
wide screen, makes the menu button hide the left sidebar); ``static/book.css`` hides
the theme's second search box, lets wide equations scroll in their own box and puts
equation numbers under the equation on a phone. ``static/favicon.svg`` is the tab icon.
Both files are small and replaceable once a theme release fixes the issue.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

STATIC = Path(__file__).resolve().parent / "static"


def _add_static_path(app: Sphinx, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))
    if not config.html_favicon:
        config.html_favicon = str(STATIC / "favicon.svg")


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _add_static_path)
    app.add_css_file("book.css")
    app.add_js_file("book-theme-fixes.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
