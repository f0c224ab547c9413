"""The book as a reader sees it, at 1280 px and at 390 px (issue 21).

Every page is measured once at 1280 px and again after a resize to 390 px, by
conftest.py's ``inspect``, on the pages ``loaded`` opened for the other browser tests (the
measurements: layout.py). The tests read what was measured:

- At 1280 px no code block, cell output, table or display equation is wider than the
  article's column, and none scrolls sideways inside its own box (a cut-off result is not
  read). Code and outputs a reader has not opened (myst-nb's hidden cells) are not drawn
  and not measured.
- At 390 px a display equation or table wider than the column scrolls inside its own box,
  which stays within the column, and nothing overlaps an equation's number.
- Chapters are numbered as the table of contents numbers them: the title of the n-th
  chapter of the numbered parts reads "n. ...", its sections "n.k. ...".
- The bibliography: every entry links somewhere (arXiv, DOI or the work's own site), and
  every citation in the book reads as the label of the entry it links to
  (``Santurkar et al. [2018]`` and ``[Santurkar et al., 2018]`` both cite
  ``[Santurkar et al., 2018]``).
- Search results: neither a title nor a snippet shows TeX (no backslash); the search
  field's magnifier is clear of the typed text.
- Captions are in the colour of the body text.

For a person to look at, ``make screenshots`` leaves a full-page screenshot of every page
at each width in ``_build/screenshots`` (screenshots.py; not part of ``make test``).

A failure names the page, the element (its kind, the section it is in and its start, or
the equation's number and TeX) and by how many pixels it is too wide.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

import pytest
import yaml

from .conftest import open_page
from .layout import BIBLIOGRAPHY, CITATIONS, DESKTOP, PHONE, SETTLED
from .serve import ROOT, reader_pages

PAGES = reader_pages()
WIDTHS = (DESKTOP["width"], PHONE["width"])
TOLERANCE = 1  # px: sub-pixel layout rounds either way
SEARCHES = ("gradient", "minima", "scale invariance")


def numbered_chapters() -> list[str]:
    """The chapters of the parts marked ``numbered: true`` in ``_toc.yml``, in order (the
    numbering runs on across parts: Jupyter Book's ``use_multitoc_numbering``)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [chapter["file"] for part in toc.get("parts", []) if part.get("numbered")
            for chapter in part.get("chapters", [])]


NUMBERED = numbered_chapters()


@pytest.fixture(scope="session")
def reading(loaded):
    """Every page at 1280 and at 390 px: {(name, width): measured}, as conftest.py's
    ``inspect`` measured it (each page is resized once to each width, for axe-core and for
    these measurements alike; MathJax's output is laid out by CSS, so it follows the
    width), with the citations of every chapter and the bibliography's entries."""
    measured: dict = {"citations": [], "bibliography": []}
    for name, (page, load) in loaded.items():
        measured["citations"] += [dict(c, page=name) for c in page.evaluate(CITATIONS)]
        if name == "book/bibliography":
            measured["bibliography"] = page.evaluate(BIBLIOGRAPHY)
        for width in WIDTHS:
            measured[name, width] = load.layout[width]
    return measured


def too_wide(elements: list[dict], column: float, kinds: tuple[str, ...]) -> list[str]:
    """Each element of these kinds wider than the column, or scrolling in its own box."""
    found = []
    for e in elements:
        if e["kind"] not in kinds:
            continue
        excess = max(e["needed"] - column, e["overflows"], e["beyond"])
        if excess > TOLERANCE:
            shows = (f", its box shows {e['client']} px and scrolls sideways"
                     if e["overflows"] > TOLERANCE else "")
            found.append(f"{e['name']}: {e['needed']} px wide in a {column:.0f} px column"
                         f"{shows} ({excess:.0f} px too wide)")
    return found


@pytest.mark.parametrize("name", PAGES)
def test_no_code_or_output_wider_than_the_column_at_1280(reading, name):
    measured = reading[name, 1280]
    if measured is None:
        return  # not an article page (none today)
    found = too_wide(measured["elements"], measured["column"], ("code", "output"))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", PAGES)
