"""`make lab`: a chapter runs top to bottom in a fresh kernel of the
project's environment.

JupyterLab starts its notebooks in the kernel named ``python3``. In the project's
environment that is ipykernel's own kernel, which runs this interpreter, so the
chapters import the d2lcore installed here. The test asks jupyter_client for that
kernel exactly as JupyterLab does, runs a copy of a chapter in it from a scratch
folder, and checks that every cell, the hidden checks included, ran without error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "book" / "ch03_4_linear_regression_scratch.ipynb"

pytestmark = pytest.mark.slow


def test_the_python3_kernel_is_this_environment():
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.language == "python"
    # ipykernel's own kernel spec says "python": jupyter_client runs it with the
    # interpreter of the environment that starts the kernel, this one
    command = spec.argv[0]
    assert command in ("python", "python3", "{python}") or (
        Path(command).resolve() == Path(sys.executable).resolve()
    ), (
        f"the python3 kernel runs {command}, not this environment's {sys.executable}; "
        "run `make lab` (or python -m ipykernel install --sys-prefix) in the project's "
        "environment"
    )


def test_a_chapter_runs_top_to_bottom_in_a_fresh_kernel(tmp_path):
    notebook = nbformat.read(CHAPTER, as_version=4)
    for cell in notebook.cells:  # start from a notebook without outputs
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    env = {"CUDA_VISIBLE_DEVICES": ""}  # as for the stored outputs: the CPU
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(tmp_path)}},
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "not every cell ran"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, (
        f"{CHAPTER.name} raised {errors[0]['ename']}: {errors[0]['evalue']}"
    )
    shown = [o for c in code for o in c.outputs]
    assert any(
        o.output_type == "display_data" and "image/png" in o.get("data", {})
        for o in shown
    ), "the training cell showed no figure"
