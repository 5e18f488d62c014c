"""How much CPU *other* processes took while a measurement ran.

On a shared machine a timing taken while another job runs says little: with 2
cores and torch's 2 OpenMP threads, one busy neighbour can make an op 10x slower.
`snapshot()` before and after a timed region and `foreign_share(a, b)` gives the
fraction of the machine's CPU time (all usable CPUs over the wall time) that went to
other processes: the CPU the kernel reports busy (/proc/stat, steal included) minus
this process's own time and that of its finished children (getrusage). Linux only;
elsewhere the share is reported as 0.
"""
from __future__ import annotations

import os
import resource
import time

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
try:
    NCPU = len(os.sched_getaffinity(0))
except AttributeError:  # not Linux
    NCPU = os.cpu_count() or 1


def _busy() -> float:
    """Seconds of CPU time used on the machine since boot (all processes)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
    except OSError:
        return 0.0
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / _TICK


def _own() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def snapshot() -> tuple[float, float, float]:
    return time.perf_counter(), _busy(), _own()


def foreign_share(a, b) -> float:
    """Fraction of the CPUs' time other processes used between snapshots a and b.

    /proc/stat counts in ticks (10 ms), so short intervals are rounded: a share
    below ~0.02 s / (wall * CPUs) means "none seen"."""
    wall = b[0] - a[0]
    if wall <= 0 or _busy() == 0.0:
        return 0.0
    foreign = (b[1] - a[1]) - (b[2] - a[2]) - 2.0 / _TICK  # tick rounding slack
    return max(0.0, foreign) / (wall * NCPU)
