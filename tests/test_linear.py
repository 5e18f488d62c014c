"""Linear regression from scratch (d2lcore/linear.py, section 3.4)."""

import torch

import d2lcore as d2l


def test_linear_regression_scratch_forward_and_loss():
    model = d2l.LinearRegressionScratch(num_inputs=2, lr=0.03)
    assert model.w.shape == (2, 1) and model.b.shape == (1,)
    X, y = torch.randn(8, 2), torch.randn(8, 1)
    y_hat = model(X)
    torch.testing.assert_close(y_hat, X @ model.w + model.b)
    torch.testing.assert_close(
        model.loss(y_hat, y), torch.nn.functional.mse_loss(y_hat, y) / 2
    )
    opt = model.configure_optimizers()
    assert isinstance(opt, d2l.SGD) and opt.lr == 0.03


def test_initial_weights_are_small_zero_mean_noise_and_bias_zero():
    model = d2l.LinearRegressionScratch(num_inputs=20000, lr=0.1)
    assert model.sigma == 0.01
    assert abs(model.w.mean().item()) < 0.001
    assert 0.0095 < model.w.std().item() < 0.0105
    assert torch.equal(model.b.detach(), torch.zeros(1))
    wide = d2l.LinearRegressionScratch(num_inputs=20000, lr=0.1, sigma=1.0)
    assert 0.95 < wide.w.std().item() < 1.05


def test_linear_regression_concise_forward_loss_and_optimizer():
    model = d2l.LinearRegression(lr=0.03)
    X, y = torch.randn(8, 2), torch.randn(8, 1)
    y_hat = model(X)  # the first batch creates the weights
    w, b = model.get_w_b()
    assert w.shape == (1, 2) and b.shape == (1,)
    torch.testing.assert_close(y_hat, X @ w.T + b)
    torch.testing.assert_close(model.loss(y_hat, y), ((y_hat - y) ** 2).mean())
    opt = model.configure_optimizers()
    assert (
        isinstance(opt, torch.optim.SGD) and opt.param_groups[0]["lr"] == 0.03
    )
    assert {id(p) for p in opt.param_groups[0]["params"]} == {
        id(model.net.weight),
        id(model.net.bias),
    }


def test_linear_regression_concise_learns_the_true_parameters():
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    model = d2l.LinearRegression(lr=0.03)
    model.board.display = False
    d2l.Trainer(max_epochs=3).fit(model, data)
    w, b = model.get_w_b()
    assert (data.w - w.reshape(data.w.shape)).abs().max() < 0.05
    assert abs(data.b - b.item()) < 0.05


def test_linear_regression_concise_step_matches_a_hand_written_step():
    model = d2l.LinearRegression(lr=0.1)
    X, y = torch.randn(16, 3), torch.randn(16, 1)
    model(X)
    w0, b0 = (t.clone() for t in model.get_w_b())
    opt = model.configure_optimizers()
    opt.zero_grad()
    model.loss(model(X), y).backward()
    opt.step()
    residual = X @ w0.T + b0 - y  # (16, 1)
    torch.testing.assert_close(
        model.get_w_b()[0], w0 - 0.1 * 2 * (residual * X).mean(0)
    )
    torch.testing.assert_close(
        model.get_w_b()[1], b0 - 0.1 * 2 * residual.mean(0)
    )
