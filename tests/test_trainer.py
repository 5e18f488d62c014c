"""Trainer (d2lcore/trainer.py, sections 3.2.4 and 3.4.4): what fit trains, the
devices it uses, what a script prints, and how it stops on a bad loss."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import warnings

import pytest
import torch
from conftest import outside_library, small_data

import d2lcore as d2l
from d2lcore import device as device_module


def fit_linear(lr=0.1, epochs=3, **trainer_kw):
    model = d2l.LinearRegressionScratch(2, lr=lr)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    trainer = d2l.Trainer(max_epochs=epochs, **trainer_kw)
    trainer.fit(model, data)
    return model, data, trainer


def test_trainer_recovers_synthetic_parameters():
    model, data, trainer = fit_linear()
    err_w = (data.w - model.w.detach().reshape(data.w.shape)).abs().max()
    err_b = (data.b - model.b.detach()).abs().item()
    assert err_w < 0.05 and err_b < 0.05
    assert trainer.epoch == 2
    assert (
        trainer.train_batch_idx == 3 * 32 and trainer.val_batch_idx == 3 * 32
    )
    assert trainer.hparams == {
        "max_epochs": 3,
        "num_gpus": 0,
        "gradient_clip_val": 0,
    }


def test_history_is_kept_as_data():
    model, _, _ = fit_linear()
    # 2 training points and 1 validation point per epoch
    assert len(model.board.data["train_loss"]) == 6
    xs, ys = model.board.series("val_loss")
    assert xs == [1, 2, 3] and ys[-1] < ys[0]


def test_backward_runs_with_autograd_on():
    # A model whose loss needs the graph: fit must update its parameters.
    model, _, _ = fit_linear(epochs=1)
    assert model.w.grad is not None and model.w.grad.abs().sum() > 0


def test_gradient_clipping_bounds_the_norm():
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    model.w.grad = torch.full((2, 1), 30.0)
    model.b.grad = torch.full((1,), 40.0)
    d2l.Trainer(1, gradient_clip_val=1.0).clip_gradients(1.0, model)
    norm = torch.sqrt(model.w.grad.pow(2).sum() + model.b.grad.pow(2).sum())
    assert norm.item() == pytest.approx(1.0, rel=1e-4)
    model, _, _ = fit_linear(epochs=1, gradient_clip_val=0.5)
    assert torch.isfinite(model.w).all()


def test_lazy_model_trains():
    class Data(d2l.DataModule):
        def __init__(self):
            super().__init__()
            self.batch_size = 16
            self.X = torch.randn(64, 1, 2, 2)
            self.y = (self.X.sum((1, 2, 3)) > 0).long()

        def get_dataloader(self, train):
            return self.get_tensorloader((self.X, self.y), train)

    model = d2l.MLP(num_outputs=2, num_hiddens=8, lr=0.5)
    d2l.Trainer(max_epochs=20).fit(model, Data())
    assert model.board.latest()["val_acc"] > 0.8


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_trains_on_gpu():
    model, data, trainer = fit_linear(num_gpus=1)
    assert trainer.device.type == "cuda" and model.w.device.type == "cuda"
    assert (data.w - model.w.detach().cpu().reshape(2)).abs().max() < 0.05


def test_script_prints_one_clean_line_per_epoch(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(
        textwrap.dedent("""
        import torch
        import d2lcore as d2l
        torch.manual_seed(0)
        model = d2l.LinearRegressionScratch(2, lr=0.1)
        data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
        d2l.Trainer(max_epochs=3).fit(model, data)
    """)
    )
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = out.stdout.splitlines()
    assert len(lines) == 3 and out.stderr == ""
    assert lines[0].startswith("epoch 1/3  train_loss ")
    assert "val_loss" in lines[2] and "Figure" not in out.stdout


class PlainTensorModel(d2l.Module):
    """Parameters as plain tensors with requires_grad and an own optimizer, as a
    reader may write linear regression at first: nothing is registered."""

    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.w = torch.zeros(2, 1, requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def forward(self, X):
        return X @ self.w + self.b

    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2 / 2).mean()

    def configure_optimizers(self):
        return d2l.SGD([self.w, self.b], self.lr)


class ListParameters(PlainTensorModel):
    """parameters() overridden to return a list, so the default optimizer works."""

    def parameters(self):
        return [self.w, self.b]

    configure_optimizers = d2l.Module.configure_optimizers


@pytest.mark.parametrize("cls", [PlainTensorModel, ListParameters])
def test_models_without_registered_parameters_still_train(cls):
    torch.manual_seed(0)
    data = d2l.SyntheticRegressionData(w=[2.0, -3.4], b=4.2)
    model = cls()
    model.board.display = False
    d2l.Trainer(max_epochs=3).fit(model, data)
    torch.testing.assert_close(
        model.w.detach().reshape(-1),
        torch.tensor([2.0, -3.4]),
        atol=0.05,
        rtol=0,
    )


@pytest.fixture
def gpus(monkeypatch):
    """gpus(n): pretend n accelerators exist (as torch's 'meta' device)."""

    def make(n: int):
        monkeypatch.setattr(
            device_module,
            "accelerator",
            lambda i: torch.device("meta") if i < n else None,
        )

    return make


def test_a_new_trainer_has_seen_no_epoch_and_no_batch():
    trainer = d2l.Trainer(max_epochs=3)
    assert (trainer.epoch, trainer.train_batch_idx, trainer.val_batch_idx) == (
        0,
        0,
        0,
    )
    assert trainer.gpus == [] and trainer.device == d2l.cpu()


def test_fewer_gpus_than_asked_warns_and_uses_the_first(gpus):
    gpus(1)
    with pytest.warns(RuntimeWarning) as caught:
        trainer = d2l.Trainer(max_epochs=1, num_gpus=2)
    assert [str(w.message) for w in caught] == [
        "Trainer(num_gpus=2): only 1 GPU(s) found; training uses meta"
    ]
    assert outside_library(caught[0].filename)  # at the Trainer(...) line
    assert trainer.gpus == [torch.device("meta")]


def test_only_one_gpu_is_used_even_when_more_exist(gpus):
    gpus(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer = d2l.Trainer(max_epochs=1, num_gpus=2)
    assert trainer.gpus == [torch.device("meta")]
    assert trainer.device == torch.device("meta")


def test_model_and_batches_go_to_the_gpu(gpus):
    gpus(1)
    trainer = d2l.Trainer(max_epochs=4, num_gpus=1)
    X, y = torch.ones(2, 3), torch.zeros(2)
    assert [t.device for t in trainer.prepare_batch([X, y])] == [
        torch.device("meta")
    ] * 2
    model = d2l.LinearRegressionScratch(3, lr=0.1)
    trainer.prepare_model(model)
    assert model.w.device == torch.device("meta") and model.trainer is trainer
    assert model.board.xlim == [0, 4]  # the x axis spans all epochs
    assert d2l.Trainer(1).prepare_batch([X, y])[0] is X  # CPU: left alone


def test_each_epoch_prints_one_line_with_the_latest_metrics(capsys):
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    d2l.Trainer(max_epochs=2).fit(model, small_data())
    lines = capsys.readouterr().out.splitlines()
    number = r"\d+\.\d{4}"
    assert len(lines) == 2
    assert re.fullmatch(
        rf"epoch 1/2  train_loss {number}  val_loss {number}", lines[0]
    )
    latest = model.board.latest()
    assert lines[1] == (
        f"epoch 2/2  train_loss {latest['train_loss']:.4f}  "
        f"val_loss {latest['val_loss']:.4f}"
    )


class Terminal:
    """A stdout that records what was flushed when."""

    def __init__(self):
        self.text, self.flushed = "", []

    def write(self, s):
        self.text += s

    def flush(self):
        self.flushed.append(self.text)


def test_each_line_is_flushed_as_soon_as_it_is_printed(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    d2l.Trainer(max_epochs=2).fit(
        d2l.LinearRegressionScratch(2, lr=0.1), small_data()
    )
    lines = terminal.text.splitlines(keepends=True)
    assert len(lines) == 2
    assert terminal.flushed == [lines[0], lines[0] + lines[1]]


def test_clipping_bounds_every_step():
    data = small_data(num_train=16, num_val=16)  # one training batch
    model = d2l.LinearRegressionScratch(2, lr=1.0)
    before = torch.cat([model.w.detach().flatten(), model.b.detach()])
    d2l.Trainer(max_epochs=1, gradient_clip_val=0.5).fit(model, data)
    after = torch.cat([model.w.detach().flatten(), model.b.detach()])
    assert (after - before).norm().item() == pytest.approx(0.5, rel=1e-4)


class NoValidation(d2l.DataModule):
    def __init__(self, n):
        super().__init__()
        self.batch_size = 8
        self.X, self.y = torch.randn(n, 2), torch.randn(n, 1)

    def get_dataloader(self, train):
        return (
            self.get_tensorloader((self.X, self.y), train) if train else None
        )


def test_training_without_validation_data_and_with_one_batch():
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    trainer = d2l.Trainer(max_epochs=2)
    trainer.fit(model, NoValidation(8))
    assert trainer.num_train_batches == 1 and trainer.num_val_batches == 0
    assert trainer.train_batch_idx == 2 and trainer.val_batch_idx == 0
    assert list(model.board.data) == ["train_loss"]


def test_a_loss_per_example_asked_for_is_no_mistake():
    # Classifier.loss(..., averaged=False) returns one loss per example, e.g.
    # for importance weights; only the loss of a training step must be a number
    class Weighted(d2l.SoftmaxRegression):
        def training_step(self, batch):
            X, y = batch
            loss = (self.loss(self(X), y, averaged=False) * 2.0).mean()
            self.plot("loss", loss, train=True)
            return loss

    X, y = torch.randn(64, 1, 4, 4), torch.randint(0, 3, (64,))
    data = d2l.DataModule()
    data.batch_size = 16
    data.get_dataloader = lambda train: data.get_tensorloader(
        [X, y], train, slice(0, 48) if train else slice(48, None)
    )
    model = Weighted(num_outputs=3, lr=0.1)
    model.board.display = False
    d2l.Trainer(max_epochs=1).fit(model, data)
    assert model.board.latest()["train_loss"] > 0
