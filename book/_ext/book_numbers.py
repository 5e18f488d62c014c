"""Equations and figures numbered per section, as in the published book:
(3.4.1), Fig. 5.3.1.

The chapters carry the section numbers of *Dive into Deep Learning* in their titles
("3.4 Linear Regression Implementation from Scratch"), not in the table of contents:
the toctree is not numbered, so Sphinx would count equations and figures across the
whole book, (1) to (28). After Sphinx has assigned those numbers (the event
``env-get-updated``), this extension renumbers every numbered element of a page as
``<section number of the page's title>.<k>``, with ``k`` counting from 1 in reading
order for each kind (equation, figure, table, code block). The same numbers serve the
equation labels, ``{eq}`` and ``{numref}`` references and the figure captions, since
all of them read ``env.toc_fignumbers``. A page whose title has no number (the
introduction, the API reference) keeps numbers without a prefix.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: "3.4 Linear Regression ..." -> (3, 4)
_SECTION = re.compile(r"^\s*(\d+(?:\.\d+)*)\s")


def section_number(title: str) -> tuple[int, ...]:
    """The leading section number of a page title, ``()`` when it has none."""
    match = _SECTION.match(title)
    return (
        tuple(int(part) for part in match.group(1).split(".")) if match else ()
    )


def _renumber(app: Sphinx, env: BuildEnvironment) -> list[str]:
    changed = []
    for docname, kinds in env.toc_fignumbers.items():
        title = env.titles.get(docname)
        prefix = section_number(title.astext()) if title is not None else ()
        renumbered = {
            kind: {
                node_id: (*prefix, k)
                for k, node_id in enumerate(numbers, start=1)
            }
            for kind, numbers in kinds.items()
        }
        if renumbered != kinds:
            env.toc_fignumbers[docname] = renumbered
            changed.append(docname)
    return changed


#: LaTeX counters numbered per section, like the HTML numbers above
_LATEX_COUNTERS = ("equation", "figure", "table", "literalblock")


def _latex_numbers(app: Sphinx, doctree, docname: str) -> None:
    """In the PDF, number equations, figures and tables per section (3.4.1) too.

    LaTeX numbers them by its own chapter counter, and our chapters are unnumbered
    (their titles carry the published section numbers). The LaTeX builder joins
    every page into one tree, each page opening with a ``start_of_file`` node;
    there, the counters restart and print with the page's section number.
    """
    if app.builder.format != "latex":
        return
    from docutils import nodes
    from sphinx import addnodes

    for start in list(doctree.findall(addnodes.start_of_file)):
        title = app.env.titles.get(start["docname"])
        prefix = section_number(title.astext()) if title is not None else ()
        if not prefix:
            continue
        number = ".".join(map(str, prefix))
        tex = "".join(
            rf"\setcounter{{{c}}}{{0}}"
            rf"\renewcommand{{\the{c}}}{{{number}.\arabic{{{c}}}}}"
            for c in _LATEX_COUNTERS
        )
        start.insert(0, nodes.raw("", tex + "\n", format="latex"))


def setup(app: Sphinx) -> dict:
    # after sphinx.environment.collectors.toctree (priority 500) has numbered the book
    app.connect("env-get-updated", _renumber, priority=900)
    app.connect("doctree-resolved", _latex_numbers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
