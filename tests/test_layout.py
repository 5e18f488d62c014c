"""The shape of the library and the book: lessons at the size of a lesson, plumbing
underneath them, and chapters that speak for themselves."""
from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path

import pytest

import d2lcore

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "d2lcore"
BOOK = ROOT / "book"
CHAPTERS = sorted(BOOK.glob("ch*.ipynb"))
PRIVATE = sorted(p.stem for p in PACKAGE.glob("_*.py") if p.stem != "__init__")
TAUGHT_CLASSES = [name for name in d2lcore.__all__
                  if inspect.isclass(getattr(d2lcore, name))
                  and getattr(d2lcore, name).__module__.startswith("d2lcore.")
                  and name != "Point"]          # a namedtuple, one line


@pytest.mark.parametrize("module", PRIVATE)
def test_private_modules_import_no_taught_module(module):
    # arrows point down only: the lessons call the plumbing, never the reverse
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or 0) > 0:
            assert node.module and node.module.startswith("_"), (
                f"d2lcore/{module}.py imports d2lcore.{node.module}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("d2lcore"):
            assert node.module.split(".")[1].startswith("_")


@pytest.mark.parametrize("name", TAUGHT_CLASSES)
def test_taught_classes_are_the_size_of_a_lesson(name):
    lines = inspect.getsource(getattr(d2lcore, name)).splitlines()
    code = [line for line in lines if line.strip()]
    assert len(code) <= 80, f"{name} has {len(code)} lines; move plumbing to d2lcore/_*.py"


def _shown_code_lines(path: Path) -> int:
    cells = json.loads(path.read_text())["cells"]
    return sum(1 for cell in cells if cell["cell_type"] == "code"
               and not {"remove-cell", "remove-input"} & set(cell["metadata"].get("tags", []))
               for line in "".join(cell["source"]).splitlines() if line.strip())


def test_the_design_chapter_shows_a_lesson_not_the_plumbing():
    # section 3.2 of the published book shows about 180 lines of code
    assert _shown_code_lines(BOOK / "ch03_2_oo_design.ipynb") <= 220


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapters_cite_the_book_not_the_study_notes(path):
    text = "".join("".join(cell["source"]) for cell in json.loads(path.read_text())["cells"])
    found = re.findall(r"[^.\n]*\b(?:the notes|study notes|notes')[^.\n]*", text, re.I)
    assert not found, f"{path.name} discusses the study notes (book/errata.md is " \
                      f"their place): {found[:3]}"
