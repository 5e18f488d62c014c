"""Where the time of a d2lcore fit goes, next to the hand-written loop of bench.py.

Usage: python benchmarks/profile_fits.py [softmax|mlp] [--epochs N] [--top N]
                                         [--threads N] [--ladder [--reps N]]

Default: cProfile of ``trainer.fit`` (as the chapters call it) and of the hand loop
on the same data; prints both profiles sorted by own time, then the cumulative time
of the Trainer's parts (training_step, loss, plot, check_loss, zero_grad, step...).
cProfile inflates Python-heavy code, so use it to see *what* runs, and

``--ladder``: no profiler; one training epoch timed (interleaved, medians) while the
hand loop gains the Trainer's ingredients one at a time: the data loader, the
model's forward, the module call, the model's loss, plot(), check_loss(),
the model's optimizer (``configure_optimizers()``, the book's SGD), and finally
``trainer.fit`` itself. Each step's increase is what that ingredient costs.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (sets the Agg backend, imports d2lcore)
import torch  # noqa: E402

import d2lcore as d2l  # noqa: E402

PARTS = ["fit_epoch", "training_step", "validation_step", "forward", "loss",
         "cross_entropy", "plot", "draw", "check_loss", "zero_grad", "step",
         "backward", "__iter__", "accuracy", "relu", "softmax", "in_notebook"]


def profile(fn) -> tuple[float, pstats.Stats]:
    pr = cProfile.Profile()
    pr.enable()
    seconds = fn()
    pr.disable()
    return seconds, pstats.Stats(pr)


def parts(stats: pstats.Stats) -> list[tuple[str, float, int]]:
    out = {}
    for (file, line, name), (cc, nc, tt, ct, callers) in stats.stats.items():
        if name in PARTS and ("d2lcore" in file or "torch" in file or "bench" in file):
            key = f"{Path(file).parent.name}/{Path(file).name}:{name}"
            out[key] = (ct, nc)
    return sorted(((k, ct, n) for k, (ct, n) in out.items()), key=lambda r: -r[1])


def run_profiles(kind: str, data, epochs: int, top: int) -> None:
    for label, fn in (
            ("d2l.Trainer", lambda: bench.fit_d2lcore(kind, data, epochs)),
            ("hand loop", lambda: bench.fit_hand(kind, data, epochs))):
        seconds, stats = profile(fn)
        print(f"\n===== {kind} {label}: {epochs} epochs, {seconds:.3f} s "
              f"(under cProfile) =====")
        s = io.StringIO()
        stats.stream = s
        stats.sort_stats("tottime").print_stats(top)
        print("\n".join(l for l in s.getvalue().splitlines() if l.strip()))
        if label == "d2l.Trainer":
            print("\ncumulative time of the Trainer's parts:")
            for k, ct, n in parts(stats):
                print(f"  {ct:8.3f} s  {n:7d} calls  {k}")


def ladder_epoch(kind: str, data, ingredients: tuple[str, ...]):
    """One training epoch: the hand loop plus the named Trainer ingredients."""
    def run() -> float:
        torch.manual_seed(0)
        model = bench.make_model(kind)
        trainer = d2l.Trainer(max_epochs=1)
        trainer.prepare_data(data)
        trainer.prepare_model(model)
        params = list(model.parameters())
        optim = model.configure_optimizers() if "optimizer" in ingredients else None
        Xtr, ytr = data.train.images, data.train.targets

        def hand_batches():
            order = torch.randperm(len(ytr))
            for i in range(0, len(ytr), bench.BATCH):
                idx = order[i:i + bench.BATCH]
                yield Xtr[idx].float().div_(255), ytr[idx]
        start = time.perf_counter()
        batches = data.train_dataloader() if "loader" in ingredients else hand_batches()
        for X, y in batches:
            if "module call" in ingredients:
                Y_hat = model(X)
            elif "model.forward" in ingredients:
                Y_hat = model.forward(X)
            elif kind == "softmax":  # bench.fit_hand's math on the model's parameters
                O = torch.matmul(X.reshape((-1, 784)), model.W) + model.b
                O_exp = torch.exp(O - O.max(dim=-1, keepdim=True).values)
                Y_hat = O_exp / O_exp.sum(dim=-1, keepdim=True)
            else:
                H = torch.relu(torch.matmul(X.reshape((-1, 784)), model.W1) + model.b1)
                Y_hat = torch.matmul(H, model.W2) + model.b2
            if "model loss" in ingredients:
                l = model.loss(Y_hat, y)
            elif kind == "softmax":
                l = -torch.log(Y_hat[torch.arange(len(Y_hat)), y]).mean()
            else:
                l = torch.nn.functional.cross_entropy(Y_hat, y)
            if "plot" in ingredients:
                model.plot("loss", l, train=True)
            if "check_loss" in ingredients:
                trainer.check_loss(l)
            if optim is not None:
                optim.zero_grad()
                l.backward()
                with torch.no_grad():
                    optim.step()
            else:
                for p in params:
                    p.grad = None
                l.backward()
                with torch.no_grad():
                    for p in params:
                        p -= bench.LR * p.grad   # the update of d2l.SGD
            trainer.train_batch_idx += 1
        return time.perf_counter() - start
    return run


def fit_train_only(kind: str, data):
    """trainer.fit for one epoch without validation (comparable to the ladder)."""
    def run() -> float:
        torch.manual_seed(0)
        model = bench.make_model(kind)
        trainer = d2l.Trainer(max_epochs=1)
        no_val = bench.subset(data, len(data.train.targets), 0)
        no_val.val_dataloader = lambda: None
        return _timed_fit(trainer, model, no_val)
    return run


def _timed_fit(trainer, model, data) -> float:
    import contextlib
    with contextlib.redirect_stdout(io.StringIO()):
        start = time.perf_counter()
        trainer.fit(model, data)
        return time.perf_counter() - start


def run_ladder(kind: str, data, reps: int) -> None:
    steps = [("hand loop", ()), ("+ d2l data loader", ("loader",))]
    steps.append(("+ model.forward" + (" (d2l.relu)" if kind == "mlp" else ""),
                  steps[-1][1] + ("model.forward",)))
    steps.append(("+ nn.Module call", steps[-1][1] + ("module call",)))
    steps.append(("+ model.loss", steps[-1][1] + ("model loss",)))
    steps.append(("+ model.plot", steps[-1][1] + ("plot",)))
    steps.append(("+ trainer.check_loss", steps[-1][1] + ("check_loss",)))
    steps.append(("+ configure_optimizers()", steps[-1][1] + ("optimizer",)))
    variants = {name: ladder_epoch(kind, data, ing) for name, ing in steps}
    variants["trainer.fit (no validation)"] = fit_train_only(kind, data)
    busy: dict = {}
    samples = bench.interleaved(variants, reps, busy=busy)
    n = len(range(0, len(data.train.targets), bench.BATCH))
    print(f"\n{kind}: one training epoch ({n} steps), {reps} interleaved reps, "
          f"{torch.get_num_threads()} threads; median s, and the increase per step")
    prev = None
    for name in variants:
        m = statistics.median(samples[name])
        inc = "" if prev is None else f"{(m - prev) / n * 1e6:+8.1f} us/step"
        print(f"  {name:<30} {m:8.4f} s  {inc:<18} busy {max(busy[name]):.0%}")
        if name != "trainer.fit (no validation)":
            prev = m


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("kind", nargs="?", default="softmax", choices=["softmax", "mlp"])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--threads", type=int, help="torch.set_num_threads (default: torch's)")
    p.add_argument("--ladder", action="store_true", help="ingredient ladder, no profiler")
    p.add_argument("--reps", type=int, default=9, help="ladder repetitions")
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    data = d2l.FashionMNIST(batch_size=bench.BATCH)
    small = bench.subset(data, 2048, 512)
    bench.fit_d2lcore(a.kind, small, 1), bench.fit_hand(a.kind, small, 1)
    print(f"d2lcore from {Path(d2l.__file__).parent}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads")
    if a.ladder:
        run_ladder(a.kind, data, a.reps)
    else:
        run_profiles(a.kind, data, a.epochs, a.top)


if __name__ == "__main__":
    main()
