"""Linear regression from scratch: its initial parameters (found by mutation
testing)."""
import torch

import d2lcore as d2l


def test_initial_weights_are_small_zero_mean_noise_and_bias_zero():
    model = d2l.LinearRegressionScratch(num_inputs=20000, lr=0.1)
    assert model.sigma == 0.01
    assert abs(model.w.mean().item()) < 0.001
    assert 0.0095 < model.w.std().item() < 0.0105
    assert torch.equal(model.b.detach(), torch.zeros(1))
    wide = d2l.LinearRegressionScratch(num_inputs=20000, lr=0.1, sigma=1.0)
    assert 0.95 < wide.w.std().item() < 1.05
