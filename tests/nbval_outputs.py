"""nbval output comparison that tolerates floating-point rounding and nothing else.

nbval compares each re-executed cell's outputs with the stored ones, character for
character. A chapter's stored outputs come from one CPU; another CPU, BLAS build,
vector width or thread count may sum in another order and print a float that differs
in its last bits: ``tensor([1., 1.])`` on one machine, ``tensor([1.0000, 1.0000])``
(0.99999994) on another. This plugin makes such outputs compare equal:

* the text of an output (a stream, or the ``text/plain`` of a result) is compared
  token by token with pytest-doctestplus's ``FLOAT_CMP`` checker (the one astropy
  uses for its doctests): every non-number token exactly, every number within
  ``RTOL``/``ATOL`` of the stored one, so ``1.`` equals ``1.0000``;
* integers (no point, no exponent) are not numbers to FLOAT_CMP but text, so they
  must be identical: a count, an epoch or a class index is never a rounding
  difference;
* everything else (which outputs exist, their types, error messages, HTML, images
  not compared) stays nbval's strict comparison.

A training run carries the machine's last-bit differences through thousands of
steps, so the metrics a chapter prints after training (losses, accuracies) differ
between machines in the third decimal: one validation image in ten thousand flips.
Cells that print such metrics carry the tag ``nbval-training-tolerance``: their
numbers, printed to three decimals, are compared within ``TRAINING_ATOL`` (0.005,
five times the largest spread measured across ``make test-machines``), which still
fails on any real change of the model or the data (a dropped activation or shifted
labels moves them by 0.01 to 0.7). ``make test-machines`` re-runs every chapter under
other floating-point paths to check that all of this holds.

Loaded with ``-p tests.nbval_outputs`` (pyproject.toml's pytest addopts).
"""

from __future__ import annotations

import re

import nbformat
from nbval.plugin import IPyNbCell
from pytest_doctestplus.output_checker import FLOAT_CMP, OutputChecker

# Relative and absolute tolerance for a printed number: float32 rounding of values
# printed at up to 4-5 significant digits, far below a change in a printed digit.
RTOL = 1e-5
ATOL = 1e-8
# Absolute tolerance for the metrics printed after training, in cells tagged:
TRAINING_TAG = "nbval-training-tolerance"
TRAINING_ATOL = 0.005
# myst-nb's glue(name, value, display=False) stores the value's text under this key
GLUE_TEXT = "application/papermill.record/text/plain"


class RoundingChecker(OutputChecker):
    """doctestplus's FLOAT_CMP with our tolerances and a few more separators."""

    def __init__(self, rtol: float = RTOL, atol: float = ATOL):
        super().__init__()
        self.rtol, self.atol = rtol, atol
        # doctestplus reads a number only when whitespace or one of a few brackets and
        # operators surrounds it; our outputs also write "lr 0.03:", "1.5%", "1/255".
        self.num_got_rgx = _more_separators(self.num_got_rgx)
        self.num_want_rgx = _more_separators(self.num_want_rgx)

    def same_text(self, stored: str, new: str) -> bool:
        return self.check_output(stored, new, FLOAT_CMP)


def _more_separators(rgx: re.Pattern) -> re.Pattern:
    before, after = r"(?<=\s|[*+-,<=(\[])", r"|[>j)\]}]|$)"
    if before not in rgx.pattern or after not in rgx.pattern:
        raise RuntimeError(
            "pytest-doctestplus's number pattern changed; update "
            "tests/nbval_outputs.py for the installed version"
        )
    pattern = rgx.pattern.replace(before, r"(?<=\s|[*+-,<=(\[:/'\"])")
    return re.compile(pattern.replace(after, r"|[>j)\]}:;%/'\"]|$)"))


CHECKER = RoundingChecker()
TRAINING_CHECKER = RoundingChecker(rtol=0, atol=TRAINING_ATOL)


def _texts(output) -> dict[str, str]:
    """The text an output shows: a stream's text, a result's ``text/plain``."""
    if output.get("output_type") == "stream":
        return {"text": output.get("text", "")}
    data = output.get("data", {})
    # a result's text, and a myst-nb glue record's (a number the prose quotes)
    return {
        key: data[key]
        for key in ("text/plain", GLUE_TEXT)
        if isinstance(data.get(key), str)
    }


def _with_texts(output, texts: dict[str, str]):
    """A copy of ``output`` with the given text fields replaced."""
    output = nbformat.from_dict(dict(output))
    for key, text in texts.items():
        if key == "text":
            output["text"] = text
        else:
            output["data"] = nbformat.from_dict({**output["data"], key: text})
    return output


def _same_kind(a, b) -> bool:
    return a.get("output_type") == b.get("output_type") and a.get(
        "name"
    ) == b.get("name")


def align_rounding(
    test: list, ref: list, checker: RoundingChecker = CHECKER
) -> list:
    """``test`` with each text that equals its stored counterpart up to rounding
    replaced by the stored text, so that nbval's exact comparison then passes on it.
    Outputs are paired by position and kind; anything unpaired is left to nbval."""
    aligned = []
    for out, stored in zip(test, ref):
        if not _same_kind(out, stored):
            aligned.append(out)
            continue
        new_texts, stored_texts = _texts(out), _texts(stored)
        replace = {
            key: stored_texts[key]
            for key, text in new_texts.items()
            if key in stored_texts
            and text != stored_texts[key]
            and checker.same_text(stored_texts[key], text)
        }
        aligned.append(_with_texts(out, replace) if replace else out)
    return aligned + list(test[len(aligned) :])


_strict_compare = IPyNbCell.compare_outputs


def checker_for(cell) -> RoundingChecker:
    tags = cell.get("metadata", {}).get("tags", [])
    return TRAINING_CHECKER if TRAINING_TAG in tags else CHECKER


def compare_outputs(self, test, ref, skip_compare=None):
    aligned = align_rounding(test, ref, checker_for(self.cell))
    return _strict_compare(self, aligned, ref, skip_compare)


compare_outputs.__doc__ = (
    _strict_compare.__doc__ or ""
) + " (rounding-tolerant)"
IPyNbCell.compare_outputs = compare_outputs
