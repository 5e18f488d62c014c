"""The rendered book, as a reader sees it: every page of _toc.yml in headless Chromium.

The book is built once per session with the command of ``make book`` (plus
``--all``, so that warnings of unchanged pages count again) and served
from ``_build/html`` on a localhost port. Every request that leaves localhost is
blocked and recorded, so a page that needs the internet (MathJax from a CDN, web
fonts, ...) fails here instead of showing raw TeX to an offline reader. Each page
must load without console errors, typeset all its math, load all its images, list
every chapter in the sidebar and offer its notebook for download; previous/next
links walk the pages in _toc.yml order and the search page finds every chapter.

Needs Debian's ``chromium`` and the PyPI package ``playwright`` (no browser download:
Playwright drives /usr/bin/chromium). Without them the tests skip, or fail when
CI=true. A screenshot of one chapter goes to _build/screenshots/ (never into the
work tree: ``make screenshots`` copies it to docs/ for the README).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
#: Where the screenshots go; tools/update_screenshots.py copies them to docs/.
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("D2LCORE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: The chapter whose screenshot the README shows.
SCREENSHOT_PAGE = "book/ch03_4_linear_regression_scratch"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
TIMEOUT_MS = 20_000


# -- the pages of _toc.yml -----------------------------------------------------------
def _docname(entry: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", entry)


def toc_pages() -> list[str]:
    """The docnames of _toc.yml in reading order (root first)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [_docname(toc["root"])]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(_docname(entry["file"]))
            walk(entry.get("sections"))

    for part in toc.get("parts") or []:
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages


PAGES = toc_pages()


def is_notebook(page: str) -> bool:
    return (ROOT / f"{page}.ipynb").is_file()


# -- the tools -------------------------------------------------------------------------
def _unavailable(reason: str):
    message = (
        f"{reason}; the rendered-book tests need Debian's chromium "
        "(apt-get install chromium) and playwright (pip install -e '.[test]')"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except (
            Exception
        ) as exc:  # a broken install: say so instead of a traceback
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield chromium
        chromium.close()


# -- build and serve -------------------------------------------------------------------
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="session")
def built_book() -> Path:
    """Build the book as `make book` does; fail with the build log on any warning.

    ``--all`` re-reads every page: an incremental build only re-reads changed pages,
    so it passes on a second run without repeating the first run's warnings (and
    crashes with a KeyError when a chapter was removed).
    """
    exe = Path(sys.executable).with_name("jupyter-book")
    command = [
        str(exe)
        if exe.is_file()
        else shutil.which("jupyter-book") or "jupyter-book",
        "build",
        ".",
        "--warningiserror",
        "--keep-going",
        "--all",
    ]
    start = time.perf_counter()
    proc = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    log = _ANSI.sub("", proc.stdout + proc.stderr)
    if proc.returncode != 0:
        problems = [
            line
            for line in log.splitlines()
            if "WARNING" in line or "ERROR" in line or "Error" in line
        ]
        pytest.fail(
            f"`{' '.join(command[1:])}` failed (exit {proc.returncode}) in "
            f"{time.perf_counter() - start:.0f}s.\nWarnings and errors:\n"
            + "\n".join(problems)
            + "\n\nEnd of the build log:\n"
            + "\n".join(log.splitlines()[-60:]),
            pytrace=False,
        )
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = (
        "HTTP/1.1"  # keep-alive: a page's assets on few connections
    )

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(built_book):
    """The base URL of _build/html served on a free localhost port."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


#: A desktop window and a phone held upright.
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 400, "height": 860}


class Browsing:
    """A browser context in which every request that leaves localhost is blocked
    (and recorded in ``blocked``)."""

    def __init__(self, browser, viewport=DESKTOP):
        self.ctx = browser.new_context(viewport=viewport)
        self.ctx.set_default_timeout(TIMEOUT_MS)
        self.request = self.ctx.request
        self.blocked: list[str] = []
        self.ctx.route("**/*", self._route)

    def _route(self, route, request):
        if urlsplit(request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(request.url)
            route.abort("blockedbyclient")

    def new_page(self):
        return self.ctx.new_page()


@pytest.fixture(scope="session")
def context(browser, site):
    browsing = Browsing(browser)
    yield browsing
    browsing.ctx.close()


@pytest.fixture(scope="session")
def phone(browser, site):
    browsing = Browsing(browser, PHONE)
    yield browsing
    browsing.ctx.close()


class Visit:
    """One open page with what it logged and what it tried to fetch outside."""

    def __init__(self, context: Browsing, url: str):
        self.context = context
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                m.type == "error"
                and self.errors.append(
                    f"console: {m.text} ({m.location.get('url', '')})"
                )
            ),
        )
        self.page.on(
            "pageerror", lambda exc: self.errors.append(f"exception: {exc}")
        )
        self._blocked_before = len(context.blocked)
        response = self.page.goto(url, wait_until="load")
        if response is None or not response.ok:
            self.close()
            pytest.fail(
                f"{url}: HTTP {response.status if response else 'no response'}"
            )
        self.wait_for_math()

    @property
    def blocked(self) -> list[str]:
        return self.context.blocked[self._blocked_before :]

    def wait_for_math(self) -> None:
        """Wait until MathJax has typeset the page (when the page has math)."""
        if not self.page.evaluate("document.querySelector('.math') !== null"):
            return
        try:
            self.page.wait_for_function(
                "window.MathJax && MathJax.startup && MathJax.startup.promise",
                timeout=10_000,
            )
        except Exception:
            return  # reported by the math check, with the blocked requests
        self.page.evaluate("MathJax.startup.promise.then(() => true)")

    def close(self) -> None:
        self.page.close()


def _axe_script() -> str | None:
    """axe-core's script, from the PyPI package axe-playwright-python."""
    try:
        import axe_playwright_python
    except ImportError:
        return None
    return (
        Path(axe_playwright_python.__file__).parent / "axe.min.js"
    ).read_text()


