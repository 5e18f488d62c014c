# Section 3.6 (generalization) shows no code in the published book. This script
# runs its polynomial experiment with the d2l API of sections 3.2-3.5: a data
# module of the powers x, ..., x^degree (written, like the published 3.7,
# without super().__init__()), the concise d2l.LinearRegression and
# d2l.Trainer, for an underfitting degree 1 and the true degree 3.
import torch

import d2lcore as d2l


class PolynomialData(d2l.DataModule):
    def __init__(self, degree, num_train=100, num_val=500, batch_size=10):
        self.save_hyperparameters()
        n = num_train + num_val
        x = d2l.rand(n, 1) * 2 - 1
        powers = d2l.arange(1, degree + 1, dtype=torch.float32)
        self.X = x**powers  # (n, degree)
        noise = d2l.randn(n, 1) * 0.2
        self.y = 5 + 1.2 * x - 3.4 * x**2 + 5.6 * x**3 + noise

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader([self.X, self.y], train, i)


val_losses = {}
for degree in (1, 3):
    torch.manual_seed(0)
    data = PolynomialData(degree)
    model = d2l.LinearRegression(lr=0.1)
    trainer = d2l.Trainer(max_epochs=20)
    trainer.fit(model, data)
    val_losses[degree] = model.board.data['val_loss'][-1].y
