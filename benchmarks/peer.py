"""The chapter 4.4 and 5.2 scripts, run whole in a fresh process with the d2l
package 1.0.3 (``from d2l import torch as d2l``) or ``import d2lcore as d2l``:
imports, data, ``Trainer.fit`` with the board, prediction. The package goes
into ``bench-results/peer-env`` (``--no-deps``, plus pandas, scipy, requests),
which sees this environment's packages through a ``.pth`` file, and reads
Fashion-MNIST from d2lcore's verified cache (``../data`` of the scripts)."""

import os
import site
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / "bench-results" / "peer-env"
PY = ENV / "bin" / "python"
D2L_VERSION = "1.0.3"
IMPORTS = {
    "d2l": "from d2l import torch as d2l",
    "d2lcore": "import d2lcore as d2l",
}
HEAD = """import sys, time
t = time.perf_counter()
import torch
{}
torch.manual_seed(0)
"""
TAIL = """
data = d2l.FashionMNIST(batch_size=256)
d2l.Trainer(max_epochs={}).fit(model, data)
X, y = next(iter(data.val_dataloader()))
preds = model(X).argmax(axis=1)
wrong = preds.type(y.dtype) != y
X, y, preds = X[wrong], y[wrong], preds[wrong]
labels = [a + "\\n" + b for a, b in zip(data.text_labels(y), data.text_labels(preds))]
data.visualize([X, y], labels=labels)
print("PEER", time.perf_counter() - t, file=sys.stderr)
"""
SOFTMAX = """
def softmax(X):
    X_exp = torch.exp(X)
    return X_exp / X_exp.sum(1, keepdims=True)
class SoftmaxRegressionScratch(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W = torch.normal(0, sigma, size=(num_inputs, num_outputs))
        self.W.requires_grad_(True)
        self.b = torch.zeros(num_outputs, requires_grad=True)
    def parameters(self):
        return [self.W, self.b]
@d2l.add_to_class(SoftmaxRegressionScratch)
def forward(self, X):
    return softmax(torch.matmul(X.reshape((-1, self.W.shape[0])), self.W) + self.b)
@d2l.add_to_class(SoftmaxRegressionScratch)
def loss(self, y_hat, y):
    return -torch.log(y_hat[list(range(len(y_hat))), y]).mean()
model = SoftmaxRegressionScratch(num_inputs=784, num_outputs=10, lr=0.1)
"""
MLP = """
class MLPScratch(d2l.Classifier):
    def __init__(self, num_inputs, num_outputs, num_hiddens, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.W1 = torch.nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma)
        self.b1 = torch.nn.Parameter(torch.zeros(num_hiddens))
        self.W2 = torch.nn.Parameter(torch.randn(num_hiddens, num_outputs) * sigma)
        self.b2 = torch.nn.Parameter(torch.zeros(num_outputs))
@d2l.add_to_class(MLPScratch)
def forward(self, X):
    X = X.reshape((-1, self.num_inputs))
    H = torch.max(torch.matmul(X, self.W1) + self.b1, torch.zeros(1))
    return torch.matmul(H, self.W2) + self.b2
model = MLPScratch(num_inputs=784, num_outputs=10, num_hiddens=256, lr=0.1)
"""
CHAPTERS = {"ch4_4": SOFTMAX, "ch5_2": MLP}


def make_env():
    """bench-results/peer-env with the d2l package (once)."""
    if PY.is_file():
        return
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", ENV], check=True
    )
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    lib = subprocess.run([PY, "-c", code], capture_output=True, text=True)
    Path(lib.stdout.strip(), "base.pth").write_text(
        "\n".join(site.getsitepackages())
    )
    pip = [PY, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--no-deps", f"d2l=={D2L_VERSION}"], check=True)
    subprocess.run([*pip, "pandas", "scipy", "requests"], check=True)


def run(chapter, side, epochs, raw):
    """Seconds of one whole script (``raw``: the verified Fashion-MNIST files)."""
    base = Path(tempfile.mkdtemp(prefix="d2lcore-peer-"))
    (base / "data" / "FashionMNIST").mkdir(parents=True)
    (base / "data" / "FashionMNIST" / "raw").symlink_to(raw)
    (base / "work").mkdir()
    script = (
        HEAD.format(IMPORTS[side]) + CHAPTERS[chapter] + TAIL.format(epochs)
    )
    (base / "work" / "run.py").write_text(script)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    python = PY if side == "d2l" else sys.executable
    start = time.perf_counter()
    subprocess.run(
        [python, "run.py"],
        cwd=base / "work",
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start
