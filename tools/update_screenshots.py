"""Refresh the README's screenshots (``make screenshots``).

Builds the PDF (tools/build_pdf.py) and puts two of its pages side by side, the
first two pages of the screenshot chapter (``_build/screenshots/screenshot-pdf.png``).
Runs the rendered-book tests of the screenshot page on a desktop and on a phone
(tests/test_book_browser.py builds the book and writes the two screenshots under
``_build/screenshots/``), then copies each
screenshot to ``docs/`` when its pixels differ from the copy there. Chromium's PNG
bytes vary from run to run for the same picture, so comparing pixels keeps docs/
unchanged when the page is.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots"
DOCS = ROOT / "docs"


def same_pixels(a: bytes, b: bytes) -> bool:
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(a)) as x, Image.open(io.BytesIO(b)) as y:
        x, y = x.convert("RGB"), y.convert("RGB")
        return (
            x.size == y.size and ImageChops.difference(x, y).getbbox() is None
        )


PDF_CHAPTER = "3.4 Linear Regression Implementation from Scratch"


def pdf_pages() -> int:
    """Two pages of the PDF, side by side, under _build/screenshots/."""
    from PIL import Image
    from pypdf import PdfReader

    if subprocess.run(
        [sys.executable, ROOT / "tools" / "build_pdf.py"]
    ).returncode:
        return 1
    pdf = ROOT / "_build" / "pdf" / "d2lcore.pdf"
    if not pdf.is_file():
        print("no PDF was built (TeX Live missing?)", file=sys.stderr)
        return 1
    reader = PdfReader(pdf)
    first = next(
        reader.get_destination_page_number(item) + 1
        for item in _flat(reader.outline)
        if item.title == PDF_CHAPTER
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "70",
            "-png",
            "-f",
            str(first),
            "-l",
            str(first + 1),
            str(pdf),
            str(SHOTS / "pdf"),
        ],
        check=True,
    )
    pages = [
        Image.open(p).convert("RGB") for p in sorted(SHOTS.glob("pdf-*.png"))
    ]
    sheet = Image.new(
        "RGB", (sum(p.width for p in pages) + 30, pages[0].height), "#888888"
    )
    x = 10
    for page in pages:
        sheet.paste(page, (x, 0))
        x += page.width + 10
    sheet.save(SHOTS / "screenshot-pdf.png")
    for page in SHOTS.glob("pdf-*.png"):
        page.unlink()
    return 0


def _flat(outline):
    for item in outline:
        yield from _flat(item) if isinstance(item, list) else [item]


def main() -> int:
    shutil.rmtree(SHOTS, ignore_errors=True)
    if pdf_pages():
        print(
            "the PDF was not built: its screenshot not updated",
            file=sys.stderr,
        )
        return 1
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:nbval",
            "tests/test_book_browser.py",
            "-k",
            "(test_page_as_a_reader_sees_it or test_page_on_a_phone) and "
            "ch03_4_linear_regression_scratch",
        ],
        cwd=ROOT,
    )
    if proc.returncode != 0:
        print(
            "the rendered-book test failed: screenshots not updated",
            file=sys.stderr,
        )
        return proc.returncode
    shots = sorted(SHOTS.glob("*.png"))
    if not shots:
        print(
            f"no screenshot was written under {SHOTS.relative_to(ROOT)}",
            file=sys.stderr,
        )
        return 1
    for shot in shots:
        target = DOCS / shot.name
        png = shot.read_bytes()
        if target.is_file() and same_pixels(target.read_bytes(), png):
            print(f"{target.relative_to(ROOT)}: unchanged")
        else:
            target.write_bytes(png)
            print(f"{target.relative_to(ROOT)}: updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
