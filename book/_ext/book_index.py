"""The general index lists the book's concepts, not only the library's names.

Every section and subsection title of a chapter names what it teaches ("3.7 Weight
Decay", "4.1.4.1 Entropy", "Xavier Initialization"), so each one becomes an index
entry pointing at its section, without its number: "weight decay", "entropy",
"Xavier initialization". Titles that name a part of every chapter rather than a
concept ("Exercises", "Training", "Summary and Discussion", ...) are left out. The
library's public names come from the API page (autodoc); its framework-neutral
aliases of torch functions are kept out (``:no-index-entry:`` on book/api.md).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

#: section titles that every chapter has: not concepts
GENERIC = {
    "exercises", "summary and discussion", "summary", "discussion", "training",
    "model", "the model", "prediction", "defining the model", "data",
    "defining the loss function", "defining the optimization algorithm",
    "implementation from scratch", "concise implementation", "utilities",
    "models", "the loss", "the optimizer", "solutions",
}  # fmt: skip
NUMBER = re.compile(r"^\s*\d+(\.\d+)*\.?\s+")


#: names that keep their capital in the index
PROPER = {
    "xavier",
    "kaggle",
    "gaussian",
    "hoeffding",
    "kullback–leibler",
    "pytorch",
    "fashion",
}


def concept(title: str) -> str | None:
    """The index term for a section title, or None for a generic one."""
    term = re.sub(
        r"^(the|a|an) ", "", NUMBER.sub("", title).strip(), flags=re.I
    )
    if not term or term.lower() in GENERIC:
        return None
    return " ".join(map(_word, term.split()))


def _word(word: str) -> str:
    """Lower case, except acronyms and names (ReLU, MLPs, Fashion-MNIST, Xavier)."""
    return "-".join(
        part
        if any(c.isupper() for c in part[1:])
        or part.lower().strip("(),:") in PROPER
        else part.lower()
        for part in word.split("-")
    )


class IndexSections(SphinxTransform):
    """Each chapter's section titles as index entries (before Sphinx collects the
    entries of the page, at the end of reading it)."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        if not self.env.docname.split("/")[-1].startswith("ch"):
            return
        for section in self.document.findall(nodes.section):
            if not section.children or not isinstance(section[0], nodes.title):
                continue  # the untitled sections inside exercise boxes
            term = concept(section[0].astext())
            if term and section["ids"]:
                entry = ("single", term, section["ids"][0], "", None)
                section.insert(1, addnodes.index(entries=[entry]))


def setup(app: Sphinx) -> dict:
    app.add_transform(IndexSections)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
