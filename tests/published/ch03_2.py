# Section 3.2 (object-oriented design) in the published book's style.
import numpy as np
import torch

import d2lcore as d2l


class Counter:
    def __init__(self):
        self.n = 3


counter = Counter()


@d2l.add_to_class(Counter)
def doubled(self):
    return 2 * self.n


doubled_n = counter.doubled()  # a method added after the object was made


class Triple(d2l.HyperParameters):
    def __init__(self, a, b, c):
        self.save_hyperparameters(ignore=['c'])


triple = Triple(a=1, b=2, c=3)

board = d2l.ProgressBoard('x')
for x in np.arange(0, 10, 0.1):
    board.draw(x, np.sin(x), 'sin', every_n=2)
    board.draw(x, np.cos(x), 'cos', every_n=10)


class MyModule(d2l.nn_Module, d2l.HyperParameters):
    """The published Module.plot hands the board d2l.numpy(d2l.to(value, d2l.cpu()))."""

    def __init__(self, plot_train_per_epoch=2):
        super().__init__()
        self.save_hyperparameters()
        self.board = d2l.ProgressBoard(display=False)

    def plot(self, key, value, step):
        self.board.draw(step, d2l.numpy(d2l.to(value, d2l.cpu())), key)


module = MyModule()
for step in range(3):
    module.plot(
        'loss', torch.tensor(1.0 / (step + 1), requires_grad=True) * 2, step
    )


class MyData(d2l.DataModule):
    def __init__(self, batch_size=4):
        super().__init__()
        self.save_hyperparameters()
        self.X = d2l.arange(10, dtype=d2l.float32).reshape(-1, 1)
        self.y = 3 * self.X

    def get_dataloader(self, train):
        return self.get_tensorloader((self.X, self.y), train)


first_val_batch = next(iter(MyData().val_dataloader()))
trainer = d2l.Trainer(max_epochs=2)
