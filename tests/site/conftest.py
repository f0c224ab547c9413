"""Fixtures for the tests of the built site: a local HTTP server, Chromium, and one visit to
every page that the browser tests share.

These tests run after `make book` (the Makefile's `test-site`); every item here is marked
``site`` so that the unit-test pass leaves them out, and ``browser`` if it needs Chromium
(``make test`` runs the others, with a notice, where there is none). What is collected does
not depend on whether the book is built (the pages come from the sources:
``serve.reader_pages``). The site is ``_build/html``, or ``$BNPAPER_SITE`` (for a build made
elsewhere with ``--path-output``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .layout import DESKTOP, MEASURE, PHONE, SETTLED
from .serve import EXTERNAL, ROOT, chromium_path, reader_pages, serve, wait_for_mathjax
from .weight import KEEP_EVERY_RESOURCE, body_bytes

SITE = Path(os.environ.get("BNPAPER_SITE") or ROOT / "_build" / "html").resolve()


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    if not any(line.startswith("tesseract:") for line in config.getini("markers")):
        # until pyproject.toml's [tool.pytest.ini_options] markers lists it (--strict-markers)
        config.addinivalue_line("markers", "tesseract: needs tesseract-ocr (figure OCR)")
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.site)
            if "browser" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.browser)
            if "tesseract" in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.tesseract)  # OCR of the figures (test_figures.py)


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site at {SITE}; run `make book` first")
    return SITE


@pytest.fixture(scope="session")
def base_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if chromium_path() is None:
        pytest.fail("Chromium not found: install Debian's package (`apt-get install chromium`)"
                    " or set CHROMIUM=/path/to/chromium")
    from .serve import chromium

    with chromium() as b:
        yield b


@dataclass
class PageLoad:
    """What happened while one page loaded, and what was measured on it."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    first_load: int = 0  # bytes of response bodies, fresh context (weight.body_bytes)
    axe: dict[int, list[dict]] = field(default_factory=dict)  # width -> violations
    scroll_width: dict[int, int] = field(default_factory=dict)  # width -> page width
    layout: dict[int, dict | None] = field(default_factory=dict)  # width -> layout.MEASURE's


def start_page(browser, url: str, viewport: dict = DESKTOP):
    """Start loading ``url`` in a fresh context (empty cache) with external requests
    blocked and recorded, without waiting for the load (finish_load waits). Returns the
    page and its PageLoad."""
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(60_000)
    page.add_init_script(KEEP_EVERY_RESOURCE)
    load = PageLoad()
    page.on("console", lambda m: m.type == "error" and load.console_errors.append(m.text))
    page.on("pageerror", lambda e: load.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: load.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and load.failed.append(f"{r.url} {r.status}"))

    def block(route):
        load.external.append(route.request.url)
        route.abort()

    page.route(EXTERNAL, block)
    page.goto(url, wait_until="commit")
    return page, load


def finish_load(page, load: PageLoad) -> None:
    """Until the page started by start_page has loaded and MathJax has typeset it (and
    the network is idle); then its first load's bytes."""
    page.wait_for_load_state("load")
    wait_for_mathjax(page)
    load.first_load = body_bytes(page)


def open_page(browser, url: str, viewport: dict = DESKTOP):
    """Load ``url`` as start_page does and wait for MathJax. Returns the page and its
    PageLoad."""
    page, load = start_page(browser, url, viewport)
    finish_load(page, load)
    return page, load


def open_pages(browser, urls: dict[str, str], in_flight: int = 3) -> dict:
    """Each of ``urls`` ({name: url}) opened as open_page does, ``in_flight`` loading at a
    time: one page's wait for an idle network (half a second without a request) is then
    another's work. {name: (page, PageLoad)}, in the order given."""
    opened, started = {}, []

    def finish_first() -> None:
        name, page, load = started.pop(0)
        finish_load(page, load)
        opened[name] = (page, load)

    for name, url in urls.items():
        started.append((name, *start_page(browser, url)))
        if len(started) == in_flight:
            finish_first()
    while started:
        finish_first()
    return opened


# axe-core as released (the copy axe-playwright-python 0.1.8 ships; the version its pin
# brings is checked by test_browser.py), unchanged, on the whole page,
# formulas included: MathJax's drawn glyphs are aria-hidden and its assistive MathML is what
# a screen reader reads, so both are checked. resultTypes: only violations are read, so axe
# keeps one node (and makes one CSS selector) per rule for passes, incomplete and
# inapplicable; which violations it finds is unchanged.
AXE_OPTIONS = """{preload: false, resultTypes: ['violations'],
    rules: Object.fromEntries(axe.getRules(['experimental'])
    .filter(r => !['hidden-content', 'css-orientation-lock'].includes(r.ruleId))
    .map(r => [r.ruleId, {enabled: true}]))}"""


AXE_CORE = "4.12.1"  # the release axe-playwright-python==0.1.8 ships


