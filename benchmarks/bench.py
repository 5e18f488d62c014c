"""Performance benchmark of d2lcore (``make bench``; ``--quick`` for CI).

Medians of interleaved repetitions of: the chapter 4.4 and 5.2 scripts with
the d2l package and with d2lcore (peer.py); ``Trainer.fit`` against a hand
loop with the same model and optimizer; one Fashion-MNIST epoch read (d2lcore,
torchvision with 4 workers, indexing a tensor); the board in a Jupyter kernel
(a fit with it against one without, its frames' share of the fit, and a ~4 s
fit's frames and first line); the book under nbval; ``make test``. Speed is
reported, never asserted: a missed target says MISS.
"""

import argparse
import collections
import copy
import gc
import json
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import torch  # noqa: E402
from torchvision.datasets import FashionMNIST  # noqa: E402
from torchvision.transforms import Compose, Resize, ToTensor  # noqa: E402

import d2lcore as d2l  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KINDS = {  # kind: (its row in the table, a fresh model)
    "softmax": (
        "softmax fit",
        lambda: d2l.SoftmaxRegressionScratch(784, 10, lr=0.1),
    ),
    "mlp": (
        "mlp fit",
        lambda: d2l.MLPScratch(784, 10, num_hiddens=256, lr=0.1),
    ),
    "mlp_concise": (
        "concise mlp",
        lambda: d2l.MLP(10, num_hiddens=256, lr=0.1),
    ),
}
QUICK_SIZES = (6144, 1024)  # --quick: training and validation examples
med = statistics.median


def verdict(ok, target):
    return f"{target}: {'met' if ok else 'MISS'}"


def interleaved(variants, reps):
    """Medians of ``reps`` timings of every variant, the order rotating."""
    names, out = list(variants), {name: [] for name in variants}
    for r in range(reps):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            gc.collect()
            start = time.perf_counter()
            variants[name]()
            out[name].append(time.perf_counter() - start)
    return {name: med(times) for name, times in out.items()}


def fit(kind, data, epochs, hand=False, params=None):
    """Train a fresh model with the Trainer, or by hand: the same steps
    without training_step, board or checks."""
    torch.manual_seed(0)
    model = KINDS[kind][1]()
    model.board.display = False  # no per-epoch lines in this script
    if hand:
        hand_loop(model, data, epochs)
    else:
        d2l.Trainer(max_epochs=epochs).fit(model, data)
    if params is not None:
        params.extend(p.detach() for p in model.parameters())


def hand_loop(model, data, epochs):
    optim = model.configure_optimizers()
    for _ in range(epochs):
        model.train()
        for X, y in data.train_dataloader():
            loss = model.loss(model(X), y)
            optim.zero_grad()
            loss.backward()
            with torch.no_grad():
                optim.step()
        model.eval()
        with torch.no_grad():
            for X, y in data.val_dataloader():
                Y_hat = model(X)
                model.loss(Y_hat, y), model.accuracy(Y_hat, y)


def subset(data, n_train, n_val):
    small, (t, v) = copy.copy(data), (data.train, data.val)
    small.train = d2l.ImageDataset(t.images[:n_train], t.targets[:n_train])
    small.val = d2l.ImageDataset(v.images[:n_val], v.targets[:n_val])
    return small


def same_math(data, kind):
    """Max |difference| of the parameters both loops reach (0: the same)."""
    a, b = [], []
    fit(kind, subset(data, 4096, 1024), 2, params=a)
    fit(kind, subset(data, 4096, 1024), 2, hand=True, params=b)
    return max((p - q).abs().max().item() for p, q in zip(a, b))


def read_limit(images, targets):
    order = torch.randperm(len(targets))
    for i in range(0, len(targets), 256):
        idx = order[i : i + 256]
        images[idx].float().div_(255), targets[idx]


KERNEL = """
import json, time, torch
import d2lcore as d2l

data = d2l.FashionMNIST(batch_size=256)
if {quick}:
    t, v = data.train, data.val
    data.train = d2l.ImageDataset(t.images[:{0}], t.targets[:{0}])
    data.val = d2l.ImageDataset(v.images[:{1}], v.targets[:{1}])

def fit(model, data, epochs, board=True):
    if not board:
        model.plot = lambda *args, **kwargs: None
    live, frames = model.board.live, []
    show = live.show
    def timed_show():  # a frame: when it was shown and its cost
        t = time.perf_counter()
        show()
        frames.append((time.perf_counter() - start, time.perf_counter() - t))
    live.show = timed_show
    start = time.perf_counter()
    d2l.Trainer(max_epochs=epochs).fit(model, data)
    seconds = time.perf_counter() - start
    print("BENCH", json.dumps({{"seconds": seconds, "frames": frames}}))

class SlowLinear(d2l.LinearRegressionScratch):  # a fit of about 4 s
    def training_step(self, batch):
        time.sleep(0.01)
        return super().training_step(batch)
"""
SOFTMAX_FIT = """torch.manual_seed(0)
fit(d2l.SoftmaxRegressionScratch(784, 10, lr=0.1), data, {}, board={})"""
FOUR_S_FIT = """fit(SlowLinear(2, lr=0.03), d2l.SyntheticRegressionData(
    w=torch.tensor([2, -3.4]), b=4.2), 12)"""


