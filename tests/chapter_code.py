"""Find the library code a chapter shows, for the drift test.

A chapter shows library code when a code cell defines, at top level, a class or
function named like a public d2lcore name (``class Module(...)``, ``def softmax``),
or a method with ``@d2l.add_to_class(X)`` / ``@add_to_class(X)`` where ``X`` is
such a class. Comparison is on the syntax tree (comments and blank lines do not
matter; code, docstrings and annotations do), with ``d2l.NAME`` read as ``NAME``.
"""

from __future__ import annotations

import ast
import copy
import inspect
import textwrap
from pathlib import Path

import nbformat

import d2lcore


class _StripD2l(ast.NodeTransformer):
    def visit_Attribute(self, node: ast.Attribute):
        self.generic_visit(node)
        if isinstance(node.value, ast.Name) and node.value.id == "d2l":
            return ast.copy_location(
                ast.Name(id=node.attr, ctx=node.ctx), node
            )
        return node


def normalize(node: ast.AST) -> str:
    node = _StripD2l().visit(node)
    return ast.dump(node, annotate_fields=True, include_attributes=False)


def _decorator_target(dec: ast.expr) -> str | None:
    """``X`` for ``@add_to_class(X)`` / ``@d2l.add_to_class(d2l.X)``."""
    if not (isinstance(dec, ast.Call) and len(dec.args) == 1):
        return None
    func = dec.func
    name = (
        func.attr
        if isinstance(func, ast.Attribute)
        else getattr(func, "id", None)
    )
    if name != "add_to_class":
        return None
    arg = dec.args[0]
    return (
        arg.attr
        if isinstance(arg, ast.Attribute)
        else getattr(arg, "id", None)
    )


def _method_node(func) -> ast.FunctionDef:
    src = textwrap.dedent(inspect.getsource(func))
    return ast.parse(src).body[0]


def shown_definitions(path: Path):
    """Yield (where, name, chapter_node, library_node) for each library piece shown."""
    nb = nbformat.read(path, as_version=4)
    public = set(d2lcore.__all__)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        src = "\n".join(
            l
            for l in cell.source.splitlines()
            if not l.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in tree.body:
            where = f"{path.name} cell {i}"
            if isinstance(node, ast.ClassDef) and node.name in public:
                lib_cls = getattr(d2lcore, node.name)
                lib = ast.parse(
                    textwrap.dedent(inspect.getsource(lib_cls))
                ).body[0]
                lib_methods = {
                    n.name: n
                    for n in lib.body
                    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                }
                # The class line (bases, decorators) and docstring must match.
                yield (
                    where,
                    f"{node.name} (class line)",
                    _header(node),
                    _header(lib),
                )
                for item in node.body:
                    if isinstance(
                        item, (ast.FunctionDef, ast.AsyncFunctionDef)
                    ):
                        yield (
                            where,
                            f"{node.name}.{item.name}",
                            item,
                            lib_methods.get(item.name),
                        )
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                targets = [
                    t for t in map(_decorator_target, node.decorator_list) if t
                ]
                if targets:
                    cls = targets[0]
                    if cls not in public:
                        continue
                    attr = getattr(getattr(d2lcore, cls), node.name, None)
                    lib = None
                    if attr is not None:
                        lib = _method_node(
                            attr.fget if isinstance(attr, property) else attr
                        )
                    node = _undecorated(node)
                    yield where, f"{cls}.{node.name}", node, lib
                elif node.name in public:
                    yield (
                        where,
                        node.name,
                        node,
                        _method_node(getattr(d2lcore, node.name)),
                    )


def _undecorated(node: ast.FunctionDef) -> ast.FunctionDef:
    node.decorator_list = [
        d for d in node.decorator_list if not _decorator_target(d)
    ]
    return node


def _header(node: ast.ClassDef) -> ast.ClassDef:
    doc = [
        n
        for n in node.body[:1]
        if isinstance(n, ast.Expr)
        and isinstance(getattr(n, "value", None), ast.Constant)
    ]
    header = copy.copy(node)
    header.body = doc or [ast.Pass()]
    return header
