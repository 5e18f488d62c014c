import pytest
from torch import nn

import d2lcore as d2l


def test_add_to_class_adds_method():
    class A:
        def __init__(self):
            self.b = 1

    @d2l.add_to_class(A)
    def do(self):
        return self.b + 1

    assert A().do() == 2
    assert do.__name__ == "do"


def test_add_to_class_rejects_instances():
    with pytest.raises(TypeError, match="expects a class"):
        d2l.add_to_class(object())


class B(d2l.HyperParameters):
    def __init__(self, a, b, c=3, _private=4, **extra):
        self.save_hyperparameters(ignore=["c"])


def test_save_hyperparameters_with_ignore_and_defaults():
    obj = B(1, b=2, d=5)
    assert (obj.a, obj.b, obj.d) == (1, 2, 5)
    assert not hasattr(obj, "c") and not hasattr(obj, "_private")
    assert obj.hparams == {"a": 1, "b": 2, "d": 5}


def test_save_hyperparameters_in_subclasses_accumulates():
    class Base(d2l.HyperParameters):
        def __init__(self, x=1):
            self.save_hyperparameters()

    class Child(Base):
        def __init__(self, y, x=7):
            super().__init__(x)
            self.save_hyperparameters()

    c = Child(y=2)
    assert (c.x, c.y) == (7, 2)
    assert c.hparams == {"x": 7, "y": 2}


def test_save_hyperparameters_on_nn_module():
    class Net(nn.Module, d2l.HyperParameters):
        def __init__(self, width=3):
            super().__init__()
            self.save_hyperparameters()

    assert Net().width == 3


def test_save_hyperparameters_outside_init():
    class C(d2l.HyperParameters):
        def setup(self, a):
            self.save_hyperparameters()

    with pytest.raises(RuntimeError, match="inside the __init__"):
        C().setup(1)


def test_save_hyperparameters_unknown_ignore():
    class C(d2l.HyperParameters):
        def __init__(self, a):
            self.save_hyperparameters(ignore=["b"])

    with pytest.raises(ValueError, match=r"ignore=\['b'\] names no argument"):
        C(1)


def test_save_hyperparameters_before_module_init():
    class Net(nn.Module, d2l.HyperParameters):
        def __init__(self, width=3):
            self.save_hyperparameters()
            super().__init__()

    with pytest.raises(RuntimeError, match="super\\(\\).__init__\\(\\) before"):
        Net()
