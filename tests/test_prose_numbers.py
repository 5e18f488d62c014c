"""Numbers the prose quotes from a run are glued from it, never typed.

A chapter's text may type a decimal only when it is a constant of the page, not a
result: a number that the chapter's shown code sets (a learning rate, a noise
level), a section or equation number, or one of the constants listed below with the
reason (a figure of the published book that a chapter cites, a value of a formula).
Every other decimal in the prose (math included) must come from the run with
myst-nb's ``{glue:text}`` role, so that re-executing a chapter cannot leave its text
behind.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("ch*.ipynb"))

#: Decimals that are true constants in any chapter's text.
CONSTANTS = {
    "0.5": "a half (a probability, a threshold, the 1/2 of the squared loss)",
    "0.0": "zero",
    "1.0": "one",
    "2.0": "two",
}
#: Decimals one chapter may type, with the reason.
CHAPTER_CONSTANTS: dict[str, dict[str, str]] = {}

DECIMAL = re.compile(r"(?<![\w.\\])\d*\.\d+(?![\w.])")
# a section, equation or figure number: "section 3.4", "(3.4.2)", "Figure 5.1.1"
SECTION = re.compile(
    r"(?:[Ss]ections?|[Cc]hapters?|[Ee]xercises?|[Ff]ig(?:ure|\.)?s?|"
    r"[Ee]quations?|[Ee]q\.|[Tt]ables?)\s*\(?$"
)
GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
CODE = re.compile(r"`[^`\n]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>\s]+>")
DIRECTIVE_LINE = re.compile(r"^\s*(:\w[\w-]*:.*|```.*|:::.*)$", re.M)


def _code_numbers(nb) -> set[str]:
    """The decimal literals the chapter's shown code cells write."""
    found = set()
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type != "code" or "remove-cell" in tags:
            continue
        source = "\n".join(
            ln for ln in cell.source.splitlines() if not ln.lstrip().startswith("%")
        )
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, float):
                found.add(repr(node.value))
    return found


def _same(token: str, constants: set[str]) -> bool:
    try:
        value = float(token)
    except ValueError:
        return False
    return any(float(c) == value for c in constants)


def typed_decimals(path: Path) -> list[str]:
    """The decimals of a chapter's prose that are neither glued nor constants."""
    nb = nbformat.read(path, as_version=4)
    allowed = _code_numbers(nb) | set(CONSTANTS)
    allowed |= set(CHAPTER_CONSTANTS.get(path.stem, {}))
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = DIRECTIVE_LINE.sub("", cell.source)
        for pattern in (GLUE, CODE, LINK_TARGET):
            text = pattern.sub(" ", text)
        for match in DECIMAL.finditer(text):
            token = match.group()
            before = text[max(0, match.start() - 12) : match.start()]
            if SECTION.search(before) or (
                re.fullmatch(r"[345](\.\d{1,2}){1,3}", token)
                and re.search(r"(\(|^#+ +|\n#+ +)$", before)
            ):
                continue  # a section, equation, figure or exercise number
            if _same(token, allowed):
                continue
            line = text[max(0, match.start() - 40) : match.end() + 20]
            found.append(f"{token} in {' '.join(line.split())!r}")
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_prose_quotes_no_typed_result(path):
    typed = typed_decimals(path)
    assert not typed, (
        f"{path.name} types {len(typed)} decimal(s) in its prose that its code "
        "does not set: glue each result from the run ({glue:text}`name:.3f`) or, "
        "for a true constant, list it in tests/test_prose_numbers.py with the "
        f"reason: {typed[:8]}"
    )
