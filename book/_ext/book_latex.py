"""The PDF's structure (make pdf): the introduction as front matter, the parts.

Sphinx's LaTeX builder joins every page into one tree, each page opening with a
``start_of_file`` node. Two things there read well on screen but not on paper:

* the introduction's sections (``## The library and the chapters``, ...) would each
  become a chapter of one short page; they become run-in headings of the
  introduction instead;
* the parts of _toc.yml ("Linear neural networks for regression", ...) are the
  captions of the sidebar's groups, which the LaTeX builder drops; each becomes a
  part in the contents and the bookmarks, without a page of its own.

Only the LaTeX builder is touched; the HTML book is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx


def _part_starts(app: Sphinx) -> dict[str, str]:
    """The first page of each part of _toc.yml, mapped to the part's caption."""
    toc = yaml.safe_load(Path(app.confdir, "_toc.yml").read_text())
    starts = {}
    for part in toc.get("parts", []):
        chapters = part.get("chapters", [])
        if chapters and part.get("caption"):
            docname = str(Path(chapters[0]["file"]).with_suffix(""))
            starts[docname] = part["caption"]
    return starts


def _introduction_as_front_matter(doctree: nodes.document) -> None:
    """The root page's own sections become run-in headings (the chapters, joined
    into its tree in ``start_of_file`` nodes, are left as they are)."""
    for top in [n for n in doctree.children if isinstance(n, nodes.section)]:
        for sub in list(top.children):
            if isinstance(sub, nodes.section):
                title = sub[0]
                rubric = nodes.rubric(title.astext(), *title.children)
                sub.replace(title, rubric)
                sub.replace_self(sub.children)


def _latex_structure(app: Sphinx, doctree, docname: str) -> None:
    if app.builder.format != "latex":
        return
    _introduction_as_front_matter(doctree)
    parts = _part_starts(app)
    for start in list(doctree.findall(addnodes.start_of_file)):
        caption = parts.get(start["docname"])
        if caption:
            tex = (
                "\\cleardoublepage\\phantomsection"
                f"\\addcontentsline{{toc}}{{part}}{{{caption}}}\n"
            )
            start.insert(0, nodes.raw("", tex, format="latex"))


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", _latex_structure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
