# Section 4.1 (softmax regression, information theory) computed with the
# framework-neutral names.
import math

import d2lcore as d2l

o = d2l.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])  # logits
y_hat = d2l.exp(o) / d2l.reduce_sum(d2l.exp(o), 1, keepdims=True)
row_sums = d2l.reduce_sum(y_hat, 1)
preds = d2l.argmax(y_hat, axis=1)


def entropy(p):
    return -d2l.reduce_sum(p * d2l.log(p))


uniform = d2l.ones(4) / 4
h_uniform = float(entropy(uniform))  # log 4 nats
y = d2l.tensor([2, 0])
cross_entropy = -d2l.reduce_mean(d2l.log(y_hat[list(range(len(y_hat))), y]))
log_three = math.log(3)
