"""Re-execute book chapters in place to refresh their stored outputs.

Usage: python tools/execute_chapters.py [book/ch*.ipynb ...]   (default: every chapter)

Runs each notebook top to bottom in a fresh kernel of this Python environment
(CPU only, seeded inside the notebooks) from the ``book/`` directory and writes the
outputs back, so nbval compares against them and Jupyter Book renders them.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}


def chapters() -> list[Path]:
    return sorted((ROOT / "book").glob("ch*.ipynb"))


def execute(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    env_backup = dict(os.environ)
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # stored outputs come from the CPU
    try:
        NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            coalesce_streams=True,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
    nb.metadata.pop("widgets", None)
    # the kernelspec that current Jupyter writes, so opening a chapter changes nothing
    nb.metadata["kernelspec"] = KERNELSPEC
    for cell in nb.cells:  # no per-run noise in the stored notebook
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or chapters()
    for path in paths:
        print(f"{path.relative_to(ROOT)}: {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