def axe_script() -> str:
    """axe-core's released bundle, as axe-playwright-python's ``Axe`` injects it."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


# axe's colour rules (its cat.color tag: color-contrast, and link-in-text-block, which
# compares a link's colour and text style with its text's) are most of its time, and what
# they compare does not depend on the width, except where the layout changes an element's
# computed style: a breakpoint (the sidebars become drawers, the toggles appear, the
# search hint goes), or a rule of ours for phones. So at the phone's width every other rule
# runs on the whole page, and the colour rules (STYLE_RULES) on each element whose colours,
# text style (size, weight, decoration, borders), display or position differ from the
# desktop width's, with everything inside it (recorded at desktop width by
# STYLE_SIGNATURES, compared by CHANGED_ROOTS). Left out by that: text that moves over
# another element's background without any computed style changing (no such overlap
# exists in normal flow), and a link whose own style stays while a sibling's display
# changes, which can make axe count it in or out of a block of text.
STYLE_RULES = ("color-contrast", "link-in-text-block")  # test_browser.py pins the list
STYLE_SIGNATURES = """() => {
  const props = ['color', 'background-color', 'background-image', 'opacity', 'filter',
    'backdrop-filter', 'mix-blend-mode', 'visibility', 'display', 'content-visibility',
    'font-size', 'font-weight', 'font-style', 'font-family', 'text-shadow',
    '-webkit-text-fill-color', 'text-decoration', 'border-top', 'border-bottom', 'outline',
    'position', 'z-index', 'transform'];
  const found = new Map();
  for (const e of document.querySelectorAll('*')) {
    const s = getComputedStyle(e);
    found.set(e, props.map(p => s.getPropertyValue(p)).join('|'));
  }
  return found;
}"""
CHANGED_ROOTS = f"""() => {{
  const now = ({STYLE_SIGNATURES})(), then = window.__desktopStyle;
  const changed = new Set([...now].filter(([e, s]) => then.get(e) !== s).map(([e]) => e));
  return [...changed].filter(e => {{
    for (let p = e.parentElement; p; p = p.parentElement) if (changed.has(p)) return false;
    return true;
  }});
}}"""
ONLY_STYLE_RULES = f"""{{preload: false, resultTypes: ['violations'],
    runOnly: {{type: 'rule', values: {list(STYLE_RULES)}}}}}"""


def start_axe(page, width: int = DESKTOP["width"]) -> None:
    """Start axe-core on the page, without waiting: pages run it side by side, in their own
    renderer processes. Every default rule, and the experimental ones
    (label-content-name-mismatch is one) except two: hidden-content (a slow inventory of
    hidden elements, never serious) and css-orientation-lock (needs axe to re-fetch
    stylesheets, which it resolves wrongly for the theme's ``@import "../basic.css"``: a
    false 404). At desktop width on the whole page; at any other width the colour rules
    (STYLE_RULES) only where the computed style changed (above)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_script())
    if width == DESKTOP["width"]:
        page.evaluate(f"() => {{ window.__desktopStyle = ({STYLE_SIGNATURES})();"
                      f" window.__axe = axe.run(document, {AXE_OPTIONS}); }}")
        return
    page.evaluate(f"""() => {{
      const options = {AXE_OPTIONS};
      for (const id of {list(STYLE_RULES)}) options.rules[id] = {{enabled: false}};
      const roots = ({CHANGED_ROOTS})();
      window.__axe = axe.run(document, options).then(r => !roots.length ? r :
        axe.run({{include: roots}}, {ONLY_STYLE_RULES}).then(c =>
          ({{violations: [...r.violations, ...c.violations]}})));
    }}""")


def axe_violations(page) -> list[dict]:
    """The violations found by the run ``start_axe`` started."""
    return page.evaluate("""() => window.__axe.then(r => r.violations.map(v => ({
        id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map(n =>
            n.target.join(' ') + ' | ' + n.html.slice(0, 160))})))""")


def axe_on_whole_page(page) -> list[dict]:
    """axe-core's violations on the whole page as it is now, with every rule start_axe runs
    at desktop width (for a page the tests change, such as the explorer's)."""
    start_axe(page)  # the desktop width's run: every rule, the whole page
    return axe_violations(page)



# The theme makes each scrollable box focusable (tabIndex 0, for keyboard users; -1 when it
# does not scroll) from a resize handler debounced by 300 ms (pydata-sphinx-theme's
# addTabStopsToScrollableElements): after a resize, wait until every box has the tabIndex
# that handler gives it, then run axe (scrollable-region-focusable reads it).
SCROLLABLES_SETTLED = """() => [...document.querySelectorAll(['pre', '.nboutput > .output_area',
    '.cell_output > .output', '.jp-RenderedHTMLCommon', '.pst-scrollable-table-container']
    .join(', '))].every(e => e.tabIndex === (e.scrollWidth > e.clientWidth
    || e.scrollHeight > e.clientHeight ? 0 : -1))"""


def inspect(pages: dict) -> None:
    """At desktop and then at phone width, on every page: what test_reading.py measures
    (layout.MEASURE), then axe and the page's width. Each page is resized once to each
    width, and is left at desktop width."""
    for viewport in (DESKTOP, PHONE):
        width = viewport["width"]
        for page, _ in pages.values():
            page.set_viewport_size(viewport)
        for page, load in pages.values():
            page.wait_for_function(SETTLED, arg=width)
            page.wait_for_function(SCROLLABLES_SETTLED)
            load.layout[width] = page.evaluate(MEASURE)  # before axe: it scrolls the page
            start_axe(page, width)
        for page, load in pages.values():
            load.axe[width] = axe_violations(page)
            load.scroll_width[width] = page.evaluate("document.documentElement.scrollWidth")
    for page, _ in pages.values():
        page.set_viewport_size(DESKTOP)
    for page, _ in pages.values():
        page.wait_for_function(SETTLED, arg=DESKTOP["width"])


@pytest.fixture(scope="session")
def loaded(browser, base_url, site):
    """Every page (chapters, search, index), loaded once and inspected:
    {name: (page, PageLoad)}."""
    pages = open_pages(browser, {name: f"{base_url}/{name}.html" for name in reader_pages()})
    inspect(pages)
    yield pages
    for page, _ in pages.values():
        page.close()
