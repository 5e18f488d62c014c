"""Argument checks for the taught classes: one rule per kind of argument.

Each check is one readable line in the lesson, ``check_positive_int("max_epochs",
max_epochs)``, and raises an error that names the argument, shows what was given and
says what is expected. One rule for integers holds everywhere: Python ints, NumPy
integers and 0-d integer tensors count as ints; bools, floats and strings do not.
What is worth a warning rather than an error goes through `warn`, which points the
warning at the reader's own line.
"""
from __future__ import annotations

import math
import operator
import os
import sys
import warnings

import torch

__all__ = [
    "as_int", "check_positive_int", "check_nonnegative_int", "check_nonnegative_number",
    "check_positive_number", "check_size", "check_figsize", "check_class",
    "check_hyperparameters", "check_parameter_list", "check_has_net", "check_trainable",
    "check_input_list", "check_trainer", "check_scalar", "check_data_module",
    "check_module", "check_has_batches", "check_loss", "check_finite_point",
    "check_weights", "check_class_indices", "check_tensor_sequence", "check_same_shape",
    "check_labels", "check_predictions", "check_initialized", "warn",
]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message: str) -> None:
    """A RuntimeWarning that points at the first line outside d2lcore: the reader's
    own call (``Trainer(...)``, ``trainer.fit(...)``, ``board.draw(...)``), however
    deep in the library it is raised."""
    frame, level = sys._getframe(1), 2       # level 2: the caller of warn()
    while frame.f_back is not None and _in_library(frame):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, RuntimeWarning, stacklevel=level)


def _in_library(frame) -> bool:
    """Whether ``frame`` runs d2lcore's own code."""
    return frame.f_code.co_filename.startswith(_PACKAGE_DIR)


def as_int(value) -> int | None:
    """``value`` as an int if it is an integer (Python, NumPy or a 0-d integer tensor),
    else None. A bool is not an integer here, nor is a float that happens to be whole."""
    if isinstance(value, bool) or getattr(value, "dtype", None) in (bool, torch.bool):
        return None
    if getattr(value, "ndim", 0) != 0:
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def _check_int(name: str, value, minimum: int, words: str) -> int:
    n = as_int(value)
    if n is None or n < minimum:
        raise ValueError(f"{name} must be {words}, got {value!r}")
    return n


def check_positive_int(name: str, value) -> int:
    """An int >= 1 (returned as a Python int)."""
    return _check_int(name, value, 1, "a positive int")


def check_nonnegative_int(name: str, value) -> int:
    """An int >= 0 (returned as a Python int)."""
    return _check_int(name, value, 0, "an int >= 0")


def _as_number(value) -> float | None:
    if isinstance(value, (bool, str)) or getattr(value, "ndim", 0) != 0:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def check_nonnegative_number(name: str, value) -> float:
    """A real number >= 0 (NaN is not)."""
    x = _as_number(value)
    if x is None or not x >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    return x


def check_positive_number(name: str, value) -> float:
    """A finite real number > 0."""
    x = _as_number(value)
    if x is None or not 0 < x < math.inf:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return x


def check_size(name: str, value) -> tuple[int, int]:
    """Two positive ints (height, width)."""
    ints = None
    if not isinstance(value, (str, bytes)) and hasattr(value, "__len__") \
            and len(value) == 2:
        ints = [as_int(v) for v in value]
    if ints is None or any(v is None or v < 1 for v in ints):
        raise ValueError(f"{name} must be two positive ints (height, width), e.g. "
                         f"(32, 32); got {value!r}")
    return ints[0], ints[1]


def check_figsize(figsize) -> tuple[float, float]:
    """Two positive finite numbers (width, height) in inches."""
    try:
        sizes = [float(v) for v in figsize]
    except (TypeError, ValueError):
        sizes = []
    if len(sizes) != 2 or not all(0 < v < math.inf for v in sizes):
        raise ValueError(f"figsize must be two positive numbers, got {figsize!r}")
    return sizes[0], sizes[1]


def check_class(Class) -> None:
    """``add_to_class`` needs a class, not an instance or a name."""
    if not isinstance(Class, type):
        raise TypeError(
            f"add_to_class expects a class, got {type(Class).__name__}; "
            "write @add_to_class(MyClass), not @add_to_class(my_object)")


