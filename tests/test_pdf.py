"""The PDF (make pdf) read as a student studies from it.

The book is built with tools/build_pdf.py (Sphinx's LaTeX builder and XeLaTeX), then
read with pypdf and poppler's pdftotext and pdftoppm:

* its bookmarks hold every chapter, under its part;
* its contents list every chapter with a page number;
* the end of every shown code line is in the text (no line cut at the margin);
* no page is less than 15 % full, except the last page of a chapter (and the
  title page).

Needs TeX Live (xelatex, latexmk) and poppler-utils: skipped without them, failing
when CI=true (.ci/run installs them).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("ch*.ipynb"))
# where LaTeX wraps a long code line it prints a hook arrow, which pdftotext reads
# as ",→" (or "↪")
CONTINUATION = re.compile(r",?[→↪]|␣")  # and a visible space where it broke
MIN_FULL = 0.15


def _needs(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the PDF test needs {what}")
    pytest.skip(f"needs {what}")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    for tool in ("xelatex", "latexmk", "pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            _needs(
                f"{tool} (TeX Live and poppler-utils, see tools/build_pdf.py)"
            )
    spec = importlib.util.spec_from_file_location(
        "build_pdf", ROOT / "tools" / "build_pdf.py"
    )
    build_pdf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_pdf)
    return build_pdf.build(tmp_path_factory.mktemp("pdfbuild"))


def _title(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        found = re.search(r"^# (.+)$", cell.source, re.M)
        if cell.cell_type == "markdown" and found:
            return found.group(1).strip()
    raise AssertionError(f"{path.name} has no title")


def _outline(pdf: Path) -> list[tuple[int, str, int]]:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    labels = reader.page_labels  # the printed page numbers (i, ii, 1, 2, ...)
    items = []

    def walk(entries, depth):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                index = reader.get_destination_page_number(entry)
                items.append((depth, entry.title, index + 1, labels[index]))

    walk(reader.outline, 0)
    return items


def _text(pdf: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def test_bookmarks_hold_every_chapter_under_its_part(pdf):
    outline = _outline(pdf)
    chapters = {title for depth, title, _, _ in outline if depth == 1}
    for path in CHAPTERS:
        title = _title(path)
        assert title in chapters, f"no bookmark for {title!r} under a part"
    assert sum(depth == 0 for depth, *_ in outline) >= 4, "parts missing"


def test_contents_list_every_chapter_with_its_page(pdf):
    contents = _text(pdf, "-layout", "-l", "6")
    lines = [" ".join(ln.split()) for ln in contents.splitlines()]
    pages = {
        title: label for depth, title, _, label in _outline(pdf) if depth == 1
    }
    for path in CHAPTERS:
        title = _title(path)
        head = title[:40]
        found = [ln for ln in lines if ln.startswith(head)]
        assert found, f"{title!r} is not in the contents"
        # the page number ends the entry (on its line, or the next for a long one)
        i = lines.index(found[0])
        entry = " ".join(lines[i : i + 2])
        numbers = re.findall(r"(?:\.|\s)(\d+)(?=\s|$)", entry)
        assert str(pages[title]) in numbers, (
            f"no page number for {title!r}: {entry}"
        )


def _squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


PAGE_NUMBER = re.compile(r"[0-9]+|[ivxlc]+")


def _body_text(pdf: Path, *mode: str) -> str:
    """The PDF's text without the running header and footer (a page number and
    a section's title), so that a code line wrapped over a page break reads on."""
    titles = {title for _, title, _, _ in _outline(pdf)}
    kept = []
    for line in _text(pdf, *mode).replace("\f", "\n").splitlines():
        words = " ".join(line.split())
        title, _, number = words.rpartition(" ")
        if (
            not words
            or "d2lcore: Dive into Deep Learning" in words
            or PAGE_NUMBER.fullmatch(words)
            or words in titles
            or (PAGE_NUMBER.fullmatch(number) and title.strip() in titles)
        ):
            continue
        kept.append(line)
    return "\n".join(kept)


def shown_code_lines(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    lines = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "code" and not tags & {
            "remove-cell",
            "remove-input",
        }:
            lines += [ln for ln in cell.source.splitlines() if ln.strip()]
    return lines


def test_every_shown_code_line_ends_in_the_pdf(pdf):
    # pdftotext reads a wrapped line either in reading order or, for a line with a
    # comment far to the right, in its physical layout: one of them has it whole
    # pdftotext reads a wrapped line either in reading order or, for a line with a
    # comment far to the right, in its physical layout: one of them has it whole
    texts = [_squeeze(CONTINUATION.sub("", _body_text(pdf, *mode)))
             for mode in ((), ("-layout",))]  # fmt: skip
    cut = []
    for path in CHAPTERS:
        for line in shown_code_lines(path):
            end = _squeeze(line)[-12:]
            if end and not any(end in text for text in texts):
                cut.append(f"{path.stem}: {line.strip()[-60:]}")
    assert not cut, (
        f"{len(cut)} code lines lose their end in the PDF: {cut[:5]}"
    )


def _fullness(pdf: Path, tmp: Path) -> list[float]:
    """For each page, how far down the text area its content reaches (0 to 1)."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "20", "-gray", str(pdf), str(tmp / "p")], check=True
    )
    full = []
    for page in sorted(tmp.glob("p-*.pgm")):
        image = Image.open(page)
        width, height = image.size
        top, bottom = int(height * 0.09), int(height * 0.91)  # header, footer
        pixels = image.load()
        inked = [
            y for y in range(top, bottom)
            if any(pixels[x, y] < 200 for x in range(0, width, 2))
        ]  # fmt: skip
        full.append((max(inked) - top) / (bottom - top) if inked else 0.0)
    return full


def test_no_page_is_nearly_empty_except_at_a_chapter_end(pdf, tmp_path):
    full = _fullness(pdf, tmp_path)
    outline = _outline(pdf)
    starts = {page for depth, title, page, _ in outline
              if depth <= 1 or title == "Bibliography"}  # fmt: skip
    allowed = {1} | {p - 1 for p in starts} | {len(full)}
    empty = [
        f"p. {i} ({f:.0%})"
        for i, f in enumerate(full, start=1)
        if f < MIN_FULL and i not in allowed
    ]
    assert not empty, f"near-empty pages: {empty}"
