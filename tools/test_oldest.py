"""Test d2lcore at the lowest versions pyproject.toml allows (``make test-oldest``).

1. Reads the lower bounds (``>=``) of the dependencies and of the ``test`` extra in
   pyproject.toml and writes them as pins to ``.venv-oldest/constraints.txt``
   (torch>=2.1 becomes torch==2.1.0, and so on).
2. Makes the virtual environment ``.venv-oldest`` with the oldest Python that
   ``requires-python`` allows (``python3.10``; another with ``--python PATH``) and
   installs those pins there (the browser-test and book packages are left out).
3. Runs the unit tests (``-m "not slow"``) and one chapter under nbval, importing
   d2lcore from this checkout (PYTHONPATH), and prints the versions that ran.

It needs the package index (the oldest torch wheels are large: about 3 GB with
their CUDA libraries) and a few minutes; run it when the bounds change, and record
the result in the README's "Tested versions".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / ".venv-oldest"
#: not needed for the unit tests and one chapter (browser tests, book build)
SKIP = {"playwright"}
CHAPTER = "book/ch03_4_linear_regression_scratch.ipynb"
_LOWER = re.compile(
    r"^\s*([A-Za-z0-9_.\-]+)\s*(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)"
)


def lower_bounds() -> tuple[dict[str, str], str]:
    """{package: lowest version} of the dependencies and the test extra, and the
    lowest Python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for req in (
        project["dependencies"] + project["optional-dependencies"]["test"]
    ):
        m = _LOWER.match(req)
        if m is None:
            raise SystemExit(
                f"pyproject.toml: {req!r} has no lower bound (>=): "
                "give every dependency one"
            )
        name = m.group(1).lower()
        if name not in SKIP:
            pins[name] = m.group(2)
    python = re.match(r">=\s*([0-9.]+)", project["requires-python"]).group(1)
    return pins, python


def find_python(version: str, given: str | None) -> str:
    """The interpreter: --python, else pyenv's or PATH's python<version>."""
    if given:
        return given
    for path in sorted(
        Path.home().glob(f".pyenv/versions/{version}*/bin/python")
    ):
        return str(path)
    found = shutil.which(f"python{version}")
    if (
        found
        and subprocess.run([found, "-c", ""], capture_output=True).returncode
        == 0
    ):
        return found
    raise SystemExit(
        f"no Python {version} found (requires-python's lower bound): "
        "install it or pass --python PATH"
    )


def run(cmd: list[str], **kw) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--python", help="the interpreter to use (default: python<lowest>)"
    )
    p.add_argument(
        "--keep", action="store_true", help="reuse .venv-oldest if present"
    )
    args = p.parse_args(argv)

    pins, python_version = lower_bounds()
    python = find_python(python_version, args.python)
    if ENV.exists() and not args.keep:
        shutil.rmtree(ENV)
    if not ENV.exists():
        run([python, "-m", "venv", str(ENV)])
    py = str(ENV / "bin" / "python")
    constraints = ENV / "constraints.txt"
    constraints.write_text("".join(f"{n}=={v}\n" for n, v in pins.items()))
    print(
        f"constraints ({constraints.relative_to(ROOT)}): "
        + ", ".join(f"{n}=={v}" for n, v in pins.items()),
        flush=True,
    )
    run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([py, "-m", "pip", "install", "--quiet", "-c", str(constraints), *pins])

    test_env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    # the rendered-book tests need the book's packages, left out here
    run(
        [
            py,
            "-m",
            "pytest",
            "-q",
            "-n",
            "2",
            "-m",
            "not slow",
            "tests/",
            "--ignore=tests/test_book_browser.py",
        ],
        cwd=ROOT,
        env=test_env,
    )
    run([py, "-m", "pytest", "-q", "-n", "0", CHAPTER], cwd=ROOT, env=test_env)

    versions = subprocess.run(
        [
            py,
            "-c",
            "import sys, importlib.metadata as md; print('python', "
            "sys.version.split()[0]); [print(n, md.version(n)) for n in sys.argv[1:]]",
            *pins,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    print("passed with:\n" + versions)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
