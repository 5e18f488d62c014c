"""Code written in the published book's style runs on d2lcore.

For every chapter of this book, ``tests/published/<chapter>.py`` is a short script
in the style of the published PyTorch chapter: ``import d2lcore as d2l``, the
framework-neutral names (``d2l.reshape``, ``d2l.reduce_sum``, ...), classes and
methods added with ``add_to_class`` (some replacing the library's own, as the
published chapters do). Each script runs in this process; afterwards the library's
classes are restored, so that one script's ``add_to_class`` cannot leak into other
tests. The checks below test what each script computed.

Scripts that read Fashion-MNIST get the first 12 000 training and 2 000 validation
images, loaded once, so that the whole file runs in a few seconds.
"""

from __future__ import annotations

import functools
import math
import runpy
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
import torch
from conftest import library_classes_kept

import d2lcore as d2l
from d2lcore import fashion_mnist

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "published"
CHAPTERS = sorted(ROOT.joinpath("book").glob("ch*.ipynb"))
NEEDS_DATA = {
    "ch04_2",
    "ch04_4",
    "ch04_5",
    "ch04_6",
    "ch04_7",
    "ch05_2",
    "ch05_6",
}
NEEDS_KAGGLE = {"ch05_7"}


def script_name(chapter: Path) -> str:
    """``ch03_4_linear_regression_scratch.ipynb`` -> ``ch03_4``."""
    return "_".join(chapter.stem.split("_")[:2])


@pytest.fixture
def restore_library():
    """Undo what a script's add_to_class did to the library's classes."""
    with library_classes_kept():
        yield
    plt.close("all")


@functools.cache
def _subset(root: Path, train: bool):
    images, labels = _full_load(root, train)
    n = 12000 if train else 2000
    return images[:n], labels[:n]


_full_load = fashion_mnist.read_fashion_mnist


@pytest.fixture
def small_fashion_mnist(monkeypatch):
    monkeypatch.setattr(fashion_mnist, "read_fashion_mnist", _subset)


@pytest.fixture
def fresh_offline_cache(tmp_path, monkeypatch):
    """An empty data cache ($D2LCORE_DATA) and no network: torchvision's download
    fails, so code passing download=True must find the local copy."""
    import torchvision.datasets.mnist as tv_mnist

    def offline(url, *args, **kwargs):
        raise RuntimeError(f"no network in this test (tried {url})")

    monkeypatch.setenv("D2LCORE_DATA", str(tmp_path / "fresh-cache"))
    monkeypatch.setattr(tv_mnist, "download_and_extract_archive", offline)


def run(name: str) -> dict:
    return runpy.run_path(str(SCRIPTS / f"{name}.py"), run_name="__main__")


def val(model, key: str) -> float:
    """The last validation value of ``key`` on the model's board."""
    return model.board.data[f"val_{key}"][-1].y


# -- what each chapter's script must have computed ---------------------------------


def check_ch03_1(ns):
    assert torch.equal(ns["c"], ns["d"])
    assert torch.equal(ns["d"], torch.full((10000,), 2.0))
    for key in ("loop_time", "vector_time", "timer_time"):
        assert ns[key].endswith(" sec")
    assert len(ns["timer"].times) == 1
    axes = ns["axes"]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "mean 0, std 1",
        "mean 0, std 2",
        "mean 3, std 1",
    ]
    peaks = [max(line.get_ydata()) for line in axes.lines]
    top = 1 / math.sqrt(2 * math.pi)  # the peak of the standard normal
    assert peaks == pytest.approx([top, top / 2, top], rel=1e-4)
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("x", "p(x)")


def check_ch03_2(ns):
    assert ns["doubled_n"] == 6
    triple = ns["triple"]
    assert (triple.a, triple.b) == (1, 2) and not hasattr(triple, "c")
    board = ns["board"]
    assert len(board.data["sin"]) == 50 and len(board.data["cos"]) == 10
    assert board.data["sin"][0].y == pytest.approx(
        (math.sin(0) + math.sin(0.1)) / 2
    )
    assert [p.y for p in ns["module"].board.data["loss"]] == pytest.approx(
        [2, 1, 2 / 3]
    )
    X, y = ns["first_val_batch"]
    assert X.tolist() == [[0.0], [1.0], [2.0], [3.0]] and torch.equal(y, 3 * X)


