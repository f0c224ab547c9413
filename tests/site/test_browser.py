"""The built book in a real browser (headless Chromium via Playwright), served on localhost.

No request may leave localhost: the site must be self-contained (MathJax included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import ROOT, SCREENSHOTS

CHAPTERS = re.findall(r"(?:file|root):\s*(book/\w+)", (ROOT / "_toc.yml").read_text())
NOTEBOOK_CHAPTERS = [c for c in CHAPTERS if (ROOT / f"{c}.ipynb").exists()]


@dataclass
class PageLoad:
    """What happened while one page loaded."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def open_page(browser, url: str):
    """Load ``url`` with external requests blocked and recorded; wait for MathJax."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    load = PageLoad()
    page.on("console", lambda m: m.type == "error" and load.console_errors.append(m.text))
    page.on("pageerror", lambda e: load.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: load.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and load.failed.append(f"{r.url} {r.status}"))

    def route(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            load.external.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    page.wait_for_function("!window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("window.MathJax ? MathJax.startup.promise : null")
    page.wait_for_load_state("networkidle")
    return page, load


@pytest.fixture(scope="module")
def loaded(browser, base_url):
    """Every chapter, loaded once: {chapter: (page, PageLoad)}."""
    pages = {c: open_page(browser, f"{base_url}/{c}.html") for c in CHAPTERS}
    yield pages
    for page, _ in pages.values():
        page.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_page_loads_without_console_errors_or_failed_requests(loaded, chapter):
    _, load = loaded[chapter]
    assert not load.console_errors, load.console_errors
    assert not load.failed, load.failed


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_page_requests_nothing_outside_localhost(loaded, chapter):
    assert not loaded[chapter][1].external, loaded[chapter][1].external


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_mathematics_is_typeset(loaded, chapter):
    page, _ = loaded[chapter]
    has_math = page.locator(".math, span.math, div.math").count() > 0
    if has_math:
        assert page.locator("mjx-container").count() > 0, "math on the page, but no MathJax"
    # Visible prose only: code cells legitimately contain backslashes and dollar signs.
    text = page.evaluate("""() => {
        const clone = document.querySelector('main').cloneNode(true);
        clone.querySelectorAll('pre, .highlight, code, mjx-assistive-mml, script')
             .forEach(e => e.remove());
        return clone.innerText; }""")
    for raw in ("$$", "\\frac", "\\hat", "\\langle", "\\nabla", "{glue"):
        assert raw not in text, f"untypeset {raw!r} in the visible text of {chapter}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_figure_image_loads_and_is_described(loaded, chapter):
    page, _ = loaded[chapter]
    images = page.evaluate("""() => [...document.querySelectorAll('main img')].map(img => ({
        src: img.src, w: img.naturalWidth, alt: img.alt,
        caption: !!(img.closest('figure') && img.closest('figure').querySelector('figcaption'))
    }))""")
    for img in images:
        assert img["w"] > 0, f"image did not load: {img['src']}"
        assert img["alt"].strip() or img["caption"], f"image without alt text or caption: {img}"


def test_the_main_chapters_have_figures(loaded):
    for chapter in ("book/intro", "book/counterexample"):
        assert loaded[chapter][0].locator("main figure img").count() >= 1


def test_the_table_of_contents_reaches_every_chapter(loaded):
    page, _ = loaded["book/intro"]
    hrefs = page.evaluate("""() => [...document.querySelectorAll('nav.bd-links a')]
                                   .map(a => a.href)""")
    reached = {urlparse(h).path.lstrip("/").removesuffix(".html") for h in hrefs}
    missing = [c for c in CHAPTERS if c != "book/intro" and c not in reached]
    assert not missing, f"chapters not linked from the table of contents: {missing}"


def test_search_finds_lemma_4_5(browser, base_url):
    page, load = open_page(browser, f"{base_url}/search.html?q=Lemma+4.5")
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    results = page.locator("#search-results ul.search li")
    assert results.count() >= 1
    assert not load.console_errors and not load.external
    page.close()


@pytest.mark.parametrize("chapter", NOTEBOOK_CHAPTERS)
def test_launch_and_download_buttons_are_on_executed_chapters(loaded, chapter, base_url):
    page, _ = loaded[chapter]
    links = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
    assert any("mybinder.org/v2/gh/" in h and f"{chapter}.ipynb" in h for h in links), (
        "no Binder launch link for this notebook")
    ipynb = [h for h in links if h.endswith(f"{Path(chapter).name}.ipynb")
             and h.startswith(base_url)]
    assert ipynb, "no .ipynb download link"
    response = page.request.get(ipynb[0])
    assert response.ok and b'"cells"' in response.body()


@pytest.mark.parametrize("chapter", ["book/intro", "book/counterexample"])
def test_screenshots_for_people_to_look_at(loaded, chapter):
    page, _ = loaded[chapter]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{Path(chapter).name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
