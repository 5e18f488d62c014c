"""Refresh the README's screenshots (``make screenshots``).

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


def main() -> int:
    shutil.rmtree(SHOTS, ignore_errors=True)
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
