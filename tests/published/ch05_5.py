# Section 5.5 (generalization in deep learning) has no code in the published
# book. This script does what the section describes with the published API: a
# data module with noisy training labels (get_tensorloader, as in section 3.3),
# an MLP trained by the Trainer, and early stopping chosen from the board's
# validation curve.
import torch

import d2lcore as d2l


class NoisyBlobs(d2l.DataModule):
    """Two Gaussian classes; a fraction `noise` of training labels flipped."""

    def __init__(self, num_train=400, num_val=400, noise=0.3, batch_size=32):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.y = torch.randint(0, 2, (n,))
        self.X = torch.randn(n, 2) + 1.5 * (2 * self.y[:, None] - 1)
        flip = torch.rand(n) < noise
        flip[num_train:] = False  # clean validation labels
        self.y = torch.where(flip, 1 - self.y, self.y)


@d2l.add_to_class(NoisyBlobs)
def get_dataloader(self, train):
    i = slice(0, self.num_train) if train else slice(self.num_train, None)
    return self.get_tensorloader((self.X, self.y), train, i)


data = NoisyBlobs()
model = d2l.MLP(num_outputs=2, num_hiddens=64, lr=0.1)
trainer = d2l.Trainer(max_epochs=8)
trainer.fit(model, data)
epochs, val_acc = model.board.series('val_acc')
best_epoch = epochs[val_acc.index(max(val_acc))]
d2l.plot(epochs, val_acc, 'epoch', 'validation accuracy')
