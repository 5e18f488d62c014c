"""add_to_class and HyperParameters (d2lcore/utils.py, section 3.2.1)."""

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


class Point(d2l.HyperParameters):
    def __init__(self, x, y, label="p"):
        self.save_hyperparameters(ignore="label")  # one name as a plain string


def test_ignore_can_be_a_single_name():
    p = Point(1, 2)
    assert (p.x, p.y) == (1, 2) and not hasattr(p, "label")
    assert p.hparams == {"x": 1, "y": 2}


def test_save_hyperparameters_works_from_any_method():
    class Later(d2l.HyperParameters):
        def set_up(self, lr, batch_size=8):
            self.save_hyperparameters()

    obj = Later()
    obj.set_up(0.1)
    assert (obj.lr, obj.batch_size) == (0.1, 8)
    assert obj.hparams == {"lr": 0.1, "batch_size": 8}
