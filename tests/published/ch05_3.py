# Section 5.3 (forward and backward propagation): the gradients of a one-hidden-layer
# network with an L2 penalty, by hand with the framework-neutral names, next to
# autograd's.
import torch

import d2lcore as d2l

x = d2l.randn(4, 1)
y = d2l.tensor([2])
W1 = d2l.normal(0, 0.5, (3, 4), requires_grad=True)
W2 = d2l.normal(0, 0.5, (5, 3), requires_grad=True)
lambd = 0.1

z = d2l.matmul(W1, x)  # (3, 1)
h = torch.relu(z)
o = d2l.matmul(W2, h)  # (5, 1)
loss = torch.nn.functional.cross_entropy(d2l.transpose(o), y)
s = lambd / 2 * (d2l.reduce_sum(W1**2) + d2l.reduce_sum(W2**2))
J = loss + s
J.backward()

with torch.no_grad():
    p = d2l.exp(o) / d2l.reduce_sum(d2l.exp(o))
    dJ_do = p - d2l.astype(d2l.expand_dims(d2l.arange(5) == y, 1), d2l.float32)
    dJ_dW2 = d2l.matmul(dJ_do, d2l.transpose(h)) + lambd * W2
    dJ_dh = d2l.matmul(d2l.transpose(W2), dJ_do)
    dJ_dz = dJ_dh * d2l.astype(z > 0, d2l.float32)
    dJ_dW1 = d2l.matmul(dJ_dz, d2l.transpose(x)) + lambd * W1
