"""Build the whole book as one PDF with Debian's Chromium (``make pdf``).

Usage: python tools/build_pdf.py [--html-dir _build/html]

1. ``jupyter-book build . --builder singlehtml`` puts every page of _toc.yml in one
   HTML page (_build/singlehtml/book/intro.html, printed from a copy at the root)
   with the book's numbering,
   figures and bibliography;
2. headless Chromium (driven by Playwright, as in the browser test: no browser
   download) opens it from a localhost server, waits for MathJax to typeset every
   equation, and prints it to _build/pdf/d2lcore.pdf (A4, page numbers in the footer);
3. the PDF is copied next to the HTML book (_build/html/d2lcore.pdf), where the
   introduction links to it.

This is what ``jupyter-book build --builder pdfhtml`` does, without pyppeteer's
Chromium download. Exits 0 with one "skip:" line when Chromium or Playwright is
missing, so that callers (.ci/run) can go on; any other failure is an error.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SINGLE = ROOT / "_build" / "singlehtml"
PDF = ROOT / "_build" / "pdf" / "d2lcore.pdf"
CHROMIUM = os.environ.get("D2LCORE_CHROMIUM", "/usr/bin/chromium")

#: The screen layout's sidebars, buttons and "next page" links have no place on paper.
PRINT_CSS = """
.bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary,
.prev-next-area, .bd-footer, .bd-footer-article, .bd-footer-content, #pst-skip-link,
.headerlink, .copybtn, .toggle-button, .search-button-field {
  display: none !important; }
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
.bd-page-width { max-width: 100% !important; }
div.math mjx-container { overflow: visible !important; }
h1 { break-before: page; }
h1:first-of-type { break-before: avoid; }
figure, div.cell { break-inside: avoid; }
"""


def build_singlehtml() -> Path:
    exe = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(exe) if exe.is_file() else "jupyter-book",
        "build",
        ".",
        "--builder",
        "singlehtml",
    ]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(
            f"`{' '.join(command[1:])}` failed (exit {proc.returncode})"
        )
    page = SINGLE / "book" / "intro.html"
    if not page.is_file():
        raise SystemExit(
            f"the single-page build wrote no {page.relative_to(ROOT)}"
        )
    # Sphinx 7.4's single-page builder writes every asset path (_static/, _images/)
    # relative to the output root although the page is one folder down (book/): the
    # printed copy sits at the root, where those paths resolve.
    printed = SINGLE / "print.html"
    shutil.copy2(page, printed)
    return printed


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_pdf(page: Path, target: Path) -> int:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(SINGLE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page.relative_to(SINGLE).as_posix()}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu"],
            )
            tab = browser.new_page(viewport={"width": 1000, "height": 1400})
            tab.goto(url, wait_until="load", timeout=120_000)
            tab.wait_for_function(
                "window.MathJax && MathJax.startup && MathJax.startup.promise",
                timeout=60_000,
            )
            tab.evaluate("MathJax.startup.promise.then(() => true)")
            untypeset = tab.evaluate(
                "[...document.querySelectorAll('.math')]"
                ".filter(el => !el.querySelector('mjx-container')).length"
            )
            if untypeset:
                raise SystemExit(
                    f"{untypeset} equations were not typeset; no PDF written"
                )
            tab.add_style_tag(content=PRINT_CSS)
            tab.evaluate("document.fonts.ready.then(() => true)")
            target.parent.mkdir(parents=True, exist_ok=True)
            tab.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                margin={
                    "top": "18mm",
                    "bottom": "18mm",
                    "left": "16mm",
                    "right": "16mm",
                },
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:8px;width:100%;text-align:center">'
                    '<span class="pageNumber"></span></div>'
                ),
            )
            browser.close()
    finally:
        server.shutdown()
    return target.read_bytes().count(
        b"/Type /Page"
    ) - target.read_bytes().count(b"/Type /Pages")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--html-dir",
        default=str(ROOT / "_build" / "html"),
        help="where the HTML book is; the PDF is copied there",
    )
    args = parser.parse_args(argv)
    try:
        import playwright  # noqa: F401
    except ImportError:
        print(
            "skip: the PDF needs the Python package playwright "
            "(pip install -e '.[test]')"
        )
        return 0
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        print(
            f"skip: the PDF needs Chromium at {CHROMIUM} (apt-get install chromium)"
        )
        return 0
    pages = print_pdf(build_singlehtml(), PDF)
    html = Path(args.html_dir)
    if html.is_dir():
        shutil.copy2(PDF, html / PDF.name)
    print(
        f"{PDF.relative_to(ROOT)}: {pages} pages, {PDF.stat().st_size / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
