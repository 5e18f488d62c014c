"""The quick benchmark (``make bench-quick``) runs every path and writes its JSON.

Speed is reported by the benchmark, never asserted here: only the presence and the
sign of every number is checked.
"""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.fashion]

SECTIONS = {
    "epoch_read": ("d2lcore", "classic", "limit"),
    "softmax_fit": ("d2lcore", "limit"),
    "mlp_fit": ("d2lcore", "limit"),
    "board_overhead": ("with", "without", "paired_ratio", "board_share"),
}


def _positive(x) -> bool:
    return (
        isinstance(x, (int, float))
        and not isinstance(x, bool)
        and math.isfinite(x)
        and x > 0
    )


def test_quick_benchmark_writes_every_number(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench.py"),
            "--quick",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text())

    for section, keys in SECTIONS.items():
        assert isinstance(result.get(section), dict), (
            section,
            result.get(section),
        )
        for key in keys:
            assert _positive(result[section].get(key)), (
                section,
                key,
                result[section],
            )
    assert (
        isinstance(result["cpu_threads"], int) and result["cpu_threads"] >= 1
    )
    for kind in ("softmax", "mlp", "mlp_concise"):
        for key in ("trainer", "hand"):
            assert _positive(result["fit_overhead"][kind][key]), (kind, key)
    # the Trainer and the hand loop do the same computation
    assert all(
        d == 0
        for d in result["details"]["info"][
            "max_param_diff_hand_vs_trainer"
        ].values()
    )
    # --quick runs the d2lcore side of the chapter 4.4 script; the full run adds d2l
    peer = result["peer_d2l"]["ch4_4"]
    assert _positive(peer["d2lcore"]) and peer["d2l"] is None
    assert _positive(result["first_frame_seconds"])
    assert result["four_second_fit"]["frames"], "the ~4 s fit showed no frame"
    # make test is not run from inside the test suite
    assert result["make_test_seconds"] is None
    assert "skipped" in result["details"]["make_test_note"]

    book = result["book_seconds"]
    has_chapters = any((ROOT / "book").glob("ch*.ipynb"))
    if has_chapters:
        assert _positive(book), result["details"].get("book_note")
    else:  # skipped, and the output says so
        assert book is None and "skipped" in result["details"]["book_note"]
        assert "skipped" in proc.stdout
    # the table is printed
    for row in (
        "4.4 script",
        "softmax fit",
        "concise mlp",
        "epoch read",
        "board kernel",
        "board share",
        "first frame",
        "frames in a",
    ):
        assert row in proc.stdout, row
