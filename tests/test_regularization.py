"""Weight decay and dropout (d2lcore/regularization.py, sections 3.7 and 5.6)."""

import pytest
import torch
import torch.nn.functional as F
from conftest import fit, small_data

import d2lcore as d2l


class TwoClasses(d2l.DataModule):
    """Points (n, 1, 2, 2) labelled by the sign of their sum."""

    def __init__(self, n=512):
        super().__init__()
        self.batch_size = 64
        self.X = torch.randn(n, 1, 2, 2)
        self.y = (self.X.sum(dim=(1, 2, 3)) > 0).long()

    def get_dataloader(self, train):
        n = len(self.y) // 2
        i = slice(0, n) if train else slice(n, None)
        return self.get_tensorloader((self.X, self.y), train, i)


def test_l2_penalty_value_and_gradient():
    w = torch.tensor([[1.0], [-2.0], [3.0]], requires_grad=True)
    penalty = d2l.l2_penalty(w)
    assert penalty.item() == pytest.approx((1 + 4 + 9) / 2)
    torch.testing.assert_close(penalty, torch.linalg.vector_norm(w) ** 2 / 2)
    penalty.backward()
    torch.testing.assert_close(w.grad, w.detach())  # d/dw |w|^2 / 2 = w


def test_weight_decay_scratch_keeps_the_rate_and_the_spread_of_w():
    model = d2l.WeightDecayScratch(10000, lambd=0.5, lr=0.03, sigma=2.0)
    assert (model.lr, model.lambd, model.num_inputs) == (0.03, 0.5, 10000)
    assert 1.9 < model.w.std().item() < 2.1
    default = d2l.WeightDecayScratch(10000, lambd=0.5, lr=0.03)
    assert 0.0095 < default.w.std().item() < 0.0105  # sigma=0.01


def test_weight_decay_scratch_loss_adds_the_penalty_of_w_only():
    model = d2l.WeightDecayScratch(num_inputs=4, lambd=3, lr=0.01)
    plain = d2l.LinearRegressionScratch(num_inputs=4, lr=0.01)
    plain.load_state_dict(model.state_dict())
    with torch.no_grad():
        model.b.fill_(5.0)  # a large bias is not penalized
        plain.b.fill_(5.0)
    X, y = torch.randn(6, 4), torch.randn(6, 1)
    loss = model.loss(model(X), y)
    expected = ((X @ model.w + model.b - y) ** 2 / 2).mean() + 3 * (
        model.w**2
    ).sum() / 2
    torch.testing.assert_close(loss, expected)
    loss.backward()
    plain.loss(plain(X), y).backward()
    # the penalty adds lambd * w to the weight's gradient and nothing to the bias's
    torch.testing.assert_close(
        model.w.grad, plain.w.grad + 3 * model.w.detach()
    )
    torch.testing.assert_close(model.b.grad, plain.b.grad)
    assert model.lambd == 3 and model.num_inputs == 4


def test_weight_decay_scratch_with_lambd_0_is_linear_regression():
    torch.manual_seed(1)
    model = d2l.WeightDecayScratch(num_inputs=3, lambd=0, lr=0.01)
    X, y = torch.randn(5, 3), torch.randn(5, 1)
    torch.testing.assert_close(
        model.loss(model(X), y),
        d2l.LinearRegressionScratch.loss(model, model(X), y),
    )


def test_weight_decay_step_decays_the_weight_not_the_bias():
    model = d2l.WeightDecay(wd=0.5, lr=0.1)
    X, y = torch.randn(8, 3), torch.randn(8, 1)
    model(X)  # materialize the lazy layer
    w0, b0 = (p.detach().clone() for p in model.get_w_b())
    optim = model.configure_optimizers()
    assert [g["weight_decay"] for g in optim.param_groups] == [0.5, 0]
    loss = model.loss(model(X), y)
    loss.backward()
    gw, gb = model.net.weight.grad.clone(), model.net.bias.grad.clone()
    optim.step()
    w1, b1 = model.get_w_b()
    # w <- w - lr * (grad + wd * w) = (1 - lr * wd) w - lr * grad
    torch.testing.assert_close(w1, (1 - 0.1 * 0.5) * w0 - 0.1 * gw)
    torch.testing.assert_close(b1, b0 - 0.1 * gb)
    torch.testing.assert_close(loss, F.mse_loss(X @ w0.T + b0, y))


def test_weight_decay_shrinks_the_fitted_weights():
    data = small_data(num_train=512)
    free, decayed = (
        d2l.LinearRegression(lr=0.03),
        d2l.WeightDecay(wd=3, lr=0.03),
    )
    for model in free, decayed:
        fit(model, data, max_epochs=3)
    w_free = free.get_w_b()[0].reshape(-1)
    w_decayed = decayed.get_w_b()[0].reshape(-1)
    # minimum of mean (Xw - y)^2 + wd/2 |w|^2 on standard normal X: 2 / (2 + wd)
    torch.testing.assert_close(
        w_decayed, 2 / (2 + 3) * w_free, atol=0.15, rtol=0
    )
    assert d2l.l2_penalty(w_decayed) < d2l.l2_penalty(w_free)


