"""Device helpers (d2lcore/device.py): which device each helper picks on machines with
and without GPUs, simulated by patching torch's queries."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch

import d2lcore as d2l
from d2lcore import device


def test_device_helpers():
    assert d2l.cpu() == torch.device("cpu")
    assert d2l.gpu(1) == torch.device("cuda:1")
    assert d2l.num_gpus() == torch.cuda.device_count()
    expected = d2l.gpu(0) if torch.cuda.is_available() else None
    if expected is not None:
        assert d2l.try_gpu() == expected
    assert d2l.try_gpu(10_000) == d2l.cpu()


@pytest.fixture
def machine(monkeypatch):
    """machine(cuda=N, mps=bool) makes torch report that hardware."""

    def make(cuda: int = 0, mps: bool = False):
        monkeypatch.setattr(torch.cuda, "device_count", lambda: cuda)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)

    return make


def test_gpu_defaults_to_the_first_and_accepts_zero():
    assert d2l.gpu() == d2l.gpu(0) == torch.device("cuda:0")


def test_two_cuda_gpus(machine):
    machine(cuda=2)
    assert d2l.num_gpus() == 2
    assert device.accelerator() == torch.device("cuda:0")
    assert device.accelerator(1) == torch.device("cuda:1")
    assert device.accelerator(2) is None
    assert d2l.try_gpu() == torch.device("cuda:0")
    assert d2l.try_gpu(1) == torch.device("cuda:1")
    assert d2l.try_gpu(2) == d2l.cpu()


def test_apple_gpu_is_gpu_zero_only(machine):
    machine(cuda=0, mps=True)
    assert device.accelerator() == torch.device("mps")
    assert device.accelerator(1) is None
    assert d2l.try_gpu() == torch.device("mps")
    assert d2l.try_gpu(1) == d2l.cpu()


def test_cuda_comes_before_the_apple_gpu(machine):
    machine(cuda=1, mps=True)
    assert d2l.try_gpu() == torch.device("cuda:0")


def test_no_gpu(machine):
    machine(cuda=0, mps=False)
    assert device.accelerator() is None and d2l.try_gpu() == d2l.cpu()


def test_torch_without_the_mps_backend(monkeypatch, machine):
    machine(cuda=0, mps=True)
    monkeypatch.setattr(torch, "backends", SimpleNamespace())  # an old torch
    assert device.accelerator() is None and d2l.try_gpu() == d2l.cpu()
