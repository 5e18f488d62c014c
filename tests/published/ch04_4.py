# Section 4.4 (softmax regression from scratch) in the published book's style:
# plain tensors returned by parameters(), softmax and cross-entropy written with the
# framework-neutral names.
import torch

import d2lcore as d2l

X = d2l.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
column_sums, row_sums = (
    d2l.reduce_sum(X, 0, keepdims=True),
    d2l.reduce_sum(X, 1, keepdims=True),
)


def softmax(X):
    X_exp = d2l.exp(X)
    return X_exp / d2l.reduce_sum(X_exp, 1, keepdims=True)


X_prob = softmax(d2l.rand((2, 5)))


class SoftmaxRegressionScratch(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W = torch.normal(
            0, sigma, size=(num_inputs, num_outputs), requires_grad=True
        )
        self.b = torch.zeros(num_outputs, requires_grad=True)

    def parameters(self):
        return [self.W, self.b]


@d2l.add_to_class(SoftmaxRegressionScratch)
def forward(self, X):
    X = d2l.reshape(X, (-1, self.W.shape[0]))
    return softmax(d2l.matmul(X, self.W) + self.b)


def cross_entropy(y_hat, y):
    return -d2l.reduce_mean(d2l.log(y_hat[list(range(len(y_hat))), y]))


@d2l.add_to_class(SoftmaxRegressionScratch)
def loss(self, y_hat, y):
    return cross_entropy(y_hat, y)


data = d2l.FashionMNIST(batch_size=256)
model = SoftmaxRegressionScratch(num_inputs=784, num_outputs=10, lr=0.1)
trainer = d2l.Trainer(max_epochs=2)
trainer.fit(model, data)

X, y = next(iter(data.val_dataloader()))
preds = d2l.argmax(model(X), axis=1)
wrong = d2l.astype(preds, y.dtype) != y
X, y, preds = X[wrong], y[wrong], preds[wrong]
labels = [
    a + '\n' + b for a, b in zip(data.text_labels(y), data.text_labels(preds))
]
data.visualize([X, y], labels=labels)
