# Section 5.4 (numerical stability and initialization) in the published
# book's style: the sigmoid and its gradient plotted with d2l.plot, and a
# product of 100 random matrices. Then our chapter's initializers through
# apply_init, and the scale of activations and gradients per layer.
import torch
from torch import nn

import d2lcore as d2l

x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True)
y = torch.sigmoid(x)
y.backward(torch.ones_like(x))
d2l.plot(
    x.detach().numpy(),
    [y.detach().numpy(), x.grad.numpy()],
    legend=['sigmoid', 'gradient'],
    figsize=(4.5, 2.5),
)
sigmoid_axes = d2l.plt.gca()

M = torch.normal(0, 1, size=(4, 4))
print('a single matrix \n', M)
for i in range(100):
    M = M @ torch.normal(0, 1, size=(4, 4))
print('after multiplying 100 matrices\n', M)


def init_normal(module):
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, mean=0, std=0.01)
        nn.init.zeros_(module.bias)


X = torch.randn(64, 784)
stds = {}
for name, init in (('normal', init_normal), ('xavier', d2l.init_xavier)):
    model = d2l.MLP(num_outputs=10, num_hiddens=256, lr=0.1)
    model.apply_init([X], init)
    stds[name] = d2l.layer_stds(model.net, X)
