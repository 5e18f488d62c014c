import pytest
import torch
import torch.nn.functional as F

import d2lcore as d2l


def test_accuracy_averaged_and_per_example():
    Y_hat = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    Y = torch.tensor([1, 0, 0, 1])
    model = d2l.Classifier()
    assert model.accuracy(Y_hat, Y).item() == pytest.approx(0.5)
    torch.testing.assert_close(model.accuracy(Y_hat, Y, averaged=False),
                               torch.tensor([1.0, 1.0, 0.0, 0.0]))


def test_accuracy_mismatched_shapes():
    with pytest.raises(ValueError, match="3 predictions but 2 labels"):
        d2l.Classifier().accuracy(torch.rand(3, 4), torch.tensor([0, 1]))


def test_classifier_loss_is_cross_entropy_on_logits():
    logits, y = torch.randn(5, 3), torch.tensor([0, 2, 1, 1, 0])
    model = d2l.Classifier()
    torch.testing.assert_close(model.loss(logits, y), F.cross_entropy(logits, y))
    assert model.loss(logits, y, averaged=False).shape == (5,)


def test_configure_optimizers_uses_lr():
    model = d2l.MLP(num_outputs=2, num_hiddens=3, lr=0.25)
    model.apply_init([torch.rand(1, 4)])
    opt = model.configure_optimizers()
    assert isinstance(opt, d2l.SGD) and opt.lr == 0.25
    assert [id(p) for p in opt.params] == [id(p) for p in model.parameters()]


def test_configure_optimizers_trains_like_torch_sgd():
    """The book's SGD gives the same fit as torch.optim.SGD (no momentum)."""
    data = d2l.SyntheticRegressionData(w=[2.0, -3.4], b=4.2, num_train=64,
                                       num_val=16, batch_size=16)
    params = []
    for use_torch in (False, True):
        torch.manual_seed(0)
        model = d2l.MLP(num_outputs=1, num_hiddens=4, lr=0.05)
        model.loss = lambda y_hat, y: ((y_hat - y) ** 2).mean()
        model.validation_step = lambda batch: None
        if use_torch:
            model.configure_optimizers = lambda: torch.optim.SGD(
                model.parameters(), lr=0.05)
        torch.manual_seed(1)
        model.board.display = False
        d2l.Trainer(max_epochs=3).fit(model, data)
        params.append([p.detach().clone() for p in model.parameters()])
    for mine, ref in zip(*params):
        torch.testing.assert_close(mine, ref, rtol=1e-6, atol=1e-7)
