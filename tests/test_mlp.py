"""ReLU and the MLPs (d2lcore/mlp.py, section 5.2)."""

import math

import torch
import torch.nn.functional as F

import d2lcore as d2l


def test_relu_values_and_gradients_match_torch():
    x = torch.tensor(
        [-2.0, -0.5, 0.0, 0.5, 3.0, -math.inf], requires_grad=True
    )
    x_ref = x.detach().clone().requires_grad_()
    y = d2l.relu(x)
    torch.testing.assert_close(y, torch.relu(x_ref))
    assert not torch.signbit(y).any()  # 0., never -0., for negative inputs
    y.sum().backward()
    torch.relu(x_ref).sum().backward()
    away_from_0 = x.detach() != 0
    torch.testing.assert_close(x.grad[away_from_0], x_ref.grad[away_from_0])
    assert 0 <= x.grad[2] <= 1  # at 0 any value in [0, 1] is a subgradient


def test_mlp_scratch_matches_manual_computation_and_gradients():
    model = d2l.MLPScratch(num_inputs=6, num_outputs=3, num_hiddens=4, lr=0.1)
    X = torch.randn(5, 2, 3)
    y = torch.tensor([0, 1, 2, 1, 0])
    H = torch.relu(X.reshape(5, 6) @ model.W1 + model.b1)
    expected = H @ model.W2 + model.b2
    torch.testing.assert_close(model(X), expected)
    model.loss(model(X), y).backward()
    grads = [p.grad.clone() for p in model.parameters()]
    params = [p.detach().clone().requires_grad_() for p in model.parameters()]
    W1, b1, W2, b2 = params
    ref = F.cross_entropy(torch.relu(X.reshape(5, 6) @ W1 + b1) @ W2 + b2, y)
    ref.backward()
    for g, p in zip(grads, params):
        torch.testing.assert_close(g, p.grad)


def test_concise_mlp_infers_input_size():
    model = d2l.MLP(num_outputs=10, num_hiddens=8, lr=0.1)
    model.apply_init([torch.rand(2, 1, 4, 4)])
    assert model(torch.rand(3, 1, 4, 4)).shape == (3, 10)
    assert model.net[1].weight.shape == (8, 16)


def test_apply_init_applies_initializer():
    model = d2l.MLP(num_outputs=2, num_hiddens=3, lr=0.1)

    def init(module):
        if isinstance(module, torch.nn.Linear):
            torch.nn.init.constant_(module.weight, 0.5)

    model.apply_init([torch.rand(1, 4)], init)
    assert torch.all(model.net[1].weight == 0.5)


def test_scratch_weights_are_scaled_by_sigma():
    model = d2l.MLPScratch(
        num_inputs=1000, num_outputs=20, num_hiddens=100, lr=0.1
    )
    assert model.sigma == 0.01
    for W in (model.W1, model.W2):
        assert 0.009 < W.std().item() < 0.011
    wide = d2l.MLPScratch(
        num_inputs=1000, num_outputs=20, num_hiddens=100, lr=0.1, sigma=0.5
    )
    for W in (wide.W1, wide.W2):
        assert 0.45 < W.std().item() < 0.55


def test_concise_mlp_has_a_relu_between_its_layers():
    model = d2l.MLP(num_outputs=3, num_hiddens=5, lr=0.1)
    X = torch.randn(8, 1, 2, 2)
    model.apply_init([X])
    first, last = model.net[1], model.net[-1]
    H = torch.relu(X.reshape(8, 4) @ first.weight.T + first.bias)
    assert (H == 0).any()  # the ReLU did cut something off
    torch.testing.assert_close(model(X), H @ last.weight.T + last.bias)


# -- XOR: no linear model fits it, so an MLP that lost its activation fails here ------
class XORData(d2l.DataModule):
    """Noisy points around the four corners (+-1, +-1); the class is 1 when the two
    coordinates have different signs (exclusive or)."""

    def __init__(self, n: int = 128, batch_size: int = 32):
        super().__init__()
        self.save_hyperparameters()
        corners = torch.tensor(
            [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]]
        )
        labels = torch.tensor([0, 1, 1, 0])
        idx = torch.arange(n) % 4
        self.X = corners[idx] + 0.1 * torch.randn(n, 2)  # (n, 2)
        self.y = labels[idx]  # (n,)

    def get_dataloader(self, train):
        return self.get_tensorloader((self.X, self.y), train)


def _fit_xor(model, epochs=50):
    data = XORData()
    d2l.Trainer(max_epochs=epochs).fit(model, data)
    with torch.no_grad():
        return model.accuracy(model(data.X), data.y).item()


def test_mlps_fit_xor_which_no_linear_model_can(capsys):
    # a linear classifier gets at most 3 of the 4 corners right
    assert (
        _fit_xor(
            d2l.SoftmaxRegressionScratch(num_inputs=2, num_outputs=2, lr=0.5)
        )
        <= 0.76
    )
    scratch = d2l.MLPScratch(
        num_inputs=2, num_outputs=2, num_hiddens=16, lr=0.5, sigma=0.5
    )
    assert _fit_xor(scratch) == 1.0
    concise = d2l.MLP(num_outputs=2, num_hiddens=16, lr=0.5)
    assert _fit_xor(concise) == 1.0
