import pytest
import torch
from torch import nn

import d2lcore as d2l


class NoNet(d2l.Module):
    pass


def test_forward_without_net_explains():
    with pytest.raises(NotImplementedError, match="no self.net"):
        NoNet()(torch.ones(1))


def test_loss_not_defined_explains():
    with pytest.raises(NotImplementedError, match="defines no loss"):
        NoNet().loss(torch.ones(1), torch.ones(1))


def test_forward_uses_net():
    class Lin(d2l.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Linear(2, 1)

    model = Lin()
    X = torch.randn(3, 2)
    torch.testing.assert_close(model(X), model.net(X))


def test_plot_needs_trainer():
    with pytest.raises(RuntimeError, match="needs a trainer"):
        NoNet().plot("loss", torch.tensor(1.0), train=True)


def test_configure_optimizers_without_lr():
    with pytest.raises(AttributeError, match="has no learning rate"):
        NoNet().configure_optimizers()


def test_plot_positions_points_in_epochs():
    class FakeTrainer:
        train_batch_idx, num_train_batches = 3, 4
        epoch, num_val_batches = 0, 1

    model = NoNet()
    model.trainer = FakeTrainer()
    model.plot("loss", torch.tensor(2.0), train=True)   # every_n = 2: not yet
    model.trainer.train_batch_idx = 5
    model.plot("loss", torch.tensor(4.0), train=True)
    model.plot("acc", 0.5, train=False)
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
