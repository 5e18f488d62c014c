"""Softmax, cross-entropy and softmax regression (d2lcore/softmax.py, section 4.4)."""

import torch
import torch.nn.functional as F

import d2lcore as d2l


def test_softmax_values_and_gradients_match_torch():
    X = torch.randn(4, 5, requires_grad=True)
    X_ref = X.detach().clone().requires_grad_()
    weights = torch.randn(4, 5)
    out, ref = d2l.softmax(X), torch.softmax(X_ref, dim=1)
    torch.testing.assert_close(out, ref)
    torch.testing.assert_close(out.sum(1), torch.ones(4))
    (out * weights).sum().backward()
    (ref * weights).sum().backward()
    torch.testing.assert_close(X.grad, X_ref.grad)


def test_softmax_is_stable_for_large_logits():
    X = torch.tensor([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
    out = d2l.softmax(X)
    assert torch.isfinite(out).all()
    torch.testing.assert_close(out, torch.softmax(X, dim=1))


def test_cross_entropy_values_and_gradients_match_torch():
    logits = torch.randn(6, 4, requires_grad=True)
    logits_ref = logits.detach().clone().requires_grad_()
    y = torch.tensor([0, 3, 1, 2, 2, 0])
    ours = d2l.cross_entropy(d2l.softmax(logits), y)
    ref = F.cross_entropy(logits_ref, y)
    torch.testing.assert_close(ours, ref)
    ours.backward()
    ref.backward()
    torch.testing.assert_close(logits.grad, logits_ref.grad)


def test_cross_entropy_picks_probability_of_true_class():
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    y = torch.tensor([0, 2])
    expected = (
        -(torch.log(torch.tensor(0.1)) + torch.log(torch.tensor(0.5))) / 2
    )
    torch.testing.assert_close(d2l.cross_entropy(y_hat, y), expected)


def test_softmax_regression_scratch_forward_and_parameters():
    model = d2l.SoftmaxRegressionScratch(num_inputs=12, num_outputs=3, lr=0.1)
    X = torch.rand(5, 1, 3, 4)
    y_hat = model(X)
    assert y_hat.shape == (5, 3)
    torch.testing.assert_close(y_hat.sum(1), torch.ones(5))
    expected = torch.softmax(X.reshape(5, 12) @ model.W + model.b, dim=1)
    torch.testing.assert_close(y_hat, expected)
    assert [p.shape for p in model.parameters()] == [(12, 3), (3,)]
    assert model.hparams == {
        "plot_train_per_epoch": 2,
        "plot_valid_per_epoch": 1,
        "num_inputs": 12,
        "num_outputs": 3,
        "lr": 0.1,
        "sigma": 0.01,
    }


def test_softmax_of_a_single_vector_of_logits():
    logits = torch.tensor([1.0, 2.0, 3.0])
    torch.testing.assert_close(
        d2l.softmax(logits), torch.softmax(logits, dim=0)
    )


def test_initial_weights_are_small_zero_mean_noise():
    model = d2l.SoftmaxRegressionScratch(
        num_inputs=2000, num_outputs=10, lr=0.1
    )
    assert abs(model.W.mean().item()) < 0.001
    assert 0.0095 < model.W.std().item() < 0.0105
    assert torch.equal(model.b.detach(), torch.zeros(10))


def test_forward_adds_the_bias():
    model = d2l.SoftmaxRegressionScratch(num_inputs=4, num_outputs=3, lr=0.1)
    with torch.no_grad():
        model.b.copy_(torch.tensor([1.0, -2.0, 0.5]))
    X = torch.randn(5, 4)
    torch.testing.assert_close(
        model(X), torch.softmax(X @ model.W + model.b, dim=1)
    )


def test_loss_is_cross_entropy_of_the_probabilities():
    model = d2l.SoftmaxRegressionScratch(num_inputs=4, num_outputs=3, lr=0.1)
    y_hat = torch.tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
    y = torch.tensor([2, 0])
    assert model.loss(y_hat, y) == d2l.cross_entropy(y_hat, y)


def test_softmax_regression_concise_outputs_logits_of_flattened_images():
    model = d2l.SoftmaxRegression(num_outputs=10, lr=0.1)
    X = torch.rand(4, 1, 28, 28)
    logits = model(X)
    layer = model.net[1]
    assert logits.shape == (4, 10) and layer.weight.shape == (10, 784)
    torch.testing.assert_close(
        logits, X.reshape(4, -1) @ layer.weight.T + layer.bias
    )
    y = torch.tensor([0, 3, 9, 3])
    torch.testing.assert_close(
        model.loss(logits, y), F.cross_entropy(logits, y)
    )


def test_softmax_regression_concise_matches_the_scratch_model():
    """With the same weights the concise model's loss is the scratch model's loss
    (the cross-entropy of the softmax), computed from logits."""
    scratch = d2l.SoftmaxRegressionScratch(num_inputs=6, num_outputs=3, lr=0.1)
    concise = d2l.SoftmaxRegression(num_outputs=3, lr=0.1)
    X, y = torch.randn(5, 2, 3), torch.tensor([0, 2, 1, 1, 0])
    concise(X)
    with torch.no_grad():
        concise.net[1].weight.copy_(scratch.W.T)
        concise.net[1].bias.copy_(scratch.b)
    torch.testing.assert_close(
        concise.loss(concise(X), y), scratch.loss(scratch(X), y)
    )
    torch.testing.assert_close(torch.softmax(concise(X), dim=1), scratch(X))


def test_softmax_regression_concise_is_stable_for_huge_logits():
    model = d2l.SoftmaxRegression(num_outputs=3, lr=0.1)
    Y_hat = torch.tensor([[1000.0, 0.0, -1000.0]])
    assert model.loss(Y_hat, torch.tensor([0])).item() == 0
    assert model.loss(Y_hat, torch.tensor([2])).item() == 2000