def check_ch03_3(ns):
    data = ns["data"]
    assert data.X.shape == (2000, 2) and data.y.shape == (2000, 1)
    line = data.X @ torch.tensor([[2.0], [-3.4]]) + 4.2
    assert (data.y - line).abs().max() < 0.1
    # the hand-written iterator: 32 batches, every training example once
    batches = ns["hand_batches"]
    assert len(batches) == 32 and len(batches[-1][0]) == 8
    seen = torch.cat([X for X, _ in batches])
    order = seen[:, 0].argsort()
    assert torch.equal(seen[order], data.X[:1000][data.X[:1000, 0].argsort()])
    # the concise loader: the published get_tensorloader, a torch DataLoader
    assert tuple(ns["X"].shape) == (32, 2) and tuple(ns["y"].shape) == (32, 1)
    assert ns["num_batches"] == 32
    assert torch.equal(ns["val_X"], data.X[1000:])
    assert isinstance(ns["library_loader"], torch.utils.data.DataLoader)


def check_ch03_4(ns):
    assert (
        ns["w_error"].abs().max() < 0.05 and ns["b_error"].abs().max() < 0.05
    )
    assert ns["trainer"].train_batch_idx == 5 * 32


def check_ch03_5(ns):
    for name, (w_error, b_error) in ns["errors"].items():
        assert w_error.abs().max() < 0.05 and b_error.abs().max() < 0.05, name
    # With the mean squared error and weight decay wd on standard normal features,
    # the minimum is at w = 2 / (2 + wd) * w_true: 0.4 w_true for wd = 3.
    w_decayed = ns["decayed"].get_w_b()[0].reshape(-1)
    # (minibatch SGD at lr 0.01 ends within about 0.07 of it, depending on the order
    # in which the minibatches came)
    torch.testing.assert_close(w_decayed, 0.4 * ns["data"].w, atol=0.1, rtol=0)
    assert ns["l2_norm"] == pytest.approx(
        float((0.4 * ns["data"].w).pow(2).sum() / 2), abs=0.1
    )
    assert ns["decayed"].board.yscale == "log"


def check_ch03_7(ns):
    # Data skips DataModule.__init__, as published: DataModule's methods work
    # from class-level defaults (num_workers, root)
    assert "num_workers" not in vars(ns["data"])
    assert len(ns["data"].train_dataloader()) == 4
    no_decay = ns["no_decay"]
    # without decay the 200 weights fit the 20 examples: the training loss
    # ends far below the validation loss; weight decay shrinks the weights
    assert no_decay.board.data["train_loss"][-1].y < 1e-3
    assert val(no_decay, "loss") > 10 * no_decay.board.data["train_loss"][-1].y
    assert ns["norms"][3] < 0.5 * ns["norms"][0]
    assert no_decay.board.yscale == "log"
    # torch.optim.SGD's weight_decay shrinks the concise model's weights too
    assert ns["concise_norm"] < 0.05
    assert [
        g["weight_decay"] for g in ns["library"].trainer.optim.param_groups
    ] == [3, 0]


def check_ch03_6(ns):
    # degree 1 underfits the cubic; degree 3, trained by SGD, does far better
    losses = ns["val_losses"]
    assert losses[3] < 0.5 * losses[1], losses
    assert ns["data"].X.shape == (600, 3) and not hasattr(ns["data"], "root")


def check_ch04_1(ns):
    torch.testing.assert_close(ns["y_hat"], torch.softmax(ns["o"], dim=1))
    torch.testing.assert_close(ns["row_sums"], torch.ones(2))
    assert ns["preds"].tolist() == [2, 0]
    assert ns["h_uniform"] == pytest.approx(math.log(4))
    expected = -(torch.log_softmax(ns["o"], dim=1)[[0, 1], [2, 0]]).mean()
    torch.testing.assert_close(ns["cross_entropy"], expected)


