"""The built book in a real browser (headless Chromium via Playwright), served on localhost.

Every page is loaded once (``loaded`` in conftest.py) at desktop width (1280 px), checked
with axe-core there and at a phone's width (390 px); the tests below read what was found.
No request may leave localhost: the site must be self-contained (MathJax included).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import AXE_CORE, STYLE_RULES, inspect, open_page
from .serve import ROOT, chapters, reader_pages
from .weight import FIRST_LOAD_GOAL

CHAPTERS = chapters()
PAGES = reader_pages()
NOTEBOOK_CHAPTERS = [c for c in CHAPTERS if (ROOT / f"{c}.ipynb").exists()]
WIDTHS = (1280, 390)


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_console_errors_or_failed_requests(loaded, name):
    """Also: no request under _static/mathjax 404s (the site ships a subset of MathJax)."""
    _, load = loaded[name]
    assert not load.console_errors, load.console_errors
    assert not load.failed, load.failed


@pytest.mark.parametrize("name", PAGES)
def test_page_requests_nothing_outside_localhost(loaded, name):
    assert not loaded[name][1].external, loaded[name][1].external


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_accessibility_violation(loaded, name, width):
    """axe-core, all rules (experimental ones too), at desktop and at phone width."""
    bad = [v for v in loaded[name][1].axe[width] if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['nodes']}" for v in bad)


@pytest.mark.parametrize("name", PAGES)
def test_no_page_is_wider_than_a_phone(loaded, name):
    """At 390 px the page does not scroll sideways: wide formulas, tables and outputs scroll
    inside their own boxes."""
    assert loaded[name][1].scroll_width[390] <= 390


@pytest.mark.parametrize("name", CHAPTERS)
def test_first_load_is_light(loaded, name):
    """A chapter's fresh load (empty cache) downloads at most 2 MB, uncompressed (and was
    measured: conftest.open_pages waits for each page it starts)."""
    assert 0 < loaded[name][1].first_load <= FIRST_LOAD_GOAL, (
        f"{loaded[name][1].first_load / 1e6:.2f} MB")


@pytest.mark.parametrize("name", CHAPTERS)
def test_mathematics_is_typeset(loaded, name):
    page, _ = loaded[name]
    has_math = page.locator(".math, span.math, div.math").count() > 0
    if has_math:
        assert page.locator("mjx-container").count() > 0, "math on the page, but no MathJax"
    # Visible prose only: code cells legitimately contain backslashes and dollar signs.
    text = page.evaluate("""() => {
        const clone = document.querySelector('main').cloneNode(true);
        clone.querySelectorAll('pre, .highlight, code, mjx-assistive-mml, script')
             .forEach(e => e.remove());
        return clone.innerText; }""")
    for raw in ("$$", "\\(", "\\)", "\\[", "\\]", "\\frac", "\\hat", "\\langle", "\\nabla",
                "{glue"):
        assert raw not in text, f"untypeset {raw!r} in the visible text of {name}"
    assert not re.search(r"\$[^$\s][^$\n]*\$", text), f"untypeset $...$ in {name}"


@pytest.mark.parametrize("name", PAGES)
def test_icons_are_drawn(loaded, name):
    """The icon fonts (subsets, book/_ext/leansite.py) load, and every icon has its glyph."""
    page, _ = loaded[name]
    broken_fonts = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'error').map(f => f.family)")
    assert not broken_fonts
    missing = page.evaluate("""() => [...document.querySelectorAll('i[class*="fa-"],'
        + ' span[class*="fa-"]')].filter(e => ['', 'none', 'normal'].includes(
            getComputedStyle(e, '::before').content)).map(e => e.className)""")
    assert not missing, missing


def test_axe_core_is_the_release_the_pin_brings(loaded):
    """A new axe-core (through a new axe-playwright-python pin) can change what is checked:
    this fails until AXE_CORE, and the rules left out in conftest.py, are reviewed; and
    until a new colour rule (axe's cat.color) is in STYLE_RULES, which conftest.inspect
    runs at a phone's width where the computed style changed, or left out of it."""
    page = loaded["book/intro"][0]
    assert page.evaluate("axe.version") == AXE_CORE
    colour = page.evaluate("axe.getRules(['cat.color']).map(r => r.ruleId)")
    # color-contrast-enhanced (WCAG AAA) is off unless asked for, and not asked for
    assert sorted(colour) == sorted([*STYLE_RULES, "color-contrast-enhanced"]), colour


# Four faults put into a page: grey text only at a phone's width, grey text at every
# width, an image without a description shown only on a phone, and a link told from its
# text only by an underline that a phone does not show (its colour is too close).
FAULTS = """() => {
  const style = document.createElement('style');
  style.textContent = `#phone-grey, #grey { color: #bbb; background: #fff; }
    #linked { color: #000; } #phone-link { color: #333; text-decoration: none; }
    @media (min-width: 600px) { #phone-grey { color: #000; } #phone-image { display: none; }
      #phone-link { text-decoration: underline; } }`;
  document.head.append(style);
  const article = document.querySelector('article.bd-article');
  article.insertAdjacentHTML('afterbegin', '<p id="phone-grey">grey on a phone</p>'
    + '<p id="grey">grey everywhere</p>'
    + '<img id="phone-image" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40"'
    + ' height="40">'
    + '<p id="linked">Some text with <a id="phone-link" href="#">a link</a> in it.</p>');
}"""


def test_open_page_blocks_and_records_what_leaves_localhost_and_weighs_every_body(
        browser, base_url, site):
    """conftest.open_page, on which the tests above rely: a request to another host is
    recorded and never answered; first_load is the bytes of every body the page received,
    the sum of the served files' sizes (the local server sends them uncompressed), but the
    favicon's: the browser fetches it for its own tab, and Resource Timing does not
    expose its size to the page (weight.body_bytes)."""
    page, load = open_page(browser, f"{base_url}/book/intro.html")
    urls = [urlparse(u).path.lstrip("/") for u in page.evaluate(
        """() => [...performance.getEntriesByType('navigation'),
                  ...performance.getEntriesByType('resource')].map(e => e.name)""")]
    on_disk = sum((site / u).stat().st_size for u in urls if u != "_static/favicon.ico")
    assert len(urls) > 10 and load.first_load == on_disk, (load.first_load, on_disk, urls)
    answered = page.evaluate("""() => fetch('https://example.org/x.js').then(() => true,
        () => false)""")
    assert not answered and load.external == ["https://example.org/x.js"], load.external
    page.close()


def test_axe_at_phone_width_finds_what_only_a_phone_shows(browser, base_url):
    """conftest.inspect: at 390 px every rule but the colour rules checks the whole page,
    and the colour rules where the computed style differs from 1280 px; what is wrong at
    both widths is found at 1280 px."""
    page, load = open_page(browser, f"{base_url}/book/intro.html")
    page.evaluate(FAULTS)
    inspect({"book/intro": (page, load)})
    found = {width: {(v["id"], n.split(" | ")[0]) for v in load.axe[width] for n in v["nodes"]}
             for width in WIDTHS}
    assert {("color-contrast", "#grey")} <= found[1280]
    assert not {n for n in found[1280]
                if n[1] in ("#phone-grey", "#phone-image", "#phone-link")}
    assert {("color-contrast", "#phone-grey"), ("image-alt", "#phone-image"),
            ("link-in-text-block", "#phone-link")} <= found[390]
    page.close()


def test_the_mathjax_menu_opens_and_its_accessibility_options_load(browser, base_url):
    """MathJax's context menu (loaded when first asked for) opens on a right-click, and
    switching on the explorer (speech, Braille) loads what it needs without a 404."""
    page, load = open_page(browser, f"{base_url}/book/counterexample.html")
    formula = page.locator("article.bd-article mjx-container").first
    formula.scroll_into_view_if_needed()
    formula.click(button="right")
    page.wait_for_selector(".CtxtMenu_Menu", state="visible", timeout=20_000)
    assert page.get_by_role("menuitem", name="Accessibility").count() == 1
    page.keyboard.press("Escape")
    page.evaluate("MathJax.startup.document.menu.menu.pool.lookup('explorer').setValue(true)")
    page.wait_for_function("!!(MathJax._.a11y && MathJax._.a11y.explorer)", timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert not load.failed and not load.console_errors, (load.failed, load.console_errors)
    page.close()


def test_one_search_field_at_desktop_width(loaded):
    """One search field (the sidebar's), not a second in a header strip."""
    for name in ("book/intro", "book/counterexample"):
        page, _ = loaded[name]
        visible = page.evaluate("""() => [...document.querySelectorAll(
            '.search-button-field, form.bd-search')].filter(e => !e.closest('dialog')
            && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
            .length""")
        assert visible == 1, f"{visible} search fields on {name}"


@pytest.mark.parametrize("how", ["ctrl+k", "sidebar"])
def test_search_opens_by_keyboard_and_from_the_sidebar(browser, base_url, how):
    """The search dialog opens with the field focused, and typing "Lemma 4.5" into it finds
    at least one page, without a console error or a request leaving the site."""
    page, load = open_page(browser, f"{base_url}/book/lemma.html")
    if how == "ctrl+k":
        page.keyboard.press("Control+k")
    else:
        page.locator(".bd-sidebar-primary .search-button-field").click()
    field = page.locator("#pst-search-dialog input[name=q]")
    field.wait_for(state="visible")
    assert page.evaluate("document.activeElement.name") == "q"
    field.fill("Lemma 4.5")
    field.press("Enter")
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    assert "search.html" in page.url
    assert not load.console_errors and not load.external
    page.close()


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_image_loads_and_is_described(loaded, name):
    page, _ = loaded[name]
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
