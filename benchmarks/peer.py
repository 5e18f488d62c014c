"""The peer: the same chapter scripts run with the ``d2l`` package and with d2lcore.

Two scripts follow, step by step, the pipeline of the published sections 4.4
(softmax regression from scratch) and 5.2 (MLP from scratch) of *Dive into Deep
Learning*: the model class with ``forward``/``loss`` added by ``d2l.add_to_class``,
``d2l.FashionMNIST(batch_size=256)``, ``d2l.Trainer(max_epochs=10).fit`` (with the
package's own ProgressBoard), then the validation batch's wrong predictions shown
with ``data.visualize``. Only the first line differs: ``from d2l import torch as
d2l`` or ``import d2lcore as d2l``. Each script runs in a fresh process; its wall
time (imports, data loading, fit and board, prediction) is what a reader waits.

The ``d2l`` package (1.0.3) goes into its own virtual environment,
``bench-results/peer-env``: ``pip install d2l==1.0.3 --no-deps`` plus the modules
its ``torch.py`` imports that this environment lacks (pandas, scipy, requests). The
environment sees this one's packages (torch, torchvision, matplotlib, ...) through a
``.pth`` file, so both sides run the same interpreter and the same torch; d2lcore
is found through PYTHONPATH. The package reads Fashion-MNIST from ``../data``
(relative to the script): the scripts run in a scratch directory whose
``../data/FashionMNIST/raw`` links to d2lcore's verified cache, so nothing is
downloaded.
"""
from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / "bench-results" / "peer-env"
D2L_VERSION = "1.0.3"
#: what d2l/torch.py imports beyond torch, torchvision, matplotlib, numpy, IPython
EXTRA = ["pandas", "scipy", "requests"]

IMPORTS = {"d2l": "from d2l import torch as d2l", "d2lcore": "import d2lcore as d2l"}

_HEAD = """\
import sys, time
_start = time.perf_counter()
import torch
{import_line}
torch.manual_seed(0)
"""

_TAIL = """
data = d2l.FashionMNIST(batch_size=256)
trainer = d2l.Trainer(max_epochs={epochs})
trainer.fit(model, data)

X, y = next(iter(data.val_dataloader()))
preds = model(X).argmax(axis=1)
wrong = preds.type(y.dtype) != y
X, y, preds = X[wrong], y[wrong], preds[wrong]
labels = [a + "\\n" + b for a, b in zip(data.text_labels(y), data.text_labels(preds))]
data.visualize([X, y], labels=labels)
with torch.no_grad():
    acc = sum(float((model(Xb).argmax(axis=1) == yb).float().sum())
              for Xb, yb in data.val_dataloader()) / len(data.val)
print("PEER", time.perf_counter() - _start, acc, file=sys.stderr)
"""

#: section 4.4: softmax regression from scratch
SOFTMAX = """
def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdims=True)
    return X_exp / partition                 # each row sums to 1


class SoftmaxRegressionScratch(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W = torch.normal(0, sigma, size=(num_inputs, num_outputs),
                              requires_grad=True)
        self.b = torch.zeros(num_outputs, requires_grad=True)

    def parameters(self):
        return [self.W, self.b]


@d2l.add_to_class(SoftmaxRegressionScratch)
def forward(self, X):
    X = X.reshape((-1, self.W.shape[0]))     # (batch, num_inputs)
    return softmax(torch.matmul(X, self.W) + self.b)


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[list(range(len(y_hat))), y]).mean()


@d2l.add_to_class(SoftmaxRegressionScratch)
def loss(self, y_hat, y):
    return cross_entropy(y_hat, y)


model = SoftmaxRegressionScratch(num_inputs=784, num_outputs=10, lr=0.1)
"""

#: section 5.2: an MLP from scratch
MLP = """
class MLPScratch(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, num_hiddens, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W1 = torch.nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.b1 = torch.nn.Parameter(torch.zeros(num_hiddens))
        self.W2 = torch.nn.Parameter(torch.randn(num_hiddens, num_outputs) * sigma)
        self.b2 = torch.nn.Parameter(torch.zeros(num_outputs))


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


@d2l.add_to_class(MLPScratch)
def forward(self, X):
    X = X.reshape((-1, self.num_inputs))     # (batch, num_inputs)
    H = relu(torch.matmul(X, self.W1) + self.b1)
    return torch.matmul(H, self.W2) + self.b2


model = MLPScratch(num_inputs=784, num_outputs=10, num_hiddens=256, lr=0.1)
"""

CHAPTERS = {"ch4_4": SOFTMAX, "ch5_2": MLP}


def script(chapter: str, side: str, epochs: int) -> str:
    return (_HEAD.format(import_line=IMPORTS[side]) + CHAPTERS[chapter]
            + _TAIL.format(epochs=epochs))


# -- the peer's environment -------------------------------------------------------------
def env_python() -> Path:
    return ENV / "bin" / "python"


def peer_ready() -> bool:
    if not env_python().is_file():
        return False
    probe = subprocess.run([str(env_python()), "-c", "from d2l import torch"],
                           capture_output=True, text=True, cwd=tempfile.gettempdir())
    return probe.returncode == 0


def make_env(log=print) -> None:
    """Create bench-results/peer-env with d2l 1.0.3 (see the module docstring)."""
    if peer_ready():
        return
    log(f"making {ENV.relative_to(ROOT)}: d2l=={D2L_VERSION} --no-deps, "
        f"{', '.join(EXTRA)} (once)")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(ENV)], check=True)
    # this environment's packages, behind the new one's own
    purelib = subprocess.run([str(env_python()), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    ours = site.getsitepackages() + [sysconfig.get_paths()["purelib"]]
    Path(purelib, "zz-benchmark-base.pth").write_text(
        "\n".join(dict.fromkeys(p for p in ours if Path(p).is_dir())) + "\n")
    pip = [str(env_python()), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check"]
    subprocess.run(pip + ["--no-deps", f"d2l=={D2L_VERSION}"], check=True)
    subprocess.run(pip + EXTRA, check=True)
    if not peer_ready():
        raise RuntimeError(f"{ENV}: 'from d2l import torch' still fails")


# -- running a script --------------------------------------------------------------------
def scratch_dir(cache_raw: Path) -> Path:
    """A directory to run the scripts in, with ../data/FashionMNIST/raw linked to
    d2lcore's verified cache (the package reads the dataset from ../data)."""
    base = Path(tempfile.mkdtemp(prefix="d2lcore-peer-"))
    raw = base / "data" / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for f in cache_raw.iterdir():
        if f.name.endswith("-ubyte"):
            (raw / f.name).symlink_to(f)
    (base / "work").mkdir()
    return base / "work"


def run(chapter: str, side: str, epochs: int, cwd: Path, threads: int | None = None,
        timeout: int = 1800) -> tuple[float, float]:
    """Run one script in a fresh process; (wall seconds, validation accuracy)."""
    path = cwd / f"{chapter}_{side}.py"
    path.write_text(script(chapter, side, epochs))
    env = {**os.environ, "MPLBACKEND": "Agg", "CUDA_VISIBLE_DEVICES": "",
           "PYTHONPATH": str(ROOT)}
    if threads:
        env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(threads)
    python = str(env_python()) if env_python().is_file() else sys.executable
    start = time.perf_counter()
    proc = subprocess.run([python, path.name], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{chapter} with {side} failed (exit {proc.returncode}):\n"
                           + proc.stderr[-3000:])
    acc = [line.split()[2] for line in proc.stderr.splitlines() if line.startswith("PEER ")]
    return seconds, float(acc[-1]) if acc else float("nan")
