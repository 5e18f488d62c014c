"""Citations in the author-year form of a printed textbook: (LeCun et al., 1998).

sphinxcontrib-bibtex's ``author_year`` style puts citations in square brackets; this
extension registers the same style with round brackets as ``author_year_round``
(the customization its documentation describes), which _config.yml selects with
``bibtex_reference_style``. The bibliography itself is book/references.md, built
from book/references.bib.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import (
    AuthorYearReferenceStyle,
)


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    """``author_year`` with (round) brackets around parenthetical citations."""

    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_textual: BracketStyle = field(default_factory=_round)
    bracket_author: BracketStyle = field(default_factory=_round)
    bracket_label: BracketStyle = field(default_factory=_round)
    bracket_year: BracketStyle = field(default_factory=_round)


def setup(app: Sphinx) -> dict:
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing",
        "author_year_round",
        RoundAuthorYearReferenceStyle,
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
