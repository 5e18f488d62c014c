"""pytest plugin for mutation runs only (loaded by ``[tool.mutmut]`` in pyproject.toml).

mutmut wraps every function it mutates in a "trampoline" and renames the real
bodies (``__init__`` becomes ``xǁClassǁ__init____mutmut_orig`` / ``..._mutmut_12``).
`HyperParameters.save_hyperparameters` reads its caller's frame and insists that
it is an ``__init__``, so under mutmut every model, data module and trainer
would fail to build and no mutant could be judged.

This plugin hands ``d2lcore.utils`` an ``inspect`` whose ``currentframe()`` skips
mutmut's trampoline frames and shows the caller under its original name. Likewise
`d2lcore._checks.warn`, which points a warning at the first frame outside the
library, counts the trampolines (which live in mutmut's own files) as library
frames. Nothing else changes: save_hyperparameters' and warn's own code (and their
mutants) still run and are tested. Outside mutmut (no trampolines) it is a no-op. It also keeps torch on one
thread (see `pytest_configure`). See docs/mutation.md.
"""
from __future__ import annotations

import inspect
import re
import sys

_WRAPPERS = {"trampoline", "_trampoline_wrapper"}
_MUTANT_NAME = re.compile(r"^x.*ǁ|^x_|__mutmut_(orig|\d+)$")


class _Frame:
    """The parts of a frame that save_hyperparameters reads."""

    def __init__(self, f_code, f_locals, f_back=None):
        self.f_code, self.f_locals, self.f_back = f_code, f_locals, f_back


def _unwrap(frame):
    while (frame is not None and frame.f_code.co_name in _WRAPPERS
           and "mutmut" in frame.f_code.co_filename):
        frame = frame.f_back
    return frame


def _original_name(name: str) -> str:
    if "__mutmut_" not in name:
        return name
    return _MUTANT_NAME.sub("", name)


class _Inspect:
    """``inspect`` with a trampoline-blind ``currentframe``."""

    def __getattr__(self, name):
        return getattr(inspect, name)

    @staticmethod
    def currentframe():
        callee = sys._getframe(1)            # save_hyperparameters (or a mutant)
        caller = _unwrap(callee.f_back)      # the __init__ that called it
        if caller is None:
            return _Frame(callee.f_code, callee.f_locals, None)
        code = caller.f_code
        name = _original_name(code.co_name)
        if name != code.co_name:
            code = code.replace(co_name=name)
        return _Frame(callee.f_code, callee.f_locals,
                      _Frame(code, caller.f_locals, caller.f_back))


def _install() -> None:
    import d2lcore._checks
    import d2lcore.utils
    if not isinstance(d2lcore.utils.inspect, _Inspect):
        d2lcore.utils.inspect = _Inspect()
    in_library = d2lcore._checks._in_library
    if not getattr(in_library, "sees_trampolines", False):
        def in_library_or_trampoline(frame) -> bool:
            return _unwrap(frame) is not frame or in_library(frame)
        in_library_or_trampoline.sees_trampolines = True
        d2lcore._checks._in_library = in_library_or_trampoline


def pytest_configure(config):
    # mutmut forks a worker per mutant from a process that has already run the
    # tests. Worker threads of torch's CPU pools do not survive a fork, and a
    # forked worker that needs them waits forever (mutmut reports a timeout). One
    # thread per process avoids that, and the machine's cores go to the workers.
    import torch
    torch.set_num_threads(1)
    _install()
