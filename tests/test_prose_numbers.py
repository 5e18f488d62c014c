"""Numbers the prose quotes from a run are glued from it, never typed.

A chapter's text may type a decimal only when it is a constant of the page, not a
result: a number that the chapter's shown code sets (a learning rate, a noise
level), a section or equation number, or one of the constants listed below with the
reason (a figure of the published book that a chapter cites, a value of a formula).
Every other decimal in the prose (math included) must come from the run with
myst-nb's ``{glue:text}`` role, so that re-executing a chapter cannot leave its text
behind.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("ch*.ipynb"))

#: Decimals that are true constants in any chapter's text.
CONSTANTS = {
    "0.5": "a half (a probability, a threshold, the 1/2 of the squared loss)",
    "0.0": "zero",
    "1.0": "one",
    "2.0": "two",
}
#: Decimals one chapter may type, with the reason: values of a formula the text
#: works out, limits of a number format, parameters an exercise sets, figures the
#: published book or the literature gives.
CHAPTER_CONSTANTS: dict[str, dict[str, str]] = {
    "ch03_2_oo_design": {
        "9.9": "the last x of the demo, 99 * 0.1",
        "0.45": "the mean of x = 0.0, ..., 0.9, where an averaged point sits",
        "1.45": "the mean of the next ten x",
        "9.45": "the mean of the last ten",
        "0.9004": "cos 0.45",
        "7.5": "the mean batch index 0..15 plus 0.5",
        "0.234": "7.5 / 32",
        "3.2": "sqrt(10)",
        "0.095": "0.3 / sqrt(10)",
        "0.00005": "0.01**2 / 2, the noise's share of the loss",
    },
    "ch03_1_linear_regression": {
        "0.00005": "1/2 * 0.01**2, the noise's level"
    },
    "ch03_4_linear_regression_scratch": {
        "0.97": "1 - eta for eta = 0.03",
        "0.9": "1 - eta for eta = 0.1",
        "0.7": "1 - eta for eta = 0.3",
        "1.5": "|1 - eta| for eta = 2.5",
        "0.69": "0.97**12, a power the text works out",
    },
    "ch03_6_generalization": {"0.04": "0.2**2, the variance of the noise"},
    "ch03_7_weight_decay": {"0.97": "1 - 0.01 * 3, the decay factor"},
    "ch04_1_softmax_information_theory": {
        "1.4427": "1 / ln 2",
        "1.443": "1 / ln 2",
        "0.6931": "ln 2",
        "1.75": "the entropy of (1/2, 1/4, 1/8, 1/8)",
        "0.25": "2 - 1.75 bits, the example's KL divergence",
        "2.625": "the example's cross-entropy with the reversed code",
    },
    "ch04_2_fashion_mnist": {
        "99.8": "the accuracy of convolutional networks the section cites",
        "1.28": "ImageNet's 1.28 million training images",
    },
    "ch04_3_classification_model": {"0.48": "an example value of a loss"},
    "ch04_4_softmax_regression_scratch": {
        "3.4": "float32's largest number, 3.4e38",
        "88.7": "ln(3.4e38)",
        "0.09": "softmax(0, 1, 2)",
        "0.24": "softmax(0, 1, 2)",
        "0.67": "softmax(0, 1, 2)",
        "1.4979": "-(log 0.1 + log 0.5) / 2",
    },
    "ch04_5_softmax_regression_concise": {
        "1.4": "float32's smallest positive number, 1.4e-45",
    },
    "ch04_6_generalization_classification": {
        "2.5": "the share of a one-sided 95% interval",
        "99.9": "the confidence an exercise asks for",
        "99.95": "the normal quantile for 99.9% two-sided",
    },
    "ch04_7_environment_distribution_shift": {
        "0.01": "a bound on the weights that a hidden check asserts",
        "1.96": "the normal quantile of a 95% interval",
        "0.25": "0.5 * (1 - 0.5), the variance of a fair guess",
    },
    "ch05_1_mlp": {
        "0.01": "a usual choice of the leaky ReLU's slope",
        "3.4": "sigmoid'(8) = 3.4e-4",
        "4.5": "tanh'(8) = 4.5e-7",
    },
    "ch05_4_numerical_stability_initialization": {
        "0.076": "sqrt(6 / 1040), Xavier's bound",
        "0.16": "0.01 * sqrt(256), the predicted scale",
        "0.58": "1 / sqrt(3)",
    },
    "ch05_5_generalization_deep_learning": {
        "0.25": "0.5**2, the variance of the noise",
        "0.9": "1 - 1/10, guessing",
    },
    "ch05_6_dropout": {
        "0.01": "the spread of one epoch's accuracy, as in 5.2"
    },
}

DECIMAL = re.compile(r"(?<![\w.\\])\d*\.\d+(?![\w.])")
# a section, equation or figure number: "section 3.4", "(3.4.2)", "Figure 5.1.1"
SECTION = re.compile(
    r"(?:[Ss]ections?|[Cc]hapters?|[Ee]xercises?|[Ff]ig(?:ure|\.)?s?|"
    r"[Ee]quations?|[Ee]q\.|[Tt]ables?)\s*\(?$"
)
GLUE = re.compile(r"\{glue(?::\w+)?\}`[^`]*`")
CODE = re.compile(r"`[^`\n]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>\s]+>")
DIRECTIVE_LINE = re.compile(r"^\s*(:\w[\w-]*:.*|```.*|:::.*)$", re.M)


def _code_numbers(nb) -> set[str]:
    """The decimal literals the chapter's shown code cells write."""
    found = set()
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type != "code" or "remove-cell" in tags:
            continue
        source = "\n".join(
            ln
            for ln in cell.source.splitlines()
            if not ln.lstrip().startswith("%")
        )
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(
                node.value, float
            ):
                found.add(repr(node.value))
    return found


def _same(token: str, constants: set[str]) -> bool:
    try:
        value = float(token)
    except ValueError:
        return False
    return any(float(c) == value for c in constants)


def typed_decimals(path: Path) -> list[str]:
    """The decimals of a chapter's prose that are neither glued nor constants."""
    nb = nbformat.read(path, as_version=4)
    allowed = _code_numbers(nb) | set(CONSTANTS)
    allowed |= set(CHAPTER_CONSTANTS.get(path.stem, {}))
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = DIRECTIVE_LINE.sub("", cell.source)
        for pattern in (GLUE, CODE, LINK_TARGET):
            text = pattern.sub(" ", text)
        for match in DECIMAL.finditer(text):
            token = match.group()
            before = text[max(0, match.start() - 12) : match.start()]
            if SECTION.search(before) or (
                re.fullmatch(r"[345](\.\d{1,2}){1,3}", token)
                and re.search(r"(\(|^#+ +|\n#+ +)$", before)
            ):
                continue  # a section, equation, figure or exercise number
            if _same(token, allowed):
                continue
            line = text[max(0, match.start() - 40) : match.end() + 20]
            found.append(f"{token} in {' '.join(line.split())!r}")
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_prose_quotes_no_typed_result(path):
    typed = typed_decimals(path)
    assert not typed, (
        f"{path.name} types {len(typed)} decimal(s) in its prose that its code "
        "does not set: glue each result from the run ({glue:text}`name:.3f`) or, "
        "for a true constant, list it in tests/test_prose_numbers.py with the "
        f"reason: {typed[:8]}"
    )
