# Section 4.6 (generalization in classification) has no code of its own; this
# script evaluates a trained classifier on the test set the way the section
# reasons about it, with the d2l API of the sections before it.
import math

import d2lcore as d2l

data = d2l.FashionMNIST(batch_size=256)
model = d2l.SoftmaxRegression(num_outputs=10, lr=0.1)
trainer = d2l.Trainer(max_epochs=1)
trainer.fit(model, data)

correct, n = 0.0, 0
for X, y in data.val_dataloader():
    correct += float(model.accuracy(model(X), y, averaged=False).sum())
    n += len(y)
test_error = 1 - correct / n
# Hoeffding: P(|test error - error| >= t) <= 2 exp(-2 n t^2) = 0.05
t = math.sqrt(math.log(2 / 0.05) / (2 * n))
