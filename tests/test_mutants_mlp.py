"""MLPs (found by mutation testing): initial weights and the hidden ReLU."""
import torch

import d2lcore as d2l


def test_scratch_weights_are_scaled_by_sigma():
    model = d2l.MLPScratch(num_inputs=1000, num_outputs=20, num_hiddens=100, lr=0.1)
    assert model.sigma == 0.01
    for W in (model.W1, model.W2):
        assert 0.009 < W.std().item() < 0.011
    wide = d2l.MLPScratch(num_inputs=1000, num_outputs=20, num_hiddens=100, lr=0.1,
                          sigma=0.5)
    for W in (wide.W1, wide.W2):
        assert 0.45 < W.std().item() < 0.55


def test_concise_mlp_has_a_relu_between_its_layers():
    model = d2l.MLP(num_outputs=3, num_hiddens=5, lr=0.1)
    X = torch.randn(8, 1, 2, 2)
    model.apply_init([X])
    first, last = model.net[1], model.net[-1]
    H = torch.relu(X.reshape(8, 4) @ first.weight.T + first.bias)
    assert (H == 0).any()                     # the ReLU did cut something off
    torch.testing.assert_close(model(X), H @ last.weight.T + last.bias)
