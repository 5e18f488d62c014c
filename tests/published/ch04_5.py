# Section 4.5 (concise softmax regression) in the published book's style: the model
# outputs logits and Classifier.loss (re-added with add_to_class) uses F.cross_entropy.
from torch import nn
from torch.nn import functional as F

import d2lcore as d2l


class MySoftmaxRegression(d2l.Classifier):
    def __init__(self, num_outputs, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_outputs))

    def forward(self, X):
        return self.net(X)


@d2l.add_to_class(d2l.Classifier)
def loss(self, Y_hat, Y, averaged=True):
    Y_hat = d2l.reshape(Y_hat, (-1, Y_hat.shape[-1]))
    Y = d2l.reshape(Y, (-1,))
    return F.cross_entropy(Y_hat, Y, reduction='mean' if averaged else 'none')


huge = d2l.tensor([[1000.0, 0.0, -1000.0]])
huge_losses = MySoftmaxRegression(3, lr=0.1).loss(
    huge, d2l.tensor([2]), averaged=False
)

data = d2l.FashionMNIST(batch_size=256)
mine = MySoftmaxRegression(num_outputs=10, lr=0.1)
trainer = d2l.Trainer(max_epochs=2)
trainer.fit(mine, data)
library = d2l.SoftmaxRegression(num_outputs=10, lr=0.1)
trainer.fit(library, data)
