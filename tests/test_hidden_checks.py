"""The hidden checks of a chapter say what they check, and only check.

Cells tagged ``remove-cell`` assert the claims of the text (and glue the numbers it
quotes). The book hides them, and the JupyterLab copies of the chapters
(``make lab``) leave them out, so:

* every ``assert`` carries a message that names the claim in words: a failing check
  must say which claim broke, not ``AssertionError: 0.822265625``;
* a hidden cell defines nothing that a later shown cell uses: the chapter runs the
  same without them.
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("ch*.ipynb"))


def _hidden(cell) -> bool:
    return "remove-cell" in cell.get("metadata", {}).get("tags", [])


def _tree(cell) -> ast.Module | None:
    source = "\n".join(
        ln
        for ln in cell.source.splitlines()
        if not ln.lstrip().startswith(("%", "!"))
    )
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def _bound(tree: ast.Module) -> set[str]:
    """Names a cell binds at top level (assignments, imports, defs, loops)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(
            node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)
        ):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _loaded(tree: ast.Module) -> set[str]:
    return {
        n.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_hidden_assert_names_its_claim(path):
    bare = []
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if (
            cell.cell_type == "code"
            and _hidden(cell)
            and (tree := _tree(cell))
        ):
            bare += [
                f"cell {i} line {node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Assert) and node.msg is None
            ]
    assert not bare, (
        f"{path.name}: asserts without a message naming the claim they check: "
        f"{bare[:10]}"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_shown_cells_need_no_hidden_cell(path):
    defined_by_shown, only_hidden, leaks = set(dir(builtins)), {}, []
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "code" or (tree := _tree(cell)) is None:
            continue
        if _hidden(cell):
            for name in _bound(tree) - defined_by_shown:
                only_hidden.setdefault(name, i)
            continue
        used = (_loaded(tree) - _bound(tree)) & set(only_hidden)
        leaks += [
            f"cell {i} uses {n} (set in hidden cell {only_hidden[n]})"
            for n in used
        ]
        defined_by_shown |= _bound(tree)
        for name in _bound(tree):
            only_hidden.pop(name, None)
    assert not leaks, (
        f"{path.name}: shown cells use names that only a hidden cell defines "
        f"(the Lab copy leaves hidden cells out): {leaks[:10]}"
    )
