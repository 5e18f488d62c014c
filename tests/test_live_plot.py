"""The live training plot as a student watching a notebook sees it.

A notebook runs in a real python3 kernel (nbclient, as nbval runs the chapters)
and every iopub message is recorded with its time. A ~4 s fit must show a line
within 1 s, a new frame about every second (at least 4 frames in all), the same
layout in every frame, one figure stored, and no text in place of the figure.
A board drawn in a plain loop shows its final state once the cell ends.
"""

from __future__ import annotations

import base64
import io
import textwrap

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from PIL import Image

pytestmark = pytest.mark.slow

SETUP = """
import time
import torch
import d2lcore as d2l
_ = torch.manual_seed(0)
"""

# 12 epochs of 32 steps of at least 10 ms: a fit of about 4 s
FIT = """
class SlowLinear(d2l.LinearRegressionScratch):
    def training_step(self, batch):
        time.sleep(0.01)
        return super().training_step(batch)

model = SlowLinear(2, lr=0.03)
data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
d2l.Trainer(max_epochs=12).fit(model, data)
"""

LOOP = """
board = d2l.ProgressBoard(xlabel="x")
for i in range(200):
    board.draw(i, i * i, "square")
print("loop done")
"""


class RecordingClient(NotebookClient):
    """A NotebookClient that keeps every iopub message of every cell."""

    def __init__(self, nb, **kw):
        super().__init__(nb, **kw)
        self.messages: dict[int, list[dict]] = {}

    def process_message(self, msg, cell, cell_index):
        self.messages.setdefault(cell_index, []).append(msg)
        return super().process_message(msg, cell, cell_index)


@pytest.fixture(scope="module")
def run():
    cells = [
        new_code_cell(textwrap.dedent(c).strip()) for c in (SETUP, FIT, LOOP)
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    client = RecordingClient(nb, kernel_name="python3", timeout=300)
    client.execute()
    return nb, client.messages


def frames(msgs):
    """(seconds since the cell started, RGB image) of every frame shown."""
    start = msgs[0]["header"]["date"]
    return [
        (
            (m["header"]["date"] - start).total_seconds(),
            np.asarray(
                Image.open(
                    io.BytesIO(
                        base64.b64decode(m["content"]["data"]["image/png"])
                    )
                ).convert("RGB")
            ),
        )
        for m in msgs
        if m["msg_type"] in ("display_data", "update_display_data")
    ]


def axes_box(image):
    """The rows and columns of the axes' frame: lines of dark pixels that span
    at least half of the image."""
    dark = image.sum(axis=2) < 200
    cols = np.flatnonzero(dark.sum(axis=0) > image.shape[0] / 2)
    rows = np.flatnonzero(dark.sum(axis=1) > image.shape[1] / 2)
    return cols.min(), cols.max(), rows.min(), rows.max()


def line_pixels(image, color=(31, 119, 180)):
    """How many pixels inside the axes have the first series' color."""
    left, right, top, bottom = axes_box(image)
    inside = image[top + 3 : bottom - 2, left + 3 : right - 2].astype(int)
    return int((np.abs(inside - color).sum(axis=2) < 60).sum())


def test_a_fit_shows_a_line_soon_then_a_frame_every_second(run):
    nb, messages = run
    shown = frames(messages[1])
    times = [t for t, _ in shown]
    assert times[0] < 1.0, f"the first frame came after {times[0]:.2f} s"
    assert line_pixels(shown[0][1]) > 50, "the first frame shows no line"
    assert len(shown) >= 4, f"a ~4 s fit showed only {len(shown)} frames"
    gaps = np.diff(times)
    assert gaps.max() < 1.6, f"no frame for {gaps.max():.2f} s during the fit"


def test_every_frame_has_the_same_layout(run):
    _, messages = run
    boxes = {axes_box(image) for _, image in frames(messages[1])}
    assert len(boxes) == 1, f"the axes moved between frames: {boxes}"


def test_one_sharp_figure_is_stored_and_no_text_stands_in(run):
    nb, messages = run
    outputs = [o for o in nb.cells[1].outputs]
    assert [o.output_type for o in outputs] == ["display_data"]
    assert outputs[0].metadata["image/png"] == {"width": 350, "height": 250}
    last = frames(messages[1])[-1][1]
    assert last.shape[:2] == (500, 700), "not twice the pixels of its size"
    for msgs in messages.values():
        for m in msgs:
            text = m["content"].get("text", "") + str(
                m["content"].get("data", {}).get("text/plain", "")
            )
            assert "<Figure" not in text and "epoch" not in text
    nbformat.validate(nb)


def test_a_board_in_a_quick_loop_shows_its_final_state(run):
    nb, messages = run
    kinds = [o.output_type for o in nb.cells[2].outputs]
    assert sorted(kinds) == ["display_data", "stream"]
    last = messages[2][-2]  # the final frame, drawn when the cell ended
    assert last["msg_type"] in ("display_data", "update_display_data")
    assert line_pixels(frames(messages[2])[-1][1]) > 50
