"""The notebook output comparison (tests/nbval_outputs.py): rounding passes, any
other change fails, on the chapters' own stored outputs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbval_outputs import (
    ATOL,
    CHECKER,
    TRAINING_TAG,
    align_rounding,
    checker_for,
)

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("ch*.ipynb"))

_NUMBER = re.compile(
    r"(?<![\w.])([+-]?)(\d+\.\d*(?:e[+-]?\d+)?|\d+e[+-]?\d+)(?![\w.])"
)


def a_few_ulps_off(text: str, ulps: int = 3) -> str:
    """``text`` with every float moved by a few float32 ulps and printed with more
    digits, as another machine might print it (``1.`` -> ``1.0000004``)."""

    def move(m: re.Match) -> str:
        value = float(m.group(2)) * (1 + ulps * 2.0**-23)
        return f"{m.group(1)}{value:.8g}" if value else m.group(0) + "0000"

    return _NUMBER.sub(move, text)


def one_digit_changed(text: str) -> str | None:
    """``text`` with the first significant digit of its first float changed that
    is not within the absolute tolerance of zero (None when there is none)."""
    for m in _NUMBER.finditer(text):
        try:
            if abs(float(m.group(2))) < 1000 * ATOL:
                continue  # 1e-10 vs 2e-10: both round to zero for the checker
        except ValueError:
            pass
        mantissa = m.group(2).split("e")[0]
        i = next(
            (k for k, ch in enumerate(mantissa) if ch in "123456789"), None
        )
        if i is not None:
            digit = str(int(mantissa[i]) % 9 + 1)
            start = m.start(2) + i
            return text[:start] + digit + text[start + 1 :]
    return None


def stored_texts():
    """(where, text) for every stored text output of every chapter that
    prints a float."""
    found = []
    for path in CHAPTERS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            for out in cell.get("outputs", []):
                text = out.get("text") or out.get("data", {}).get("text/plain")
                if isinstance(text, str) and _NUMBER.search(text):
                    found.append((f"{path.name} cell {i}", text))
    return found


STORED = stored_texts()


@pytest.mark.parametrize(
    "stored,new",
    [
        ("tensor([1., 1.])", "tensor([1.0000, 1.0000])"),
        (
            "tensor([[ 6.],\n        [15.]])",
            "tensor([[ 6.0000],\n        [15.0000]])",
        ),
        ("loss 0.4485", "loss 0.44850001"),
        ("row sums: [1.0, 1.0]", "row sums: [0.99999994, 1.0000001]"),
        ("KL = 0.0000", "KL = -0.0000"),
        ("tensor([nan, 0.])", "tensor([nan, 0.])"),
        ("lr 0.03: error 0.0004", "lr 0.030000001: error 0.00040000001"),
        ("share 1.5%, 1.00/255", "share 1.50000001%, 1.0000001/255"),
    ],
)
def test_rounding_differences_pass(stored, new):
    assert CHECKER.same_text(stored, new)


@pytest.mark.parametrize(
    "stored,new",
    [
        ("acc 0.8204", "acc 0.8205"),  # a printed digit
        ("tensor([1., 1.])", "tensor([1., 2.])"),
        ("epoch 10", "epoch 11"),  # integers are exact
        ("steps: 96", "steps: 96.0"),
        ("label 9", "label 9.00001"),
        ("val_acc 0.835", "val_loss 0.835"),  # every other token exactly
        ("True", "False"),
        ("tensor([1., 1.])", "tensor([1., 1., 1.])"),
        ("tensor([nan, 0.])", "tensor([0., 0.])"),
        ("lr 0.03: error 0.0004", "lr 0.03: error 0.0005"),
        ("share 1.5%", "share 1.6%"),
    ],
)
def test_other_differences_fail(stored, new):
    assert not CHECKER.same_text(stored, new)


@pytest.mark.parametrize(
    "stored,new,same",
    [
        ("val_acc 0.855", "val_acc 0.854", True),  # one image in a thousand
        (
            "train_loss 0.376, val_acc 0.835",
            "train_loss 0.379, val_acc 0.831",
            True,
        ),
        ("val_acc 0.855", "val_acc 0.845", False),  # a real change
        ("val_acc 0.855", "val_acc 0.100", False),  # labels shifted
        ("best 0.850 (epoch 9)", "best 0.850 (epoch 10)", False),
    ],
)
def test_cells_tagged_for_training_tolerate_drift(stored, new, same):
    cell = nbformat.v4.new_code_cell(
        "fit()", metadata={"tags": [TRAINING_TAG]}
    )
    assert checker_for(cell).same_text(stored, new) is same
    untagged = nbformat.v4.new_code_cell("fit()")
    assert not checker_for(untagged).same_text(stored, new) or stored == new


def test_chapters_print_floats():
    assert len(STORED) >= 30, f"only {len(STORED)} stored outputs with floats"


@pytest.mark.parametrize("where,text", STORED, ids=[w for w, _ in STORED])
def test_stored_outputs_tolerate_ulps_and_nothing_more(where, text):
    moved = a_few_ulps_off(text)
    assert CHECKER.same_text(text, moved), f"{where}: {text!r} vs {moved!r}"
    changed = one_digit_changed(text)
    assert changed is None or not CHECKER.same_text(text, changed), (
        f"{where}: {text!r} vs {changed!r}"
    )


def _stream(text: str):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _result(text: str):
    return nbformat.v4.new_output(
        "execute_result", data={"text/plain": text}, execution_count=1
    )


def test_alignment_replaces_only_what_rounds_equal():
    ref = [
        _stream("sum 1.\n"),
        _result("tensor([1., 1.])"),
        _stream("acc 0.8204\n"),
    ]
    test = [
        _stream("sum 1.0000\n"),
        _result("tensor([1.0000, 1.0000])"),
        _stream("acc 0.8205\n"),
    ]
    aligned = align_rounding(test, ref)
    assert aligned[0]["text"] == "sum 1.\n"
    assert aligned[1]["data"]["text/plain"] == "tensor([1., 1.])"
    assert aligned[2]["text"] == "acc 0.8205\n"  # left for nbval to report
    assert test[0]["text"] == "sum 1.0000\n"  # the new outputs are not mutated


def test_alignment_pairs_outputs_by_kind():
    ref = [_stream("1.\n")]
    test = [
        nbformat.v4.new_output("stream", name="stderr", text="1.0000\n"),
        _stream("x"),
    ]
    aligned = align_rounding(test, ref)
    assert aligned[0]["text"] == "1.0000\n" and len(aligned) == 2


@pytest.mark.slow
def test_nbval_passes_rounding_and_fails_a_changed_digit(tmp_path):
    """End to end through nbval on a real chapter: stored outputs moved by a few
    ulps still pass; one printed digit changed by hand fails."""
    source = ROOT / "book" / "ch04_3_classification_model.ipynb"
    moved, edited = tmp_path / "moved.ipynb", tmp_path / "edited.ipynb"
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                out["text"] = a_few_ulps_off(out["text"])
            elif "text/plain" in out.get("data", {}):
                out["data"]["text/plain"] = a_few_ulps_off(
                    out["data"]["text/plain"]
                )
    nbformat.write(nb, moved)
    nb = nbformat.read(source, as_version=4)
    outs = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream" and "accuracy: " in o["text"]
    ]
    assert outs, "chapter 4.3 no longer prints an accuracy"
    outs[0]["text"] = one_digit_changed(outs[0]["text"])
    nbformat.write(nb, edited)
    shutil.copytree(
        ROOT / "tests",
        tmp_path / "tests",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text()
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "testpaths=",
            "moved.ipynb",
            "edited.ipynb",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = result.stdout + result.stderr
    failed = set(re.findall(r"FAILED (\w+)\.ipynb", report))
    assert failed == {"edited"}, report
