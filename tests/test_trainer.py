import subprocess
import sys
import textwrap
import warnings

import pytest
import torch
from torch import nn

import d2lcore as d2l


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
    assert trainer.train_batch_idx == 3 * 32 and trainer.val_batch_idx == 3 * 32
    assert trainer.hparams == {"max_epochs": 3, "num_gpus": 0, "gradient_clip_val": 0}


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


@pytest.mark.parametrize("kwargs,match", [
    ({"max_epochs": 0}, "max_epochs must be an int >= 1"),
    ({"max_epochs": 2.0}, "max_epochs must be an int >= 1"),
    ({"max_epochs": 1, "num_gpus": -1}, "num_gpus must be an int >= 0"),
    ({"max_epochs": 1, "num_gpus": 0.5}, "num_gpus must be an int >= 0"),
    ({"max_epochs": 1, "gradient_clip_val": -1}, "gradient_clip_val must be"),
    ({"max_epochs": 1, "gradient_clip_val": float("nan")}, "gradient_clip_val must be"),
])
def test_bad_trainer_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        d2l.Trainer(**kwargs)


@pytest.mark.filterwarnings("ignore:ProgressBoard. skipped non-finite")
def test_nan_loss_stops_with_epoch_and_batch():
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    model = d2l.LinearRegressionScratch(2, lr=1e6)
    with pytest.raises(FloatingPointError,
                       match=r"at epoch 1, batch \d+: lower the learning rate"):
        d2l.Trainer(max_epochs=2).fit(model, data)


def test_fit_rejects_non_d2l_model_and_data():
    data = d2l.SyntheticRegressionData(w=[1.0], b=0.0)
    with pytest.raises(TypeError, match="needs a d2l.Module"):
        d2l.Trainer(1).fit(nn.Linear(1, 1), data)
    with pytest.raises(TypeError, match="needs a data module"):
        d2l.Trainer(1).fit(d2l.LinearRegressionScratch(1, 0.1), [1, 2])


@pytest.mark.skipif(d2l.try_gpu() != d2l.cpu(), reason="an accelerator is present")
def test_num_gpus_falls_back_to_cpu_with_one_warning():
    with pytest.warns(RuntimeWarning, match="no GPU found, training on the CPU") as rec:
        trainer = d2l.Trainer(max_epochs=1, num_gpus=1)
    assert len(rec) == 1 and trainer.device == d2l.cpu()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer.fit(d2l.LinearRegressionScratch(2, 0.1),
                    d2l.SyntheticRegressionData(w=[1.0, 2.0], b=0.0))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_trains_on_gpu():
    model, data, trainer = fit_linear(num_gpus=1)
    assert trainer.device.type == "cuda" and model.w.device.type == "cuda"
    assert (data.w - model.w.detach().cpu().reshape(2)).abs().max() < 0.05


def test_script_prints_one_clean_line_per_epoch(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent("""
        import torch
        import d2lcore as d2l
        torch.manual_seed(0)
        model = d2l.LinearRegressionScratch(2, lr=0.1)
        data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
        d2l.Trainer(max_epochs=3).fit(model, data)
    """))
    out = subprocess.run([sys.executable, str(script)], capture_output=True,
                         text=True, timeout=120, check=True)
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
    torch.testing.assert_close(model.w.detach().reshape(-1), torch.tensor([2.0, -3.4]),
                               atol=0.05, rtol=0)
