"""The chapters as a student runs them in JupyterLab: working copies under ``lab/``.

Usage: python tools/lab_copies.py [--refresh] [--out lab]
(make lab, make lab-refresh)

``book/`` holds the stored chapters, the baseline that nbval compares against, and
only ``make outputs`` changes them. ``make lab`` opens copies of them instead, made
here: a copy that exists is left alone (it holds the student's work) unless
``--refresh`` asks for a fresh one. A copy is the chapter as the book shows it:

* the hidden cells (tagged ``remove-cell``: the checks of the text's claims and the
  glue of its numbers) are left out, so they cost the student nothing;
* the worked solutions move to a *Solutions* section at the end, each under its own
  heading, folded (JupyterLab's collapsed headings) until the student opens it;
* what only the book's Sphinx build resolves is written out for jupyterlab-myst:
  glued numbers become their values, references to other chapters links to their
  notebooks, equation, figure and exercise references their numbers (3.4.1, as in
  the book), and API roles plain code.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
FENCE = r"(`{3,}|:{3,})"
SOLUTION_START = re.compile(
    FENCE + r"\{solution-start\} *(\S+).*?\n\1[ \t]*(?:\n|$)", re.S
)
SOLUTION_END = re.compile(
    FENCE + r"\{solution-end\}[^\n]*\n(?:[^\n]*\n)*?\1[ \t]*(?:\n|$)"
)
SOLUTION = re.compile(
    FENCE + r"\{solution\} *(\S+)[^\n]*\n(.*?)\n\1[ \t]*(?:\n|$)", re.S
)
EXERCISE_LABEL = re.compile(r"\{exercise\}[^\n]*\n(?:.*\n)*?:label: *(\S+)")
SECTION_LABEL = re.compile(r"^\((sec-[\w-]+)\)=\s*\n#\s+(.+)$", re.M)
EQUATION = re.compile(r"\$\$(.+?)\$\$ *\(([\w-]+)\)", re.S)
FIGURE_NAME = re.compile(r"\{figure\}[^\n]*\n(?:.*\n)*?:name: *(\S+)")
TITLE_NUMBER = re.compile(r"^#\s+(\d+(?:\.\d+)*)\s", re.M)
ROLE = re.compile(
    r"\{(ref|numref|eq|glue:text|glue|py:\w+|cite:\w+)\}`([^`]*)`"
)
HEADING_COLLAPSED = "jp-MarkdownHeadingCollapsed"
GLUE_KEY = "application/papermill.record/text/plain"


def _hidden(cell) -> bool:
    return "remove-cell" in cell.get("metadata", {}).get("tags", [])


def book_index(paths: list[Path]) -> dict[str, str]:
    """What each label of the book reads as: a link, or a number."""
    index = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(
            c.source for c in nb.cells if c.cell_type == "markdown"
        )
        found = TITLE_NUMBER.search(text)
        number = found.group(1) if found else ""
        for label, title in SECTION_LABEL.findall(text):
            index[label] = f"[{title.strip()}]({path.stem}.ipynb)"
        equations = [m.group(2) for m in EQUATION.finditer(text)]
        figures = []  # {figure} directives and figures of code cells' outputs
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                figures += FIGURE_NAME.findall(cell.source)
            name = (
                cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
            )
            figures += [name] if name else []
        for labels in (equations, figures):
            for k, label in enumerate(labels, start=1):
                index[label] = f"{number}.{k}" if number else str(k)
        for k, label in enumerate(EXERCISE_LABEL.findall(text), start=1):
            index[label] = f"Exercise {number}.{k}"
        for label in re.findall(r"^\(([\w-]+)\)=", text, re.M):
            index.setdefault(label, f"[{label}]({path.stem}.ipynb)")
    for page in sorted(
        BOOK.glob("*.md")
    ):  # the API reference, the errata, ...
        for label, title in SECTION_LABEL.findall(page.read_text()):
            index.setdefault(label, f"[{title.strip()}](../book/{page.name})")
    return index


def glued_values(nb) -> dict[str, str]:
    """The numbers a chapter glues, as their stored text."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get(GLUE_KEY)
            if name and text is not None:
                values[name] = text
    return values


