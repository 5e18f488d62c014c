"""DataModule, TensorLoader, ImageDataset and synthetic data (d2lcore/data.py,
sections 3.2.3 and 3.3)."""

from __future__ import annotations

import pytest
import torch
from torchvision.transforms.functional import resize as tv_resize

import d2lcore as d2l
from d2lcore import fashion_mnist as fm


def test_tensor_loader_batches_and_length():
    X, y = torch.arange(10).reshape(10, 1), torch.arange(10)
    loader = d2l.TensorLoader((X, y), batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    assert torch.equal(torch.cat([b[1] for b in batches]), y)  # fixed order


def test_tensor_loader_shuffles_with_global_seed():
    y = torch.arange(100)
    loader = d2l.TensorLoader((y,), batch_size=100, shuffle=True)
    torch.manual_seed(1)
    first = next(iter(loader))[0]
    torch.manual_seed(1)
    again = next(iter(loader))[0]
    assert torch.equal(first, again) and not torch.equal(first, y)
    assert torch.equal(first.sort().values, y)


def test_tensor_loader_applies_transform():
    X = torch.full((3, 2), 255, dtype=torch.uint8)
    batch = next(
        iter(d2l.TensorLoader((X,), 2, transform=lambda b: b.float() / 255))
    )
    assert batch[0].dtype == torch.float32 and torch.all(batch[0] == 1)


def test_synthetic_regression_data():
    data = d2l.SyntheticRegressionData(
        w=torch.tensor([2, -3.4]),
        b=4.2,
        noise=0.0,
        num_train=100,
        num_val=50,
        batch_size=32,
    )
    assert data.X.shape == (150, 2) and data.y.shape == (150, 1)
    torch.testing.assert_close(
        data.y, data.X @ torch.tensor([[2], [-3.4]]) + 4.2
    )
    assert (
        len(data.train_dataloader()) == 4 and len(data.val_dataloader()) == 2
    )
    X, y = next(iter(data.val_dataloader()))
    assert torch.equal(X, data.X[100:132])


def test_synthetic_labels_are_the_line_plus_gaussian_noise():
    torch.manual_seed(3)
    data = d2l.SyntheticRegressionData(
        w=[2, -3.4], b=4.2, noise=0.5, num_train=6, num_val=4
    )
    torch.manual_seed(3)  # the same draws again
    X, noise = torch.randn(10, 2), 0.5 * torch.randn(10, 1)
    assert torch.equal(data.X, X)
    torch.testing.assert_close(
        data.y, X @ torch.tensor([[2], [-3.4]]) + 4.2 + noise
    )


def test_data_module_workers():
    class Data(d2l.DataModule):
        def __init__(self):
            super().__init__(num_workers=1)
            self.batch_size = 2

        def get_dataloader(self, train):
            return self.get_tensorloader((torch.arange(4),), train)

    loader = Data().val_dataloader()
    assert isinstance(loader, torch.utils.data.DataLoader)
    assert [b[0].tolist() for b in loader] == [[0, 1], [2, 3]]


def test_data_module_subclass_without_super_init_gets_loaders():
    # the published section 3.7 defines its data without super().__init__()
    class Data(d2l.DataModule):
        def __init__(self, batch_size):
            self.save_hyperparameters()
            self.X, self.y = torch.arange(6.0).reshape(6, 1), torch.arange(6.0)

        def get_dataloader(self, train):
            i = slice(0, 4) if train else slice(4, None)
            return self.get_tensorloader([self.X, self.y], train, i)

    data = Data(batch_size=2)
    assert data.num_workers == 0 and "num_workers" not in vars(data)
    assert len(data.train_dataloader()) == 2
    assert [b[1].tolist() for b in data.val_dataloader()] == [[4.0, 5.0]]
    train = torch.cat([b[1] for b in data.train_dataloader()])
    assert sorted(train.tolist()) == [0.0, 1.0, 2.0, 3.0]


class Counting(d2l.DataModule):
    """Eight examples 0..7, batches of 2."""

    def __init__(self, num_workers=0):
        super().__init__(num_workers=num_workers)
        self.batch_size = 2
        self.X = torch.arange(8)

    def get_dataloader(self, train):
        return self.get_tensorloader(
            (self.X, self.X * 10), train, slice(2, None)
        )


def test_default_loaders_are_in_memory_and_shuffle_only_for_training():
    data = Counting()
    assert data.num_workers == 0
    val = data.val_dataloader()
    assert isinstance(val, d2l.TensorLoader)
    assert [b[0].tolist() for b in val] == [[2, 3], [4, 5], [6, 7]]
    orders = {
        tuple(torch.cat([b[0] for b in data.train_dataloader()]).tolist())
        for _ in range(10)
    }
    assert len(orders) > 1 and all(
        sorted(o) == [2, 3, 4, 5, 6, 7] for o in orders
    )


def test_worker_loaders_serve_the_same_batches_through_torch():
    data = Counting(num_workers=1)
    train, val = data.train_dataloader(), data.val_dataloader()
    for loader in (train, val):
        assert isinstance(loader, torch.utils.data.DataLoader)
        assert loader.batch_size == 2 and loader.num_workers == 1
    assert isinstance(train.sampler, torch.utils.data.RandomSampler)
    assert isinstance(val.sampler, torch.utils.data.SequentialSampler)
    assert torch.equal(val.dataset.tensors[1], torch.arange(2, 8) * 10)


def test_batch_size_one_is_fine():
    loader = d2l.TensorLoader((torch.arange(3),), batch_size=1)
    assert len(loader) == 3 and [b[0].tolist() for b in loader] == [
        [0],
        [1],
        [2],
    ]
    assert (
        len(
            d2l.SyntheticRegressionData(
                [1.0], 0.0, batch_size=1
            ).train_dataloader()
        )
        == 1000
    )


def test_synthetic_defaults_and_integer_weights():
    data = d2l.SyntheticRegressionData(w=[2, -3], b=1)
    assert (data.num_train, data.num_val, data.noise, data.batch_size) == (
        1000,
        1000,
        0.01,
        32,
    )
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
    data = d2l.SyntheticRegressionData(
        [1.0], 0.0, num_train=num_train, num_val=num_val, batch_size=2
    )
    train = torch.cat([b[0] for b in data.train_dataloader()])
    val = [b[0] for b in data.val_dataloader()]
    assert len(train) == num_train
    assert sum(len(v) for v in val) == num_val


def test_synthetic_splits_are_disjoint_and_cover_the_data():
    data = d2l.SyntheticRegressionData(
        [1.0], 0.0, num_train=10, num_val=6, batch_size=4
    )
    train = torch.cat([b[0] for b in data.train_dataloader()])
    val = torch.cat([b[0] for b in data.val_dataloader()])
    assert torch.equal(train.sort(0).values, data.X[:10].sort(0).values)
    assert torch.equal(val, data.X[10:])  # in order
    orders = {
        tuple(
            torch.cat([b[0] for b in data.train_dataloader()])
            .flatten()
            .tolist()
        )
        for _ in range(10)
    }
    assert len(orders) > 1  # training is shuffled


def test_resize_matches_torchvision_with_antialiasing():
    images = torch.randint(0, 256, (3, 1, 28, 28), dtype=torch.uint8)
    labels = torch.arange(3)
    for size in ((14, 14), (32, 20)):
        expected = tv_resize(images, list(size), antialias=True)
        assert torch.equal(
            fm.ImageDataset(images, labels, size).images, expected
        )
    assert (
        fm.ImageDataset(images, labels, (28, 28)).images is images
    )  # no copy


def test_images_without_a_channel_axis_get_one():
    images = torch.zeros((5, 28, 20), dtype=torch.uint8)  # (n, h, w)
    assert fm.ImageDataset(images, torch.arange(5)).images.shape == (
        5,
        1,
        28,
        20,
    )


def test_pixels_become_floats_in_0_1():
    images = torch.tensor([[[[0, 255], [51, 255]]]], dtype=torch.uint8)
    X, y = fm.ImageDataset(images, torch.tensor([7]))[0]
    assert X.dtype == torch.float32 and y == 7
    torch.testing.assert_close(X, torch.tensor([[[0.0, 1.0], [0.2, 1.0]]]))
    assert X.max().item() == 1.0
