"""The book's page assets: offline MathJax and no duplicate inline scripts.

1. MathJax without a network. Sphinx's default ``mathjax_path`` points at
   cdn.jsdelivr.net: a reader without a network (or a test that blocks it) would see
   raw TeX. The PyPI package ``django-static-mathjax`` (in the ``book`` extra of
   pyproject.toml) ships MathJax 3.2.2's browser files as the Python package
   ``mathjax``. This extension copies the parts that ``tex-mml-chtml.js`` loads (the
   combined component, the TeX extensions it autoloads, the CHTML woff fonts, the
   accessibility and menu modules; about 7 MB) into ``_build/html/_static/mathjax/``
   and points ``mathjax_path`` there, so no build step and no page view needs the
   internet.

2. Each inline ``<script>`` once. With Sphinx 7.4, the inline scripts that
   sphinx-togglebutton and sphinx-thebe register after the HTML builder starts end
   up twice in every page, and the second ``const THEBE_JS_URL = ...`` is a
   JavaScript error ("Identifier 'THEBE_JS_URL' has already been declared") in the
   console of every page. Identical script entries are dropped before rendering.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

#: Relative to ``_static``: where the pages load MathJax from.
MATHJAX_PATH = "mathjax/tex-mml-chtml.js"
#: The files and folders of MathJax's ``es5`` directory the pages may request.
_NEEDED = (
    "tex-mml-chtml.js",
    "input/tex/extensions",
    "input/mml",
    "output/chtml/fonts/woff-v2",
    "a11y",
    "sre",
    "ui",
    "adaptors",
)


def mathjax_source() -> Path:
    """The ``es5`` directory of the installed MathJax 3 package."""
    try:
        import mathjax  # the django-static-mathjax distribution
    except ImportError as exc:
        raise ExtensionError(
            "offline MathJax needs the PyPI package django-static-mathjax: "
            "pip install -e '.[book]'"
        ) from exc
    es5 = (
        Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
    )
    if not (es5 / "tex-mml-chtml.js").is_file():
        raise ExtensionError(
            f"no MathJax 3 build found at {es5} "
            "(reinstall django-static-mathjax)"
        )
    return es5


def _use_local_mathjax(app: Sphinx, config) -> None:
    # Only the default (a CDN URL) is replaced; an explicit local path is kept.
    if not config.mathjax_path or "://" in config.mathjax_path:
        config.mathjax_path = MATHJAX_PATH


def _copy_mathjax(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    src = mathjax_source()
    dest = Path(app.outdir) / "_static" / Path(app.config.mathjax_path).parent
    for rel in _NEEDED:
        source, target = src / rel, dest / rel
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _script_key(js) -> tuple:
    attributes = getattr(js, "attributes", {})
    return (
        str(getattr(js, "filename", js) or ""),
        getattr(js, "priority", 500),
        tuple(sorted((k, str(v)) for k, v in attributes.items())),
    )


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for js in scripts:
        key = _script_key(js)
        if key not in seen:
            seen.add(key)
            unique.append(js)
    if len(unique) != len(scripts):
        context["script_files"] = unique


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx.ext.mathjax")
    app.connect("config-inited", _use_local_mathjax)
    # Before the pages are written, so that Sphinx adds the file's checksum (?v=...).
    app.connect("builder-inited", _copy_mathjax)
    # Last, after every extension has added its scripts to the page.
    app.connect("html-page-context", _dedupe_scripts, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
