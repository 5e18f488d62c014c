import gzip
import shutil
import urllib.error

import pytest
import torch

import d2lcore as d2l
from d2lcore import fashion_mnist as fm

pytestmark = pytest.mark.fashion


@pytest.fixture(scope="module")
def data():
    return d2l.FashionMNIST(resize=(32, 32))


def test_lengths_shapes_and_dtypes(data):
    assert len(data.train) == 60000 and len(data.val) == 10000
    X, y = data.train[0]
    assert X.shape == (1, 32, 32) and X.dtype == torch.float32 and isinstance(y, int)
    X, y = next(iter(data.train_dataloader()))
    assert X.shape == (64, 1, 32, 32) and X.dtype == torch.float32
    assert y.shape == (64,) and y.dtype == torch.int64
    assert 0 <= X.min() and X.max() <= 1
    assert len(data.train_dataloader()) == 938 and len(data.val_dataloader()) == 157


def test_default_size_and_labels():
    data = d2l.FashionMNIST(batch_size=256)
    X, y = next(iter(data.val_dataloader()))
    assert X.shape == (256, 1, 28, 28)
    # The first test images are an ankle boot, a pullover and two trousers.
    assert data.text_labels(y[:4]) == ["ankle boot", "pullover", "trouser", "trouser"]
    assert torch.bincount(data.train.targets).tolist() == [6000] * 10
    assert data.train.images.dtype == torch.uint8


def test_validation_order_fixed_training_shuffled(data):
    first = next(iter(data.val_dataloader()))[1]
    assert torch.equal(first, next(iter(data.val_dataloader()))[1])
    a = next(iter(data.train_dataloader()))[1]
    b = next(iter(data.train_dataloader()))[1]
    assert not torch.equal(a, b)


def test_text_labels_rejects_unknown(data):
    assert data.text_labels([0, 9]) == ["t-shirt", "ankle boot"]
    with pytest.raises(ValueError, match="label 10 is not a Fashion-MNIST class"):
        data.text_labels([10])


@pytest.mark.parametrize("resize", [(32,), (0, 28), (28.0, 28), "32", 32])
def test_bad_resize(resize):
    with pytest.raises(ValueError, match="resize must be two positive ints"):
        d2l.FashionMNIST(resize=resize)


def test_bad_batch_size():
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        d2l.FashionMNIST(batch_size=0)


def _copy_source(dest, gz=True):
    src = fm.find_source()
    for name in fm.FILES:
        origin = fm._file_in(src, name)
        target = dest / (name + (".gz" if gz else ""))
        if gz == (origin.suffix == ".gz"):
            shutil.copy(origin, target)
        else:
            target.write_bytes(fm._read(origin))
    return dest


def test_env_var_directory_comes_first(tmp_path, monkeypatch):
    env_dir = tmp_path / "mine"
    env_dir.mkdir()
    _copy_source(env_dir, gz=False)
    monkeypatch.setenv(fm.ENV_VAR, str(env_dir))
    assert fm.find_source() == env_dir
    data = d2l.FashionMNIST(root=str(tmp_path / "cache"))
    assert len(data.train) == 60000
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path / "empty"))
    monkeypatch.setattr(fm, "DEBIAN_DIR", env_dir)
    assert fm.find_source() == env_dir  # falls through to the next source


def test_missing_dataset_without_network(tmp_path, monkeypatch):
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path / "nothing"))
    monkeypatch.setattr(fm, "DEBIAN_DIR", tmp_path / "nothing-either")

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    import torchvision.datasets.mnist as tv_mnist
    import torchvision.datasets.utils as tv_utils
    monkeypatch.setattr(tv_utils, "download_url", offline)
    monkeypatch.setattr(tv_mnist, "download_and_extract_archive", offline)
    with pytest.raises(fm.DatasetNotFoundError) as err:
        d2l.FashionMNIST(root=str(tmp_path / "cache"))
    msg = str(err.value)
    assert fm.ENV_VAR in msg and "apt-get install dataset-fashion-mnist" in msg
    assert "download" in msg


def test_truncated_file_is_rejected(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    _copy_source(src)
    bad = src / "train-labels-idx1-ubyte.gz"
    content = gzip.decompress(bad.read_bytes())
    bad.write_bytes(gzip.compress(content[:-100]))
    monkeypatch.setenv(fm.ENV_VAR, str(src))
    with pytest.raises(fm.DatasetCorruptError,
                       match="train-labels-idx1-ubyte.gz is not the original"):
        d2l.FashionMNIST(root=str(tmp_path / "cache"))


def test_damaged_gzip_is_rejected(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    _copy_source(src)
    bad = src / "t10k-images-idx3-ubyte.gz"
    bad.write_bytes(bad.read_bytes()[:1000])
    monkeypatch.setenv(fm.ENV_VAR, str(src))
    with pytest.raises(fm.DatasetCorruptError, match="cannot read .*t10k-images"):
        d2l.FashionMNIST(root=str(tmp_path / "cache"))


def test_visualize_batch(data):
    import matplotlib.pyplot as plt
    X, y = next(iter(data.val_dataloader()))
    data.visualize((X, y), nrows=2, ncols=4)
    axes = plt.gcf().axes
    assert len(axes) == 8 and axes[0].get_title() == "ankle boot"
    plt.close("all")


def _raw(name: str) -> torch.Tensor:
    """A file of the dataset's source, parsed here from the IDX format (magic
    number, sizes, then uint8 values), independently of torchvision."""
    content = fm._read(fm._file_in(fm.find_source(), name))
    ndim = content[3]
    shape = [int.from_bytes(content[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    values = torch.frombuffer(bytearray(content[4 + 4 * ndim:]), dtype=torch.uint8)
    return values.reshape(shape)


def test_labels_and_images_match_the_raw_files(data):
    for split, prefix in ((data.train, "train"), (data.val, "t10k")):
        labels = _raw(f"{prefix}-labels-idx1-ubyte").long()
        assert torch.equal(split.targets, labels), f"{prefix} labels differ from the file"
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
