"""Xavier initialization and per-layer scales (d2lcore/initialization.py,
section 5.4)."""

import math

import pytest
import torch
from torch import nn

import d2lcore as d2l


def deep_net(num_layers=6, width=128, activation=nn.Tanh):
    layers = [nn.Linear(64, width), activation()]
    for _ in range(num_layers - 1):
        layers += [nn.Linear(width, width), activation()]
    return nn.Sequential(*layers, nn.Linear(width, 10))


def test_init_xavier_uses_the_xavier_bound_and_zeroes_biases():
    layer = nn.Linear(300, 100)
    layer.apply(d2l.init_xavier)
    bound = math.sqrt(6 / (300 + 100))
    assert layer.weight.abs().max() <= bound
    assert layer.weight.abs().max() > 0.98 * bound
    std = layer.weight.std().item()
    assert std == pytest.approx(math.sqrt(2 / 400), rel=0.03)
    assert torch.equal(layer.bias, torch.zeros(100))


def test_init_xavier_draws_as_torch_does():
    mine, ref = nn.Linear(20, 30), nn.Linear(20, 30)
    torch.manual_seed(1)
    mine.apply(d2l.init_xavier)
    torch.manual_seed(1)
    nn.init.xavier_uniform_(ref.weight)
    torch.testing.assert_close(mine.weight, ref.weight)


def init_normal(module):
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, mean=0, std=0.01)
        nn.init.zeros_(module.bias)


def test_init_xavier_leaves_other_modules_alone():
    net = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 2))
    norm_before = [p.detach().clone() for p in net[1].parameters()]
    net.apply(d2l.init_xavier)
    for before, after in zip(norm_before, net[1].parameters()):
        assert torch.equal(before, after)
    assert torch.equal(net[2].bias, torch.zeros(2))


def test_init_xavier_works_through_apply_init_on_lazy_layers():
    model = d2l.MLP(num_outputs=10, num_hiddens=50, lr=0.1)
    model.apply_init([torch.rand(2, 1, 8, 8)], d2l.init_xavier)
    bound = math.sqrt(6 / (64 + 50))
    assert model.net[1].weight.shape == (50, 64)
    assert model.net[1].weight.abs().max() <= bound
    assert torch.equal(model.net[3].bias, torch.zeros(10))


def test_layer_stds_matches_a_manual_computation():
    net = deep_net(num_layers=3)
    X = torch.randn(32, 64)
    torch.manual_seed(5)
    acts, grads = d2l.layer_stds(net, X)
    # the same by hand: outputs of the linear layers, then the noise gradient
    outs, H = [], X
    for layer in net:
        H = layer(H)
        if isinstance(layer, nn.Linear):
            H.retain_grad()
            outs.append(H)
    torch.manual_seed(5)
    H.backward(torch.randn_like(H))
    assert len(acts) == len(grads) == 4
    expected_acts = [o.std().item() for o in outs]
    expected_grads = [o.grad.std().item() for o in outs]
    assert acts == pytest.approx(expected_acts, rel=1e-6)
    assert grads == pytest.approx(expected_grads, rel=1e-6)


def test_layer_stds_leaves_parameter_gradients_untouched():
    net = deep_net(num_layers=2)
    d2l.layer_stds(net, torch.randn(8, 64))
    assert all(p.grad is None for p in net.parameters())


def test_layer_stds_shows_vanishing_and_stable_scales():
    X = torch.randn(256, 64)
    small, xavier = deep_net(), deep_net()
    small.apply(init_normal)
    xavier.apply(d2l.init_xavier)
    small_acts, small_grads = d2l.layer_stds(small, X)
    acts, grads = d2l.layer_stds(xavier, X)
    # each layer scales by about 0.01 * sqrt(128) = 0.11
    assert small_acts[-2] < 1e-4 * small_acts[0]
    assert small_grads[0] < 1e-4 * small_grads[-2]
    assert max(acts[:-1]) / min(acts[:-1]) < 5
    assert max(grads[:-1]) / min(grads[:-1]) < 5
