"""The test run without Fashion-MNIST (tests/fashion_data.py): one skip reason, or one
error when the data is required."""

import nbformat
import pytest

from tests import fashion_data

pytest_plugins = ["pytester"]


@pytest.fixture
def no_data(pytester, monkeypatch):
    monkeypatch.setattr(fashion_data, "fashion_mnist_available", lambda: False)
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
        "tests.fashion_data",
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
    monkeypatch.setattr(fashion_data, "fashion_mnist_available", lambda: True)
    result = no_data.runpytest_inprocess(
        "-p", "tests.fashion_data", "-p", "no:cacheprovider", "test_units.py"
    )
    result.assert_outcomes(passed=1, failed=1)
