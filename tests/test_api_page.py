"""The API page's entries for the framework-neutral names say what each one is."""

import re
from pathlib import Path

import d2lcore as d2l
from d2lcore import compat

API = Path(__file__).resolve().parent.parent / "book" / "api.md"


def entries(directive: str) -> dict[str, str]:
    """name -> description of each ``.. py:<directive>:: d2lcore.<name>`` entry."""
    found = re.findall(
        rf"^\.\. py:{directive}:: d2lcore\.(\w+).*\n"
        r"(?:   :[\w-]+:.*\n)*\n   (.+)$",  # options, then the text
        API.read_text(),
        flags=re.M,
    )
    return dict(found)


def test_every_public_name_is_on_the_api_page():
    text = API.read_text()
    documented = set(
        re.findall(
            r"^\.\. (?:auto\w+|py:\w+):: d2lcore\.(\w+)", text, flags=re.M
        )
    )
    missing = sorted(set(d2l.__all__) - documented)
    assert not missing, f"book/api.md does not document {missing}"


def test_each_alias_entry_names_the_torch_object():
    data = entries("data")
    assert set(data) == set(compat.ALIASES) | {"nn_Module", "plt"}
    for name, text in data.items():
        target = re.match(r"``([\w.]+)``", text).group(1)
        module, _, attr = target.rpartition(".")
        obj = getattr(__import__(module, fromlist=[attr]), attr)
        assert getattr(d2l, name) is obj, (name, target)


def test_each_function_entry_names_the_tensor_method():
    functions = entries("function")
    assert set(functions) == set(compat.METHODS)
    for name, text in functions.items():
        assert f".{compat.METHODS[name]}(" in text, (name, text)


def test_entries_say_where_the_published_book_uses_each_name():
    for name, text in {**entries("data"), **entries("function")}.items():
        if name != "plt":
            found = re.search(
                r"Used in (the published sections? ([\d., ]+)|later "
                r"chapters)",
                text,
            )
            assert found, (name, text)
            if found.group(2):  # "section 4.4", "sections 3.1, 3.7"
                many = "," in found.group(2).strip(" .")
                assert found.group(1).startswith(
                    "the published sections"
                    if many
                    else "the published section "
                ), (name, text)
