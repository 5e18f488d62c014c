"""The framework-neutral names (d2l.reshape, d2l.tensor, ...) are the torch calls
they stand for, with the published book's call signatures."""

import numpy as np
import pytest
import torch
from torch import nn

import d2lcore as d2l
from d2lcore import compat


def test_every_name_is_exported():
    names = set(compat.ALIASES) | set(compat.METHODS) | {"nn_Module"}
    assert names == set(compat.__all__)
    assert names <= set(d2l.__all__)
    for name in names:
        assert getattr(d2l, name) is getattr(compat, name)


@pytest.mark.parametrize("name,target", sorted(compat.ALIASES.items()))
def test_alias_is_the_torch_object(name, target):
    assert getattr(d2l, name) is getattr(torch, target)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(
        AttributeError, match="^module 'd2lcore' has no attribute 'nope'$"
    ):
        d2l.nope  # noqa: B018


def test_nn_module_is_torch_module_and_the_base_of_d2l_module():
    assert d2l.nn_Module is nn.Module
    assert issubclass(d2l.Module, d2l.nn_Module)


# The calls the published chapters make, next to the torch calls they stand for.
# Random draws are compared under the same seed.
ALIAS_CALLS = [
    ("d2l.ones(3)", "torch.ones(3)"),
    ("d2l.ones((4, 1)) * 0.01", "torch.ones((4, 1)) * 0.01"),
    ("d2l.zeros(1, requires_grad=True)", "torch.zeros(1, requires_grad=True)"),
    ("d2l.zeros_like(torch.ones(2, 3))", "torch.zeros_like(torch.ones(2, 3))"),
    ("d2l.ones_like(torch.ones(2, 3))", "torch.ones_like(torch.ones(2, 3))"),
    ("d2l.tensor([2, -3.4])", "torch.tensor([2, -3.4])"),
    ("d2l.tensor([0, 2])", "torch.tensor([0, 2])"),
    ("d2l.arange(-8.0, 8.0, 0.1)", "torch.arange(-8.0, 8.0, 0.1)"),
    ("d2l.linspace(0, 1, 5)", "torch.linspace(0, 1, 5)"),
    ("d2l.eye(3)", "torch.eye(3)"),
    (
        "d2l.normal(0, 0.01, (2, 1), requires_grad=True)",
        "torch.normal(0, 0.01, (2, 1), requires_grad=True)",
    ),
    ("d2l.rand((2, 5))", "torch.rand((2, 5))"),
    ("d2l.randn(6, 2)", "torch.randn(6, 2)"),
    (
        "d2l.exp(torch.tensor([0.0, 1.0]))",
        "torch.exp(torch.tensor([0.0, 1.0]))",
    ),
    (
        "d2l.log(torch.tensor([1.0, 2.0]))",
        "torch.log(torch.tensor([1.0, 2.0]))",
    ),
    (
        "d2l.abs(torch.tensor([-1.5, 2.0]))",
        "torch.abs(torch.tensor([-1.5, 2.0]))",
    ),
    (
        "d2l.sin(torch.arange(3.0)), d2l.cos(torch.arange(3.0))",
        "torch.sin(torch.arange(3.0)), torch.cos(torch.arange(3.0))",
    ),
    (
        "d2l.tanh(torch.arange(3.0)), d2l.sigmoid(torch.arange(3.0))",
        "torch.tanh(torch.arange(3.0)), torch.sigmoid(torch.arange(3.0))",
    ),
    (
        "d2l.matmul(torch.ones(4, 2), torch.tensor([[2.0], [-3.4]]))",
        "torch.ones(4, 2) @ torch.tensor([[2.0], [-3.4]])",
    ),
    (
        "d2l.batch_matmul(torch.ones(2, 3, 4), torch.ones(2, 4, 5))",
        "torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 4, 5))",
    ),
    (
        "d2l.concat([torch.ones(2), torch.zeros(1)], 0)",
        "torch.cat([torch.ones(2), torch.zeros(1)], 0)",
    ),
    (
        "d2l.stack([torch.ones(2), torch.zeros(2)], 1)",
        "torch.stack([torch.ones(2), torch.zeros(2)], 1)",
    ),
    (
        "torch.ones(2, dtype=d2l.float32), torch.ones(2, dtype=d2l.int32)",
        "torch.ones(2, dtype=torch.float32), torch.ones(2, dtype=torch.int32)",
    ),
]


@pytest.mark.parametrize(
    "call,reference", ALIAS_CALLS, ids=[c for c, _ in ALIAS_CALLS]
)
def test_alias_call_matches_torch(call, reference):
    env = {"d2l": d2l, "torch": torch}
    torch.manual_seed(1)
    out = eval(call, env)
    torch.manual_seed(1)
    expected = eval(reference, env)
    torch.testing.assert_close(out, expected, rtol=0, atol=0)
    for o, e in zip(
        *(v if isinstance(v, tuple) else (v,) for v in (out, expected))
    ):
        assert o.dtype == e.dtype and o.requires_grad == e.requires_grad