def test_no_table_wider_than_the_column_at_1280(reading, name):
    measured = reading[name, 1280]
    if measured is None:
        return
    found = too_wide(measured["elements"], measured["column"], ("table",))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", PAGES)
def test_no_display_equation_wider_than_the_column_at_1280(reading, name):
    measured = reading[name, 1280]
    if measured is None:
        return
    found = too_wide(measured["elements"], measured["column"], ("equation",))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", PAGES)
def test_wide_equations_and_tables_scroll_in_their_own_box_at_390(reading, name):
    """On a phone a formula or table wider than the column scrolls sideways inside a box
    that stays within the column; the page itself never scrolls sideways."""
    measured = reading[name, 390]
    if measured is None:
        return
    column = measured["column"]
    found = []
    for e in measured["elements"]:
        if e["kind"] not in ("equation", "table"):
            continue
        if e["needed"] - column > TOLERANCE and not e["scrolls"]:
            found.append(f"{e['name']}: {e['needed']} px in a {column:.0f} px column, "
                         "in no box that scrolls")
        elif e["scrolls"] and e["box_beyond"] > TOLERANCE:
            found.append(f"{e['name']}: its scrolling box reaches {e['box_beyond']:.0f} px "
                         "past the column")
    assert not found, "\n".join(found)
    assert measured["page_width"] <= PHONE["width"]


@pytest.mark.parametrize("name", PAGES)
def test_nothing_overlaps_an_equation_number_at_390(reading, name):
    measured = reading[name, 390]
    if measured is None:
        return
    assert not measured["overlaps"], "\n".join(measured["overlaps"])


@pytest.mark.parametrize("name", PAGES)
def test_captions_are_in_the_body_text_colour(reading, name):
    """Not the theme's muted grey: a caption is read as closely as the text."""
    measured = reading[name, 1280]
    if measured is None or not measured["caption_colors"]:
        return
    assert set(measured["caption_colors"]) == {measured["body_color"]}


@pytest.mark.parametrize("where", ["search page", "search dialog"])
def test_the_search_icon_is_clear_of_the_typed_text(browser, base_url, where):
    """The magnifier sits before the text typed into the search field, not over it."""
    url = f"{base_url}/{'search' if where == 'search page' else 'book/lemma'}.html"
    page, _ = open_page(browser, url)
    try:
        if where == "search dialog":
            page.keyboard.press("Control+k")
            form = "#pst-search-dialog form.bd-search"
        else:
            form = ".bd-search-container form.bd-search"
        page.locator(f"{form} input").fill("Wwww")
        icon, text_left = page.evaluate(f"""() => {{
            const form = document.querySelector('{form}');
            const input = form.querySelector('input');
            const icon = form.querySelector('.fa-magnifying-glass').getBoundingClientRect();
            return [[icon.left, icon.right, icon.width],
                    input.getBoundingClientRect().left + input.clientLeft
                    + parseFloat(getComputedStyle(input).paddingLeft)];
        }}""")
    finally:
        page.close()
    left, right, width = icon
    assert width > 0, "no magnifier drawn"
    assert right <= text_left, f"the icon covers the text's first {right - text_left:.0f} px"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NUMBERED)
def test_chapter_and_section_headings_are_numbered(reading, name, width):
    """The n-th chapter of the numbered parts is titled "n. ...", its sections "n.k. ..."."""
    n = NUMBERED.index(name) + 1
    measured = reading[name, width]
    assert measured["h1"] and measured["h1"].startswith(f"{n}. "), (
        f"chapter {n} is titled {measured['h1']!r}")
    unnumbered = [h for h in measured["h2"] if not re.match(rf"{n}\.\d+\. ", h)]
    assert not unnumbered, f"sections of chapter {n} without its number: {unnumbered}"


def test_every_bibliography_entry_links_to_the_work(reading):
    entries = reading["bibliography"]
    assert entries, "no entries on the bibliography page"
    unlinked = [e["text"][:80] for e in entries
                if not any(h.startswith(("https://", "http://")) for h in e["links"])]
    assert not unlinked, f"entries without a link: {unlinked}"