def test_dropout_layer_edge_probabilities():
    X = torch.randn(200, 300)
    assert torch.equal(d2l.dropout_layer(X, 0), X)  # 0: identity
    assert torch.equal(d2l.dropout_layer(X, 0.0), X)
    assert torch.equal(
        d2l.dropout_layer(X, 1), torch.zeros_like(X)
    )  # 1: zeros


def test_dropout_layer_keeps_the_expectation():
    X = torch.arange(1.0, 9.0).reshape(2, 4)
    for p in (0.2, 0.5, 0.8):
        samples = torch.stack([d2l.dropout_layer(X, p) for _ in range(20000)])
        kept = samples != 0
        # survivors are scaled by 1 / (1 - p); the others are 0
        torch.testing.assert_close(
            samples[kept], (X / (1 - p)).expand_as(samples)[kept]
        )
        assert abs(kept.float().mean().item() - (1 - p)) < 0.01
        torch.testing.assert_close(samples.mean(0), X, rtol=0.05, atol=0)
        # variance p / (1 - p) * X^2
        torch.testing.assert_close(
            samples.var(0), p / (1 - p) * X**2, rtol=0.1, atol=0
        )


def test_dropout_layer_gradient_is_the_mask_scaled():
    X = torch.randn(50, 40, requires_grad=True)
    Y = d2l.dropout_layer(X, 0.3)
    Y.sum().backward()
    expected = (Y.detach() != 0).float() / 0.7
    torch.testing.assert_close(X.grad, expected)


def test_dropout_layer_matches_torch_dropout_in_distribution():
    X = torch.ones(100000)
    ours = d2l.dropout_layer(X, 0.4)
    theirs = F.dropout(X, 0.4, training=True)
    assert set(ours.unique().tolist()) == set(theirs.unique().tolist())
    assert (
        abs((ours == 0).float().mean() - (theirs == 0).float().mean()) < 0.01
    )


@pytest.mark.parametrize("Model", [d2l.DropoutMLPScratch, d2l.DropoutMLP])
def test_dropout_mlps_drop_in_training_only(Model):
    model = Model(
        num_outputs=3,
        num_hiddens_1=16,
        num_hiddens_2=8,
        dropout_1=0.5,
        dropout_2=0.5,
        lr=0.1,
    )
    X = torch.randn(4, 1, 2, 3)
    model(X)  # materialize the lazy layers
    model.eval()
    torch.testing.assert_close(model(X), model(X))  # deterministic
    model.train()
    assert not torch.equal(model(X), model(X))  # random masks
    assert model(X).shape == (4, 3)


def test_dropout_mlps_without_dropout_are_the_same_function():
    kwargs = dict(
        num_outputs=3,
        num_hiddens_1=16,
        num_hiddens_2=8,
        dropout_1=0.0,
        dropout_2=0.0,
        lr=0.1,
    )
    scratch, concise = (
        d2l.DropoutMLPScratch(**kwargs),
        d2l.DropoutMLP(**kwargs),
    )
    X = torch.randn(5, 1, 2, 3)
    scratch(X), concise(X)
    layers = [scratch.lin1, scratch.lin2, scratch.lin3]
    for mine, theirs in zip(
        layers, [concise.net[1], concise.net[4], concise.net[7]]
    ):
        theirs.load_state_dict(mine.state_dict())
    torch.testing.assert_close(scratch(X), concise(X))
    H = torch.relu(X.reshape(5, 6) @ scratch.lin1.weight.T + scratch.lin1.bias)
    H = torch.relu(scratch.lin2(H))
    torch.testing.assert_close(scratch(X), scratch.lin3(H))


def test_dropout_mlp_scratch_gradients_vanish_for_dropped_units():
    model = d2l.DropoutMLPScratch(
        num_outputs=2,
        num_hiddens_1=6,
        num_hiddens_2=5,
        dropout_1=0.5,
        dropout_2=0.0,
        lr=0.1,
    )
    X = torch.randn(1, 4)
    model(X)
    torch.manual_seed(3)
    model.loss(model(X), torch.tensor([1])).backward()
    torch.manual_seed(3)
    mask = (torch.rand(1, 6) >= 0.5).float()
    # a dropped hidden unit passes no gradient to its incoming weights
    dropped = mask[0] == 0
    assert dropped.any()
    assert torch.all(model.lin1.weight.grad[dropped] == 0)
    assert torch.all(model.lin2.weight.grad[:, dropped] == 0)


def test_dropout_mlp_trains():
    model = d2l.DropoutMLP(
        num_outputs=2,
        num_hiddens_1=16,
        num_hiddens_2=16,
        dropout_1=0.2,
        dropout_2=0.2,
        lr=0.5,
    )
    fit(model, TwoClasses(), max_epochs=10)
    assert model.board.latest()["val_acc"] > 0.85
