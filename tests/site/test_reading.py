"""The book as a reader sees it, at 1280 px and at 390 px (issue 21).

Every page is measured once (``reading``, below, on the pages conftest.py's ``loaded`` has
already opened for the other browser tests) at 1280 px and again after a resize to 390 px,
and a full-page screenshot at each width is left in ``_build/screenshots`` (``NAME.png`` at
1280 px, ``NAME-phone.png`` at 390 px) for a person to look at. The tests read what was
measured:

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

A failure names the page, the element (its kind, the section it is in and its start, or
the equation's number and TeX) and by how many pixels it is too wide.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest
import yaml

from .serve import ROOT, reader_pages, wait_for_mathjax

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "_build" / "screenshots"
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

# What is measured on a page, in the browser. The column is the article's content box.
# An element's name: its kind, the id of the section it sits in, and the start of its text
# (an equation: its number, if any, and its TeX, from MathJax).
MEASURE = r"""() => {
  const article = document.querySelector('article.bd-article');
  if (!article) return null;
  const style = getComputedStyle(article);
  const rect = article.getBoundingClientRect();
  const left = rect.left + article.clientLeft + parseFloat(style.paddingLeft);
  const column = article.clientWidth - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight);
  const right = left + column;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const tex = e => {
    try {
      const items = MathJax.startup.document.getMathItemsWithin(e);
      return items.length ? items[0].math.trim() : '';
    } catch (err) { return ''; }
  };
  const where = e => {
    const section = e.closest('section[id]');
    return section ? '#' + section.id : '';
  };
  const number = e => {
    const math = e.closest('div.math');
    const eqno = math && math.querySelector('.eqno');
    return eqno ? eqno.textContent.replace('#', '').trim() : '';
  };
  const name = (kind, e) => {
    if (kind === 'equation') {
      return `equation ${number(e)} ${where(e)}: ${tex(e).replace(/\s+/g, ' ').slice(0, 70)}`
        .replace(/  +/g, ' ');
    }
    const text = (e.innerText || e.textContent || '').trim().replace(/\s+/g, ' ');
    return `${kind} ${where(e)}: ${text.slice(0, 60)}`;
  };
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const scroller = e => {  // the nearest box (within the article) that scrolls sideways
    for (let p = e; p && p !== article; p = p.parentElement) if (scrolls(p)) return p;
    return null;
  };
  const elements = [];
  const add = (kind, e) => {
    if (!shown(e)) return;
    const r = e.getBoundingClientRect();
    const box = scroller(e);
    const b = box ? box.getBoundingClientRect() : r;
    elements.push({
      kind, name: name(kind, e),
      needed: Math.max(e.scrollWidth, Math.round(r.width)),  // the width its content takes
      client: e.clientWidth, // the width it shows (for a box that scrolls)
      overflows: e.scrollWidth - e.clientWidth,
      beyond: Math.max(r.right - right, left - r.left),  // past the column's edges
      scrolls: !!box, box_beyond: Math.max(b.right - right, left - b.left),
    });
  };
  for (const pre of article.querySelectorAll('div.highlight pre')) {
    add(pre.closest('.cell_output, .output') ? 'output' : 'code', pre);
  }
  for (const out of article.querySelectorAll('.cell_output > .output:not(:has(pre))')) {
    add('output', out);
  }
  for (const table of article.querySelectorAll('table')) add('table', table);
  for (const eq of article.querySelectorAll('mjx-container[display="true"]')) add('equation', eq);

  // Equation numbers and whatever is drawn over or under them.
  const overlaps = [];
  const area = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
    * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  for (const eqno of article.querySelectorAll('div.math > .eqno')) {
    if (!shown(eqno)) continue;
    const n = eqno.getBoundingClientRect();
    const math = eqno.parentElement;
    for (const other of math.querySelectorAll('mjx-container')) {
      const o = other.getBoundingClientRect();
      if (area(n, o) > 1) {
        overlaps.push(`${eqno.textContent.replace('#', '').trim()} overlaps its formula ` +
                      `by ${Math.round(area(n, o))} px² (${tex(other).slice(0, 50)})`);
      }
    }
    eqno.scrollIntoView({block: 'center'});
    const r = eqno.getBoundingClientRect();
    for (const [fx, fy] of [[.2, .5], [.5, .3], [.5, .5], [.8, .5], [.5, .7]]) {
      const x = r.left + fx * r.width, y = r.top + fy * r.height;
      const top = document.elementFromPoint(x, y);
      if (top && !eqno.contains(top) && top !== math) {
        overlaps.push(`${eqno.textContent.replace('#', '').trim()} is covered by ` +
                      `<${top.tagName.toLowerCase()} class="${top.className}">`);
        break;
      }
    }
  }
  window.scrollTo(0, 0);

  const heading = e => e ? [...e.childNodes].filter(c => !(c.classList
    && c.classList.contains('headerlink'))).map(c => c.textContent).join('').trim() : null;
  const color = e => getComputedStyle(e).color;
  const paragraph = article.querySelector('section > p');
  return {
    column, elements, overlaps,
    body_color: paragraph ? color(paragraph) : null,
    caption_colors: [...article.querySelectorAll('figcaption p, figcaption .caption-text')]
      .map(color),
    page_width: document.documentElement.scrollWidth,
    h1: heading(article.querySelector('h1')),
    h2: [...article.querySelectorAll('section > h2')].map(heading),
  };
}"""

CITATIONS = r"""() => [...document.querySelectorAll('article.bd-article span.bibtex-citation')]
  .flatMap(span => {
    const found = [];
    let before = '';
    for (const node of span.childNodes) {
      if (node.nodeName === 'A') {
        const author = before.replace(/[\[\]]/g, '').replace(/^[\s,;]+|[\s,;]+$/g, '')
          .replace(/\s+/g, ' ');
        const text = node.textContent.replace(/\s+/g, ' ').trim();
        found.push({target: node.getAttribute('href').split('#')[1],
                    cited: author ? `${author}, ${text}` : text,
                    as_written: span.textContent.replace(/\s+/g, ' ').trim()});
        before = '';
      } else {
        before += node.textContent;
      }
    }
    return found;
  })"""

BIBLIOGRAPHY = r"""() => [...document.querySelectorAll('article.bd-article div.citation')]
  .map(entry => ({
    id: entry.id,
    label: entry.querySelector('.label').textContent.replace(/^\[|\]$/g, '').trim(),
    links: [...entry.querySelectorAll('a.reference.external')].map(a => a.href),
    text: entry.textContent.replace(/\s+/g, ' ').trim(),
  }))"""


def open_page(browser, url: str, viewport: dict = DESKTOP):
    """``url`` in a fresh page, once MathJax has typeset it; console errors are collected
    in the list returned with it. Nothing outside localhost is fetched (the site is
    self-contained: test_browser.py checks that)."""
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("http://127.0.0.1", "http://localhost")) else route.abort())
    page.goto(url, wait_until="load")
    wait_for_mathjax(page)
    return page, errors


# After a resize: the new width is laid out and the theme's transitions (the primary sidebar
# turning into a drawer slides it away) have ended, so nothing is measured or photographed
# half-way.
SETTLED = """width => document.documentElement.clientWidth === width
    && document.getAnimations().every(a => !(a instanceof CSSTransition)
                                         || a.playState !== 'running')"""


@pytest.fixture(scope="session")
def reading(loaded):
    """Every page at 1280 and then at 390 px: {(name, width): measured}, with the citations
    of every chapter and the bibliography's entries; a full-page screenshot at each width in
    _build/screenshots. The pages are conftest.py's ``loaded`` ones (already loaded and
    typeset once for the other browser tests), resized: MathJax's output is laid out by
    CSS, so it follows the width. Each is left at 1280 px, as ``loaded`` leaves it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    measured: dict = {"citations": [], "bibliography": [], "screenshots": set()}
    for name, (page, _) in loaded.items():
        measured["citations"] += [dict(c, page=name) for c in page.evaluate(CITATIONS)]
        if name == "book/bibliography":
            measured["bibliography"] = page.evaluate(BIBLIOGRAPHY)
        for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
            page.set_viewport_size(viewport)
            page.wait_for_function(SETTLED, arg=viewport["width"])
            measured[name, viewport["width"]] = page.evaluate(MEASURE)
            target = SCREENSHOTS / f"{Path(name).name}{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            measured["screenshots"].add(target)
        page.set_viewport_size(DESKTOP)
        page.wait_for_function(SETTLED, arg=DESKTOP["width"])
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
    page, errors = open_page(browser, f"{base_url}/search.html?q={quote_plus(query)}")
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
    assert not errors, errors


@pytest.mark.parametrize("suffix", ["", "-phone"])
@pytest.mark.parametrize("name", PAGES)
def test_a_screenshot_of_every_page_at_both_widths(reading, name, suffix):
    """Taken in this run (by ``reading``), for a person to look at."""
    target = SCREENSHOTS / f"{Path(name).name}{suffix}.png"
    assert target in reading["screenshots"]
    assert target.exists() and target.stat().st_size > 10_000


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
