"""A chapter in JupyterLab, as a student runs it (``make lab``), in headless Chromium.

The working copies of ``make lab`` (tools/lab_copies.py) are made in a temporary
folder and opened in a real JupyterLab with jupyterlab-myst, driven by Playwright
through Debian's /usr/bin/chromium. The test checks that the MyST of the chapter
renders (exercises, math, no raw directives or roles), that the hidden checks are
gone and the solutions folded, that Run All trains with one board that grows in
place, that interrupting a fit leaves the next cell working, and that nothing under
``book/`` changed. Needs the ``lab`` extra, Chromium and Playwright: skipped
without them, failing when CI=true.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("D2LCORE_CHROMIUM", "/usr/bin/chromium")
CHAPTER = "ch05_2_mlp_implementation"
LAB_SETTINGS = {  # the student's defaults, less the news pop-up and lazy cells
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def _needs(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the JupyterLab test needs {what}")
    pytest.skip(f"needs {what}")


def _book_digest() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((ROOT / "book").rglob("*"))
        if p.is_file()
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The URL of a JupyterLab serving fresh working copies of the chapters."""
    jupyter = Path(sys.executable).with_name("jupyter")
    if not Path(CHROMIUM).exists():
        _needs(f"Chromium at {CHROMIUM}")
    pytest.importorskip("playwright.sync_api")
    if subprocess.run(
        [jupyter, "lab", "--version"], capture_output=True
    ).returncode:
        _needs("JupyterLab (pip install -e '.[lab]')")
    home = tmp_path_factory.mktemp("lab-home")
    book_before = _book_digest()
    subprocess.run(
        [
            sys.executable,
            ROOT / "tools" / "lab_copies.py",
            "--out",
            home / "lab",
        ],
        check=True,
    )
    settings = home / "settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        PYTHONPATH=str(ROOT),
    )
    port = _free_port()
    server = subprocess.Popen(
        [jupyter, "lab", "--no-browser", f"--port={port}",
         "--ServerApp.token=", "--ServerApp.password=", "--allow-root",
         f"--ServerApp.root_dir={home}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        yield {"url": url, "book": book_before}
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def _in_own_thread(work, *args):
    """Run ``work`` in a thread of its own: Playwright's sync API refuses a thread
    where an asyncio loop runs, and the kernel tests before this one may leave
    theirs in the main thread."""
    result = {}

    def run():
        try:
            result["value"] = work(*args)
        except BaseException as exc:  # re-raised in the test's thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def _menu(page, menu: str, item: str):
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def _wait_idle(page, timeout_s: float):
    page.wait_for_function(
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator')"
        ".getAttribute('data-status') === 'idle' && !Array.from("
        "document.querySelectorAll('.jp-NotebookPanel .jp-InputPrompt'))"
        ".some(p => p.innerText.includes('*'))",
        timeout=timeout_s * 1000,
    )


def _code_cells(page):
    return page.locator(".jp-NotebookPanel .jp-CodeCell")


def _fit_cells(page) -> list[int]:
    sources = page.evaluate(
        "() => Array.from(document.querySelectorAll("
        "'.jp-NotebookPanel .jp-CodeCell .jp-InputArea-editor'))"
        ".map(e => e.innerText)"
    )
    return [
        i for i, s in enumerate(sources) if ".fit(" in s and "def " not in s
    ]


def _errors(page) -> list[str]:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-NotebookPanel "
        ".jp-OutputArea-output[data-mime-type=\"application/vnd.jupyter.stderr\"]'))"
        ".map(e => e.innerText).filter(t => /Error|Traceback/.test(t))"
    )


def _session(url: str) -> dict:
    """Everything a student does, in one browser: open, read, Run All, interrupt,
    save. Returns what was seen."""
    from playwright.sync_api import sync_playwright

    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/lab/tree/lab/{CHAPTER}.ipynb")
        page.wait_for_selector(".jp-NotebookPanel .myst", timeout=60_000)
        _wait_idle(page, 60)

        # what the student reads
        rendered = page.locator(".jp-NotebookPanel .jp-MarkdownOutput")
        seen["rendered"] = rendered.all_inner_texts()
        seen["text"] = page.locator(
            ".jp-NotebookPanel .jp-Notebook"
        ).inner_text()
        panel = ".jp-NotebookPanel"
        counted = {
            "exercises": f"{panel} .myst-exercise",
            "math": f"{panel} mjx-container, {panel} .katex",
            "folded": f"{panel} .jp-MarkdownHeadingCollapsed",
        }
        for key, selector in counted.items():
            seen[key] = page.locator(selector).count()

        # Run All: the first fit's board, frame by frame
        cell = _code_cells(page).nth(_fit_cells(page)[0])
        _menu(page, "Run", "Run All Cells")
        frames, most, start = set(), 0, time.monotonic()
        while time.monotonic() - start < 180:
            srcs = cell.locator(".jp-OutputArea-output img").evaluate_all(
                "imgs => imgs.map(i => i.src.slice(-200))"
            )
            most = max(most, len(srcs))
            frames.update(srcs)
            prompt = cell.locator(".jp-InputPrompt").inner_text()
            if "*" not in prompt and any(ch.isdigit() for ch in prompt):
                break
            time.sleep(0.1)
        seen["most_images"], seen["frames"] = most, len(frames)
        _wait_idle(page, 600)
        seen["errors_after_run_all"] = _errors(page)

        # interrupt the first fit a second in, then run the cell after it
        _code_cells(page).nth(_fit_cells(page)[0]).click()
        page.keyboard.press("Escape")
        page.keyboard.press(
            "Shift+Enter"
        )  # runs the fit, selects the next cell
        time.sleep(1.0)
        _menu(page, "Kernel", "Interrupt Kernel")
        _wait_idle(page, 60)
        page.keyboard.press(
            "Control+Enter"
        )  # the next cell, after the interrupt
        _wait_idle(page, 60)
        seen["errors_after_interrupt"] = _errors(page)

        page.keyboard.press("Control+s")  # the student saves their copy
        time.sleep(2)
        browser.close()
    return seen


@pytest.fixture(scope="module")
def seen(lab):
    return _in_own_thread(_session, lab["url"])


def test_myst_renders_and_checks_are_gone(seen):
    raw = [t for t in seen["rendered"]
           if "```{" in t or "{ref}`" in t or "{eq}`" in t]  # fmt: skip
    assert not raw, f"MyST shown as raw text in the Lab: {raw[:2]}"
    assert seen["exercises"] >= 3, "the exercises are not rendered"
    assert seen["math"] > 10, "the math is not typeset"
    assert (
        "remove-cell" not in seen["text"] and "assert " not in seen["text"]
    ), "a hidden check cell shows in the Lab copy"
    assert seen["folded"] >= 1, "the solutions are not folded"


def test_run_all_grows_one_board_in_place_and_an_interrupt_leaves_no_trace(
    seen,
):
    assert seen["most_images"] == 1, (
        f"the board showed {seen['most_images']} figures, not one"
    )
    assert seen["frames"] >= 3, (
        f"the board showed {seen['frames']} frames while training"
    )
    assert not seen["errors_after_run_all"], (
        f"Run All raised: {seen['errors_after_run_all'][:1]}"
    )
    errors = seen["errors_after_interrupt"]
    assert len(errors) == 1 and "KeyboardInterrupt" in errors[0], (
        f"after an interrupted fit: {[e[-300:] for e in errors]}"
    )


def test_the_stored_chapters_are_untouched(lab, seen):
    # the whole of book/, byte for byte, before and after the student's session
    # (.ci/run's git status check covers the rest of the tree)
    assert _book_digest() == lab["book"], "running the Lab changed book/"
