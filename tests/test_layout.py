"""The shape of the library and the book: lessons at the size of a lesson, plumbing
underneath them, and chapters that speak for themselves."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "d2lcore"
BOOK = ROOT / "book"
CHAPTERS = sorted(BOOK.glob("ch*.ipynb"))
PRIVATE = sorted(p.stem for p in PACKAGE.glob("_*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", PRIVATE)
def test_private_modules_import_no_taught_module(module):
    # arrows point down only: the lessons call the plumbing, never the reverse
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or 0) > 0:
            assert node.module and node.module.startswith("_"), (
                f"d2lcore/{module}.py imports d2lcore.{node.module}"
            )
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "d2lcore"
        ):
            assert node.module.split(".")[1].startswith("_")


def _shown_code(path: Path) -> list[str]:
    """The source of every code cell a reader sees."""
    cells = json.loads(path.read_text())["cells"]
    return [
        "".join(cell["source"])
        for cell in cells
        if cell["cell_type"] == "code"
        and not {"remove-cell", "remove-input"}
        & set(cell["metadata"].get("tags", []))
    ]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_pages_show_the_lesson_not_the_plumbing(path):
    # a page uses d2l's public names and what it teaches, never d2lcore._*
    private = [
        line
        for code in _shown_code(path)
        for line in code.splitlines()
        if re.search(r"\bd2lcore\._", line)
    ]
    assert not private, f"{path.name} shows private imports: {private}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_shown_code_fits_79_columns(path):
    long = [
        line
        for code in _shown_code(path)
        for line in code.splitlines()
        if len(line) > 79
    ]
    assert not long, (
        f"{path.name} shows {len(long)} lines over 79 columns: {long[:3]}"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapters_cite_the_book_not_the_study_notes(path):
    text = "".join(
        "".join(cell["source"])
        for cell in json.loads(path.read_text())["cells"]
    )
    found = re.findall(
        r"[^.\n]*\b(?:the notes|study notes|notes')[^.\n]*", text, re.I
    )
    assert not found, (
        f"{path.name} discusses the study notes (book/errata.md is "
        f"their place): {found[:3]}"
    )


def test_an_equation_is_numbered_when_the_text_refers_to_it():
    """One numbering rule: a display equation gets a label (and so a number)
    only when some page refers to it with {eq}."""
    texts = [
        "\n".join(
            c["source"]
            if isinstance(c["source"], str)
            else "".join(c["source"])
            for c in json.loads(p.read_text())["cells"]
            if c["cell_type"] == "markdown"
        )
        for p in CHAPTERS
    ] + [p.read_text() for p in BOOK.glob("*.md")]
    text = "\n".join(texts)
    labels = set(re.findall(r"\$\$ *\(([\w-]+)\)", text))
    labels |= set(re.findall(r":label: *(eq-[\w-]+)", text))
    referred = set(re.findall(r"\{eq\}`([^`]+)`", text))
    assert labels, "no numbered equations found"
    assert not labels - referred, (
        f"numbered equations nothing refers to (drop their labels): "
        f"{sorted(labels - referred)}"
    )
