# Section 3.5 (concise linear regression) in the published book's style: a lazy
# layer, PyTorch's loss and optimizer, get_w_b; then the library's own
# d2l.LinearRegression, and weight decay on top of it as in section 3.7.
import torch
from torch import nn

import d2lcore as d2l


class MyLinearRegression(d2l.Module):
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)


@d2l.add_to_class(MyLinearRegression)
def forward(self, X):
    return self.net(X)


@d2l.add_to_class(MyLinearRegression)
def loss(self, y_hat, y):
    return nn.MSELoss()(y_hat, y)


@d2l.add_to_class(MyLinearRegression)
def configure_optimizers(self):
    return torch.optim.SGD(self.parameters(), self.lr)


@d2l.add_to_class(MyLinearRegression)
def get_w_b(self):
    return (self.net.weight.data, self.net.bias.data)


data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
errors = {}
for Model in (MyLinearRegression, d2l.LinearRegression):
    model = Model(lr=0.03)
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, data)
    w, b = model.get_w_b()
    errors[Model.__name__] = (
        data.w - d2l.reshape(w, data.w.shape),
        data.b - b,
    )


class WeightDecay(d2l.LinearRegression):
    def __init__(self, wd, lr):
        super().__init__(lr)
        self.save_hyperparameters()

    def configure_optimizers(self):
        return torch.optim.SGD(
            self.net.parameters(), lr=self.lr, weight_decay=self.wd
        )


decayed = WeightDecay(wd=3, lr=0.01)
decayed.board.yscale = 'log'
d2l.Trainer(max_epochs=3).fit(decayed, data)
l2_norm = float(d2l.reduce_sum(decayed.get_w_b()[0] ** 2) / 2)
