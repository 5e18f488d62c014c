# Section 3.1 (linear regression) in the published book's style: adding two
# vectors of ones with a Python loop and with one +, timed with time.time (and
# with d2l.Timer, as earlier editions do), and normal densities drawn with
# d2l.plot from NumPy arrays.
import math
import time

import numpy as np

import d2lcore as d2l

n = 10000
a = d2l.ones(n)
b = d2l.ones(n)

c = d2l.zeros(n)
t = time.time()
for i in range(n):
    c[i] = a[i] + b[i]
loop_time = f'{time.time() - t:.5f} sec'

t = time.time()
d = a + b
vector_time = f'{time.time() - t:.5f} sec'

timer = d2l.Timer()
d = a + b
timer_time = f'{timer.stop():.5f} sec'


def normal(x, mu, sigma):
    p = 1 / math.sqrt(2 * math.pi * sigma**2)
    return p * np.exp(-0.5 * (x - mu) ** 2 / sigma**2)


x = np.arange(-7, 7, 0.01)
params = [(0, 1), (0, 2), (3, 1)]
d2l.plot(
    x,
    [normal(x, mu, sigma) for mu, sigma in params],
    xlabel='x',
    ylabel='p(x)',
    figsize=(4.5, 2.5),
    legend=[f'mean {mu}, std {sigma}' for mu, sigma in params],
)
axes = d2l.plt.gca()
