import pytest
import torch
import torch.nn.functional as F
from conftest import FakeTrainer, ThreeTensors, TwoInputs
from torch import nn

import d2lcore as d2l


def test_accuracy_averaged_and_per_example():
    Y_hat = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    Y = torch.tensor([1, 0, 0, 1])
    model = d2l.Classifier()
    assert model.accuracy(Y_hat, Y).item() == pytest.approx(0.5)
    torch.testing.assert_close(
        model.accuracy(Y_hat, Y, averaged=False),
        torch.tensor([1.0, 1.0, 0.0, 0.0]),
    )


def test_classifier_loss_is_cross_entropy_on_logits():
    logits, y = torch.randn(5, 3), torch.tensor([0, 2, 1, 1, 0])
    model = d2l.Classifier()
    torch.testing.assert_close(
        model.loss(logits, y), F.cross_entropy(logits, y)
    )
    assert model.loss(logits, y, averaged=False).shape == (5,)


class TwoInputClassifier(d2l.Classifier):
    def __init__(self, lr=0.5):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(2)

    forward = TwoInputs.forward


def test_a_classifier_with_two_inputs_trains():
    data = ThreeTensors(lambda X1, X2: (X1.sum(1) > X2.sum(1)).long())
    model = TwoInputClassifier()
    d2l.Trainer(max_epochs=20).fit(model, data)
    assert model.board.latest()["val_acc"] > 0.8


def test_classifier_validation_plots_loss_and_accuracy():
    model = TwoInputClassifier()
    model.trainer = FakeTrainer()
    model.net(torch.ones(1, 5))
    with torch.no_grad():
        nn.init.zeros_(model.net.weight)
        model.net.bias.copy_(
            torch.tensor([0.0, 1.0])
        )  # always predicts class 1
    y = torch.tensor([1, 1, 0, 1])
    model.validation_step([torch.ones(4, 2), torch.ones(4, 3), y])
    logits = torch.tensor([[0.0, 1.0]]).expand(4, 2)
    assert list(model.board.data) == ["val_loss", "val_acc"]
    assert model.board.data["val_loss"][0].y == pytest.approx(
        torch.nn.functional.cross_entropy(logits, y).item()
    )
    assert model.board.data["val_acc"] == [(1, 0.75)]


def test_accuracy_and_loss_of_sequence_outputs():
    # (batch, steps, classes) logits with (batch, steps) labels: one token per row
    Y_hat = torch.tensor(
        [
            [[0.0, 1.0, 0.0], [2.0, 0.0, 0.0]],
            [[0.0, 0.0, 3.0], [0.0, 1.0, 0.0]],
        ]
    )
    Y = torch.tensor([[1, 0], [2, 2]])
    model = d2l.Classifier()
    assert model.accuracy(Y_hat, Y).item() == 0.75
    torch.testing.assert_close(
        model.loss(Y_hat, Y),
        torch.nn.functional.cross_entropy(Y_hat.reshape(4, 3), Y.reshape(4)),
    )
