"""Every exercise has a worked solution, checked, and the edition without them.

Each chapter's ``{exercise}`` directives and its solutions (gated
``{solution-start}``/``{solution-end}`` or plain ``{solution}``) are counted: one
solution per exercise, each naming an exercise of its own chapter. A solution that
runs code (a shown code cell between its start and end) has a hidden check: a
``remove-cell`` cell with an ``assert`` inside the solution. The edition without
solutions (``make book SOLUTIONS=0``, tools/build_edition.py) is built and must
keep every exercise and show no solution's text.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("ch*.ipynb"))
EXERCISE = re.compile(
    r"(`{3,}|:{3,})\{exercise\}[^\n]*\n(?:.*\n)*?:label: *(\S+)"
)
SOLUTION = re.compile(r"(`{3,}|:{3,})\{solution(?:-start)?\} *(\S+)")
HIDDEN = {"remove-cell"}


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def exercises_and_solutions(path: Path):
    """The chapter's exercise labels, and for each solution its target and cells."""
    nb = nbformat.read(path, as_version=4)
    exercises, solutions, current = [], [], None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            exercises += [m.group(2) for m in EXERCISE.finditer(cell.source)]
            for m in SOLUTION.finditer(cell.source):
                current = {"target": m.group(2), "cells": []}
                solutions.append(current)
                if "{solution-start}" not in m.group(0):
                    current = None  # a plain solution holds no cells
            if "{solution-end}" in cell.source:
                current = None
        elif current is not None:
            current["cells"].append(cell)
    return exercises, solutions


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_has_one_solution(path):
    exercises, solutions = exercises_and_solutions(path)
    assert exercises, f"{path.name} has no exercises"
    targets = [s["target"] for s in solutions]
    missing = [label for label in exercises if label not in targets]
    assert not missing, f"{path.name}: exercises without a solution: {missing}"
    assert len(solutions) == len(exercises), (
        f"{path.name}: {len(exercises)} exercises but {len(solutions)} solutions "
        f"(one solution per exercise): {sorted(targets)}"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_computed_solution_is_checked(path):
    _, solutions = exercises_and_solutions(path)
    unchecked = []
    for solution in solutions:
        code = [c for c in solution["cells"] if c.cell_type == "code"]
        shown = [c for c in code if not HIDDEN & _tags(c)]
        checks = [
            c for c in code if HIDDEN & _tags(c) and "assert" in c.source
        ]
        if shown and not checks:
            unchecked.append(solution["target"])
    assert not unchecked, (
        f"{path.name}: solutions that run code but assert nothing in a hidden "
        f"cell: {unchecked}"
    )


# -- the edition without solutions ---------------------------------------------
def _load_build_edition():
    spec = importlib.util.spec_from_file_location(
        "build_edition", ROOT / "tools" / "build_edition.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _solution_phrases(path: Path) -> list[str]:
    """A distinctive line of prose from each solution of the chapter."""
    phrases = []
    for solution in exercises_and_solutions(path)[1]:
        for cell in solution["cells"]:
            if cell.cell_type != "markdown":
                continue
            lines = [ln.strip() for ln in cell.source.splitlines()]
            words = [
                ln for ln in lines if re.fullmatch(r"[A-Za-z ,;']{30,}", ln)
            ]
            if words:
                phrases.append(words[0])
                break
    return phrases


def test_stripping_keeps_exercises_and_drops_solutions(tmp_path):
    edition = _load_build_edition()
    text = (
        "Before.\n```{exercise}\n:label: ex-a\n\nDo it.\n```\n"
        "```{solution-start} ex-a\n:class: dropdown\n```\nThe answer.\n"
    )
    kept, inside = edition.strip_markdown(text, inside=False)
    assert inside and "Do it." in kept and "answer" not in kept
    kept, inside = edition.strip_markdown(
        "Hidden.\n```{solution-end}\n```\nAfter.\n", True
    )
    assert not inside and kept == "After.\n"
    plain = (
        "```{solution} ex-a\n:class: dropdown\n\nShort answer.\n```\nNext.\n"
    )
    assert edition.strip_markdown(plain, inside=False) == ("Next.\n", False)


@pytest.mark.slow
def test_edition_without_solutions_has_exercises_and_no_solution_text(
    tmp_path,
):
    edition = _load_build_edition()
    assert edition.main(["--out", str(tmp_path)]) == 0, (
        "the edition did not build"
    )
    html = tmp_path / "_build" / "html"
    for path in CHAPTERS:
        page = (html / "book" / f"{path.stem}.html").read_text()
        exercises, _ = exercises_and_solutions(path)
        for label in exercises:
            assert f'id="{label}"' in page, (
                f"{path.stem}: exercise {label} is missing"
            )
        assert 'class="solution' not in page, (
            f"{path.stem} shows a solution box"
        )
        for phrase in _solution_phrases(path):
            assert phrase not in page, (
                f"{path.stem} shows solution text: {phrase!r}"
            )
    intro = (html / "book" / "intro.html").read_text()
    assert "edition without the worked solutions" in intro


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-n", "0"]))
