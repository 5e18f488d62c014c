"""Run every chapter under nbval as other machines would: the emulation matrix.

A chapter's stored outputs come from one CPU. Another machine may take another
floating-point path: another vector width for PyTorch's kernels or another number
of threads summing in another order. This script re-runs nbval over every chapter
(with the rounding-tolerant comparison of tests/nbval_outputs.py) under each
setting this CPU supports:

    ATEN_CPU_CAPABILITY = default (scalar), avx2, avx512
    intra-op threads    = 1, 2 (OMP_NUM_THREADS / MKL_NUM_THREADS)

and fails if any chapter's outputs differ beyond rounding under any of them.

Usage: python tools/check_machines.py [--capabilities default,avx2] [--threads 1,2]
       [pytest args ...]            (make test-machines)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def supported(capability: str) -> bool:
    """Whether PyTorch on this CPU honours ATEN_CPU_CAPABILITY=capability."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import torch; print(torch.backends.cpu.get_cpu_capability())",
        ],
        env={**os.environ, "ATEN_CPU_CAPABILITY": capability},
        capture_output=True,
        text=True,
        check=True,
    )
    return probe.stdout.strip().lower() == capability


def run_chapters(
    capability: str, threads: str, extra: list[str]
) -> tuple[int, str, float]:
    env = {
        **os.environ,
        "ATEN_CPU_CAPABILITY": capability,
        "OMP_NUM_THREADS": threads,
        "MKL_NUM_THREADS": threads,
        "CUDA_VISIBLE_DEVICES": "",
    }
    # As many pytest-xdist workers as the cores hold at this thread count.
    cores = (
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count() or 1
    )
    workers = max(1, cores // int(threads))
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            str(workers),
            "book/",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = (result.stdout + result.stderr).strip().splitlines()
    return (
        result.returncode,
        result.stdout + result.stderr
        if result.returncode
        else (lines[-1] if lines else ""),
        time.perf_counter() - start,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capabilities", default="default,avx2,avx512")
    parser.add_argument("--threads", default="1,2")
    args, extra = parser.parse_known_args(argv)
    failed = []
    for capability in args.capabilities.split(","):
        if not supported(capability):
            print(
                f"ATEN_CPU_CAPABILITY={capability}: not supported by this CPU, skipped",
                flush=True,
            )
            continue
        for threads in args.threads.split(","):
            code, report, seconds = run_chapters(capability, threads, extra)
            setting = f"ATEN_CPU_CAPABILITY={capability}, {threads} thread(s)"
            print(
                f"{setting}: {'ok' if code == 0 else 'FAILED'} ({seconds:.0f} s)"
                + (f" - {report}" if code == 0 else ""),
                flush=True,
            )
            if code:
                print(report, flush=True)
                failed.append(setting)
    if failed:
        print("chapters differ beyond rounding under: " + "; ".join(failed))
        return 1
    print("every chapter matches its stored outputs under every setting")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