X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
Y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5], [0.7, 0.2, 0.1]])

# (d2l name, first argument, further args, kwargs): the published chapters' calls.
METHOD_CALLS = [
    ("reshape", X, ((-1, 3),), {}),
    ("reshape", X, (-1,), {}),
    ("reshape", torch.arange(6), (2, 3), {}),
    ("reduce_sum", X, (), {}),
    ("reduce_sum", X, (0,), {"keepdims": True}),
    ("reduce_sum", X, (1,), {"keepdims": True}),
    ("reduce_sum", X, (), {"axis": 1}),
    ("reduce_mean", X, (), {}),
    ("reduce_mean", X, (), {"axis": 0}),
    ("argmax", Y_hat, (), {"axis": 1}),
    ("argmax", Y_hat, (1,), {}),
    ("astype", torch.tensor([0, 2, 1]), (torch.float32,), {}),
    ("astype", torch.tensor([True, False]), (torch.float32,), {}),
    ("astype", torch.tensor([1.0, 2.0]), (torch.int64,), {}),
    ("transpose", X, (), {}),
    ("expand_dims", torch.tensor([1, 2]), (1,), {}),
    ("swapaxes", torch.ones(2, 3, 4), (0, 2), {}),
    ("repeat", torch.tensor([[1, 2]]), (2, 1), {}),
    ("to", X, (torch.device("cpu"),), {}),
    ("to", X, (torch.float64,), {}),
    ("size", X, (), {}),
    # keyword arguments go through too
    ("reshape", X, (), {"shape": (3, 2)}),
    ("reduce_mean", X, (1,), {"keepdim": True}),
    ("astype", X, (), {"dtype": torch.int64}),
    ("expand_dims", X, (), {"dim": 1}),
    ("swapaxes", torch.ones(2, 3, 4), (), {"axis0": 0, "axis1": 2}),
    ("repeat", X, (), {"repeats": (2, 1)}),
    ("to", X, (), {"dtype": torch.float64}),
]


@pytest.mark.parametrize(
    "name,x,args,kwargs",
    METHOD_CALLS,
    ids=[f"{c[0]}{c[2]}{c[3]}" for c in METHOD_CALLS],
)
def test_method_helper_matches_the_tensor_method(name, x, args, kwargs):
    out = getattr(d2l, name)(x, *args, **kwargs)
    expected = getattr(x, compat.METHODS[name])(*args, **kwargs)
    if torch.is_tensor(expected):
        torch.testing.assert_close(out, expected, rtol=0, atol=0)
        assert out.dtype == expected.dtype
    else:
        assert out == expected


@pytest.mark.parametrize(
    "name,args,kwargs",
    [
        ("size", (0,), {}),
        ("size", (), {"dim": 0}),
        ("transpose", (0,), {}),
        ("transpose", (), {"dim": 0}),
        ("numpy", (True,), {}),
        ("numpy", (), {"copy": True}),
    ],
)
def test_arguments_the_tensor_method_refuses_are_refused_too(
    name, args, kwargs
):
    X = torch.ones(2, 3)
    with pytest.raises(TypeError):  # what torch says ...
        getattr(X, compat.METHODS[name])(*args, **kwargs)
    with pytest.raises(TypeError):  # ... the helper says too
        getattr(d2l, name)(X, *args, **kwargs)


def test_every_method_helper_is_covered():
    assert {c[0] for c in METHOD_CALLS} | {"numpy"} == set(compat.METHODS)


def test_numpy_detaches_and_copies_to_the_cpu():
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    out = d2l.numpy(w * 2)
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, np.array([2.0, -4.0], dtype=np.float32))
    # the published Module.plot calls d2l.numpy(d2l.to(value, d2l.cpu()))
    assert d2l.numpy(d2l.to(torch.tensor(0.5), d2l.cpu())) == np.float32(0.5)


def test_published_accuracy_expression():
    """Section 4.3's accuracy, written with the helpers, counts the hits."""
    Y = torch.tensor([2, 0, 1])
    preds = d2l.astype(
        d2l.argmax(d2l.reshape(Y_hat, (-1, Y_hat.shape[-1])), axis=1), Y.dtype
    )
    compare = d2l.astype(preds == d2l.reshape(Y, -1), d2l.float32)
    assert compare.tolist() == [1.0, 0.0, 0.0]
    assert d2l.reduce_mean(compare).item() == pytest.approx(1 / 3)


def test_published_softmax_expression():
    """Section 4.4's softmax, written with the helpers, gives torch's softmax."""
    X_exp = d2l.exp(X)
    partition = d2l.reduce_sum(X_exp, 1, keepdims=True)
    torch.testing.assert_close(X_exp / partition, torch.softmax(X, dim=1))
