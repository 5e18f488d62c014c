"""Argument checks (d2lcore/_checks.py): one rule for integers everywhere, and what
the checks return. What each misuse of the public API raises is catalogued in
test_bad_input.py."""
import inspect
import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

import d2lcore as d2l
from conftest import small_data
from d2lcore._checks import (as_int, check_figsize, check_nonnegative_int,
                             check_nonnegative_number, check_positive_int,
                             check_positive_number, check_size, warn)

INTS = [3, np.int64(3), np.int32(3), np.uint8(3), torch.tensor(3),
        torch.tensor(3, dtype=torch.int32)]
NOT_INTS = [True, False, np.bool_(True), torch.tensor(True), 3.0, np.float64(3.0),
            torch.tensor(3.0), torch.tensor([3]), np.array([3]), "3", None, 3 + 0j]


@pytest.mark.parametrize("value", INTS, ids=repr)
def test_integers_of_every_kind_are_ints(value):
    assert as_int(value) == 3 and type(as_int(value)) is int
    assert check_positive_int("n", value) == 3
    assert check_nonnegative_int("n", value) == 3


@pytest.mark.parametrize("value", NOT_INTS, ids=repr)
def test_bools_floats_and_arrays_are_not_ints(value):
    assert as_int(value) is None
    with pytest.raises(ValueError, match="n must be a positive int"):
        check_positive_int("n", value)
    with pytest.raises(ValueError, match="n must be an int >= 0"):
        check_nonnegative_int("n", value)


def test_zero_is_nonnegative_but_not_positive():
    assert check_nonnegative_int("n", 0) == 0
    with pytest.raises(ValueError, match="got 0"):
        check_positive_int("n", 0)
    with pytest.raises(ValueError, match="n must be an int >= 0"):
        check_nonnegative_int("n", np.int64(-1))


@pytest.mark.parametrize("n", [np.int64(4), torch.tensor(4)], ids=repr)
def test_the_public_api_takes_integer_scalars_everywhere(n):
    # the same rule for every int argument: sizes, batch sizes, epochs, every_n
    data = small_data(num_train=n * 16, num_val=n * 8, batch_size=n * 4)
    assert len(data.train_dataloader()) == 4 and len(data.val_dataloader()) == 2
    assert len(d2l.TensorLoader((torch.arange(8),), n)) == 2
    model = d2l.LinearRegressionScratch(2, lr=0.1)
    model.board.display = False
    d2l.Trainer(max_epochs=n, num_gpus=n - n).fit(model, data)
    assert [p.x for p in model.board.data["val_loss"]] == [1.0, 2.0, 3.0, 4.0]
    board = d2l.ProgressBoard(display=False)
    for x in range(8):
        board.draw(x, x, "line", every_n=n)
    assert board.series("line") == ([1.5, 5.5], [1.5, 5.5])
    assert d2l.DataModule(num_workers=n - n).num_workers == 0
    assert d2l.gpu(n) == torch.device("cuda:4")
    assert d2l.show_images(torch.rand(4, 2, 2), n // 4, n).shape == (4,)
    plt.close("all")


def test_numbers():
    assert check_nonnegative_number("g", 0) == 0.0
    assert check_nonnegative_number("g", np.float32(0.5)) == 0.5
    assert check_positive_number("lr", torch.tensor(0.1)) == pytest.approx(0.1)
    for bad in (math.nan, -1e-9, True, "1", torch.tensor([1.0])):
        with pytest.raises(ValueError, match="g must be a number >= 0"):
            check_nonnegative_number("g", bad)
    for bad in (0, math.inf, math.nan, False):
        with pytest.raises(ValueError, match="lr must be > 0"):
            check_positive_number("lr", bad)


def test_sizes_keep_height_then_width():
    assert check_size("resize", (32, 28)) == (32, 28)
    assert check_size("resize", [1, 1]) == (1, 1)
    assert check_size("resize", (np.int64(5), torch.tensor(6))) == (5, 6)
    assert check_figsize((3, 2.5)) == (3.0, 2.5)


def test_a_warning_points_at_the_first_line_outside_the_library():
    def reader_code():                                   # two library frames deep
        line = inspect.currentframe().f_lineno + 1
        board.draw(0, math.nan, "loss")
        return line
    board = d2l.ProgressBoard(display=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = reader_code()
        here = inspect.currentframe().f_lineno + 1
        warn("said here")                                # called from outside
    assert [(w.filename, w.lineno, w.category) for w in caught] == [
        (__file__, line, RuntimeWarning), (__file__, here, RuntimeWarning)]
