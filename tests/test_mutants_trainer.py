"""Trainer behaviour found by mutation testing: devices, the per-epoch report, the
NaN report, clipping and unusual data (no validation set, one batch)."""
from __future__ import annotations

import math
import os
import re
import warnings
from types import SimpleNamespace

import pytest
import torch
from torch import nn

import d2lcore as d2l
from d2lcore import trainer as trainer_module

UNDER_MUTMUT = "MUTANT_UNDER_TEST" in os.environ   # mutmut's wrappers shift stack levels


def small_data(**kw):
    kw = {"num_train": 64, "num_val": 32, "batch_size": 16, **kw}
    return d2l.SyntheticRegressionData(w=[2.0, -3.4], b=4.2, **kw)


@pytest.fixture
def gpus(monkeypatch):
    """gpus(n): pretend n accelerators exist (as torch's 'meta' device)."""
    def make(n: int):
        monkeypatch.setattr(trainer_module, "accelerator",
                            lambda i: torch.device("meta") if i < n else None)
    return make


def test_a_new_trainer_has_seen_no_epoch_and_no_batch():
    trainer = d2l.Trainer(max_epochs=3)
    assert (trainer.epoch, trainer.train_batch_idx, trainer.val_batch_idx) == (0, 0, 0)
    assert trainer.gpus == [] and trainer.device == d2l.cpu()


def test_fewer_gpus_than_asked_warns_and_uses_the_first(gpus):
    gpus(1)
    with pytest.warns(RuntimeWarning) as caught:
        trainer = d2l.Trainer(max_epochs=1, num_gpus=2)
    assert [str(w.message) for w in caught] == [
        "Trainer(num_gpus=2): only 1 GPU(s) found; training uses meta"]
    if not UNDER_MUTMUT:
        assert caught[0].filename == __file__      # points at the Trainer(...) line
    assert trainer.gpus == [torch.device("meta")]


def test_only_one_gpu_is_used_even_when_more_exist(gpus):
    gpus(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer = d2l.Trainer(max_epochs=1, num_gpus=2)
    assert trainer.gpus == [torch.device("meta")]
    assert trainer.device == torch.device("meta")


def test_no_gpu_warning_points_at_the_callers_line(gpus):
    gpus(0)
    with pytest.warns(RuntimeWarning, match="no GPU found") as caught:
        d2l.Trainer(max_epochs=1, num_gpus=1)
    if not UNDER_MUTMUT:
        assert caught[0].filename == __file__


def test_model_and_batches_go_to_the_gpu(gpus):
    gpus(1)
    trainer = d2l.Trainer(max_epochs=4, num_gpus=1)
    X, y = torch.ones(2, 3), torch.zeros(2)
    assert [t.device for t in trainer.prepare_batch([X, y])] == [torch.device("meta")] * 2
    model = d2l.LinearRegressionScratch(3, lr=0.1)
    trainer.prepare_model(model)
    assert model.w.device == torch.device("meta") and model.trainer is trainer
    assert model.board.xlim == [0, 4]               # the x axis spans all epochs
    assert d2l.Trainer(1).prepare_batch([X, y])[0] is X   # CPU: left alone


def test_each_epoch_prints_one_line_with_the_latest_metrics(capsys):
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    d2l.Trainer(max_epochs=2).fit(model, small_data())
    lines = capsys.readouterr().out.splitlines()
    number = r"\d+\.\d{4}"
    assert len(lines) == 2
    assert re.fullmatch(rf"epoch 1/2  train_loss {number}  val_loss {number}", lines[0])
    latest = model.board.latest()
    assert lines[1] == (f"epoch 2/2  train_loss {latest['train_loss']:.4f}  "
                        f"val_loss {latest['val_loss']:.4f}")


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
    d2l.Trainer(max_epochs=2).fit(d2l.LinearRegressionScratch(2, lr=0.1), small_data())
    lines = terminal.text.splitlines(keepends=True)
    assert len(lines) == 2
    assert terminal.flushed == [lines[0], lines[0] + lines[1]]


def test_no_report_without_display_or_in_a_notebook(capsys, monkeypatch):
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    model.board.display = False
    d2l.Trainer(max_epochs=1).fit(model, small_data())
    assert capsys.readouterr().out == ""

    import IPython
    import IPython.display
    monkeypatch.setattr(IPython, "get_ipython",
                        lambda: SimpleNamespace(kernel=object(), execution_count=1,
                                                events=SimpleNamespace(
                                                    register=lambda *a: None)))
    monkeypatch.setattr(IPython.display, "display",
                        lambda *a, **k: SimpleNamespace(update=lambda *a, **k: None))
    monkeypatch.setattr("d2lcore.board._HOOKED", False)
    d2l.Trainer(max_epochs=1).fit(d2l.LinearRegressionScratch(2, lr=0.1), small_data())
    assert capsys.readouterr().out == ""           # the board shows the progress


class NaNAt(d2l.Module):
    """Its loss is NaN at one global training step."""
    def __init__(self, step, with_lr=True):
        super().__init__()
        self.net = nn.Linear(2, 1)
        self.step = step
        if with_lr:
            self.lr = 0.1

    def loss(self, y_hat, y):
        l = ((y_hat - y) ** 2).mean()
        return l * math.nan if self.trainer.train_batch_idx == self.step else l

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)


@pytest.mark.filterwarnings("ignore:ProgressBoard. skipped non-finite")
@pytest.mark.parametrize("step,epoch,batch", [(0, 1, 1), (5, 2, 2), (11, 3, 4)])
def test_nan_report_counts_epochs_and_batches_from_one(step, epoch, batch):
    with pytest.raises(FloatingPointError,
                       match=rf"^the training loss became nan at epoch {epoch}, "
                             rf"batch {batch}: lower the learning rate \(lr=0.1\)"):
        d2l.Trainer(max_epochs=3).fit(NaNAt(step), small_data())   # 4 batches/epoch


@pytest.mark.filterwarnings("ignore:ProgressBoard. skipped non-finite")
def test_nan_report_without_a_learning_rate():
    with pytest.raises(FloatingPointError, match=r"lower the learning rate \(lr=\?\)"):
        d2l.Trainer(max_epochs=1).fit(NaNAt(0, with_lr=False), small_data())


def test_clipping_bounds_every_step():
    data = small_data(num_train=16, num_val=16)           # one training batch
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
        return self.get_tensorloader((self.X, self.y), train) if train else None


def test_training_without_validation_data_and_with_one_batch():
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    trainer = d2l.Trainer(max_epochs=2)
    trainer.fit(model, NoValidation(8))
    assert trainer.num_train_batches == 1 and trainer.num_val_batches == 0
    assert trainer.train_batch_idx == 2 and trainer.val_batch_idx == 0
    assert list(model.board.data) == ["train_loss"]
