# Section 5.6 (dropout) in the published book's style: dropout_layer from
# scratch, an MLP with two hidden layers that drops in training mode only, the
# concise one with nn.Dropout, both trained with hyperparameters in a dict.
import torch
from torch import nn

import d2lcore as d2l


def dropout_layer(X, dropout):
    assert 0 <= dropout <= 1
    if dropout == 1:
        return torch.zeros_like(X)
    mask = (torch.rand(X.shape) > dropout).float()
    return mask * X / (1.0 - dropout)


X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
outputs = {p: dropout_layer(X, p) for p in (0, 0.5, 1)}
for p, out in outputs.items():
    print(f'dropout_p = {p}:', out)


class DropoutMLPScratch(d2l.Classifier):
    def __init__(
        self,
        num_outputs,
        num_hiddens_1,
        num_hiddens_2,
        dropout_1,
        dropout_2,
        lr,
    ):
        super().__init__()
        self.save_hyperparameters()
        self.lin1 = nn.LazyLinear(num_hiddens_1)
        self.lin2 = nn.LazyLinear(num_hiddens_2)
        self.lin3 = nn.LazyLinear(num_outputs)
        self.relu = nn.ReLU()

    def forward(self, X):
        H1 = self.relu(self.lin1(X.reshape((X.shape[0], -1))))
        if self.training:
            H1 = dropout_layer(H1, self.dropout_1)
        H2 = self.relu(self.lin2(H1))
        if self.training:
            H2 = dropout_layer(H2, self.dropout_2)
        return self.lin3(H2)


hparams = {
    'num_outputs': 10,
    'num_hiddens_1': 256,
    'num_hiddens_2': 256,
    'dropout_1': 0.5,
    'dropout_2': 0.5,
    'lr': 0.1,
}
scratch = DropoutMLPScratch(**hparams)
data = d2l.FashionMNIST(batch_size=256)
trainer = d2l.Trainer(max_epochs=2)
trainer.fit(scratch, data)


class DropoutMLP(d2l.Classifier):
    def __init__(
        self,
        num_outputs,
        num_hiddens_1,
        num_hiddens_2,
        dropout_1,
        dropout_2,
        lr,
    ):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.LazyLinear(num_hiddens_1),
            nn.ReLU(),
            nn.Dropout(dropout_1),
            nn.LazyLinear(num_hiddens_2),
            nn.ReLU(),
            nn.Dropout(dropout_2),
            nn.LazyLinear(num_outputs),
        )


concise = DropoutMLP(**hparams)
trainer.fit(concise, data)
library = d2l.DropoutMLP(**hparams)
trainer.fit(library, data)
