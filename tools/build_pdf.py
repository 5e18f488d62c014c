"""Build the whole book as one PDF with Sphinx's LaTeX builder and XeLaTeX (make pdf).

Usage: python tools/build_pdf.py [--html-dir _build/html]

``jupyter-book build . --builder pdflatex`` writes the book as LaTeX (the settings
are under ``latex:`` and ``latex_elements`` in _config.yml) into its own folder,
``_build/pdfbuild`` (so that it never shares Sphinx's state with an HTML build
running beside it), and latexmk runs XeLaTeX on it. The PDF goes to
``_build/pdf/d2lcore.pdf`` and next to the HTML book (``_build/html/d2lcore.pdf``),
where the introduction links to it.

LaTeX gives the book what a printed textbook has: a table of contents with page
numbers, PDF bookmarks for every chapter and section, equation numbers on the
equation's line, long code lines wrapped with a continuation mark instead of cut,
and figures kept whole. (The earlier print of the HTML pages by Chromium had none
of these: it cut code lines at the margin and had no bookmarks.)

Needs Debian's TeX Live (``texlive-xetex texlive-latex-extra
texlive-fonts-recommended fonts-freefont-otf latexmk xindy``, installed by
.ci/run). Exits 0 with one "skip:" line when ``xelatex`` or ``latexmk`` is missing,
so that callers can go on; any other failure is an error.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build" / "pdfbuild"
PDF = ROOT / "_build" / "pdf" / "d2lcore.pdf"


def build(out: Path = BUILD) -> Path:
    """Run the LaTeX build; return the PDF it made."""
    exe = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(exe) if exe.is_file() else "jupyter-book",
        "build", str(ROOT), "--builder", "pdflatex", "--all",
        "--path-output", str(out),
    ]  # fmt: skip
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    made = out / "_build" / "latex" / "d2lcore.pdf"
    if proc.returncode != 0 or not made.is_file():
        log = out / "_build" / "latex" / "d2lcore.log"
        errors = [ln for ln in log.read_text(errors="replace").splitlines()
                  if ln.startswith("!")] if log.is_file() else []  # fmt: skip
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(
            f"the LaTeX build failed (exit {proc.returncode}); LaTeX errors: "
            f"{errors[:5] or 'none logged'}"
        )
    return made


def page_count(pdf: Path) -> int:
    info = subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True
    )
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--html-dir",
        default=str(ROOT / "_build" / "html"),
        help="where the HTML book is; the PDF is copied there",
    )
    args = parser.parse_args(argv)
    missing = [t for t in ("xelatex", "latexmk") if shutil.which(t) is None]
    if missing:
        print(
            f"skip: the PDF needs TeX Live ({', '.join(missing)} not found; "
            "apt-get install texlive-xetex texlive-latex-extra "
            "texlive-fonts-recommended fonts-freefont-otf latexmk xindy)"
        )
        return 0
    made = build()
    PDF.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(made, PDF)
    html = Path(args.html_dir)
    if html.is_dir():
        shutil.copy2(PDF, html / PDF.name)
    size = PDF.stat().st_size / 1e6
    print(f"{PDF.relative_to(ROOT)}: {page_count(PDF)} pages, {size:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