def _role(match: re.Match, index: dict[str, str], glue: dict[str, str]) -> str:
    kind, body = match.groups()
    explicit = re.fullmatch(r"(.*?)\s*<([^>]+)>", body, re.S)
    text, target = explicit.groups() if explicit else (None, body.strip())
    if kind.startswith("glue"):
        key, _, spec = target.partition(":")
        value = glue.get(key)
        if value is None:
            return match.group()
        try:
            return format(float(value), spec) if spec else value.strip("'\"")
        except ValueError:
            return value.strip("'\"")
    if kind.startswith("py:"):
        return f"`{text or target}`"
    if kind.startswith("cite:"):
        return match.group()
    known = index.get(target)
    if known is None:
        return match.group()
    if kind == "eq":
        return f"({known})"
    if kind == "numref" and not known.startswith("["):
        return known if known.startswith("Exercise") else f"Fig. {known}"
    if text and known.startswith("["):
        return "[" + text + "]" + known[known.index("](") + 1 :]
    return known


def _markdown(source: str, index: dict[str, str], glue: dict[str, str]) -> str:
    def tag(match: re.Match) -> str:
        number = index.get(match.group(2))
        body = match.group(1).rstrip()
        return f"$$ {body} \\tag{{{number}}} $$" if number else f"$${body}$$"

    source = EQUATION.sub(tag, source)
    return ROLE.sub(lambda m: _role(m, index, glue), source)


def _split_at_headings(cell) -> list:
    """A markdown cell cut before each heading that does not open it, since
    jupyterlab-myst shows a heading in the middle of a cell twice."""
    parts, fenced, current = [], False, []
    for line in cell.source.splitlines(keepends=True):
        if re.match(r"\s*(`{3,}|:{3,}|\$\$)", line):
            fenced = not fenced
        if (
            not fenced
            and re.match(r"#{1,6} ", line)
            and "".join(current).strip()
        ):
            parts.append("".join(current))
            current = []
        current.append(line)
    parts.append("".join(current))
    if len(parts) == 1:
        return [cell]
    return [nbformat.v4.new_markdown_cell(part.strip("\n")) for part in parts]


def _heading(target: str, index: dict[str, str], text: str = ""):
    title = index.get(target, target)
    cell = nbformat.v4.new_markdown_cell(
        f"### Solution to {title}\n\n{text}".rstrip()
    )
    cell.metadata[HEADING_COLLAPSED] = True
    return cell


def lab_copy(path: Path, index: dict[str, str]):
    """The working copy of one chapter (a notebook object)."""
    nb = nbformat.read(path, as_version=4)
    glue = glued_values(nb)
    lesson, solutions, inside = [], [], False
    for cell in nb.cells:
        if cell.cell_type == "code" and _hidden(cell):
            continue
        if cell.cell_type != "markdown":
            (solutions if inside else lesson).append(cell)
            continue
        source = cell.source
        for match in SOLUTION.finditer(source):
            solutions.append(_heading(match.group(2), index, match.group(3)))
        source = SOLUTION.sub("", source)
        start = SOLUTION_START.search(source)
        end = SOLUTION_END.search(source)
        if start:
            before, after = source[: start.start()], source[start.end() :]
            if before.strip():
                lesson.append(nbformat.v4.new_markdown_cell(before))
            solutions.append(_heading(start.group(2), index))
            inside, source = True, after
        if end:
            before, after = source[: end.start()], source[end.end() :]
            if before.strip():
                solutions.append(nbformat.v4.new_markdown_cell(before))
            inside, source = False, after
            if after.strip():
                lesson.append(nbformat.v4.new_markdown_cell(after))
            continue
        if source.strip():
            cell.source = source
            (solutions if inside else lesson).append(cell)
    for cell in lesson + solutions:
        if cell.cell_type == "markdown":
            cell.source = _markdown(cell.source, index, glue)
    lesson = [
        part
        for cell in lesson
        for part in (
            _split_at_headings(cell)
            if cell.cell_type == "markdown"
            else [cell]
        )
    ]
    if solutions:
        lesson.append(nbformat.v4.new_markdown_cell("## Solutions"))
    nb.cells = lesson + solutions
    return nb


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="replace existing copies with fresh ones from book/",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "lab")
    args = parser.parse_args(argv)
    paths = sorted(BOOK.glob("ch*.ipynb"))
    index = book_index(paths)
    args.out.mkdir(parents=True, exist_ok=True)
    made = 0
    for path in paths:
        target = args.out / path.name
        if target.exists() and not args.refresh:
            continue
        nbformat.write(lab_copy(path, index), target)
        made += 1
    for extra in BOOK.iterdir():  # figures and data files the chapters read
        if extra.suffix in {".png", ".svg", ".jpg", ".csv"}:
            shutil.copy(extra, args.out / extra.name)
    kept = len(paths) - made
    print(
        f"{args.out}: {made} chapter(s) copied from book/"
        + (f", {kept} kept (make lab-refresh replaces them)" if kept else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
