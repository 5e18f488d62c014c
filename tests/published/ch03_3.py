# Section 3.3 (synthetic regression data) in the published book's style: the
# data module written on d2l.DataModule, a hand-written get_dataloader that
# shuffles a Python list, then get_tensorloader added to d2l.DataModule with
# torch.utils.data (replacing the library's own) and the concise
# get_dataloader.
import random

import torch

import d2lcore as d2l


class SyntheticRegressionData(d2l.DataModule):
    """Synthetic data for linear regression."""

    def __init__(
        self, w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32
    ):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = d2l.randn(n, len(w))
        noise = d2l.randn(n, 1) * noise
        self.y = d2l.matmul(self.X, d2l.reshape(w, (-1, 1))) + b + noise


data = SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
print('features:', data.X[0], '\nlabel:', data.y[0])


@d2l.add_to_class(SyntheticRegressionData)
def get_dataloader(self, train):
    if train:
        indices = list(range(0, self.num_train))
        random.shuffle(indices)  # read the examples in random order
    else:
        indices = list(range(self.num_train, self.num_train + self.num_val))
    for i in range(0, len(indices), self.batch_size):
        batch_indices = d2l.tensor(indices[i : i + self.batch_size])
        yield self.X[batch_indices], self.y[batch_indices]


X, y = next(iter(data.train_dataloader()))
print('X shape:', X.shape, '\ny shape:', y.shape)
hand_batches = list(data.train_dataloader())


@d2l.add_to_class(d2l.DataModule)
def get_tensorloader(self, tensors, train, indices=slice(0, None)):
    tensors = tuple(a[indices] for a in tensors)
    dataset = torch.utils.data.TensorDataset(*tensors)
    return torch.utils.data.DataLoader(dataset, self.batch_size, shuffle=train)


@d2l.add_to_class(SyntheticRegressionData)
def get_dataloader(self, train):
    i = slice(0, self.num_train) if train else slice(self.num_train, None)
    return self.get_tensorloader((self.X, self.y), train, i)


X, y = next(iter(data.train_dataloader()))
print('X shape:', X.shape, '\ny shape:', y.shape)
num_batches = len(data.train_dataloader())
val_X = torch.cat([X for X, _ in data.val_dataloader()])

# The library's own class, with the d2l.DataModule that this script changed
library_data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2)
library_loader = library_data.train_dataloader()
