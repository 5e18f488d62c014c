"""Classifier: the base class of classification models (section 4.3).

Its models output logits; the loss is the cross-entropy, and validation plots both
the loss and the accuracy."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .module import Module

__all__ = ["Classifier"]


class Classifier(Module):
    """The base class of classification models."""

    def validation_step(self, batch):
        Y_hat = self(*batch[:-1])
        self.plot("loss", self.loss(Y_hat, batch[-1]), train=False)
        self.plot("acc", self.accuracy(Y_hat, batch[-1]), train=False)

    def accuracy(self, Y_hat, Y, averaged=True):
        """The fraction (or, with averaged=False, the 0/1 vector) of correct
        predictions."""
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))  # (batch, num_classes)
        preds = Y_hat.argmax(dim=1).type(Y.dtype)
        compare = (preds == Y.reshape(-1)).type(torch.float32)
        return compare.mean() if averaged else compare

    def loss(self, Y_hat, Y, averaged=True):
        """Cross-entropy between the logits Y_hat and the labels Y."""
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return F.cross_entropy(
            Y_hat, Y, reduction="mean" if averaged else "none"
        )
