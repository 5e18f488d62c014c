"""Softmax regression from scratch (found by mutation testing)."""
import torch

import d2lcore as d2l


def test_softmax_of_a_single_vector_of_logits():
    logits = torch.tensor([1.0, 2.0, 3.0])
    torch.testing.assert_close(d2l.softmax(logits), torch.softmax(logits, dim=0))


def test_initial_weights_are_small_zero_mean_noise():
    model = d2l.SoftmaxRegressionScratch(num_inputs=2000, num_outputs=10, lr=0.1)
    assert abs(model.W.mean().item()) < 0.001
    assert 0.0095 < model.W.std().item() < 0.0105
    assert torch.equal(model.b.detach(), torch.zeros(10))


def test_forward_adds_the_bias():
    model = d2l.SoftmaxRegressionScratch(num_inputs=4, num_outputs=3, lr=0.1)
    with torch.no_grad():
        model.b.copy_(torch.tensor([1.0, -2.0, 0.5]))
    X = torch.randn(5, 4)
    torch.testing.assert_close(model(X), torch.softmax(X @ model.W + model.b, dim=1))


def test_loss_is_cross_entropy_of_the_probabilities():
    model = d2l.SoftmaxRegressionScratch(num_inputs=4, num_outputs=3, lr=0.1)
    y_hat = torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    y = torch.tensor([2, 0])
    expected = -(torch.log(torch.tensor(0.5)) + torch.log(torch.tensor(0.6))) / 2
    torch.testing.assert_close(model.loss(y_hat, y), expected)
