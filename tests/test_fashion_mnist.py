"""The Fashion-MNIST data module (d2lcore/fashion_mnist.py, section 4.2): splits,
shapes, loaders, labels and pictures. Every test here reads the real files."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import torch

import d2lcore as d2l
from d2lcore import _sources as sources
from d2lcore import fashion_mnist as fm

pytestmark = pytest.mark.fashion


@pytest.fixture(scope="module")
def data():
    return d2l.FashionMNIST(resize=(32, 32))


def test_lengths_shapes_and_dtypes(data):
    assert len(data.train) == 60000 and len(data.val) == 10000
    X, y = data.train[0]
    assert (
        X.shape == (1, 32, 32)
        and X.dtype == torch.float32
        and isinstance(y, int)
    )
    X, y = next(iter(data.train_dataloader()))
    assert X.shape == (64, 1, 32, 32) and X.dtype == torch.float32
    assert y.shape == (64,) and y.dtype == torch.int64
    assert 0 <= X.min() and X.max() <= 1
    assert (
        len(data.train_dataloader()) == 938
        and len(data.val_dataloader()) == 157
    )
    X, y = next(iter(data.val_dataloader()))  # resized too
    assert X.shape == (64, 1, 32, 32)


def test_default_size_and_labels():
    data = d2l.FashionMNIST(batch_size=256)
    X, y = next(iter(data.val_dataloader()))
    assert X.shape == (256, 1, 28, 28)
    # The first test images are an ankle boot, a pullover and two trousers.
    assert data.text_labels(y[:4]) == [
        "ankle boot",
        "pullover",
        "trouser",
        "trouser",
    ]
    assert torch.bincount(data.train.targets).tolist() == [6000] * 10
    assert data.train.images.dtype == torch.uint8


def test_validation_order_fixed_training_shuffled(data):
    first = next(iter(data.val_dataloader()))[1]
    assert torch.equal(first, next(iter(data.val_dataloader()))[1])
    a = next(iter(data.train_dataloader()))[1]
    b = next(iter(data.train_dataloader()))[1]
    assert not torch.equal(a, b)


def test_text_labels(data):
    assert data.text_labels(range(10)) == [
        "t-shirt",
        "trouser",
        "pullover",
        "dress",
        "coat",
        "sandal",
        "shirt",
        "sneaker",
        "bag",
        "ankle boot",
    ]
    assert data.text_labels([0, 9]) == ["t-shirt", "ankle boot"]
    assert data.text_labels(torch.tensor([3, 1])) == ["dress", "trouser"]


def test_visualize_batch(data):
    import matplotlib.pyplot as plt

    X, y = next(iter(data.val_dataloader()))
    data.visualize((X, y), nrows=2, ncols=4)
    axes = plt.gcf().axes
    assert len(axes) == 8 and axes[0].get_title() == "ankle boot"
    plt.close("all")


@pytest.fixture(scope="module")
def with_workers():
    return d2l.FashionMNIST(batch_size=32, num_workers=1)


def test_worker_loaders(with_workers):
    data = with_workers
    assert data.num_workers == 1
    train, val = data.train_dataloader(), data.val_dataloader()
    for loader, dataset in ((train, data.train), (val, data.val)):
        assert isinstance(loader, torch.utils.data.DataLoader)
        assert loader.dataset is dataset
        assert loader.batch_size == 32 and loader.num_workers == 1
    assert isinstance(train.sampler, torch.utils.data.RandomSampler)
    assert isinstance(val.sampler, torch.utils.data.SequentialSampler)


def test_visualize_shows_one_row_of_eight_by_default(with_workers):
    X, y = next(
        iter(
            d2l.TensorLoader(
                (with_workers.val.images, with_workers.val.targets),
                16,
                transform=fm.ImageDataset.to_float,
            )
        )
    )
    with_workers.visualize((X, y))
    axes = plt.gcf().axes
    assert len(axes) == 8
    assert [ax.get_title() for ax in axes] == with_workers.text_labels(y[:8])
    plt.close("all")


def test_default_loaders_are_in_memory():
    data = d2l.FashionMNIST(batch_size=16)
    assert data.num_workers == 0
    assert isinstance(data.val_dataloader(), d2l.TensorLoader)


def _raw(name: str) -> torch.Tensor:
    """A file of the dataset's source, parsed here from the IDX format (magic
    number, sizes, then uint8 values), independently of torchvision."""
    content = sources._read(sources._file_in(sources.find_source(), name))
    ndim = content[3]
    shape = [
        int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big")
        for i in range(ndim)
    ]
    values = torch.frombuffer(
        bytearray(content[4 + 4 * ndim :]), dtype=torch.uint8
    )
    return values.reshape(shape)


def test_labels_and_images_match_the_raw_files(data):
    for split, prefix in ((data.train, "train"), (data.val, "t10k")):
        labels = _raw(f"{prefix}-labels-idx1-ubyte").long()
        assert torch.equal(split.targets, labels), (
            f"{prefix} labels differ from the file"
        )
        assert labels.bincount().tolist() == [len(labels) // 10] * 10
    plain = d2l.FashionMNIST(batch_size=256)
    images = _raw("train-images-idx3-ubyte")
    # the shuffled training batches keep each image with its own label
    torch.manual_seed(3)
    order = torch.randperm(60000)[:256]
    torch.manual_seed(3)
    X, y = next(iter(plain.train_dataloader()))
    assert torch.equal(y, _raw("train-labels-idx1-ubyte").long()[order])
    assert torch.equal(X, images[order].unsqueeze(1).float() / 255)
    # the validation batches come in file order
    X, y = next(iter(plain.val_dataloader()))
    assert torch.equal(y, _raw("t10k-labels-idx1-ubyte").long()[:256])
    assert plain.text_labels(y[:3]) == ["ankle boot", "pullover", "trouser"]
