"""Module and Classifier behaviour found by mutation testing: models with several
inputs, what the steps plot, and where the board's x axis comes from."""
from __future__ import annotations

import pytest
import torch
from torch import nn

import d2lcore as d2l


class TwoInputs(d2l.Module):
    """y ~ X1 + X2 for a batch (X1, X2, y); lazy, so fit has to materialize it."""
    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)

    def forward(self, X1, X2):
        return self.net(torch.cat([X1, X2], dim=1))

    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2).mean()


class TwoInputClassifier(d2l.Classifier):
    def __init__(self, lr=0.5):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(2)

    forward = TwoInputs.forward


class ThreeTensors(d2l.DataModule):
    def __init__(self, y):
        super().__init__()
        self.batch_size = 16
        self.X1, self.X2 = torch.randn(64, 2), torch.randn(64, 3)
        self.y = y(self.X1, self.X2)

    def get_dataloader(self, train):
        return self.get_tensorloader((self.X1, self.X2, self.y), train)


def test_a_model_with_two_inputs_trains():
    data = ThreeTensors(lambda X1, X2: X1.sum(1, keepdim=True) - X2.sum(1, keepdim=True))
    model = TwoInputs()
    d2l.Trainer(max_epochs=10).fit(model, data)
    _, val = model.board.series("val_loss")
    assert val[-1] < 0.1 * val[0]


def test_a_classifier_with_two_inputs_trains():
    data = ThreeTensors(lambda X1, X2: (X1.sum(1) > X2.sum(1)).long())
    model = TwoInputClassifier()
    d2l.Trainer(max_epochs=20).fit(model, data)
    assert model.board.latest()["val_acc"] > 0.8


class FakeTrainer:
    train_batch_idx, num_train_batches = 1, 1
    epoch, num_val_batches = 0, 1


def test_steps_plot_under_train_and_val_names_on_an_epoch_axis():
    model = TwoInputs()
    model.trainer = FakeTrainer()
    batch = [torch.ones(4, 2), torch.ones(4, 3), torch.zeros(4, 1)]
    model.net(torch.ones(1, 5))                     # materialize
    with torch.no_grad():
        nn.init.zeros_(model.net.weight)
        nn.init.constant_(model.net.bias, 2.0)
    loss = model.training_step(batch)
    assert loss.item() == 4.0
    model.validation_step(batch)
    assert model.board.xlabel == "epoch"
    assert model.board.data == {"train_loss": [(1.0, 4.0)], "val_loss": [(1, 4.0)]}


def test_classifier_validation_plots_loss_and_accuracy():
    model = TwoInputClassifier()
    model.trainer = FakeTrainer()
    model.net(torch.ones(1, 5))
    with torch.no_grad():
        nn.init.zeros_(model.net.weight)
        model.net.bias.copy_(torch.tensor([0.0, 1.0]))   # always predicts class 1
    y = torch.tensor([1, 1, 0, 1])
    model.validation_step([torch.ones(4, 2), torch.ones(4, 3), y])
    logits = torch.tensor([[0.0, 1.0]]).expand(4, 2)
    assert list(model.board.data) == ["val_loss", "val_acc"]
    assert model.board.data["val_loss"][0].y == pytest.approx(
        torch.nn.functional.cross_entropy(logits, y).item())
    assert model.board.data["val_acc"] == [(1, 0.75)]


def test_accuracy_and_loss_of_sequence_outputs():
    # (batch, steps, classes) logits with (batch, steps) labels: one token per row
    Y_hat = torch.tensor([[[0.0, 1.0, 0.0], [2.0, 0.0, 0.0]],
                          [[0.0, 0.0, 3.0], [0.0, 1.0, 0.0]]])
    Y = torch.tensor([[1, 0], [2, 2]])
    model = d2l.Classifier()
    assert model.accuracy(Y_hat, Y).item() == 0.75
    torch.testing.assert_close(
        model.loss(Y_hat, Y),
        torch.nn.functional.cross_entropy(Y_hat.reshape(4, 3), Y.reshape(4)))
