# Section 4.7 (environment and distribution shift) has no code of its own; this
# script corrects a covariate shift with the d2l API: a logistic regression
# (softmax regression with two outputs) tells source from target inputs, and
# its odds weight the per-example losses of Classifier.loss(averaged=False).
import torch

import d2lcore as d2l

data = d2l.FashionMNIST(batch_size=256)
X_source, y_source = next(iter(data.train_dataloader()))
X_target, _ = next(iter(data.val_dataloader()))
X_target = X_target.flip(-1)  # mirrored images: a shift in p(x) only

X = torch.cat([X_source, X_target])
z = torch.cat([torch.zeros(len(X_source)), torch.ones(len(X_target))]).long()
domain = d2l.SoftmaxRegression(num_outputs=2, lr=0.1)
domain(X)  # create the lazy parameters
optim = domain.configure_optimizers()
for _ in range(20):
    loss = domain.loss(domain(X), z)
    optim.zero_grad()
    loss.backward()
    optim.step()
with torch.no_grad():
    logits = domain(X_source)
beta = torch.exp(logits[:, 1] - logits[:, 0]).clamp(max=20)

model = d2l.SoftmaxRegression(num_outputs=10, lr=0.1)
losses = model.loss(model(X_source), y_source, averaged=False)
weighted_risk = (beta * losses).mean()