def board_in_kernel(reps, epochs, quick):
    """The fits in a Jupyter kernel: [(seconds, frames) per cell]."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [KERNEL.format(*QUICK_SIZES, quick=quick)]
    for r in range(reps):  # with and without the board, alternating
        cells += [SOFTMAX_FIT.format(epochs, r % 2 == i) for i in (0, 1)]
    cells.append(FOUR_S_FIT)
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name="python3", timeout=3600).execute()
    runs = []
    for cell in nb.cells[1:]:
        text = "".join(o.get("text", "") for o in cell.outputs)
        line = [x for x in text.splitlines() if x.startswith("BENCH ")][-1]
        runs.append(json.loads(line[6:]))
    return runs[:-1], runs[-1]


def time_pytest(*args):
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "pytest", "-q", *args]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    last = (proc.stdout.strip().splitlines() or [proc.stderr[-200:]])[-1]
    state = "passed" if proc.returncode == 0 else f"FAILED ({proc.returncode})"
    return time.perf_counter() - start, proc.returncode, f"{state}: {last}"


ROWS = []  # the printed table


def row(label, ours, base="", ratio="", target=""):
    ROWS.append(f"| {label} | {ours} | {base} | {ratio} | {target} |")


def peer_scripts(res, epochs, quick, reps):
    """1. The chapter scripts, whole, with d2l and with d2lcore."""
    sides = ["d2lcore"] if quick else ["d2lcore", "d2l"]
    if not quick:
        peer.make_env()
    raw = Path(d2l.default_root()) / "FashionMNIST" / "raw"
    res["peer_d2l"] = {}
    for ch in ("ch4_4",) if quick else tuple(peer.CHAPTERS):
        runs = {s: partial(peer.run, ch, s, epochs, raw) for s in sides}
        got = interleaved(runs, reps)
        ours, theirs = got["d2lcore"], got.get("d2l")
        res["peer_d2l"][ch] = {"d2lcore": ours, "d2l": theirs}
        r = (theirs or 0) / ours
        base = f"d2l {peer.D2L_VERSION}: {theirs or 0:.1f} s"
        ok = verdict(r >= 4, ">= 4x faster")
        row(f"{ch[2]}.{ch[4]} script", f"{ours:.1f} s", base, f"{r:.1f}x", ok)


def trainer_overhead(res, data, epochs, reps):
    """2. Trainer.fit against the hand loop."""
    res["fit_overhead"] = {}
    for kind, (label, _) in KINDS.items():
        trainer, hand = (partial(fit, kind, data, epochs, h) for h in (0, 1))
        got = interleaved({"trainer": trainer, "hand": hand}, reps)
        res["fit_overhead"][kind], r = got, got["trainer"] / got["hand"]
        base = f"hand loop {got['hand']:.2f} s"
        ok = verdict(r <= 1.1, "<= 1.10x")
        row(label, f"{got['trainer']:.2f} s", base, f"{r:.3f}x", ok)
        if kind != "mlp_concise":
            res[f"{kind}_fit"] = dict(
                d2lcore=got["trainer"], limit=got["hand"]
            )


def epoch_read(res, data, reps):
    """3. One epoch read: d2lcore, torchvision as published, the limit."""
    to_tensor = Compose([Resize((28, 28)), ToTensor()])
    classic = FashionMNIST(d2l.default_root(), transform=to_tensor)
    classic = torch.utils.data.Subset(classic, range(len(data.train)))
    loader = torch.utils.data.DataLoader(classic, 256, True, num_workers=4)
    drain = collections.deque(maxlen=0).extend  # read every batch, keep none
    images, targets = data.train.images, data.train.targets
    variants = {
        "d2lcore": lambda: drain(data.train_dataloader()),
        "classic": lambda: drain(loader),
        "limit": lambda: read_limit(images, targets),
    }
    er = res["epoch_read"] = interleaved(variants, reps)
    r1, r2 = er["classic"] / er["d2lcore"], er["d2lcore"] / er["limit"]
    base = f"classic {er['classic']:.2f} s / limit {er['limit']:.3f} s"
    ratio = f"{r1:.1f}x faster / {r2:.2f}x the limit"
    ok = f"{verdict(r1 >= 30, '>= 30x')}; {verdict(r2 <= 1.2, '<= 1.2x')}"
    row("epoch read", f"{er['d2lcore']:.3f} s", base, ratio, ok)


def board(res, epochs, reps, quick):
    """4. The board in a kernel: paired fits, its share, the ~4 s fit."""
    fits, four = board_in_kernel(reps, epochs, quick)
    on, off = fits[0::2], fits[1::2]
    for r in range(1, len(on), 2):  # odd pairs ran without the board first
        on[r], off[r] = off[r], on[r]
    ratio = med([x["seconds"] / y["seconds"] for x, y in zip(on, off)])
    share = med([sum(c for _, c in x["frames"]) / x["seconds"] for x in on])
    res["board_overhead"] = bo = {
        "with": med([x["seconds"] for x in on]),
        "without": med([y["seconds"] for y in off]),
        "paired_ratio": ratio,
        "board_share": share,
    }
    times = [t for t, _ in four["frames"]]
    gap = max(b - a for a, b in zip([0, *times], times))
    res["first_frame_seconds"] = times[0]
    res["four_second_fit"] = {"seconds": four["seconds"], "frames": times}
    base = f"no board {bo['without']:.2f} s"
    row("board kernel", f"{bo['with']:.2f} s", base, f"{ratio - 1:+.1%}")
    ok = verdict(share <= 0.05, "<= 5 %")
    row("board share of the fit", f"{share:.1%}", target=ok)
    ok = verdict(times[0] <= 1, "<= 1 s")
    row("first frame (a line)", f"{times[0]:.2f} s", target=ok)
    label = f"frames in a {four['seconds']:.1f} s fit"
    ok = verdict(len(times) >= 4, ">= 4")
    row(label, len(times), ratio=f"longest gap {gap:.2f} s", target=ok)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="CI size: once, small")
    p.add_argument("--json", help="write the results as JSON")
    p.add_argument("--reps", type=int, help="repetitions of each timing")
    p.add_argument("--epochs", type=int)
    for flag in ("--no-peer", "--no-kernel", "--no-book"):
        p.add_argument(flag, action="store_true")
    a = p.parse_args()
    quick = a.quick
    epochs = a.epochs or (1 if quick else 10)

    def reps(default):  # repetitions (the board: pairs) of one measurement
        return 1 if quick else a.reps or default

    data = d2l.FashionMNIST(batch_size=256)
    if quick:
        data = subset(data, *QUICK_SIZES)
    diff = {kind: same_math(data, kind) for kind in KINDS}
    info = {"quick": quick, "epochs": epochs, "reps": a.reps}
    info["max_param_diff_hand_vs_trainer"] = diff
    res = {"peer_d2l": None, "first_frame_seconds": None}
    if not a.no_peer:
        peer_scripts(res, epochs, quick, reps(3))
    trainer_overhead(res, data, epochs, reps(5))
    epoch_read(res, data, reps(7))
    if not a.no_kernel:
        board(res, epochs, reps(11), quick)

    res["book_seconds"] = res["make_test_seconds"] = None  # 5. and 6.
    book_note = make_note = "skipped (--no-book)"
    if quick:
        make_note = "skipped (--quick: the test suite runs this benchmark)"
    if not a.no_book:
        chapter = str(sorted((ROOT / "book").glob("ch*.ipynb"))[0])
        args = ["-n", "0", chapter] if quick else ["-n", "auto", "book/"]
        secs, _, book_note = time_pytest(*args)
        res["book_seconds"] = secs
        ok = verdict(secs <= 25, "<= 25 s")
        row("book", f"{secs:.1f} s", book_note, target=ok)
        if not quick:
            secs, rc, make_note = time_pytest()
            res["make_test_seconds"] = secs if rc == 0 else None
            ok = verdict(secs <= 80, "<= 80 s")
            row("make test", f"{secs:.1f} s", make_note, target=ok)
    res["cpu_threads"] = torch.get_num_threads()
    print("| measurement | d2lcore | baseline | ratio | target |")
    print("|---|---|---|---|---|", *ROWS, sep="\n")
    print(f"book: {book_note}\nmake test: {make_note}")
    if a.json:
        notes = {"book_note": book_note, "make_test_note": make_note}
        res["details"] = {"info": info, **notes}
        Path(a.json).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
