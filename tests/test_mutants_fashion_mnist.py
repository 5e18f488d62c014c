"""Fashion-MNIST: the cache, the download path, resizing and the messages (found by
mutation testing). Tests that read the real files carry ``@pytest.mark.fashion``."""
from __future__ import annotations

import gzip
import os
import sys
import urllib.error
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
import torch
import torchvision
from torchvision.transforms.functional import resize as tv_resize

import d2lcore as d2l
from d2lcore import fashion_mnist as fm

fashion = pytest.mark.fashion
REINSTALL = ("reinstall it (apt-get install --reinstall dataset-fashion-mnist) or "
             f"point ${fm.ENV_VAR} at a good copy")


# -- messages and small pieces (no data needed) ----------------------------------------


def test_a_file_of_the_right_size_with_other_bytes_is_rejected(tmp_path):
    name = "train-labels-idx1-ubyte"
    sha, size = fm.FILES[name]
    origin = tmp_path / name
    with pytest.raises(fm.DatasetCorruptError) as err:
        fm._verify(name, bytes(size), origin)
    assert str(err.value) == (
        f"{origin} is not the original Fashion-MNIST file '{name}' (expected {size} "
        f"bytes with SHA-256 {sha[:12]}..., got {size} bytes): it is truncated or "
        f"corrupted. Delete it and {REINSTALL}")


def test_an_unreadable_gzip_is_reported_with_what_to_do(tmp_path):
    bad = tmp_path / "t10k-labels-idx1-ubyte.gz"
    bad.write_bytes(b"not gzip at all")
    with pytest.raises(fm.DatasetCorruptError) as err:
        fm._read(bad)
    assert str(err.value).startswith(f"cannot read {bad}: ")
    assert str(err.value).endswith(f". The file is damaged: delete it and {REINSTALL}")


def test_a_failed_download_says_every_way_to_get_the_data(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", offline)
    with pytest.raises(fm.DatasetNotFoundError) as err:
        fm._download(tmp_path)
    files = ", ".join(n + ".gz" for n in fm.FILES)
    assert str(err.value) == (
        "Fashion-MNIST was not found and could not be downloaded (URLError: <urlopen "
        "error network is unreachable>). Either install Debian's package (apt-get "
        f"install dataset-fashion-mnist, files under {fm.DEBIAN_DIR}), or set "
        f"${fm.ENV_VAR} to a directory holding {files}, or connect to the internet "
        "so torchvision can download it")


def test_resize_checks_keep_height_then_width():
    assert fm._check_resize((32, 28)) == (32, 28)
    assert fm._check_resize([1, 1]) == (1, 1)


def test_resize_matches_torchvision_with_antialiasing():
    images = torch.randint(0, 256, (3, 1, 28, 28), dtype=torch.uint8)
    for size in ((14, 14), (32, 20)):
        expected = tv_resize(images, list(size), antialias=True)
        assert torch.equal(fm._resize(images, size), expected)
    assert fm._resize(images, (28, 28)) is images         # nothing to do: no copy


def test_pixels_become_floats_in_0_1():
    images = torch.tensor([[[[0, 255], [51, 255]]]], dtype=torch.uint8)
    X, y = fm.ImageDataset(images, torch.tensor([7]))[0]
    assert X.dtype == torch.float32 and y == 7
    torch.testing.assert_close(X, torch.tensor([[[0.0, 1.0], [0.2, 1.0]]]))
    assert X.max().item() == 1.0


# -- the cache and the download (real files) ---------------------------------------------


@fashion
def test_the_torchvision_layout_is_a_source(tmp_path, monkeypatch):
    src = fm.find_source()
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in fm.FILES:
        os.symlink(fm._file_in(src, name), raw / fm._file_in(src, name).name)
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path))
    assert fm.find_source() == tmp_path
    assert fm._file_in(tmp_path, "t10k-labels-idx1-ubyte").parent == raw


@fashion
def test_a_verified_cache_is_reused_and_a_damaged_one_repaired(tmp_path, monkeypatch):
    monkeypatch.setenv(fm.ENV_VAR, str(fm.find_source()))
    raw = tmp_path / "FashionMNIST" / "raw"
    fm._prepare_raw(tmp_path)
    files = {name: raw / name for name in fm.FILES}
    stamps = {name: raw / (name + ".sha256") for name in fm.FILES}
    assert all(f.stat().st_size == fm.FILES[n][1] for n, f in files.items())
    assert all(stamps[n].read_text() == fm.FILES[n][0] for n in fm.FILES)
    assert sorted(p.name for p in raw.iterdir()) == sorted(
        [n for n in fm.FILES] + [n + ".sha256" for n in fm.FILES])
    before = {n: f.stat().st_mtime_ns for n, f in files.items()}

    fm._prepare_raw(tmp_path)                               # verified: untouched
    assert {n: f.stat().st_mtime_ns for n, f in files.items()} == before

    labels, images = "t10k-labels-idx1-ubyte", "t10k-images-idx3-ubyte"
    stamps[labels].write_text("0" * 64)                     # a stale stamp
    with open(files[images], "r+b") as f:                   # a truncated file
        f.truncate(1000)
    fm._prepare_raw(tmp_path)
    assert stamps[labels].read_text() == fm.FILES[labels][0]
    assert files[images].stat().st_size == fm.FILES[images][1]


@fashion
def test_download_when_no_source_is_quiet_and_loading_never_downloads(
        tmp_path, monkeypatch, capsys):
    source = fm.find_source()
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path / "nothing"))
    monkeypatch.setattr(fm, "DEBIAN_DIR", tmp_path / "nothing-either")
    real = torchvision.datasets.FashionMNIST
    calls = []

    def fake(root, train=True, download=False):
        calls.append((root, train, download))
        if not download:
            return real(root, train=train, download=False)
        sys.stdout.write("Downloading https://...\n")      # as torchvision does
        raw = Path(root) / "FashionMNIST" / "raw"
        raw.mkdir(parents=True, exist_ok=True)
        for name in fm.FILES:
            (raw / name).write_bytes(fm._read(fm._file_in(source, name)))

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", fake)
    root = tmp_path / "cache"
    X, y = fm._load(root, train=False)
    assert X.shape == (10000, 28, 28) and y.shape == (10000,)
    assert calls == [(str(root), True, True), (str(root), False, False)]
    assert capsys.readouterr().out == ""
    fm._load(root, train=True)                             # cached now
    assert calls[2:] == [(str(root), True, False)]


# -- the data module (real files) -----------------------------------------------------


@pytest.fixture(scope="module")
def with_workers():
    return d2l.FashionMNIST(batch_size=32, num_workers=1)


@fashion
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


@fashion
def test_visualize_shows_one_row_of_eight_by_default(with_workers):
    X, y = next(iter(d2l.TensorLoader((with_workers.val.images, with_workers.val.targets),
                                      16, transform=fm._to_float)))
    with_workers.visualize((X, y))
    axes = plt.gcf().axes
    assert len(axes) == 8
    assert [ax.get_title() for ax in axes] == with_workers.text_labels(y[:8])
    plt.close("all")


@fashion
def test_default_loaders_are_in_memory():
    data = d2l.FashionMNIST(batch_size=16)
    assert data.num_workers == 0
    assert isinstance(data.val_dataloader(), d2l.TensorLoader)
