"""Build the edition of the book without the worked solutions.

Usage: python tools/build_edition.py [--out _build/nosolutions]
(make book SOLUTIONS=0)

The book has one source. This copies it (``_config.yml``, ``_toc.yml``, ``book/``) to
``<out>/src``, leaves out every worked solution there, and builds the copy's HTML into
``<out>/html``. A solution is everything from a ``{solution-start}`` directive to its
``{solution-end}`` (cells in between included) and every plain ``{solution}``
directive; sphinx-exercise's own ``hide_solutions`` is set too, but on its own it
would keep the cells between a gated solution's start and end. The exercises stay,
and the introduction's paragraph about solutions (between the ``% solutions:``
comment lines of book/intro.md) says that this edition has none.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
FENCE = r"(`{3,}|:{3,})"
START = re.compile(FENCE + r"\{solution-start\}.*?\n\1[ \t]*(\n|$)", re.S)
END = re.compile(
    FENCE + r"\{solution-end\}[^\n]*\n(?:[^\n]*\n)*?\1[ \t]*(\n|$)"
)
PLAIN = re.compile(FENCE + r"\{solution\}.*?\n\1[ \t]*(\n|$)", re.S)
INTRO = re.compile(r"^% solutions: begin\n.*?^% solutions: end\n", re.S | re.M)
NO_SOLUTIONS = (
    "This is the edition without the worked solutions: every chapter ends "
    "with its numbered exercises, and the solutions are left to you.\n"
)


def strip_markdown(text: str, inside: bool) -> tuple[str, bool]:
    """``text`` without its solutions; ``inside``: a gated solution is open."""
    kept, pos = [], 0
    while True:
        pattern = END if inside else START
        match = pattern.search(text, pos)
        if match is None:
            if not inside:
                kept.append(text[pos:])
            break
        if not inside:
            kept.append(text[pos : match.start()])
        pos, inside = match.end(), not inside
    return PLAIN.sub("", "".join(kept)), inside


def strip_notebook(path: Path) -> int:
    """Drop the solutions of one notebook in place; return how many it had."""
    nb = nbformat.read(path, as_version=4)
    cells, inside, count = [], False, 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            if not inside:
                cells.append(cell)
            continue
        count += len(START.findall(cell.source)) + len(
            PLAIN.findall(cell.source)
        )
        cell.source, inside = strip_markdown(cell.source, inside)
        if cell.source.strip():
            cells.append(cell)
    if inside:
        raise SystemExit(f"{path}: a solution-start has no solution-end")
    nb.cells = cells
    nbformat.write(nb, path)
    return count


def prepare(out: Path) -> Path:
    """Copy the book's source to ``out/src`` without its solutions."""
    src = out / "src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    shutil.copytree(ROOT / "book", src / "book", ignore=ignore)
    shutil.copy(ROOT / "_toc.yml", src / "_toc.yml")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["title"] += " (without solutions)"
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["hide_solutions"] = True
    (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    intro = src / "book" / "intro.md"
    intro.write_text(INTRO.sub(NO_SOLUTIONS, intro.read_text()))
    total = sum(map(strip_notebook, sorted(src.glob("book/ch*.ipynb"))))
    print(f"{out}: {total} solutions left out", flush=True)
    return src


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "_build" / "nosolutions"
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    src = prepare(out)
    exe = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(exe) if exe.is_file() else "jupyter-book",
        "build",
        str(src),
        "--all",
        "--warningiserror",
        "--keep-going",
        "--path-output",
        str(out),
    ]
    done = subprocess.run(command, check=False)
    if done.returncode == 0:
        print(f"the edition without solutions: {out / '_build' / 'html'}")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
