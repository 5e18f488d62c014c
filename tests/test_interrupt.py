"""A training cell interrupted in Jupyter (the stop button during ``fit``), seen
through a real kernel (jupyter_client, as nbclient and nbval drive it).

A fit is started, interrupted mid-epoch once its first frame is shown, and further
cells run in the same kernel. Later cells must not receive the interrupted cell's
figure or hook output; the board keeps the points drawn before the interrupt; a new
fit, on a fresh trainer with the same model and with a fresh model, works, shows its
own figure in its own cell and plots from epoch 0.
"""

from __future__ import annotations

import queue
import textwrap
import time

import pytest

pytestmark = pytest.mark.slow

SETUP = """
import time
import torch
import d2lcore as d2l
_ = torch.manual_seed(0)


class SlowLinear(d2l.LinearRegressionScratch):
    delay = 0.01          # seconds per step: a fit that lasts long enough to stop

    def training_step(self, batch):
        time.sleep(self.delay)
        return super().training_step(batch)


data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
model = SlowLinear(2, lr=0.03)
trainer = d2l.Trainer(max_epochs=30)
"""

FIGURES = ("display_data", "update_display_data")


class Kernel:
    """A python3 kernel and the iopub messages of each cell it ran."""

    def __init__(self):
        from jupyter_client import KernelManager

        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def messages(self, msg_id, until_idle=True, timeout=120, stop=None):
        """The iopub messages of ``msg_id`` until the kernel is idle again (or until
        ``stop(msg)`` is true)."""
        out, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                out.append(("other cell", msg))
                continue
            if msg["msg_type"] == "status":
                if until_idle and msg["content"]["execution_state"] == "idle":
                    return out
                continue
            out.append(("this cell", msg))
            if stop is not None and stop(msg):
                return out
        raise TimeoutError(f"no end of cell within {timeout} s; got {out}")

    def reply(self, msg_id, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg = self.kc.get_shell_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]
        raise TimeoutError("no execute_reply")

    def run(self, code):
        """Run a cell to its end: (reply, its iopub messages)."""
        msg_id = self.kc.execute(textwrap.dedent(code).strip())
        msgs = self.messages(msg_id)
        return self.reply(msg_id), msgs


def _types(msgs, which=FIGURES):
    return [m["msg_type"] for _, m in msgs if m["msg_type"] in which]


def _stdout(msgs):
    return "".join(
        m["content"]["text"] for _, m in msgs if m["msg_type"] == "stream"
    )


def _display_ids(msgs):
    return {
        m["content"].get("transient", {}).get("display_id")
        for _, m in msgs
        if m["msg_type"] in FIGURES
    }


@pytest.fixture(scope="module")
def session():
    kernel = Kernel()
    try:
        reply, _ = kernel.run(SETUP)
        assert reply["status"] == "ok", reply
        # the fit: interrupted once its first frame is on screen, mid-epoch
        msg_id = kernel.kc.execute("trainer.fit(model, data)")
        first = kernel.messages(
            msg_id,
            until_idle=False,
            timeout=60,
            stop=lambda m: m["msg_type"] == "display_data",
        )
        time.sleep(0.5)
        kernel.km.interrupt_kernel()
        rest = kernel.messages(msg_id)
        reply = kernel.reply(msg_id)
        yield kernel, reply, first + rest
    finally:
        kernel.close()


def test_the_interrupt_stops_the_fit_with_keyboard_interrupt(session):
    kernel, reply, msgs = session
    assert (
        reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    ), reply
    assert not [m for where, m in msgs if where == "other cell"]
    # the figure was shown in the interrupted cell, in one output
    assert _types(msgs)[0] == "display_data" and len(_display_ids(msgs)) == 1


def test_later_cells_get_no_stale_figure_and_the_board_keeps_its_points(
    session,
):
    kernel, _, fit_msgs = session
    reply, msgs = kernel.run("""
        xs = [p.x for p in model.board.data["train_loss"]]
        print(len(xs), xs[0] < 0.5, xs[-1] < trainer.max_epochs,
              trainer.epoch < trainer.max_epochs - 1)
    """)
    assert reply["status"] == "ok", reply
    assert _types(msgs) == [], "a later cell received a figure"
    count, starts_at_0, stopped_early, mid_fit = _stdout(msgs).split()
    assert int(count) > 0 and starts_at_0 == stopped_early == mid_fit == "True"
    reply, msgs = kernel.run("print('plain cell')")
    assert _types(msgs) == [] and _stdout(msgs) == "plain cell\n"


def test_a_new_fit_of_the_same_model_plots_from_epoch_0_in_its_own_cell(
    session,
):
    kernel, _, fit_msgs = session
    old_ids = _display_ids(fit_msgs)
    reply, msgs = kernel.run("""
        model.delay = 0
        trainer = d2l.Trainer(max_epochs=2)
        trainer.fit(model, data)
        xs = [p.x for p in model.board.data["train_loss"]]
        print(trainer.epoch, min(xs) < 0.5, max(xs) <= 2, sorted(xs) == xs)
    """)
    assert reply["status"] == "ok", reply
    assert _types(msgs)[0] == "display_data"
    assert not (_display_ids(msgs) & old_ids), (
        "the new fit updated the old figure"
    )
    assert _stdout(msgs).split() == ["1", "True", "True", "True"]
    reply, msgs = kernel.run("print('after')")
    assert _types(msgs) == [] and _stdout(msgs) == "after\n"


def test_a_fresh_model_and_trainer_train_normally_after_the_interrupt(session):
    kernel, _, _ = session
    reply, msgs = kernel.run("""
        fresh = d2l.LinearRegressionScratch(2, lr=0.03)
        d2l.Trainer(max_epochs=3).fit(fresh, data)
        xs, ys = fresh.board.series("train_loss")
        print(min(xs) < 0.5, max(xs) <= 3, ys[-1] < ys[0] / 10)
    """)
    assert reply["status"] == "ok", reply
    assert _types(msgs, ("display_data",)) == ["display_data"]
    assert _stdout(msgs).split() == ["True", "True", "True"]