def check_hyperparameters(obj, caller: str, caller_self, values: dict,
                          ignore) -> list[str]:
    """``save_hyperparameters`` was called from ``obj.__init__``, after
    ``nn.Module.__init__``, and ``ignore`` names arguments; returns ``ignore`` as a list."""
    ignore = [ignore] if isinstance(ignore, str) else list(ignore)
    if caller != "__init__" or caller_self is not obj:
        raise RuntimeError(
            "save_hyperparameters() must be called inside the __init__ of the object "
            f"whose arguments it saves (it was called from '{caller}')")
    unknown = sorted(set(ignore) - set(values))
    if unknown:
        raise ValueError(
            f"ignore={unknown} names no argument of __init__; "
            f"the arguments are {sorted(k for k in values if k != 'self')}")
    if isinstance(obj, torch.nn.Module) and "_parameters" not in vars(obj):
        raise RuntimeError(f"{type(obj).__name__}.__init__ must call "
                           "super().__init__() before save_hyperparameters()")
    return ignore


def check_parameter_list(params) -> list:
    """The parameters an optimizer updates: a non-empty list, not one tensor."""
    if torch.is_tensor(params):
        raise TypeError("SGD takes a list of parameters, e.g. "
                        "SGD([self.w, self.b], lr), not a single tensor")
    params = list(params)
    if not params:
        raise ValueError("SGD got an empty list of parameters: pass the tensors it "
                         "should update, e.g. SGD([self.w, self.b], lr)")
    return params


def check_has_net(model) -> None:
    """The default ``forward`` runs ``self.net``."""
    if not hasattr(model, "net"):
        raise NotImplementedError(
            f"{type(model).__name__} has no self.net: set self.net in __init__ "
            "or define forward(self, X)")


def check_trainable(model) -> None:
    """The default optimizer needs ``model.lr`` and some parameters."""
    if not hasattr(model, "lr"):
        raise AttributeError(
            f"{type(model).__name__} has no learning rate: take lr in __init__ "
            "and call save_hyperparameters(), or override configure_optimizers")
    if next(iter(model.parameters()), None) is None:
        raise ValueError(
            f"{type(model).__name__} has no parameters to train: set self.net in "
            "__init__ or create nn.Parameter attributes there")


def check_input_list(inputs) -> None:
    """``apply_init`` takes the forward pass's arguments as a list."""
    if torch.is_tensor(inputs):
        raise TypeError("apply_init takes a list of inputs, e.g. "
                        "model.apply_init([X]), not a tensor")


def check_trainer(model) -> None:
    """``Module.plot`` places points by the trainer's batch counters."""
    if model.trainer is None:
        raise RuntimeError("plot() needs a trainer: train the model with "
                           "trainer.fit(model, data) first")


def check_scalar(key: str, value):
    """A plotted value is one number, not one per example; a tensor is returned as
    a Python float (no autograd graph, on the CPU)."""
    if not torch.is_tensor(value):
        return value
    if value.numel() != 1:
        raise TypeError(
            f"plot('{key}', ...) needs a scalar, got a tensor of shape "
            f"{tuple(value.shape)}: does {key} return one value per example? "
            "Reduce it to one number, e.g. with .mean()")
    return value.item()


def check_data_module(data) -> None:
    """``fit`` needs a data object with training and validation loaders."""
    if isinstance(data, type):
        raise TypeError(f"fit() needs a data object, got the class {data.__name__}"
                        f"; create one with {data.__name__}(...)")
    for name in ("train_dataloader", "val_dataloader"):
        if not callable(getattr(data, name, None)):
            raise TypeError(f"fit() needs a data module with {name}(), got "
                            f"{type(data).__name__}; subclass d2l.DataModule")


def check_module(model) -> None:
    """``fit`` needs a model object with what a ``d2l.Module`` has."""
    if isinstance(model, type):
        raise TypeError(f"fit() needs a model object, got the class "
                        f"{model.__name__}; create one with {model.__name__}(...)")
    for name in ("loss", "training_step", "configure_optimizers", "board"):
        if not hasattr(model, name):
            raise TypeError(f"fit() needs a d2l.Module (with {name}), got "
                            f"{type(model).__name__}; subclass d2l.Module")


def check_has_batches(num_train_batches: int) -> None:
    if num_train_batches == 0:
        raise ValueError("the training data loader yields no batches: "
                         "get_dataloader(train=True) must return a loader over "
                         "a non-empty training set")


def check_loss(loss, trainer) -> None:
    """Stop training with a clear message when the loss is not a finite scalar."""
    if not torch.is_tensor(loss) or loss.numel() != 1:
        got = (f"a tensor of shape {tuple(loss.shape)}: reduce it to one number, e.g. "
               "with .mean()" if torch.is_tensor(loss) else
               f"{type(loss).__name__}: return the tensor itself, not loss.item()")
        raise TypeError(f"training_step must return the loss as a scalar tensor, got {got}")
    if not math.isfinite(loss.item()):
        batch = trainer.train_batch_idx - trainer.epoch * trainer.num_train_batches
        raise FloatingPointError(
            f"the training loss became {loss.item()} at epoch {trainer.epoch + 1}, "
            f"batch {batch + 1}: lower the learning rate (lr="
            f"{getattr(trainer.model, 'lr', '?')}), set gradient_clip_val, or check "
            "the data for NaN/inf")


