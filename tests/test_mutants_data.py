"""Data modules: where data lives, what the loaders serve and how (found by mutation
testing)."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch

import d2lcore as d2l
from d2lcore.data import default_root


def test_default_root_is_the_env_var_or_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("D2LCORE_DATA", str(tmp_path / "data"))
    assert default_root() == str(tmp_path / "data")
    assert d2l.DataModule().root == str(tmp_path / "data")
    monkeypatch.delenv("D2LCORE_DATA")
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    assert default_root() == str(tmp_path / ".cache" / "d2lcore")
    assert d2l.DataModule(root="here").root == "here"
    assert d2l.DataModule().num_workers == 0


class Counting(d2l.DataModule):
    """Eight examples 0..7, batches of 2."""
    def __init__(self, num_workers=0):
        super().__init__(num_workers=num_workers)
        self.batch_size = 2
        self.X = torch.arange(8)

    def get_dataloader(self, train):
        return self.get_tensorloader((self.X, self.X * 10), train, slice(2, None))


def test_default_loaders_are_in_memory_and_shuffle_only_for_training():
    data = Counting()
    assert data.num_workers == 0
    val = data.val_dataloader()
    assert isinstance(val, d2l.TensorLoader)
    assert [b[0].tolist() for b in val] == [[2, 3], [4, 5], [6, 7]]
    orders = {tuple(torch.cat([b[0] for b in data.train_dataloader()]).tolist())
              for _ in range(10)}
    assert len(orders) > 1 and all(sorted(o) == [2, 3, 4, 5, 6, 7] for o in orders)


def test_worker_loaders_serve_the_same_batches_through_torch():
    data = Counting(num_workers=1)
    train, val = data.train_dataloader(), data.val_dataloader()
    for loader in (train, val):
        assert isinstance(loader, torch.utils.data.DataLoader)
        assert loader.batch_size == 2 and loader.num_workers == 1
    assert isinstance(train.sampler, torch.utils.data.RandomSampler)
    assert isinstance(val.sampler, torch.utils.data.SequentialSampler)
    assert torch.equal(val.dataset.tensors[1], torch.arange(2, 8) * 10)


@pytest.mark.parametrize("num_workers", [True, 1.0, "2"])
def test_num_workers_must_be_an_int(num_workers):
    with pytest.raises(ValueError, match=r"^num_workers must be an int >= 0, got "):
        d2l.DataModule(num_workers=num_workers)


def test_batch_size_one_is_fine():
    loader = d2l.TensorLoader((torch.arange(3),), batch_size=1)
    assert len(loader) == 3 and [b[0].tolist() for b in loader] == [[0], [1], [2]]
    assert len(d2l.SyntheticRegressionData([1.0], 0.0, batch_size=1)
               .train_dataloader()) == 1000


def test_synthetic_defaults_and_integer_weights():
    data = d2l.SyntheticRegressionData(w=[2, -3], b=1)
    assert (data.num_train, data.num_val, data.noise, data.batch_size) == \
        (1000, 1000, 0.01, 32)
    assert data.X.shape == (2000, 2) and data.y.shape == (2000, 1)
    assert data.w.dtype == data.X.dtype == data.y.dtype == torch.float32
    assert isinstance(data.train_dataloader(), d2l.TensorLoader)
    residual = data.y - (data.X @ torch.tensor([[2.0], [-3.0]]) + 1)
    # one independent N(0, noise^2) draw per example
    assert 0.008 < residual.std().item() < 0.012
    assert residual.abs().max().item() < 0.06
    assert len(residual.unique()) > 1000


@pytest.mark.parametrize("num_train,num_val", [(1, 0), (1, 5), (3, 0)])
def test_smallest_splits(num_train, num_val):
    data = d2l.SyntheticRegressionData([1.0], 0.0, num_train=num_train,
                                       num_val=num_val, batch_size=2)
    train = torch.cat([b[0] for b in data.train_dataloader()])
    val = [b[0] for b in data.val_dataloader()]
    assert len(train) == num_train
    assert sum(len(v) for v in val) == num_val


def test_synthetic_splits_are_disjoint_and_cover_the_data():
    data = d2l.SyntheticRegressionData([1.0], 0.0, num_train=10, num_val=6,
                                       batch_size=4)
    train = torch.cat([b[0] for b in data.train_dataloader()])
    val = torch.cat([b[0] for b in data.val_dataloader()])
    assert torch.equal(train.sort(0).values, data.X[:10].sort(0).values)
    assert torch.equal(val, data.X[10:])                    # in order
    orders = {tuple(torch.cat([b[0] for b in data.train_dataloader()])
                    .flatten().tolist()) for _ in range(10)}
    assert len(orders) > 1                                  # training is shuffled
