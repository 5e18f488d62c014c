"""Device helpers (book section 6.7, used by the Trainer of section 3.2.4).

The same chapter runs on a laptop, a CUDA GPU or an Apple GPU: `try_gpu` and the
Trainer fall back to the CPU when the requested accelerator is missing.
"""
from __future__ import annotations

import torch

__all__ = ["cpu", "gpu", "num_gpus", "try_gpu", "accelerator"]


def cpu() -> torch.device:
    """The CPU device."""
    return torch.device("cpu")


def gpu(i: int = 0) -> torch.device:
    """The ``i``-th CUDA GPU (it need not exist; see `try_gpu`)."""
    if isinstance(i, bool) or not isinstance(i, int) or i < 0:
        raise ValueError(f"GPU index must be a non-negative int, got {i!r}")
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
