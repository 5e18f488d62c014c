"""The live training plot, seen through a real Jupyter kernel.

A notebook runs in the python3 kernel of this environment (nbclient, as nbval and
`make outputs` run the chapters) and every iopub message of each cell is recorded.
In a notebook, `Trainer.fit` must show the board's figure once (one display_data)
and then update it in place (update_display_data), throttled: the first frame
soon after the fit starts, far fewer updates than points drawn, and no '<Figure ...>' text anywhere. A board drawn in a short plain loop,
without a Trainer, shows nothing until the cell ends; then its final state is drawn
(the post_execute hook of d2lcore/_display.py). The plain-script side (one text line per
epoch, no '<Figure') is tests/test_trainer.py::test_script_prints_one_clean_line_per_epoch.
"""
from __future__ import annotations

import base64
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from conftest import png_size

pytestmark = pytest.mark.slow

SETUP = """
import time
import torch
import d2lcore as d2l
_ = torch.manual_seed(0)
"""

# 20 epochs of 32 batches, a point for every batch: 660 points drawn in ~5 s.
FIT = """
class SlowLinear(d2l.LinearRegressionScratch):
    def training_step(self, batch):
        time.sleep(0.007)  # a fit that lasts long enough for frames during it
        return super().training_step(batch)

model = SlowLinear(2, lr=0.03)
model.plot_train_per_epoch = 32
data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
start = time.perf_counter()
d2l.Trainer(max_epochs=20).fit(model, data)
fit_seconds = time.perf_counter() - start
"""

FIT_FACTS = """
print(sum(len(v) for v in model.board.data.values()), model.board._live.renders,
      round(fit_seconds, 3), round(model.board._live.render_cost, 3))
"""

LOOP = """
board = d2l.ProgressBoard(xlabel="x")
for i in range(200):
    board.draw(i, i * i, "square")
print("loop done")
"""

LOOP_FACTS = """
line = board.axes.lines[0]
print(board._live.renders, board._live.dirty, len(board.data["square"]), line.get_xdata()[-1])
"""


class RecordingClient(NotebookClient):
    """A NotebookClient that keeps every iopub message of every cell, in order."""

    def __init__(self, nb, **kw):
        super().__init__(nb, **kw)
        self.messages: dict[int, list[dict]] = {}

    def process_message(self, msg, cell, cell_index):
        self.messages.setdefault(cell_index, []).append(msg)
        return super().process_message(msg, cell, cell_index)


@pytest.fixture(scope="module")
def run():
    cells = [SETUP, FIT, FIT_FACTS, LOOP, LOOP_FACTS]
    nb = new_notebook(cells=[new_code_cell(textwrap.dedent(c).strip()) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    client = RecordingClient(nb, kernel_name="python3", timeout=300,
                             resources={"metadata": {"path": "."}})
    client.execute()
    return nb, client.messages


def _of(messages, *types):
    return [m for m in messages if m["msg_type"] in types]


def _stdout(messages) -> str:
    return "".join(m["content"]["text"] for m in _of(messages, "stream")
                   if m["content"]["name"] == "stdout")


def _no_figure_text(messages, where):
    for m in messages:
        content = m["content"]
        text = content.get("text", "") if m["msg_type"] == "stream" else \
            (content.get("data") or {}).get("text/plain", "")
        if m["msg_type"] in ("stream", "execute_result"):
            assert "<Figure" not in text, f"{where}: {m['msg_type']} shows {text!r}"


def _one_display(msgs):
    """The cell's single display_data message and its updates."""
    displays = _of(msgs, "display_data")
    assert len(displays) == 1, f"{len(displays)} display_data messages, expected one figure"
    assert "image/png" in displays[0]["content"]["data"]
    return displays[0], _of(msgs, "update_display_data")


def test_fit_shows_one_figure_then_throttled_updates(run):
    nb, messages = run
    fit = messages[1]
    display, updates = _one_display(fit)
    display_id = display["content"]["transient"]["display_id"]
    assert updates, "the figure was never updated while training"
    assert all(u["content"]["transient"]["display_id"] == display_id for u in updates)
    assert all("image/png" in u["content"]["data"] for u in updates)
    assert fit.index(display) < fit.index(updates[0])
    points, renders, seconds, _ = _stdout(messages[2]).split()
    points, renders, seconds = int(points), int(renders), float(seconds)
    # progress shows early: the first frame once the cell has plotted for 0.3 s,
    # well before the fit (about 5 s) is half done
    started = _of(fit, "execute_input")[0]["header"]["date"]
    first = (display["header"]["date"] - started).total_seconds()
    assert 0.3 <= first < seconds / 2, (first, seconds)
    assert points == 20 * 32 + 20
    assert renders == 1 + len(updates)
    # throttled: at most one redraw per 0.5 s (plus the first and the last one)
    assert len(updates) <= seconds / 0.5 + 2, (len(updates), seconds)
    assert len(updates) * 10 < points

    # nothing printed: no '<Figure ...>' repr, no per-epoch text lines in a notebook
    _no_figure_text(fit, "fit cell")
    assert _of(fit, "execute_result") == []
    assert "epoch" not in _stdout(fit) and "<Figure" not in _stdout(fit)
    # what a stored notebook keeps: the one figure, in its final state
    outputs = nb.cells[1].outputs
    assert [o.output_type for o in outputs if o.output_type != "stream"] == ["display_data"]
    assert outputs[-1].data["image/png"] == updates[-1]["content"]["data"]["image/png"]


def test_board_loop_without_trainer_is_drawn_at_cell_end(run):
    nb, messages = run
    loop = messages[3]
    display, updates = _one_display(loop)
    # the loop is too short for a frame while it runs: the post_execute hook draws
    # the final state once, after the cell's own code has finished
    assert updates == []
    done = next(i for i, m in enumerate(loop) if m["msg_type"] == "stream"
                and "loop done" in m["content"]["text"])
    assert loop.index(display) > done, "the final state was not drawn at cell end"
    renders, dirty, n, last_x = _stdout(messages[4]).split()
    assert (int(renders), dirty, int(n), float(last_x)) == (1, "False", 200, 199.0)
    _no_figure_text(loop, "loop cell")
    assert [o.output_type for o in nb.cells[3].outputs] == ["stream", "display_data"]


def _png_size(output) -> tuple[int, int]:
    return png_size(base64.b64decode(output["data"]["image/png"]))


def test_the_final_frame_has_twice_the_pixels_of_its_size_on_the_page(run):
    nb, _ = run
    board = [o for o in nb.cells[1].outputs if o.output_type == "display_data"][-1]
    assert board.metadata["image/png"] == {"width": 350, "height": 250}
    assert _png_size(board) == (700, 500)


def test_no_cell_shows_a_figure_repr(run):
    nb, messages = run
    assert _of(messages[0], "execute_result", "display_data", "stream") == []
    for index, msgs in messages.items():
        _no_figure_text(msgs, f"cell {index}")
    for cell in nb.cells:
        for out in cell.outputs:
            text = out.get("text", "") or out.get("data", {}).get("text/plain", "")
            assert "<Figure" not in text, (cell.source, out)
    nbformat.validate(nb)
