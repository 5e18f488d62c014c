"""save_hyperparameters details found by mutation testing."""
import d2lcore as d2l


class Point(d2l.HyperParameters):
    def __init__(self, x, y, label="p"):
        self.save_hyperparameters(ignore="label")   # one name as a plain string


def test_ignore_can_be_a_single_name():
    p = Point(1, 2)
    assert (p.x, p.y) == (1, 2) and not hasattr(p, "label")
    assert p.hparams == {"x": 1, "y": 2}
