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
import copy
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import torch  # noqa: E402
from torchvision.datasets import FashionMNIST  # noqa: E402
from torchvision.transforms import Compose, Resize, ToTensor  # noqa: E402

import d2lcore as d2l  # noqa: E402
from d2lcore._sources import _prepare_raw, default_root  # noqa: E402
from d2lcore.data import ImageDataset  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("softmax", "mlp", "mlp_concise")
QUICK_SIZES = (6144, 1024)  # --quick: training and validation examples
med = statistics.median


def verdict(ok, target):
    return f"{target}: {'met' if ok else 'MISS'}"


def interleaved(variants, reps):
    """``reps`` seconds of every variant, the order rotating every round."""
    names, out = list(variants), {name: [] for name in variants}
    for r in range(reps):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            gc.collect()
            out[name].append(variants[name]())
    return out


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def make_model(kind):
    if kind == "softmax":
        return d2l.SoftmaxRegressionScratch(784, 10, lr=0.1)
    if kind == "mlp":
        return d2l.MLPScratch(784, 10, num_hiddens=256, lr=0.1)
    return d2l.MLP(num_outputs=10, num_hiddens=256, lr=0.1)


def fit_trainer(kind, data, epochs, params=None):
    torch.manual_seed(0)
    model, trainer = make_model(kind), d2l.Trainer(max_epochs=epochs)
    model.board.display = False  # no per-epoch lines in this script
    seconds = timed(lambda: trainer.fit(model, data))
    if params is not None:
        params.extend(p.detach() for p in model.parameters())
    return seconds


def fit_hand(kind, data, epochs, params=None):
    """The same training by hand: no training_step, no board, no checks."""
    torch.manual_seed(0)
    model = make_model(kind)
    optim = model.configure_optimizers()

    def loop():
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

    seconds = timed(loop)
    if params is not None:
        params.extend(p.detach() for p in model.parameters())
    return seconds


def subset(data, n_train, n_val):
    small = copy.copy(data)
    small.train = ImageDataset(
        data.train.images[:n_train], data.train.targets[:n_train]
    )
    small.val = ImageDataset(data.val.images[:n_val], data.val.targets[:n_val])
    return small


def same_math(data, kind):
    """Max |difference| of the parameters both loops reach (0: the same)."""
    a, b = [], []
    fit_trainer(kind, subset(data, 4096, 1024), 2, a)
    fit_hand(kind, subset(data, 4096, 1024), 2, b)
    return max((p - q).abs().max().item() for p, q in zip(a, b))


def read_epoch(loader):
    return timed(lambda: [None for _ in loader])


def read_limit(images, targets):
    def loop():
        order = torch.randperm(len(targets))
        for i in range(0, len(targets), 256):
            idx = order[i : i + 256]
            images[idx].float().div_(255), targets[idx]

    return timed(loop)


