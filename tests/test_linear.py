"""Linear regression from scratch (d2lcore/linear.py, section 3.4)."""
import torch

import d2lcore as d2l


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


def test_initial_weights_are_small_zero_mean_noise_and_bias_zero():
    model = d2l.LinearRegressionScratch(num_inputs=20000, lr=0.1)
    assert model.sigma == 0.01
    assert abs(model.w.mean().item()) < 0.001
    assert 0.0095 < model.w.std().item() < 0.0105
    assert torch.equal(model.b.detach(), torch.zeros(1))
    wide = d2l.LinearRegressionScratch(num_inputs=20000, lr=0.1, sigma=1.0)
    assert 0.95 < wide.w.std().item() < 1.05
