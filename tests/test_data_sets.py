"""The test run without its data sets (tests/data_sets.py): one skip reason
each, or one error when the data is required."""

from pathlib import Path

import nbformat
import pytest

from tests import data_sets

pytest_plugins = ["pytester"]


@pytest.fixture
def no_data(pytester, monkeypatch):
    monkeypatch.setattr(data_sets, "fashion_mnist_available", lambda: False)
    pytester.makepyfile(
        test_units="""
        import pytest

        @pytest.mark.fashion
        def test_reads_the_files():
            assert False, "must be skipped"

        def test_needs_nothing():
            pass
    """
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import d2lcore as d2l\ndata = d2l.FashionMNIST()"
            ),
            nbformat.v4.new_code_cell("print(len(data.train))"),
        ]
    )
    nbformat.write(nb, pytester.path / "chapter.ipynb")
    return pytester


def run(pytester):
    return pytester.runpytest_inprocess(
        "-p",
        "tests.data_sets",
        "-p",
        "nbval",
        "--nbval",
        "-p",
        "no:cacheprovider",
    )


def test_missing_data_skips_what_needs_it_with_one_reason(
    no_data, monkeypatch
):
    monkeypatch.delenv("D2LCORE_REQUIRE_DATA", raising=False)
    result = run(no_data)
    result.assert_outcomes(passed=1, skipped=3)
    result.stdout.fnmatch_lines(
        ["3 tests and chapter cells skipped. Fashion-MNIST not found*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_missing_data_is_one_error_when_required(no_data, monkeypatch):
    monkeypatch.setenv("D2LCORE_REQUIRE_DATA", "1")
    result = run(no_data)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*Fashion-MNIST not found*apt-get install dataset-fashion-mnist"
            "*D2LCORE_FASHION_MNIST*D2LCORE_REQUIRE_DATA is set*"
        ]
    )
    assert result.stderr.str().count("Fashion-MNIST not found") == 1


def test_data_present_changes_nothing(no_data, monkeypatch):
    monkeypatch.setattr(data_sets, "fashion_mnist_available", lambda: True)
    result = no_data.runpytest_inprocess(
        "-p", "tests.data_sets", "-p", "no:cacheprovider", "test_units.py"
    )
    result.assert_outcomes(passed=1, failed=1)


@pytest.mark.slow
def test_the_reason_is_printed_once_at_the_end_under_xdist(
    pytester, monkeypatch, tmp_path
):
    """No monkeypatching in the run itself: a real pytest process with xdist
    workers, Fashion-MNIST's directory variable pointing to an empty folder,
    an empty cache, and Debian's directory hidden (conftest.py)."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("D2LCORE_FASHION_MNIST", str(empty))
    monkeypatch.setenv("D2LCORE_DATA", str(empty))
    monkeypatch.delenv("D2LCORE_REQUIRE_DATA", raising=False)
    repo = Path(__file__).resolve().parent.parent
    monkeypatch.setenv("PYTHONPATH", str(repo))
    pytester.makeconftest(f"""
        import pathlib
        import d2lcore._sources
        d2lcore._sources.DEBIAN_DIR = pathlib.Path({str(empty)!r})
    """)
    pytester.makepyfile(
        test_units="""
        import pytest

        @pytest.mark.fashion
        @pytest.mark.parametrize("i", range(3))
        def test_reads_the_files(i):
            assert False, "must be skipped"

        def test_needs_nothing():
            pass
    """
    )
    result = pytester.runpytest_subprocess(
        "-p",
        "tests.data_sets",
        "-p",
        "xdist",
        "-n",
        "2",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(passed=1, skipped=3)
    out = result.stdout.str()
    assert out.count("Fashion-MNIST not found") == 1, out
    lines = out.splitlines()
    reason = next(i for i, l in enumerate(lines) if "not found" in l)
    assert lines[reason].startswith("3 tests and chapter cells skipped.")
    assert reason >= len(lines) - 3, "the reason comes at the end of the run"


def test_missing_kaggle_files_skip_what_needs_them_with_their_reason(
    pytester, monkeypatch
):
    monkeypatch.setattr(data_sets, "kaggle_house_available", lambda: False)
    monkeypatch.delenv("D2LCORE_REQUIRE_DATA", raising=False)
    pytester.makepyfile(
        test_units="""
        import pytest

        @pytest.mark.kaggle
        def test_reads_the_files():
            assert False, "must be skipped"
    """
    )
    result = pytester.runpytest_inprocess(
        "-p", "tests.data_sets", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["1 tests and chapter cells skipped. The Kaggle house-price files*"]
    )