KERNEL = """
import json, time, torch
import d2lcore as d2l
from d2lcore.data import ImageDataset

data = d2l.FashionMNIST(batch_size=256)
if {quick}:
    data.train = ImageDataset(data.train.images[:{0}], data.train.targets[:{0}])
    data.val = ImageDataset(data.val.images[:{1}], data.val.targets[:{1}])

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
    for r in range(reps):
        order = (True, False) if r % 2 == 0 else (False, True)
        cells += [SOFTMAX_FIT.format(epochs, board) for board in order]
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
    cmd = [sys.executable, "-m", "pytest", "-q", *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines() or [proc.stderr[-200:]]
    state = "passed" if proc.returncode == 0 else f"FAILED ({proc.returncode})"
    seconds = time.perf_counter() - start
    return seconds, proc.returncode, f"{state}: {lines[-1]}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="CI size: once, small")
    p.add_argument("--json", help="write the results as JSON")
    p.add_argument("--reps", type=int)
    p.add_argument("--epochs", type=int)
    for flag in ("--no-peer", "--no-kernel", "--no-book"):
        p.add_argument(flag, action="store_true")
    a = p.parse_args()
    quick = a.quick
    epochs = a.epochs or (1 if quick else 10)
    reps = a.reps or (1 if quick else 5)
    full = d2l.FashionMNIST(batch_size=256)
    data = subset(full, *QUICK_SIZES) if quick else full
    diff = {k: same_math(data, k) for k in KINDS}
    info = {"quick": quick, "epochs": epochs, "reps": reps}
    info["max_param_diff_hand_vs_trainer"] = diff
    res, rows = {"peer_d2l": None}, []
    row = rows.append

    if not a.no_peer:  # 1. the chapter scripts
        sides = ["d2lcore"] if quick else ["d2lcore", "d2l"]
        if not quick:
            peer.make_env()
        raw = Path(default_root()) / "FashionMNIST" / "raw"
        res["peer_d2l"] = {}
        for ch in ("ch4_4",) if quick else tuple(peer.CHAPTERS):
            runs = {s: lambda s=s, ch=ch: peer.run(ch, s, epochs, raw)
                    for s in sides}  # fmt: skip
            s = interleaved(runs, 1 if quick else 3)
            ours, d2l_s = med(s["d2lcore"]), med(s.get("d2l") or [0])
            res["peer_d2l"][ch] = {"d2lcore": ours, "d2l": d2l_s or None}
            r = d2l_s / ours
            row(f"{ch[2]}.{ch[4]} script | {ours:.1f} s | "
                f"d2l {peer.D2L_VERSION}: {d2l_s:.1f} s | {r:.1f}x faster | "
                + verdict(r >= 4, ">= 4x faster"))  # fmt: skip

    res["fit_overhead"] = {}  # 2. Trainer against the hand loop
    for kind, label in zip(KINDS, ("softmax fit", "mlp fit", "concise mlp")):
        s = interleaved({"trainer": lambda k=kind: fit_trainer(k, data, epochs),
                         "hand": lambda k=kind: fit_hand(k, data, epochs)},
                        reps)  # fmt: skip
        got = res["fit_overhead"][kind] = {k: med(v) for k, v in s.items()}
        r = got["trainer"] / got["hand"]
        row(f"{label} | {got['trainer']:.2f} s | hand loop {got['hand']:.2f} s"
            f" | {r:.3f}x | " + verdict(r <= 1.1, "<= 1.10x"))  # fmt: skip
    for kind in ("softmax", "mlp"):
        got = res["fit_overhead"][kind]
        res[f"{kind}_fit"] = {"d2lcore": got["trainer"], "limit": got["hand"]}

    _prepare_raw(Path(default_root()))  # 3. an epoch read
    to_tensor = Compose([Resize((28, 28)), ToTensor()])
    classic = FashionMNIST(default_root(), transform=to_tensor)
    if quick:
        classic = torch.utils.data.Subset(classic, range(len(data.train)))
    loader = torch.utils.data.DataLoader
    s = interleaved({
        "d2lcore": lambda: read_epoch(data.train_dataloader()),
        "classic": lambda: read_epoch(loader(classic, 256, True, num_workers=4)),
        "limit": lambda: read_limit(data.train.images, data.train.targets),
    }, 1 if quick else 7)  # fmt: skip
    er = res["epoch_read"] = {k: med(v) for k, v in s.items()}
    r1, r2 = er["classic"] / er["d2lcore"], er["d2lcore"] / er["limit"]
    row(
        f"epoch read | {er['d2lcore']:.3f} s | classic {er['classic']:.2f} s /"
        f" limit {er['limit']:.3f} s | {r1:.1f}x faster / {r2:.2f}x the limit"
        f" | {verdict(r1 >= 30, '>= 30x')}; {verdict(r2 <= 1.2, '<= 1.2x')}"
    )

    res["first_frame_seconds"] = None
    if not a.no_kernel:  # 4. the board in a kernel
        fits, four = board_in_kernel(1 if quick else 11, epochs, quick)
        pairs = [fits[i : i + 2] for i in range(0, len(fits), 2)]
        on = [p[r % 2] for r, p in enumerate(pairs)]  # the order alternates
        off = [p[1 - r % 2] for r, p in enumerate(pairs)]
        ratio = med([x["seconds"] / y["seconds"] for x, y in zip(on, off)])
        share = med(
            [sum(c for _, c in x["frames"]) / x["seconds"] for x in on]
        )
        with_, without = med([x["seconds"] for x in on]), med(
            [y["seconds"] for y in off])  # fmt: skip
        res["board_overhead"] = bo = {"with": with_, "without": without}
        bo.update(paired_ratio=ratio, board_share=share)
        times = [t for t, _ in four["frames"]]
        gap = max(b - a for a, b in zip([0, *times], times))
        res["first_frame_seconds"] = times[0]
        res["four_second_fit"] = {"seconds": four["seconds"], "frames": times}
        row(
            f"board kernel | {bo['with']:.2f} s | no board {bo['without']:.2f}"
            f" s | {ratio - 1:+.1%} (paired) | "
        )
        row(
            f"board share of the fit | {share:.1%} | | | "
            + verdict(share <= 0.05, "<= 5 %")
        )
        row(
            f"first frame (a line) | {times[0]:.2f} s | | | "
            + verdict(times[0] <= 1, "<= 1 s")
        )
        row(
            f"frames in a {four['seconds']:.1f} s fit | {len(times)} | | "
            f"longest gap {gap:.2f} s | " + verdict(len(times) >= 4, ">= 4")
        )

    res["book_seconds"] = res["make_test_seconds"] = None  # 5. and 6.
    book_note = make_note = "skipped (--no-book)"
    if quick:
        make_note = "skipped (--quick: the test suite runs this benchmark)"
    if not a.no_book:
        chapter = str(sorted((ROOT / "book").glob("ch*.ipynb"))[0])
        args = ["-n", "0", chapter] if quick else ["-n", "auto", "book/"]
        secs, _, book_note = time_pytest(*args)
        res["book_seconds"] = secs
        row(
            f"book | {secs:.1f} s | {book_note} | | "
            + verdict(secs <= 25, "<= 25 s")
        )
        if not quick:
            secs, rc, make_note = time_pytest()
            res["make_test_seconds"] = secs if rc == 0 else None
            row(
                f"make test | {secs:.1f} s | {make_note} | | "
                + verdict(secs <= 80, "<= 80 s")
            )
    res["cpu_threads"] = torch.get_num_threads()
    print(
        "| measurement | d2lcore | baseline | ratio | target |\n|---|---|---|---|---|"
    )
    print("\n".join(f"| {r} |" for r in rows))
    print(f"book: {book_note}\nmake test: {make_note}")
    if a.json:
        res["details"] = {"info": info, "book_note": book_note,
                          "make_test_note": make_note}  # fmt: skip
        Path(a.json).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
