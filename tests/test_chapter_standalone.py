"""What a chapter shows runs as shown, without the library's copies of the lesson.

The cells of a chapter that define library code (the ones `chapter_code` finds) and
its import cells are executed in a fresh namespace, chapter after chapter, in the
order of the book. Inside that namespace ``d2l`` is the book so far: ``d2l.Module``
is the `Module` that chapter 3.2 defined on its page, ``d2l.add_to_class(d2l.Trainer)``
in chapter 3.4 adds ``fit_epoch`` to chapter 3.2's `Trainer`, and only names that no
chapter defines (``d2l.SyntheticRegressionData``, ``d2l.show_images``, ...) come
from d2lcore. A name a cell uses but neither defines nor imports fails here as it
would in a reader's fresh kernel. Then the chapter's own classes train a small model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import torch
from chapter_code import shown_definitions
from conftest import library_classes_kept
from torch import nn

import d2lcore

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = sorted(BOOK.glob("ch*.ipynb"))


class Book:
    """``d2l`` as seen from a chapter: the book's definitions so far, then d2lcore."""

    def __init__(self):
        self.defined: dict[str, object] = {}

    def __getattr__(self, name):
        if name in self.defined:
            return self.defined[name]
        return getattr(d2lcore, name)


def _strip_magics(source: str) -> str:
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines()
    )


def _is_import_cell(tree: ast.Module) -> bool:
    """Only imports (and seeding): the setup cell a chapter opens with."""
    return (
        bool(tree.body)
        and any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body)
        and all(
            isinstance(n, (ast.Import, ast.ImportFrom))
            or (
                isinstance(n, (ast.Assign, ast.Expr))
                and "manual_seed" in ast.unparse(n)
            )
            for n in tree.body
        )
    )


