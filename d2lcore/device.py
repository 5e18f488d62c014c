"""Device helpers (book section 6.7, used by the Trainer of section 3.2.4).

The same chapter runs on a laptop, a CUDA GPU or an Apple GPU: `try_gpu` and the
Trainer (through `find_gpus`) fall back to the CPU when the requested accelerator
is missing.
"""

from __future__ import annotations

import torch

from ._checks import warn

__all__ = ["cpu", "gpu", "num_gpus", "try_gpu", "accelerator", "find_gpus"]


def cpu() -> torch.device:
    """The CPU device."""
    return torch.device("cpu")


def gpu(i: int = 0) -> torch.device:
    """The ``i``-th CUDA GPU (it need not exist; see `try_gpu`)."""
    return torch.device(f"cuda:{i}")


def num_gpus() -> int:
    """The number of CUDA GPUs available."""
    return torch.cuda.device_count()


def _has_mps() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def accelerator(i: int = 0) -> torch.device | None:
    """CUDA GPU ``i`` if present, else Apple's MPS GPU if present, else None."""
    if num_gpus() > i:
        return gpu(i)
    if i == 0 and _has_mps():
        return torch.device("mps")
    return None


def try_gpu(i: int = 0) -> torch.device:
    """GPU ``i`` if it exists (CUDA, or MPS for ``i == 0``), otherwise the CPU."""
    return accelerator(i) or cpu()


def find_gpus(num_gpus: int) -> list[torch.device]:
    """The device a Trainer asked for ``num_gpus`` GPUs trains on, as a list: [] (the
    CPU) for 0, else the first accelerator found. Warns (at the reader's line)
    when fewer are found than asked for, and trains on the CPU when none is."""
    if num_gpus == 0:
        return []
    devices = [d for d in (accelerator(i) for i in range(num_gpus)) if d]
    if not devices:
        warn(
            f"Trainer(num_gpus={num_gpus}): no GPU found, training on the CPU instead"
        )
    elif len(devices) < num_gpus:
        warn(
            f"Trainer(num_gpus={num_gpus}): only {len(devices)} GPU(s) found; "
            f"training uses {devices[0]}"
        )
    return devices[:1]
