import pytest
import torch

import d2lcore as d2l


def test_sgd_step_matches_torch_sgd():
    w = torch.randn(3, requires_grad=True)
    w_ref = torch.nn.Parameter(w.detach().clone())
    for opt, p in ((d2l.SGD([w], lr=0.1), w),
                   (torch.optim.SGD([w_ref], lr=0.1), w_ref)):
        for _ in range(3):
            opt.zero_grad()
            ((p ** 2).sum() + p.sum()).backward()
            opt.step()
    torch.testing.assert_close(w.detach(), w_ref.detach())


def test_sgd_zero_grad_and_skip_missing_grad():
    a, b = torch.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    opt = d2l.SGD([a, b], lr=1.0)
    (a * 3).sum().backward()
    opt.step()  # b has no gradient: left unchanged
    torch.testing.assert_close(a.detach(), torch.tensor([-2.0, -2.0]))
    torch.testing.assert_close(b.detach(), torch.ones(2))
    opt.zero_grad()
    assert a.grad is None and b.grad is None
    (a * 5).sum().backward()   # a fresh gradient, not added to the old one
    torch.testing.assert_close(a.grad, torch.full((2,), 5.0))


@pytest.mark.parametrize("lr", [0, -0.1])
def test_sgd_rejects_bad_lr(lr):
    with pytest.raises(ValueError, match="lr must be > 0"):
        d2l.SGD([torch.ones(1, requires_grad=True)], lr)


def test_sgd_rejects_no_params():
    with pytest.raises(ValueError, match="empty list of parameters"):
        d2l.SGD(iter([]), 0.1)


def test_linear_regression_scratch_forward_and_loss():
    model = d2l.LinearRegressionScratch(num_inputs=2, lr=0.03)
    assert model.w.shape == (2, 1) and model.b.shape == (1,)
    X, y = torch.randn(8, 2), torch.randn(8, 1)
    y_hat = model(X)
    torch.testing.assert_close(y_hat, X @ model.w + model.b)
    torch.testing.assert_close(model.loss(y_hat, y),
                               torch.nn.functional.mse_loss(y_hat, y) / 2)
    opt = model.configure_optimizers()
    assert isinstance(opt, d2l.SGD) and opt.lr == 0.03


def test_linear_regression_concise_forward_loss_and_optimizer():
    model = d2l.LinearRegression(lr=0.03)
    X, y = torch.randn(8, 2), torch.randn(8, 1)
    y_hat = model(X)                        # the first batch creates the weights
    w, b = model.get_w_b()
    assert w.shape == (1, 2) and b.shape == (1,)
    torch.testing.assert_close(y_hat, X @ w.T + b)
    torch.testing.assert_close(model.loss(y_hat, y), ((y_hat - y) ** 2).mean())
    opt = model.configure_optimizers()
    assert isinstance(opt, torch.optim.SGD) and opt.param_groups[0]["lr"] == 0.03
    assert {id(p) for p in opt.param_groups[0]["params"]} == \
        {id(model.net.weight), id(model.net.bias)}


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
    residual = X @ w0.T + b0 - y                        # (16, 1)
    torch.testing.assert_close(model.get_w_b()[0], w0 - 0.1 * 2 * (residual * X).mean(0))
    torch.testing.assert_close(model.get_w_b()[1], b0 - 0.1 * 2 * residual.mean(0))
