"""The published chapter 4.4 and 5.2 scripts (``tests/published/``), run
whole in a fresh process with the d2l package 1.0.3 (``from d2l import torch
as d2l``) or with ``import d2lcore as d2l``: imports, data, ``Trainer.fit``
with the board, the rest of the section. The package and scipy go into
``bench-results/peer-d2l`` (``pip --target``; this environment has the other
dependencies). The scripts read Fashion-MNIST from d2lcore's verified cache,
linked in as ``../data`` (the published default root)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / "bench-results" / "peer-d2l"
D2L_VERSION = "1.0.3"
IMPORTS = {
    "d2l": "from d2l import torch as d2l",
    "d2lcore": "import d2lcore as d2l",
}
CHAPTERS = {"ch4_4": "ch04_4", "ch5_2": "ch05_2"}  # JSON key: file


def make_env():
    """The d2l package in bench-results/peer-d2l (once)."""
    if not (ENV / "d2l").is_dir():
        pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps"]
        pkgs = [f"d2l=={D2L_VERSION}", "scipy"]
        subprocess.run([*pip, "--target", ENV, *pkgs], check=True)


def script(chapter, side, epochs):
    """The published script with the side's import and ``epochs`` epochs."""
    name = CHAPTERS[chapter]
    text = (ROOT / "tests" / "published" / f"{name}.py").read_text()
    changes = {
        IMPORTS["d2lcore"]: IMPORTS[side],
        "max_epochs=2": f"max_epochs={epochs}",
    }
    for old, new in changes.items():
        if text.count(old) != 1:
            raise ValueError(f"{name}.py must have {old!r} once")
        text = text.replace(old, new)
    return text


def run(chapter, side, epochs, raw):
    """Run one whole script (``raw``: the verified Fashion-MNIST files)."""
    base = Path(tempfile.mkdtemp(prefix="d2lcore-peer-"))
    (base / "data" / "FashionMNIST").mkdir(parents=True)
    (base / "data" / "FashionMNIST" / "raw").symlink_to(raw)
    (base / "work").mkdir()
    (base / "work" / "run.py").write_text(script(chapter, side, epochs))
    path = [str(ENV)] if side == "d2l" else []
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join([*path, str(ROOT)])
    cmd = [sys.executable, "run.py"]
    subprocess.run(
        cmd, cwd=base / "work", env=env, check=True, capture_output=True
    )