def check_ch04_2(ns):
    assert ns["sizes"] == (12000, 2000)
    assert tuple(ns["first_image_shape"]) == (1, 32, 32)
    X, y = ns["X"], ns["y"]
    assert X.dtype == torch.float32 and y.dtype == torch.int64
    assert tuple(ns["batch"][0].shape) == (64, 1, 32, 32)
    assert 0 <= X.min() and X.max() <= 1
    assert ns["read_time"].endswith(" sec")
    labels = fashion_mnist.FashionMNIST.text_labels(None, range(10))
    assert all(label in labels for label in ns["labels"])
    assert len(plt.gcf().axes) == 8  # data.visualize drew one row of 8 images
    # the section's own class over torchvision found the local copy offline
    assert ns["own_sizes"] == (60000, 10000)
    assert tuple(ns["own_X"].shape) == (64, 1, 32, 32)
    assert ns["own_y"].tolist() == ns["own"].val.targets[:64].tolist()
    # the same images as d2l's, up to one gray level (PIL's resize rounds)
    torch.testing.assert_close(
        ns["own_X"], ns["batch"][0], atol=1 / 255 + 1e-6, rtol=0
    )


def check_ch04_3(ns):
    assert isinstance(ns["trainer"].optim, torch.optim.SGD)
    assert val(ns["model"], "acc") > 0.9
    assert ns["hits"].tolist() == [1.0, 0.0]


def check_ch04_4(ns):
    torch.testing.assert_close(
        ns["column_sums"], torch.tensor([[5.0, 7.0, 9.0]])
    )
    torch.testing.assert_close(ns["row_sums"], torch.tensor([[6.0], [15.0]]))
    torch.testing.assert_close(ns["X_prob"].sum(1), torch.ones(2))
    assert val(ns["model"], "acc") > 0.65
    assert len(ns["labels"]) == int(ns["wrong"].sum()) > 0


def check_ch04_5(ns):
    assert ns["huge_losses"].tolist() == [2000.0]
    for model in ns["mine"], ns["library"]:
        assert val(model, "acc") > 0.65
    assert ns["trainer"].model is ns["library"]


def check_ch04_6(ns):
    assert ns["n"] == 2000  # the test fixture's subset
    assert 0.1 < ns["test_error"] < 0.4
    assert ns["t"] == pytest.approx(math.sqrt(math.log(40) / 4000))


def check_ch04_7(ns):
    X = torch.cat([ns["X_source"], ns["X_target"]])
    with torch.no_grad():
        acc = float(ns["domain"].accuracy(ns["domain"](X), ns["z"]))
    assert acc > 0.6  # mirrored images are told apart
    beta, losses = ns["beta"], ns["losses"]
    assert beta.shape == losses.shape == (256,) and (beta > 0).all()
    assert beta.max() <= 20
    torch.testing.assert_close(ns["weighted_risk"], (beta * losses).mean())


def check_ch05_1(ns):
    x, relu_axes, sigmoid_axes = (
        ns["x"].detach(),
        ns["relu_axes"],
        ns["sigmoid_axes"],
    )
    (line,) = relu_axes.lines  # the gradient replaced the function
    assert line.get_ydata().tolist() == (x > 0).float().tolist()
    assert relu_axes.get_ylabel() == "grad of relu"
    assert relu_axes.figure is not sigmoid_axes.figure
    sig = torch.sigmoid(x)
    (line,) = sigmoid_axes.lines
    torch.testing.assert_close(torch.tensor(line.get_ydata()), sig * (1 - sig))
    assert tuple(sigmoid_axes.figure.get_size_inches()) == (5, 2.5)


def check_ch05_2(ns):
    for model in ns["scratch"], ns["concise"]:
        losses = [p.y for p in model.board.data["val_loss"]]
        assert len(losses) == 2 and losses[1] < losses[0] < math.log(10)
        assert val(model, "acc") > 0.45
    assert ns["trainer"].model is ns["concise"]