AXE = _axe_script()
#: axe-core's impacts that fail a page (moderate and minor ones are reported only)
AXE_FAILING = {"serious", "critical"}


def axe_violations(visit: Visit) -> list[str]:
    """The serious and critical accessibility violations axe-core finds."""
    if AXE is None:
        _unavailable("the PyPI package axe-playwright-python (axe-core)")
    visit.page.add_script_tag(content=AXE)
    found = visit.page.evaluate(
        """async () => (await axe.run(document, {
             resultTypes: ['violations'],
             preload: false,  // no re-fetch of stylesheets (it misreads @import)
             rules: {'label-content-name-mismatch': {enabled: true}},
           })).violations.map(v => ({id: v.id, impact: v.impact,
             nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return [
        f"{v['impact']} {v['id']}: {v['nodes']}"
        for v in found
        if v["impact"] in AXE_FAILING
    ]


def page_url(site: str, page: str) -> str:
    return urljoin(site, f"{page}.html")


def _strip(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


# -- what a reader sees on each page ---------------------------------------------------
_MATH_STATE = r"""() => {
  const math = [...document.querySelectorAll('.math')];
  const untypeset = math.filter(el => !el.querySelector('mjx-container'))
                        .map(el => el.textContent.trim().slice(0, 80));
  // TeX errors (merror) and undefined macros (noundefined: a red \name)
  const errors = [];
  if (window.MathJax && MathJax.startup && MathJax.startup.document && MathJax.startup.toMML)
    for (const item of Array.from(MathJax.startup.document.math))
      if (/<merror|<mtext mathcolor="red">\\/.test(MathJax.startup.toMML(item.root)))
        errors.push(item.math.slice(0, 80));
  const body = document.querySelector('main') || document.body;
  const text = body.cloneNode(true);
  // the prose a reader reads: no code, no typeset math, no API signatures
  text.querySelectorAll('pre, code, script, style, mjx-container, .highlight, dt.sig')
      .forEach(el => el.remove());
  return {count: math.length, typeset: document.querySelectorAll('mjx-container').length,
          untypeset, errors, text: text.textContent};
}"""

_IMAGES = """async () => {
  const imgs = [...document.querySelectorAll('main img, article img')];
  imgs.forEach(img => { if (img.loading === 'lazy') img.loading = 'eager'; });
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done); img.addEventListener('error', done);
    setTimeout(done, 5000);
  })));
  return {count: imgs.length,
          broken: imgs.filter(img => !img.complete || img.naturalWidth === 0)
                      .map(img => img.getAttribute('src').slice(0, 100))};
}"""

#: TeX that MathJax never saw: a dollar sign, a control word (\frac, \partial, ...),
#: a superscript or subscript group; prose outside code and math has none of these.
_RAW_TEX = re.compile(r"\$|\\[A-Za-z]+|\\[()\[\]]|\^[*{]|_\{")
#: A reference that printed its own parentheses inside the text's, "((3.4.1))", or
#: one that did not resolve ("??").
_BAD_REF = re.compile(r"\(\(|\)\)|\?\?")
#: A figure pointed at by position instead of by its number.
_FIGURE_BY_POSITION = re.compile(
    r"\b(?:the )?(?:figure|plot|graph) (?:below|above)\b", re.IGNORECASE
)

_FIGURES = """() => {
  const main = document.querySelector('main') || document.body;
  return {
    no_alt: [...main.querySelectorAll('img')]
              .filter(img => !(img.getAttribute('alt') || '').trim()
                             || /^\\S*[\\/]\\S*$|\\.(png|svg|jpe?g)$/i.test(img.getAttribute('alt')))
              .map(img => (img.getAttribute('src') || '').slice(0, 80)),
    uncaptioned: [...main.querySelectorAll('figure')]
              .filter(f => !f.querySelector('figcaption .caption-number'))
              .map(f => (f.querySelector('img') || f).outerHTML.slice(0, 80)),
  };
}"""


@pytest.mark.parametrize("page", PAGES)
def test_page_as_a_reader_sees_it(context, site, page):
    """Offline, no console errors, math typeset, images loaded, every chapter in the
    sidebar and, for a chapter, its notebook in the download menu."""
    visit = Visit(context, page_url(site, page))
    try:
        # nothing from the internet: the math, fonts and scripts are all local
        assert not visit.blocked, (
            f"{page} requested {len(visit.blocked)} URL(s) outside localhost "
            f"(blocked):\n" + "\n".join(visit.blocked)
        )
        assert not visit.errors, f"{page}: console errors:\n" + "\n".join(
            visit.errors
        )

        math = visit.page.evaluate(_MATH_STATE)
        if math["count"]:
            assert not math["untypeset"], (
                f"{page}: {len(math['untypeset'])} of {math['count']} math elements "
                f"were not typeset by MathJax, e.g. {math['untypeset'][:3]}"
            )
            assert math["typeset"] >= math["count"]
            assert not math["errors"], (
                f"{page}: TeX errors: {math['errors'][:5]}"
            )
        text = math["text"]
        for pattern, what in (
            (_RAW_TEX, "raw TeX left in the text"),
            (_BAD_REF, "a reference in double parentheses or unresolved"),
            (
                _FIGURE_BY_POSITION,
                "a figure referred to by position, "
                "not by its number ({numref})",
            ),
        ):
            found = pattern.search(text)
            assert found is None, (
                f"{page}: {what}: "
                f"...{text[max(0, found.start() - 60) : found.end() + 60]}..."
            )

        if is_notebook(page):
            _check_exercises(visit, page)

        violations = axe_violations(visit)
        assert not violations, f"{page}: axe-core finds: {violations}"

        figures = visit.page.evaluate(_FIGURES)
        assert not figures["no_alt"], (
            f"{page}: images without a meaningful alt text (none, or a file "
            f"name): {figures['no_alt']}"
        )
        assert not figures["uncaptioned"], (
            f"{page}: figures without a numbered caption: {figures['uncaptioned']}"
        )

        images = visit.page.evaluate(_IMAGES)
        assert not images["broken"], (
            f"{page}: {len(images['broken'])} of "
            f"{images['count']} images did not load: "
            f"{images['broken']}"
        )

        # the sidebar links to every chapter of _toc.yml
        nav = visit.page.locator("nav.bd-docs-nav")
        assert nav.is_visible(), f"{page}: the table of contents is not shown"
        links = {
            _strip(href)
            for href in nav.locator("a").evaluate_all(
                "links => links.map(a => a.href)"
            )
        }
        missing = [
            p for p in PAGES[1:] if _strip(page_url(site, p)) not in links
        ]
        assert not missing, f"{page}: the sidebar does not link to {missing}"

        if page == SCREENSHOT_PAGE:
            _screenshot(visit.page)
        if is_notebook(page):
            _check_download(visit, site, page)
    finally:
        visit.close()


def _screenshot(page, name: str = "screenshot.png") -> None:
    # the theme scrolls the sidebar to the current chapter: show its top instead
    page.evaluate(
        "document.querySelectorAll('.bd-sidebar-primary, .bd-sidebar')"
        ".forEach(el => { el.scrollTop = 0; })"
    )
    page.evaluate("document.fonts.ready.then(() => true)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / name).write_bytes(page.screenshot(full_page=False))


def _check_exercises(visit: Visit, page: str) -> None:
    """Every exercise is numbered after its section (Exercise 3.4.1, ...), and every
    worked solution starts folded, behind its toggle."""
    h1 = visit.page.locator("main h1").first.inner_text()
    section = re.match(r"\s*(\d+(?:\.\d+)*)\s", h1)
    assert section, f"{page}: no section number in the title {h1!r}"
    titles = visit.page.locator(
        "main .exercise .admonition-title"
    ).all_inner_texts()
    assert titles, f"{page}: no numbered exercises"
    expected = [
        f"Exercise {section.group(1)}.{k}" for k in range(1, len(titles) + 1)
    ]
    assert [t.strip() for t in titles] == expected, (
        f"{page}: exercises {titles}"
    )
    solutions = visit.page.locator("main .solution")
    for i in range(solutions.count()):
        body = solutions.nth(i).locator(":scope > :not(.admonition-title)")
        visible = [j for j in range(body.count()) if body.nth(j).is_visible()]
        assert not visible, (
            f"{page}: solution {i + 1} is not folded behind its toggle"
        )


def _check_download(visit: Visit, site: str, page: str) -> None:
    """The download menu offers the chapter's .ipynb, served from _sources/."""
    source = HTML / "_sources" / f"{page}.ipynb"
    assert source.is_file(), (
        f"{source.relative_to(ROOT)} was not written by the build"
    )
    visit.page.locator(
        ".dropdown-download-buttons button.dropdown-toggle"
    ).click()
    link = visit.page.locator(
        ".dropdown-download-buttons a", has_text=".ipynb"
    )
    assert link.count() == 1, f"{page}: no .ipynb entry in the download menu"
    assert link.is_visible(), f"{page}: the .ipynb download entry is hidden"
    href = link.evaluate("a => a.href")
    assert _strip(href) == _strip(urljoin(site, f"_sources/{page}.ipynb")), (
        href
    )
    response = visit.context.request.get(href)
    assert response.ok, f"{href}: HTTP {response.status}"
    assert response.body() == (ROOT / f"{page}.ipynb").read_bytes(), (
        f"{href} differs from {page}.ipynb"
    )
    notebook = json.loads(response.body())
    assert notebook["nbformat"] == 4 and notebook["cells"], (
        f"{href}: not a notebook"
    )


