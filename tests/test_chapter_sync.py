"""The code a chapter shows as library code is the library's code (no drift)."""

from pathlib import Path

import pytest
from chapter_code import normalize, shown_definitions

CHAPTERS = sorted(
    Path(__file__).resolve().parent.parent.joinpath("book").glob("ch*.ipynb")
)
SHOWN = [item for path in CHAPTERS for item in shown_definitions(path)]


def test_chapters_show_library_code():
    assert CHAPTERS, "no chapters found under book/"
    assert len(SHOWN) >= 20, (
        f"only {len(SHOWN)} library definitions shown in chapters"
    )


@pytest.mark.parametrize(
    "where,name,chapter,library",
    SHOWN,
    ids=[f"{w}:{n}" for w, n, _, _ in SHOWN],
)
def test_shown_code_matches_library(where, name, chapter, library):
    assert library is not None, (
        f"{where} shows {name}, which d2lcore does not have"
    )
    assert normalize(chapter) == normalize(library), (
        f"{where} shows {name} differently from d2lcore; copy the library's code "
        "into the chapter (or change both)"
    )
