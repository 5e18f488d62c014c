"""Trainer: fits a Module to a DataModule (sections 3.2.4 and 3.4.4).

The loop computes the loss with autograd on, backpropagates, optionally clips
gradients and lets the optimizer update the parameters. ``num_gpus > 0`` trains
on a CUDA or Apple GPU when one is present and on the CPU (with one warning)
when not. ``fit`` turns the common mistakes into clear errors (`_checks`).
"""

from __future__ import annotations

import torch
from torch import nn

from ._checks import checked_fit
from .device import cpu, find_gpus
from .utils import HyperParameters

__all__ = ["Trainer"]


class Trainer(HyperParameters):
    """The base class for training models with data (section 3.2.4)."""

    def __init__(self, max_epochs, num_gpus=0, gradient_clip_val=0):
        self.save_hyperparameters()
        self.gpus = find_gpus(num_gpus)  # [] trains on the CPU
        self.epoch = self.train_batch_idx = self.val_batch_idx = 0

    @property
    def device(self):
        """Where the model and the batches live."""
        return self.gpus[0] if self.gpus else cpu()

    def prepare_data(self, data):
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = (
            len(self.val_dataloader) if self.val_dataloader is not None else 0
        )

    def prepare_model(self, model):
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        if self.gpus:
            model.to(self.gpus[0])
        self.model = model

    def fit(self, model, data):
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = self.train_batch_idx = self.val_batch_idx = 0
        for self.epoch in range(self.max_epochs):
            self.fit_epoch()
            model.board.print_progress(self.epoch + 1, self.max_epochs)
        model.board.flush()  # the final frame

    def prepare_batch(self, batch):
        if self.gpus:
            batch = [a.to(self.gpus[0]) for a in batch]
        return batch

    def fit_epoch(self):
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            loss.backward()
            if self.gradient_clip_val > 0:
                self.clip_gradients(self.gradient_clip_val, self.model)
            with torch.no_grad():
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with torch.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1

    def clip_gradients(self, grad_clip_val, model):
        """Rescale the gradients so that their global L2 norm is at most
        grad_clip_val."""
        params = [p for p in model.parameters() if p.requires_grad]
        nn.utils.clip_grad_norm_(params, grad_clip_val)


# Clear errors for common mistakes, outside the lesson's code (see _checks).
Trainer.fit = checked_fit(Trainer.fit)
