"""The working copies of ``make lab``: the chapter as the book shows it.

tools/lab_copies.py makes them; here on a small chapter written for the test, and
on the book's own chapters.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location(
    "lab_copies", ROOT / "tools" / "lab_copies.py"
)
lab_copies = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(lab_copies)


def _chapter(tmp_path: Path) -> Path:
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    glue = code("glue('acc', 0.8512, display=False)")
    glue.metadata["tags"] = ["remove-cell"]
    glue.outputs = [nbformat.v4.new_output(
        "display_data",
        data={lab_copies.GLUE_KEY: "0.8512"},
        metadata={"scrapbook": {"name": "acc"}},
    )]  # fmt: skip
    check = code("assert acc > 0.8, 'the model beats 0.8'")
    check.metadata["tags"] = ["remove-cell"]
    nb = nbformat.v4.new_notebook(cells=[
        md("(sec-toy)=\n# 9.1 A Toy\n\nSee {ref}`sec-toy` and {eq}`eq-toy`.\n\n"
           "$$\ny = x\n$$ (eq-toy)\n\nIt reaches {glue:text}`acc:.2f`, "
           "with {py:class}`d2l.Trainer <d2lcore.Trainer>`."),
        code("x = 1"), glue, check,
        md("## Exercises\n\n```{exercise}\n:label: ex-toy-1\n\nWhy?\n```\n\n"
           "```{exercise}\n:label: ex-toy-2\n\nHow?\n```"),
        md("```{solution-start} ex-toy-1\n:class: dropdown\n```\nBecause."),
        code("print(x)"),
        md("```{solution-end}\n```"),
        md("```{solution} ex-toy-2\n:class: dropdown\n\nLike this.\n```"),
    ])  # fmt: skip
    path = tmp_path / "ch09_1_toy.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_copy_shows_the_lesson_and_folds_the_solutions(tmp_path):
    path = _chapter(tmp_path)
    copy = lab_copies.lab_copy(path, lab_copies.book_index([path]))
    sources = [c.source for c in copy.cells]
    text = "\n".join(sources)
    assert "assert" not in text and "glue(" not in text, "hidden cells kept"
    assert "It reaches 0.85, with `d2l.Trainer`." in text
    assert "See [9.1 A Toy](ch09_1_toy.ipynb) and (9.1.1)." in text
    assert "\\tag{9.1.1}" in text and "(eq-toy)" not in text
    assert "{solution" not in text
    headings = [c for c in copy.cells if c.source.startswith("### Solution")]
    assert [c.source.splitlines()[0] for c in headings] == [
        "### Solution to Exercise 9.1.1",
        "### Solution to Exercise 9.1.2",
    ]
    assert all(c.metadata[lab_copies.HEADING_COLLAPSED] for c in headings)
    solutions = sources.index("## Solutions")
    assert sources.index("print(x)") > solutions > sources.index("x = 1")
    assert "Like this." in headings[1].source


def test_make_lab_keeps_a_students_copy_until_refreshed(tmp_path, monkeypatch):
    path = _chapter(
        tmp_path / "book" if (tmp_path / "book").mkdir() is None else 0
    )
    monkeypatch.setattr(lab_copies, "BOOK", path.parent)
    out = tmp_path / "lab"
    assert lab_copies.main(["--out", str(out)]) == 0
    copy = out / path.name
    copy.write_text(copy.read_text().replace("x = 1", "x = 2"))
    lab_copies.main(["--out", str(out)])
    assert "x = 2" in copy.read_text(), "make lab overwrote the student's copy"
    lab_copies.main(["--out", str(out), "--refresh"])
    assert "x = 1" in copy.read_text()


@pytest.mark.parametrize(
    "path", sorted((ROOT / "book").glob("ch*.ipynb")), ids=lambda p: p.stem
)
def test_every_chapter_copies_without_raw_myst(path):
    index = lab_copies.book_index(sorted((ROOT / "book").glob("ch*.ipynb")))
    copy = lab_copies.lab_copy(path, index)
    for cell in copy.cells:
        if cell.cell_type == "markdown":
            for role in ("{ref}`", "{eq}`", "{glue", "{numref}`", "{py:"):
                assert role not in cell.source, (
                    f"unresolved {role} in {path.name}"
                )
            assert "{solution" not in cell.source
        else:
            assert "remove-cell" not in cell.metadata.get("tags", [])