def check_finite_point(label: str, x: float, y: float) -> bool:
    """True for a finite point; otherwise warn (at the reader's line that led here)
    and return False, so that one bad value does not spoil a plot."""
    if math.isfinite(x) and math.isfinite(y):
        return True
    warn(f"ProgressBoard: skipped non-finite point ({x}, {y}) of series '{label}'")
    return False


def check_weights(w: torch.Tensor) -> None:
    if w.ndim != 1 or len(w) == 0:
        raise ValueError(f"w must be a non-empty 1-D weight vector, got shape "
                         f"{tuple(w.shape)}")


def check_class_indices(indices, num_classes: int) -> list[int]:
    """Integer class indices in [0, num_classes), as Python ints."""
    out = []
    for i in indices:
        n = as_int(i)
        if n is None:
            if torch.is_tensor(i) and i.ndim > 0:   # a row of scores
                raise TypeError(
                    "text_labels needs integer class indices, got rows of shape "
                    f"{tuple(i.shape)}: for scores, take the argmax of each row "
                    "first, e.g. text_labels(y_hat.argmax(dim=1))")
            raise TypeError(f"text_labels needs integer class indices, got {i!r}")
        if not 0 <= n < num_classes:
            raise ValueError(f"label {n} is not a Fashion-MNIST class; the "
                             f"classes are 0..{num_classes - 1}")
        out.append(n)
    return out


def check_tensor_sequence(tensors) -> tuple:
    """A non-empty sequence of tensors of equal length."""
    if torch.is_tensor(tensors):
        raise TypeError("TensorLoader takes a sequence of tensors, e.g. "
                        "TensorLoader((X, y), batch_size), not a single tensor")
    tensors = tuple(tensors)
    if not tensors or any(len(t) != len(tensors[0]) for t in tensors):
        raise ValueError("TensorLoader needs tensors of equal length, got "
                         f"lengths {[len(t) for t in tensors]}")
    return tensors


def check_same_shape(y_hat: torch.Tensor, y: torch.Tensor) -> None:
    """A squared loss needs labels of the predictions' shape (no broadcasting)."""
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat has shape {tuple(y_hat.shape)} but y has shape "
                         f"{tuple(y.shape)}: give y the shape of the predictions, "
                         "e.g. y.reshape(-1, 1)")


def check_labels(y_hat: torch.Tensor, y: torch.Tensor) -> None:
    """``cross_entropy`` needs probabilities (batch, classes) and integer labels
    (batch,) in [0, classes)."""
    if y_hat.ndim != 2 or y.shape != (y_hat.shape[0],):
        raise ValueError(f"cross_entropy needs y_hat of shape (batch, classes) and "
                         f"y of shape (batch,), got {tuple(y_hat.shape)} and "
                         f"{tuple(y.shape)}")
    if y.dtype.is_floating_point or y.dtype == torch.bool:
        raise TypeError(f"labels y must be integer class indices, got {y.dtype}")
    if len(y):
        low, high = (v.item() for v in torch.aminmax(y))
        if low < 0 or high >= y_hat.shape[1]:
            raise ValueError(f"labels must lie in [0, {y_hat.shape[1] - 1}], got "
                             f"values from {low} to {high}")


def check_predictions(Y_hat: torch.Tensor, Y: torch.Tensor) -> None:
    """``accuracy`` needs one label (a class index) per row of scores."""
    if Y.ndim > 1 and Y.shape == Y_hat.shape:
        raise ValueError(f"accuracy needs labels as class indices, got one-hot "
                         f"labels of shape {tuple(Y.shape)}: pass Y.argmax(dim=-1)")
    rows = Y_hat.reshape((-1, Y_hat.shape[-1])).shape[0]
    if rows != Y.numel():
        raise ValueError(f"accuracy: {rows} predictions but {Y.numel()} labels")


def check_initialized(weight) -> None:
    """A lazy layer's weight exists only after the first batch."""
    if isinstance(weight, torch.nn.parameter.UninitializedParameter):
        raise RuntimeError("the model has no weights yet: nn.LazyLinear creates "
                           "them at the first batch; train the model (or call "
                           "model(X)) first")