def test_bibliography_labels_read_as_the_citations(reading):
    """Each citation's author-year text is the label of the entry it links to; no label is
    anything but author(s) and year."""
    entries = {e["id"]: e["label"] for e in reading["bibliography"]}
    odd = [label for label in entries.values()
           if not re.fullmatch(r"[^\W\d_][\w'’ .-]*(?: and [^\W\d_][\w'’ .-]*| et al\.)?, "
                               r"\d{4}[a-z]?", label)]
    assert not odd, f"labels that are not author-year: {odd}"
    citations = reading["citations"]
    assert citations, "no citations found in the chapters"
    wrong = [f"{c['page']}: {c['as_written']!r} links to [{entries.get(c['target'])}]"
             for c in citations if entries.get(c["target"]) != c["cited"]]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("query", SEARCHES)
def test_search_results_show_no_tex(browser, base_url, query):
    """Titles and snippets of the search results, once every snippet has been made."""
    page, load = open_page(browser, f"{base_url}/search.html?q={quote_plus(query)}")
    try:
        # Sphinx's searchtools.js titles the results so once it has listed them all
        page.wait_for_function("typeof Search !== 'undefined' && !!Search.title"
                               " && Search.title.innerText === 'Search Results'",
                               timeout=30_000)
        page.wait_for_load_state("networkidle")
        results = page.evaluate("""() => [...document.querySelectorAll(
            '#search-results ul.search li')].map(li => ({
                title: li.querySelector('a').textContent,
                snippet: (li.querySelector('p.context') || {}).textContent || ''}))""")
    finally:
        page.close()
    assert results, f"no results for {query!r}"
    assert any(r["snippet"] for r in results), f"no snippets for {query!r}"
    tex = [f"{r['title']}: {r['snippet'][:200]}" for r in results
           if "\\" in r["title"] + r["snippet"]]
    assert not tex, "\n".join(tex)
    assert not load.console_errors and not load.external, (load.console_errors, load.external)


def test_make_screenshots_photographs_a_page_whole_at_both_widths(browser, base_url, tmp_path):
    """``make screenshots`` (screenshots.py), on one page: a PNG per width, as wide as the
    window and as tall as the page."""
    from PIL import Image

    from .screenshots import screenshots

    written = screenshots(browser, base_url, ["book/lemma"], tmp_path)
    assert [p.name for p in written] == ["lemma.png", "lemma-phone.png"]
    for path, (width, height) in zip(written, [(1280, 900), (390, 844)], strict=True):
        with Image.open(path) as image:
            assert image.width == width and image.height > 2 * height, (path.name, image.size)


# The cells of each row of the claims table, as shares of the row's width.
CARD_CELLS = """() => [...document.querySelectorAll('article.bd-article .claims-table tr')]
  .filter(tr => tr.querySelector('td'))
  .map(tr => [...tr.querySelectorAll('td')].map(td => td.getBoundingClientRect().width
                                                       / tr.getBoundingClientRect().width))"""


def test_on_a_phone_each_claim_is_a_card_whose_lines_take_its_width(loaded):
    """At 390 px a claim's name, statement, value and status each run the card's width (a
    column's width left over from the desktop table breaks "paper-1" into two lines)."""
    page, _ = loaded["book/claims"]
    page.set_viewport_size(PHONE)
    page.wait_for_function(SETTLED, arg=PHONE["width"])
    try:
        rows = page.evaluate(CARD_CELLS)
    finally:
        page.set_viewport_size(DESKTOP)
        page.wait_for_function(SETTLED, arg=DESKTOP["width"])
    assert len(rows) > 20, "no claims table on the page"
    narrow = [f"row {i + 1}: {[round(f, 2) for f in row]}" for i, row in enumerate(rows)
              if min(row) < 0.85]
    assert not narrow, "cells narrower than their card:\n" + "\n".join(narrow)
