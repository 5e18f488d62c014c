"""Minibatch SGD from scratch (d2lcore/optim.py, section 3.4.3)."""

import torch

import d2lcore as d2l


def test_sgd_step_matches_torch_sgd():
    w = torch.randn(3, requires_grad=True)
    w_ref = torch.nn.Parameter(w.detach().clone())
    for opt, p in (
        (d2l.SGD([w], lr=0.1), w),
        (torch.optim.SGD([w_ref], lr=0.1), w_ref),
    ):
        for _ in range(3):
            opt.zero_grad()
            ((p**2).sum() + p.sum()).backward()
            opt.step()
    torch.testing.assert_close(w.detach(), w_ref.detach())


def test_sgd_step_and_zero_grad():
    a = torch.ones(2, requires_grad=True)
    opt = d2l.SGD([a], lr=1.0)
    (a * 3).sum().backward()
    opt.step()
    torch.testing.assert_close(a.detach(), torch.tensor([-2.0, -2.0]))
    opt.zero_grad()
    torch.testing.assert_close(a.grad, torch.zeros(2))
    (a * 5).sum().backward()  # a fresh gradient, not added to the old one
    torch.testing.assert_close(a.grad, torch.full((2,), 5.0))


def test_sgd_trains_like_torch_sgd():
    """The SGD of section 3.4 gives the same fit as torch.optim.SGD, the default of
    configure_optimizers (no momentum)."""
    data = d2l.SyntheticRegressionData(
        w=[2.0, -3.4], b=4.2, num_train=64, num_val=16, batch_size=16
    )
    results = []
    for use_torch in (False, True):
        torch.manual_seed(0)
        model = d2l.MLP(num_outputs=1, num_hiddens=4, lr=0.05)
        model.loss = lambda y_hat, y: ((y_hat - y) ** 2).mean()
        model.validation_step = lambda batch: None
        if not use_torch:
            weights = list(model.parameters())
            model.configure_optimizers = lambda w=weights: d2l.SGD(w, lr=0.05)
        torch.manual_seed(1)
        model.board.display = False
        d2l.Trainer(max_epochs=3).fit(model, data)
        results.append([p.detach().clone() for p in model.parameters()])
    for mine, ref in zip(*results):
        torch.testing.assert_close(mine, ref, rtol=1e-6, atol=1e-7)
