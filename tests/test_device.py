import pytest
import torch

import d2lcore as d2l


def test_device_helpers():
    assert d2l.cpu() == torch.device("cpu")
    assert d2l.gpu(1) == torch.device("cuda:1")
    assert d2l.num_gpus() == torch.cuda.device_count()
    expected = d2l.gpu(0) if torch.cuda.is_available() else None
    if expected is not None:
        assert d2l.try_gpu() == expected
    assert d2l.try_gpu(10_000) == d2l.cpu()


def test_gpu_index_must_be_non_negative():
    with pytest.raises(ValueError, match="non-negative int"):
        d2l.gpu(-1)


def test_try_gpu_without_accelerator(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert d2l.try_gpu() == d2l.cpu()
