import pytest

import d2lcore as d2l
from d2lcore import timer


@pytest.fixture
def clock(monkeypatch):
    """A fake perf_counter that returns the values it is given, in order."""
    ticks = []
    monkeypatch.setattr(timer.time, "perf_counter", lambda: ticks.pop(0))
    return ticks


def test_timer_records_intervals_since_start(clock):
    clock.extend([10.0, 10.5, 20.0, 22.0, 30.0])
    t = d2l.Timer()  # starts at 10.0
    assert t.stop() == 0.5  # 10.5
    t.start()  # 20.0
    assert t.stop() == 2.0  # 22.0
    assert t.stop() == 10.0  # 30.0: still measured from the last start
    assert t.times == [0.5, 2.0, 10.0]
    assert t.sum() == 12.5 and t.avg() == 12.5 / 3
    assert t.cumsum() == [0.5, 2.5, 12.5]


def test_timer_without_times():
    t = d2l.Timer()
    assert t.times == [] and t.sum() == 0 and t.cumsum() == []
    with pytest.raises(ValueError, match="no recorded times"):
        t.avg()
