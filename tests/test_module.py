"""Module (d2lcore/module.py, section 3.2.2): the default forward, plotting on an epoch
axis, models with several inputs, the default optimizer."""

from __future__ import annotations

import torch
from conftest import FakeTrainer, ThreeTensors, TwoInputs
from torch import nn

import d2lcore as d2l


class NoNet(d2l.Module):
    pass


def test_forward_uses_net():
    class Lin(d2l.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Linear(2, 1)

    model = Lin()
    X = torch.randn(3, 2)
    torch.testing.assert_close(model(X), model.net(X))


def test_plot_positions_points_in_epochs():
    class FakeTrainer:
        train_batch_idx, num_train_batches = 3, 4
        epoch, num_val_batches = 0, 1

    model = NoNet()
    model.trainer = FakeTrainer()
    model.plot("loss", torch.tensor(2.0), train=True)  # every_n = 2: not yet
    model.trainer.train_batch_idx = 5
    model.plot("loss", torch.tensor(4.0), train=True)
    model.plot("acc", torch.tensor(0.5), train=False)
    assert model.board.data["train_loss"] == [(1.0, 3.0)]
    assert model.board.data["val_acc"] == [(1, 0.5)]


def test_plot_with_fewer_batches_than_points():
    class FakeTrainer:
        train_batch_idx, num_train_batches = 0, 1
        epoch, num_val_batches = 0, 1

    model = NoNet(plot_train_per_epoch=5, plot_valid_per_epoch=3)
    model.trainer = FakeTrainer()
    model.plot("loss", torch.tensor(1.0), train=True)
    model.plot("loss", torch.tensor(1.0), train=False)
    assert len(model.board.data["train_loss"]) == 1
    assert len(model.board.data["val_loss"]) == 1


def test_configure_optimizers_uses_lr():
    model = d2l.MLP(num_outputs=2, num_hiddens=3, lr=0.25)
    model.apply_init([torch.rand(1, 4)])
    opt = model.configure_optimizers()
    assert isinstance(opt, torch.optim.SGD) and opt.defaults["lr"] == 0.25
    assert opt.defaults["momentum"] == 0 and opt.defaults["weight_decay"] == 0
    (group,) = opt.param_groups
    assert [id(p) for p in group["params"]] == [
        id(p) for p in model.parameters()
    ]


def test_a_model_with_two_inputs_trains():
    data = ThreeTensors(
        lambda X1, X2: X1.sum(1, keepdim=True) - X2.sum(1, keepdim=True)
    )
    model = TwoInputs()
    d2l.Trainer(max_epochs=10).fit(model, data)
    _, val = model.board.series("val_loss")
    assert val[-1] < 0.1 * val[0]


def test_steps_plot_under_train_and_val_names_on_an_epoch_axis():
    model = TwoInputs()
    model.trainer = FakeTrainer()
    batch = [torch.ones(4, 2), torch.ones(4, 3), torch.zeros(4, 1)]
    model.net(torch.ones(1, 5))  # materialize
    with torch.no_grad():
        nn.init.zeros_(model.net.weight)
        nn.init.constant_(model.net.bias, 2.0)
    loss = model.training_step(batch)
    assert loss.item() == 4.0
    model.validation_step(batch)
    assert model.board.xlabel == "epoch"
    assert model.board.data == {
        "train_loss": [(1.0, 4.0)],
        "val_loss": [(1, 4.0)],
    }