def test_previous_next_walk_the_toc_in_order(context, site):
    visit = Visit(context, page_url(site, PAGES[0]))
    page = visit.page
    try:
        assert page.locator("a.left-prev").count() == 0, (
            "the first page has a 'previous'"
        )
        for previous, expected in zip(PAGES, PAGES[1:]):
            nxt = page.locator("a.right-next")
            assert nxt.count() == 1, f"{previous}: no 'next' link"
            with page.expect_navigation():
                nxt.click()
            assert _strip(page.url) == _strip(page_url(site, expected)), (
                f"'next' on {previous} went to {page.url}, expected {expected}"
            )
            back = page.locator("a.left-prev")
            assert back.count() == 1 and _strip(
                back.evaluate("a => a.href")
            ) == _strip(page_url(site, previous)), (
                f"{expected}: 'previous' is wrong"
            )
        assert page.locator("a.right-next").count() == 0, (
            "the last page has a 'next'"
        )
        with page.expect_navigation():
            page.locator("a.left-prev").click()
        assert _strip(page.url) == _strip(page_url(site, PAGES[-2]))
        assert not visit.errors, "console errors:\n" + "\n".join(visit.errors)
        assert not visit.blocked, "requests outside localhost:\n" + "\n".join(
            visit.blocked
        )
    finally:
        visit.close()


