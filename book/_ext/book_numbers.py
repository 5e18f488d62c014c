"""Equations and figures numbered per section, as in the published book: (3.4.1), Fig. 5.3.1.

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
    return tuple(int(part) for part in match.group(1).split(".")) if match else ()


def _renumber(app: Sphinx, env: BuildEnvironment) -> list[str]:
    changed = []
    for docname, kinds in env.toc_fignumbers.items():
        title = env.titles.get(docname)
        prefix = section_number(title.astext()) if title is not None else ()
        renumbered = {kind: {node_id: (*prefix, k)
                             for k, node_id in enumerate(numbers, start=1)}
                      for kind, numbers in kinds.items()}
        if renumbered != kinds:
            env.toc_fignumbers[docname] = renumbered
            changed.append(docname)
    return changed


def setup(app: Sphinx) -> dict:
    # after sphinx.environment.collectors.toctree (priority 500) has numbered the book
    app.connect("env-get-updated", _renumber, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
