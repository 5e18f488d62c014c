"""The API page documents every public name, and its tables of framework-neutral
names say what each one is."""
import re
from pathlib import Path

import torch

import d2lcore as d2l
from d2lcore import compat

API = Path(__file__).resolve().parent.parent / "book" / "api.md"


def table_rows(heading: str) -> list[list[str]]:
    """The body rows of the tables in the section that starts with ``heading``."""
    section = API.read_text().split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in section.splitlines()
            if line.startswith("| `") and not line.startswith("| `d2l.` name")]
    assert rows, f"no table under {heading!r}"
    return rows


def documented_names() -> set[str]:
    text = API.read_text()
    names = set(re.findall(r"\.\. auto\w+:: d2lcore\.(\w+)", text))
    names |= set(re.findall(r"`d2l\.(\w+)", text))
    for row in table_rows("## Framework-neutral names"):
        names |= set(re.findall(r"`(\w+)", row[0]))
    return names


def test_every_public_name_is_on_the_api_page():
    missing = sorted(set(d2l.__all__) - documented_names())
    assert not missing, f"book/api.md does not document {missing}"


def test_alias_table_names_the_torch_object():
    rows = [r for r in table_rows("## Framework-neutral names") if "(x" not in r[0]]
    pairs = [(n, t) for r in rows for n, t in zip(re.findall(r"`(\w+)`", r[0]),
                                                     re.findall(r"`([\w.]+)`", r[1]))]
    assert {n for n, _ in pairs} == set(compat.ALIASES) | {"nn_Module"}
    for name, target in pairs:
        obj = torch
        for part in target.split(".")[1:]:
            obj = getattr(obj, part)
        assert getattr(d2l, name) is obj, (name, target)


def test_method_table_names_the_tensor_method():
    rows = [r for r in table_rows("## Framework-neutral names") if "(x" in r[0]]
    calls = {re.match(r"`(\w+)\(x", r[0]).group(1): r[1] for r in rows}
    assert set(calls) == set(compat.METHODS)
    for name, call in calls.items():
        assert f".{compat.METHODS[name]}(" in call, (name, call)


def test_tables_say_where_the_published_book_uses_each_name():
    for row in table_rows("## Framework-neutral names"):
        assert re.fullmatch(r"(\d\.\d(, \d\.\d)*|later chapters)( \(.*\))?", row[2]), row
