"""The notebook checks themselves: nbval catches a broken library, and chapters are
deterministic (executing twice, with one and with two threads, gives identical
outputs)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"

pytestmark = pytest.mark.slow


def run_nbval(
    chapter: Path, env: dict[str, str]
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            "tests/sanitize.cfg",
            str(chapter.relative_to(ROOT)),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_nbval_catches_a_softmax_that_forgets_to_normalise(tmp_path):
    broken = tmp_path / "d2lcore"
    shutil.copytree(
        ROOT / "d2lcore", broken, ignore=shutil.ignore_patterns("__pycache__")
    )
    source = (broken / "softmax.py").read_text()
    assert "return X_exp / partition" in source
    (broken / "softmax.py").write_text(
        source.replace("return X_exp / partition", "return X_exp")
    )
    # The kernel nbval starts inherits PYTHONPATH, so it imports the broken copy.
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    chapter = BOOK / "ch04_1_softmax_information_theory.ipynb"
    result = run_nbval(chapter, env)
    report = result.stdout + result.stderr
    assert result.returncode == 1, report
    assert "failed" in report.splitlines()[-1], report


def _outputs(nb) -> list:
    """Every code cell's outputs, without the per-run execution counts."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        for out in cell.outputs:
            out = dict(out)
            out.pop("execution_count", None)
            outs.append(out)
        ignored = "nbval-ignore-output" in cell.metadata.get("tags", [])
        cells.append("ignored" if ignored and _has_timing(cell) else outs)
    return cells


def _has_timing(cell) -> bool:
    return "time" in cell.source


def test_chapter_outputs_are_identical_across_runs_and_thread_counts():
    """Two executions of a chapter that trains and plots, one with one intra-op
    thread (as the test suite runs the chapters) and one with two, give the same
    outputs, figures included."""
    from nbclient import NotebookClient

    name = "ch03_4_linear_regression_scratch"
    runs = []
    for threads in ("1", "2"):
        nb = nbformat.read(BOOK / f"{name}.ipynb", as_version=4)
        env = {
            **os.environ,
            "OMP_NUM_THREADS": threads,
            "MKL_NUM_THREADS": threads,
        }
        with _environ(env):  # the kernel inherits this process's environment
            # coalesce_streams: how printed lines are split into stream messages
            # depends on timing, not on the chapter (nbval and make outputs merge them)
            NotebookClient(
                nb,
                timeout=600,
                kernel_name="python3",
                coalesce_streams=True,
                resources={"metadata": {"path": str(BOOK)}},
            ).execute()
        runs.append(_outputs(nb))
    assert runs[0] == runs[1]


@contextlib.contextmanager
def _environ(env: dict[str, str]):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_every_stored_figure_has_twice_the_pixels_of_its_size_on_the_page():
    """Boards (their final frame) and matplotlib's inline figures alike are stored as
    PNGs for high-density screens: the output's display size is half its pixels."""
    import base64

    from conftest import png_size

    figures = 0
    for path in sorted(BOOK.glob("ch*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for out in cell.get("outputs", []):
                if "image/png" not in out.get("data", {}):
                    continue
                png = base64.b64decode(out["data"]["image/png"])
                width, height = png_size(png)
                size = out.get("metadata", {}).get("image/png", {})
                assert (width // 2, height // 2) == (
                    size.get("width"),
                    size.get("height"),
                ), (
                    f"{path.name}: a {width}x{height} figure shown at "
                    f"{size or 'its pixel size'}"
                )
                figures += 1
    assert figures >= 20