def check_ch05_7(ns):
    assert ns["shapes"] == ((1460, 81), (1459, 80))
    assert list(ns["first_rows"].columns) == [
        "Id",
        "MSSubClass",
        "MSZoning",
        "LotFrontage",
        "SaleType",
        "SaleCondition",
        "SalePrice",
    ]
    data = ns["data"]
    assert data.train.shape == (1460, 331) and data.val.shape == (1459, 330)
    assert data.val_dataloader() is None  # the test set has no prices
    models, val_loss = ns["models"], ns["val_loss"]
    assert len(models) == 5 and all(
        isinstance(m, d2l.LinearRegression) for m in models
    )
    assert [m.board.display for m in models] == [True] + [False] * 4
    assert all(0.05 < v < 0.4 for v in val_loss), val_loss
    written = ns["written"]
    assert written.shape == (1459, 2)
    assert list(written.columns) == ["Id", "SalePrice"]
    assert (written["SalePrice"] > 0).all()
    assert not Path("submission.csv").exists()


def check_ch05_6(ns):
    X, outputs = ns["X"], ns["outputs"]
    assert torch.equal(outputs[0], X)
    assert torch.equal(outputs[1], torch.zeros_like(X))
    kept = outputs[0.5] != 0
    torch.testing.assert_close(outputs[0.5][kept], 2 * X[kept])
    for model in ns["scratch"], ns["concise"], ns["library"]:
        losses = [p.y for p in model.board.data["val_loss"]]
        assert len(losses) == 2 and losses[1] < math.log(10)
        assert val(model, "acc") > 0.5
        assert not model.training  # the trainer left it in eval mode
    assert ns["trainer"].model is ns["library"]


def check_ch05_3(ns):
    torch.testing.assert_close(ns["dJ_dW1"], ns["W1"].grad)
    torch.testing.assert_close(ns["dJ_dW2"], ns["W2"].grad)


def check_ch05_4(ns):
    x, axes = ns["x"].detach(), ns["sigmoid_axes"]
    (sig_line, grad_line) = axes.lines
    sig = torch.sigmoid(x)
    grad = torch.tensor(grad_line.get_ydata())
    torch.testing.assert_close(grad, sig * (1 - sig))
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert legend == ["sigmoid", "gradient"]
    assert ns["M"].abs().max() > 1e10  # the product of 100 matrices exploded
    normal_acts, normal_grads = ns["stds"]["normal"]
    xavier_acts, xavier_grads = ns["stds"]["xavier"]
    assert len(normal_acts) == len(xavier_grads) == 2  # the MLP's two layers
    assert normal_acts[0] < 0.5 < xavier_acts[0]  # 0.01 * sqrt(784) vs ~1.2


def check_ch05_5(ns):
    epochs, val_acc, data = ns["epochs"], ns["val_acc"], ns["data"]
    assert epochs == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
    assert max(val_acc) > 0.9  # clean validation labels, separable
    best = ns["best_epoch"]
    assert best in epochs and val_acc[epochs.index(best)] == max(val_acc)
    # about 30% of the training labels were flipped
    clean_y = (data.X[:400].sum(1) > 0).long()
    assert data.y[:400].ne(clean_y).float().mean() > 0.2


CHECKS = {
    name[len("check_") :]: f
    for name, f in globals().items()
    if name.startswith("check_")
}


def test_every_chapter_has_a_script_and_a_check():
    names = {script_name(c) for c in CHAPTERS}
    assert names, "no chapters found under book/"
    assert names == {p.stem for p in SCRIPTS.glob("ch*.py")}
    assert names == set(CHECKS)


def _marks(name):
    marks = [pytest.mark.fashion] if name in NEEDS_DATA else []
    if name in NEEDS_KAGGLE:
        marks.append(pytest.mark.kaggle)
    return marks


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=_marks(n)) for n in sorted(CHECKS)]
)
def test_published_style_script(name, restore_library, request):
    if name in NEEDS_DATA:
        request.getfixturevalue("small_fashion_mnist")
    if name == "ch04_2":  # the section's own class calls torchvision
        request.getfixturevalue("fresh_offline_cache")
    CHECKS[name](run(name))