def shown_cells(path: Path) -> list[tuple[int, str]]:
    """The import cells and the cells that define library code, in page order."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    defining = {
        int(where.rsplit(" ", 1)[1]) for where, *_ in shown_definitions(path)
    }
    cells = []
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code" or "remove-cell" in tags:
            continue
        source = _strip_magics(cell.source)
        if i in defining or _is_import_cell(ast.parse(source)):
            cells.append((i, source))
    return cells


def run_book(upto: Path) -> tuple[dict, Book]:
    """Execute the shown definitions of every chapter up to ``upto``; return the
    namespace of ``upto`` and the book."""
    book = Book()
    for path in CHAPTERS:
        ns: dict = {"__name__": f"book_{path.stem}"}
        # a chapter may add a method to a d2lcore class that no chapter
        # defines (3.3: SyntheticRegressionData.get_dataloader); d2lcore
        # itself stays as it is
        with library_classes_kept():
            for i, source in shown_cells(path):
                exec(compile(source, f"{path.name} cell {i}", "exec"), ns)
                # the import cell bound the real d2lcore
                ns["d2l"] = book
        for name in d2lcore.__all__:
            if name in ns and ns[name] is not getattr(d2lcore, name):
                book.defined[name] = ns[name]
        if path == upto:
            return ns, book
    raise AssertionError(f"{upto} is not a chapter")


def tensor_data(module_base, X, y, batch_size):
    """A DataModule of the chapter's own class: the first half of (X, y) to
    train on, the second half to validate."""
    n = len(X)

    class Data(module_base):
        def __init__(self):
            super().__init__()
            self.batch_size, self.X, self.y = batch_size, X, y

        def get_dataloader(self, train):
            i = slice(0, n // 2) if train else slice(n // 2, None)
            dataset = torch.utils.data.TensorDataset(self.X[i], self.y[i])
            return torch.utils.data.DataLoader(
                dataset, batch_size, shuffle=train
            )

    return Data()


def regression_data(module_base, n=1024, batch_size=32):
    """y = Xw + b + noise."""
    X = torch.randn(n, 2)
    y = X @ torch.tensor([[2.0], [-3.4]]) + 4.2 + 0.01 * torch.randn(n, 1)
    return tensor_data(module_base, X, y, batch_size)


def classification_data(module_base, n=512, batch_size=64):
    """Two-class data separable by a line, as (n, 1, 2, 2) 'images'."""
    X = torch.randn(n, 1, 2, 2)
    y = (X.sum(dim=(1, 2, 3)) > 0).long()
    return tensor_data(module_base, X, y, batch_size)


def fit_quietly(book, model, data, max_epochs):
    model.board.display = False
    trainer = book.Trainer(max_epochs=max_epochs)
    trainer.fit(model, data)
    return model.board.latest()


def check_3_2(ns, book):
    # 3.2 defines the framework; 3.4 completes the Trainer with fit_epoch. Here the
    # 3.2 classes train a model of their own on a tiny synthetic problem.
    for name in (
        "add_to_class",
        "HyperParameters",
        "ProgressBoard",
        "Module",
        "DataModule",
        "Trainer",
    ):
        assert ns[name] is not getattr(d2lcore, name)
    ns4, book4 = run_book(BOOK / "ch03_4_linear_regression_scratch.ipynb")
    assert book4.Trainer is not d2lcore.Trainer and hasattr(
        book4.Trainer, "fit_epoch"
    )

    class Linear(book4.Module):
        def __init__(self, lr):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Linear(2, 1)

        def loss(self, y_hat, y):
            return ((y_hat - y) ** 2 / 2).mean()

    model = Linear(lr=0.1)
    latest = fit_quietly(book4, model, regression_data(book4.DataModule), 5)
    assert latest["val_loss"] < 0.01
    assert isinstance(model.board, book4.ProgressBoard)
    assert [p.x for p in model.board.data["val_loss"]] == [
        1.0,
        2.0,
        3.0,
        4.0,
        5.0,
    ]


def check_3_3(ns, book):
    # 3.3 adds get_tensorloader to the DataModule of 3.2
    assert "get_tensorloader" in vars(book.DataModule)

    class Data(book.DataModule):
        def __init__(self):
            super().__init__()
            self.batch_size = 4
            self.X = torch.arange(10.0).reshape(10, 1)

        def get_dataloader(self, train):
            i = slice(0, 8) if train else slice(8, None)
            return self.get_tensorloader((self.X, 2 * self.X), train, i)

    data = Data()
    assert len(data.train_dataloader()) == 2
    assert [b[1].tolist() for b in data.val_dataloader()] == [[[16.0], [18.0]]]
    train = torch.cat([b[0] for b in data.train_dataloader()])
    assert sorted(train.reshape(-1).tolist()) == list(map(float, range(8)))
    synthetic = book.SyntheticRegressionData(
        w=torch.tensor([2.0, -3.4]), b=4.2
    )
    assert len(synthetic.train_dataloader()) == 32


def check_3_4(ns, book):
    model = ns["LinearRegressionScratch"](2, lr=0.1)
    assert isinstance(model, book.Module) and not isinstance(
        model, d2lcore.Module
    )
    assert isinstance(model.configure_optimizers(), ns["SGD"])
    latest = fit_quietly(book, model, regression_data(book.DataModule), 5)
    assert latest["val_loss"] < 0.01
    torch.testing.assert_close(
        model.w.detach().reshape(-1),
        torch.tensor([2.0, -3.4]),
        atol=0.05,
        rtol=0,
    )


def check_3_5(ns, book):
    model = ns["LinearRegression"](lr=0.03)
    assert isinstance(model, book.Module) and not isinstance(
        model, d2lcore.Module
    )
    latest = fit_quietly(book, model, regression_data(book.DataModule), 5)
    assert latest["val_loss"] < 0.01
    w, b = model.get_w_b()
    torch.testing.assert_close(
        w.reshape(-1), torch.tensor([2.0, -3.4]), atol=0.05, rtol=0
    )
    assert abs(b.item() - 4.2) < 0.05


def check_4_2(ns, book):
    data = ns["FashionMNIST"](batch_size=8)
    assert isinstance(data, book.DataModule) and not isinstance(
        data, d2lcore.DataModule
    )
    X, y = next(iter(data.train_dataloader()))
    assert (
        X.shape == (8, 1, 28, 28)
        and X.dtype == torch.float32
        and y.shape == (8,)
    )
    assert data.text_labels([0, 9]) == ["t-shirt", "ankle boot"]
    import matplotlib.pyplot as plt

    data.visualize((X, y), nrows=1, ncols=4)
    assert [ax.get_title() for ax in plt.gcf().axes[:4]] == data.text_labels(
        y[:4]
    )
    plt.close("all")


def check_4_3(ns, book):
    class Logistic(ns["Classifier"]):
        def __init__(self, lr):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Sequential(nn.Flatten(), nn.Linear(4, 2))

    model = Logistic(lr=0.5)
    assert isinstance(model, book.Module) and not isinstance(
        model, d2lcore.Module
    )
    assert isinstance(model.configure_optimizers(), torch.optim.SGD)
    latest = fit_quietly(book, model, classification_data(book.DataModule), 5)
    assert latest["val_acc"] > 0.9


def check_4_4(ns, book):
    model = ns["SoftmaxRegressionScratch"](num_inputs=4, num_outputs=2, lr=0.5)
    assert isinstance(model, book.Classifier)
    latest = fit_quietly(book, model, classification_data(book.DataModule), 5)
    assert latest["val_acc"] > 0.9


def check_4_5(ns, book):
    model = ns["SoftmaxRegression"](num_outputs=2, lr=0.5)
    assert isinstance(model, book.Classifier) and not isinstance(
        model, d2lcore.Module
    )
    latest = fit_quietly(book, model, classification_data(book.DataModule), 5)
    assert latest["val_acc"] > 0.9


def check_5_2(ns, book):
    relu = ns["relu"]
    assert relu is not d2lcore.relu
    assert torch.equal(
        relu(torch.tensor([-1.0, 0.0, 2.0])), torch.tensor([0.0, 0.0, 2.0])
    )
    for model in (
        ns["MLPScratch"](num_inputs=4, num_outputs=2, num_hiddens=8, lr=0.5),
        ns["MLP"](num_outputs=2, num_hiddens=8, lr=0.5),
    ):
        assert isinstance(model, book.Classifier)
        torch.manual_seed(1)
        latest = fit_quietly(
            book, model, classification_data(book.DataModule), 10
        )
        assert latest["val_acc"] > 0.85


def check_5_7(ns, book):
    # The chapter's KaggleHouse, preprocessing, folds and k_fold on a small
    # table made here (no files are read when ``train`` is given).
    import pandas as pd

    if not hasattr(book.DataModule, "get_tensorloader"):
        # section 3.3 adds it to the DataModule of 3.2; where the book does
        # not show that yet, the library's method stands in (as in a reader's
        # kernel)
        book.DataModule.get_tensorloader = d2lcore.DataModule.get_tensorloader
    data = ns["KaggleHouse"](batch_size=8, train="given")
    assert isinstance(data, book.DataModule)
    assert not isinstance(data, d2lcore.DataModule)
    x = torch.linspace(-1, 1, 45)
    kind = ["a", "b", None] * 15
    table = pd.DataFrame({"Id": range(45), "x": x.numpy(), "kind": kind})
    prices = (1000 * torch.exp(x[:40])).numpy()
    data.raw_train = table[:40].assign(SalePrice=prices)
    data.raw_val = table[40:].reset_index(drop=True)
    data.preprocess()
    assert list(data.train.columns) == [
        "x",
        "kind_a",
        "kind_b",
        "kind_nan",
        "SalePrice",
    ]
    assert data.val_dataloader() is None
    folds = ns["k_fold_data"](data, 4)
    assert [len(f.val) for f in folds] == [10] * 4
    torch.manual_seed(0)
    models = ns["k_fold"](book.Trainer(max_epochs=20), data, k=4, lr=0.05)
    assert len(models) == 4 and all(isinstance(m, book.Module) for m in models)
    first = [m.board.data["val_loss"][0].y for m in models]
    last = [m.board.data["val_loss"][-1].y for m in models]
    assert all(b < a for a, b in zip(first, last)), (first, last)


def check_5_4(ns, book):
    for name in ("init_xavier", "layer_stds"):
        assert ns[name] is not getattr(d2lcore, name)
    net = nn.Sequential(
        nn.Linear(64, 64),
        nn.Tanh(),
        nn.Linear(64, 64),
        nn.Tanh(),
        nn.Linear(64, 10),
    )
    X = torch.randn(128, 64)
    net.apply(ns["init_normal"])
    small_acts, _ = ns["layer_stds"](net, X)
    net.apply(ns["init_xavier"])
    acts, grads = ns["layer_stds"](net, X)
    assert len(acts) == len(grads) == 3
    assert small_acts[1] < 0.01 < 0.5 < acts[1]
    assert torch.equal(net[0].bias, torch.zeros(64))


def check_3_7(ns, book):
    w = torch.tensor([3.0, -4.0])
    assert ns["l2_penalty"] is not d2lcore.l2_penalty
    assert ns["l2_penalty"](w).item() == 12.5
    model = ns["WeightDecayScratch"](num_inputs=2, lambd=0.1, lr=0.1)
    assert isinstance(model, book.LinearRegressionScratch)
    assert not isinstance(model, d2lcore.Module)
    latest = fit_quietly(book, model, regression_data(book.DataModule), 5)
    # the minimum of loss + lambd/2 |w|^2 is w = w_true / (1 + lambd) here
    torch.testing.assert_close(
        model.w.detach().reshape(-1),
        torch.tensor([2.0, -3.4]) / 1.1,
        atol=0.05,
        rtol=0,
    )
    # the validation loss includes the penalty lambd * |w|^2 / 2
    penalty = 0.1 * float((model.w.detach() ** 2).sum()) / 2
    assert penalty < latest["val_loss"] < penalty + 0.1
    concise = ns["WeightDecay"](wd=0.2, lr=0.03)
    assert isinstance(concise, book.LinearRegression)
    fit_quietly(book, concise, regression_data(book.DataModule), 5)
    w, b = concise.get_w_b()
    # mean squared error + wd/2 |w|^2: w = w_true / (1 + wd / 2); b not decayed
    torch.testing.assert_close(
        w.reshape(-1), torch.tensor([2.0, -3.4]) / 1.1, atol=0.05, rtol=0
    )
    assert abs(b.item() - 4.2) < 0.1


def check_5_6(ns, book):
    dropout_layer = ns["dropout_layer"]
    assert dropout_layer is not d2lcore.dropout_layer
    X = torch.ones(1000)
    assert torch.equal(dropout_layer(X, 0), X)
    assert torch.equal(dropout_layer(X, 1), torch.zeros(1000))
    assert set(dropout_layer(X, 0.5).unique().tolist()) == {0.0, 2.0}
    kwargs = dict(
        num_outputs=2,
        num_hiddens_1=16,
        num_hiddens_2=16,
        dropout_1=0.1,
        dropout_2=0.1,
        lr=0.5,
    )
    for name in ("DropoutMLPScratch", "DropoutMLP"):
        model = ns[name](**kwargs)
        assert isinstance(model, book.Classifier)
        assert not isinstance(model, d2lcore.Module)
        torch.manual_seed(1)
        latest = fit_quietly(
            book, model, classification_data(book.DataModule), 10
        )
        assert latest["val_acc"] > 0.85, (name, latest)


CHECKS = {
    "ch03_2": check_3_2,
    "ch03_3": check_3_3,
    "ch03_4": check_3_4,
    "ch03_5": check_3_5,
    "ch03_7": check_3_7,
    "ch04_2": check_4_2,
    "ch04_3": check_4_3,
    "ch04_4": check_4_4,
    "ch04_5": check_4_5,
    "ch05_2": check_5_2,
    "ch05_4": check_5_4,
    "ch05_6": check_5_6,
    "ch05_7": check_5_7,
}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=p.stem,
            marks=[pytest.mark.fashion] if p.stem.startswith("ch04_2") else [],
        )
        for p in CHAPTERS
    ],
)
def test_shown_definitions_run_standalone_and_train(path):
    ns, book = run_book(path)
    shown = {name for _, name, _, _ in shown_definitions(path)}
    check = CHECKS.get(path.stem[:6])
    if shown:
        assert check is not None, (
            f"{path.name} shows library code; add a check here"
        )
        check(ns, book)
