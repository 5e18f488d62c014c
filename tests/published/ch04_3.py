# Section 4.3 (the base classification model) in the published book's style: the
# optimizer and the accuracy added with add_to_class and the framework-neutral names.
import torch
from torch import nn

import d2lcore as d2l


@d2l.add_to_class(d2l.Module)
def configure_optimizers(self):
    return torch.optim.SGD(self.parameters(), lr=self.lr)


@d2l.add_to_class(d2l.Classifier)
def accuracy(self, Y_hat, Y, averaged=True):
    Y_hat = d2l.reshape(Y_hat, (-1, Y_hat.shape[-1]))
    preds = d2l.astype(d2l.argmax(Y_hat, axis=1), Y.dtype)
    compare = d2l.astype(preds == d2l.reshape(Y, -1), d2l.float32)
    return d2l.reduce_mean(compare) if averaged else compare


class TwoBlobs(d2l.DataModule):
    """Two Gaussian blobs, one per class."""

    def __init__(self, n=400, batch_size=32):
        super().__init__()
        self.save_hyperparameters()
        y = d2l.astype(d2l.rand(n) > 0.5, d2l.int64)
        self.X = d2l.randn(n, 2) + 3 * d2l.expand_dims(
            d2l.astype(y, d2l.float32), 1
        )
        self.y = y

    def get_dataloader(self, train):
        i = slice(0, self.n // 2) if train else slice(self.n // 2, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class LinearClassifier(d2l.Classifier):
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(2)


model = LinearClassifier(lr=0.1)
trainer = d2l.Trainer(max_epochs=5)
trainer.fit(model, TwoBlobs())
hits = model.accuracy(
    d2l.tensor([[0.1, 0.9], [0.8, 0.2]]), d2l.tensor([1, 1]), averaged=False
)