_STOPWORDS = {"with", "from", "into", "their", "that", "this", "what", "the"}


def _title_term(built_book: Path, page: str) -> str:
    """The longest word of a page's title: a term the search must find."""
    html = (built_book / f"{page}.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert h1, f"{page}.html has no <h1>"
    title = re.sub(r"<[^>]+>", " ", h1.group(1))
    words = [
        w
        for w in re.findall(r"[A-Za-z]{4,}", title)
        if w.lower() not in _STOPWORDS
    ]
    assert words, f"{page}: no searchable word in its title {title!r}"
    return max(words, key=len)


def test_search_finds_every_chapter(context, site, built_book):
    chapters = [p for p in PAGES if is_notebook(p)] or PAGES[1:]
    failures = []
    for page in chapters:
        term = _title_term(built_book, page)
        visit = Visit(context, urljoin(site, f"search.html?q={term}"))
        try:
            visit.page.wait_for_function(
                "() => { const s = document.querySelector('#search-results .search-summary');"
                " return s && /finished|did not match/i.test(s.textContent); }"
            )
            hits = {
                _strip(h)
                for h in visit.page.locator(
                    "#search-results ul.search a"
                ).evaluate_all("links => links.map(a => a.href)")
            }
            if _strip(page_url(site, page)) not in hits:
                failures.append(
                    f"search for {term!r} did not list {page} "
                    f"(found {sorted(hits)})"
                )
            failures += [f"search {term!r}: {e}" for e in visit.errors]
            failures += [
                f"search {term!r}: requested {u}" for u in visit.blocked
            ]
        finally:
            visit.close()
    assert not failures, "\n".join(failures)


# -- on a phone -----------------------------------------------------------------------
#: Visible elements that stick out of the viewport, except inside a box that scrolls
#: or clips its content (code cells, outputs, wide equations, tables).
_TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  const boxed = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      // a box the reader can scroll; one that clips ('hidden') hides the rest
      if (['auto', 'scroll'].includes(s.overflowX)) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || el.closest('dialog')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > width + 1 || r.left < -1) && !boxed(el))
      wide.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ` +
                `${Math.round(r.left)}..${Math.round(r.right)}px: ` +
                (el.textContent || '').trim().slice(0, 40));
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, wide};
}"""


def _open_panel(visit: Visit, button: str, dialog: str) -> int:
    """Click the visible ``button``; return how many links the ``dialog`` shows."""
    page = visit.page
    toggle = page.locator(button).filter(visible=True)
    assert toggle.count() == 1, f"{toggle.count()} visible {button} buttons"
    toggle.click()
    page.wait_for_function(
        f"document.querySelector('{dialog}').open", timeout=5_000
    )
    links = page.locator(f"{dialog} a").filter(visible=True).count()
    page.keyboard.press("Escape")
    page.wait_for_function(
        f"!document.querySelector('{dialog}').open", timeout=5_000
    )
    return links


@pytest.mark.parametrize("page", [*PAGES, "genindex"])
def test_page_on_a_phone(phone, site, page):
    """At 400 px nothing is wider than the screen (wide content scrolls in its own
    box), the menu button opens the table of contents and, where the page has
    sections, the contents button opens them."""
    visit = Visit(phone, page_url(site, page))
    try:
        layout = visit.page.evaluate(_TOO_WIDE)
        assert (
            layout["scrollWidth"] <= layout["width"] and not layout["wide"]
        ), (
            f"{page}: wider than the {layout['width']} px screen "
            f"(page width {layout['scrollWidth']} px):\n"
            + "\n".join(layout["wide"][:10])
        )
        if page == SCREENSHOT_PAGE:
            _screenshot(visit.page, "screenshot-phone.png")
        violations = axe_violations(visit)
        assert not violations, (
            f"{page} on a phone: axe-core finds: {violations}"
        )

        chapters = _open_panel(
            visit, ".primary-toggle", "#pst-primary-sidebar-modal"
        )
        assert chapters >= len(PAGES) - 1, (
            f"{page}: the menu button shows {chapters} links, expected every chapter"
        )
        if (
            visit.page.locator(".secondary-toggle")
            .filter(visible=True)
            .count()
        ):
            sections = _open_panel(
                visit, ".secondary-toggle", "#pst-secondary-sidebar-modal"
            )
            assert sections >= 1, (
                f"{page}: the contents button shows no section"
            )
        assert not visit.errors, f"{page}: console errors:\n" + "\n".join(
            visit.errors
        )
    finally:
        visit.close()


def test_index_lists_concepts_and_public_names_only(built_book):
    """The general index: the chapters' concepts and d2lcore's public names, not
    the framework-neutral aliases of torch functions or builtins."""
    index = (built_book / "genindex.html").read_text()
    entries = re.findall(r'<li><a href="[^"]*">([^<]*)</a>', index)
    assert not [e for e in entries if "built-in" in e], "builtins in the index"
    assert "d2lcore.reshape()" not in entries and "d2lcore.ones" not in index
    for expected in ("softmax", "entropy", "backpropagation",
                     "Trainer (class in d2lcore)"):  # fmt: skip
        assert expected in entries, f"{expected!r} is not in the index"


def test_menu_button_hides_the_sidebar_on_a_desktop(context, site):
    visit = Visit(context, page_url(site, SCREENSHOT_PAGE))
    try:
        sidebar = visit.page.locator(".bd-sidebar-primary")
        toggle = visit.page.locator(".primary-toggle").filter(visible=True)
        assert sidebar.is_visible() and toggle.count() == 1
        toggle.click()
        assert not sidebar.is_visible(), (
            "the menu button did not hide the sidebar"
        )
        toggle.click()
        assert sidebar.is_visible(), (
            "the menu button did not bring the sidebar back"
        )
    finally:
        visit.close()


# -- the API reference -----------------------------------------------------------------
def public_api() -> list[str]:
    """``d2lcore.NAME`` for every public name, and ``d2lcore.Class.method`` for every
    public method and property a d2lcore class defines itself."""
    import inspect

    import d2lcore

    names = []
    for name in d2lcore.__all__:
        obj = getattr(d2lcore, name)
        names.append(f"d2lcore.{name}")
        if inspect.isclass(obj) and obj.__module__.startswith("d2lcore"):
            # (d2l.nn_Module is torch's nn.Module: its methods are torch's to document)
            names += [
                f"d2lcore.{name}.{attr}"
                for attr, value in vars(obj).items()
                if not attr.startswith("_")
                and (
                    inspect.isfunction(value)
                    or isinstance(value, (property, staticmethod, classmethod))
                )
            ]
    return names


def test_api_page_documents_every_public_method(context, site):
    visit = Visit(context, page_url(site, "book/api"))
    try:
        entries = visit.page.evaluate(
            """names => names.map(id => {
            const dt = document.getElementById(id);
            const dd = dt && dt.nextElementSibling;
            return [id, dt !== null, dd ? dd.textContent.trim().slice(0, 60) : ''];
        })""",
            public_api(),
        )
        missing = [name for name, found, _ in entries if not found]
        assert not missing, f"the API page does not document {missing}"
        undocumented = [name for name, _, text in entries if not text]
        assert not undocumented, (
            f"the API page has no description for {undocumented}"
        )
        text = visit.page.locator("main").inner_text()
        for inherited in ("Should be overridden", "Alias for field number"):
            assert inherited not in text, f"the API page shows {inherited!r}"
    finally:
        visit.close()
