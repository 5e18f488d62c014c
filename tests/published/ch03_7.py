# Section 3.7 (weight decay) in the published book's style: a Data module that
# does not call super().__init__(), the l2 penalty from scratch on top of
# d2l.LinearRegressionScratch, and weight_decay in the optimizer of a subclass of
# d2l.LinearRegression (decaying all of net's parameters, bias included).
import torch

import d2lcore as d2l


class Data(d2l.DataModule):
    def __init__(self, num_train, num_val, num_inputs, batch_size):
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = d2l.randn(n, num_inputs)
        noise = d2l.randn(n, 1) * 0.01
        w, b = d2l.ones((num_inputs, 1)) * 0.01, 0.05
        self.y = d2l.matmul(self.X, w) + b + noise

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader([self.X, self.y], train, i)


def l2_penalty(w):
    return d2l.reduce_sum(w**2) / 2


class WeightDecayScratch(d2l.LinearRegressionScratch):
    def __init__(self, num_inputs, lambd, lr, sigma=0.01):
        super().__init__(num_inputs, lr, sigma)
        self.save_hyperparameters()

    def loss(self, y_hat, y):
        return super().loss(y_hat, y) + self.lambd * l2_penalty(self.w)


data = Data(num_train=20, num_val=100, num_inputs=200, batch_size=5)
trainer = d2l.Trainer(max_epochs=10)
norms = {}


def train_scratch(lambd):
    model = WeightDecayScratch(num_inputs=200, lambd=lambd, lr=0.01)
    model.board.yscale = 'log'
    trainer.fit(model, data)
    norms[lambd] = float(l2_penalty(model.w.detach()))
    print('L2 norm of w:', norms[lambd])
    return model


no_decay = train_scratch(0)
decayed = train_scratch(3)


class WeightDecay(d2l.LinearRegression):
    def __init__(self, wd, lr):
        super().__init__(lr)
        self.save_hyperparameters()
        self.wd = wd

    def configure_optimizers(self):
        return torch.optim.SGD(
            self.net.parameters(), lr=self.lr, weight_decay=self.wd
        )


model = WeightDecay(wd=3, lr=0.01)
model.board.yscale = 'log'
trainer.fit(model, data)
concise_norm = float(l2_penalty(model.get_w_b()[0]))
print('L2 norm of w:', concise_norm)
library = d2l.WeightDecay(wd=3, lr=0.01)
trainer.fit(library, data)
