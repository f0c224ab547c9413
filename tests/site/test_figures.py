"""Figures and code as a reader sees them (issue 21, items 1, 2 and 6).

On the pages conftest.py's ``loaded`` has already opened (at 1280 px):

- Every figure reads as displayed: tesseract reads, in a screenshot of the image as shown
  in the column, at least :data:`OCR_SHARE` of the words it reads in the full-size PNG.
  A word is a run of two or more letters or digits, in lower case. Each image is read
  twice, as sparse text (``--psm 11``: labels scattered over a plot) and as a page
  (``--psm 3``, which also reads rotated axis labels), and the words of both readings are
  pooled (a word's count is the larger of its two counts). The full-size words are those
  read with a confidence of at least :data:`OCR_CONFIDENCE` (what tesseract reads less
  surely at full size is mostly noise: a tick mark read as a digit, a subscript); a word
  read as displayed counts only if the full-size reading has it too.
- Every figure is drawn for the width it is shown at: its PNG is twice as wide as the
  image shown (``bnpaper.presentation.plots`` draws at 100 CSS px per inch and saves at
  200 dpi), so its text is at the size it was drawn, not shrunk.
- No figure's text measures an angle in radians (the book's one unit is the degree).
- Every figure is a link to its own PNG (book/_ext/figurelinks.py), named by its alt text;
  on a phone (390 px, touch) a tap on a figure opens the PNG at its natural size.
- No code a reader sees (a cell's input not hidden in a closed ``<details>``) imports a
  module or calls ``glue``/``glue_*``: that plumbing is tagged ``remove-input``.

These need tesseract (Debian: tesseract-ocr, tesseract-ocr-eng) for the OCR tests; they are
marked ``tesseract`` (conftest.py) and fail, saying so, where it is missing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import PHONE
from .serve import reader_pages, wait_for_mathjax

PAGES = reader_pages()
OCR_SHARE = 0.85
OCR_CONFIDENCE = 80  # tesseract's per-word confidence, 0-100
OCR_MODES = ("11", "3")  # page segmentation: sparse text; a page (with rotated labels)
DRAWN_SCALE = 2.0  # PNG pixels per CSS pixel as shown
SCALE_TOLERANCE = 0.03

# The images of the article: figures and cell outputs (not the theme's logos or icons).
IMAGES = """() => [...document.querySelectorAll(
    'article.bd-article figure img, article.bd-article .cell_output img')].map((img, i) => {
  const figure = img.closest('figure');
  const number = figure && figure.querySelector('.caption-number');
  const link = img.closest('a[href]');
  const r = img.getBoundingClientRect();
  return {index: i, src: img.src, alt: img.getAttribute('alt') || '',
          name: number ? number.textContent.trim() : `image ${i + 1}`,
          natural: img.naturalWidth, shown: r.width,
          link: link ? link.href : null};
})"""

# Visible code: each cell's input, unless inside a <details> the reader has not opened.
VISIBLE_CODE = """() => [...document.querySelectorAll('article.bd-article div.cell')]
  .map((cell, i) => ({cell: i + 1, input: cell.querySelector('.cell_input pre')}))
  .filter(c => c.input && !c.input.closest('details:not([open])'))
  .map(c => ({cell: c.cell, code: c.input.textContent}))"""

PLUMBING = re.compile(r"^\s*(?:import\s|from\s+\S+\s+import\s)|\bglue(?:_\w+)?\s*\(")


@pytest.fixture(scope="session")
def tesseract() -> str:
    path = shutil.which("tesseract")
    if path is None:
        pytest.fail("tesseract not found: install Debian's packages (`apt-get install "
                    "tesseract-ocr tesseract-ocr-eng`); the figure OCR tests need it")
    return path


def read_image(tesseract: str, png: bytes, confidence: float = 0) -> Counter:
    """The words tesseract reads in a PNG with at least ``confidence``, pooled over
    :data:`OCR_MODES` (each word counted as often as the reading with most of it)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one thread each; two readings at a time
    pooled: Counter = Counter()
    for mode in OCR_MODES:
        done = subprocess.run([tesseract, "stdin", "stdout", "--psm", mode, "tsv"],
                              input=png, capture_output=True, env=env, check=True)
        found: Counter = Counter()
        for row in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) == 12 and float(cells[10]) >= confidence:
                found.update(w.lower() for w in re.findall(r"[^\W_]{2,}", cells[11]))
        pooled |= found
    return pooled


BOX = """img => img.decode().then(() => { const r = img.getBoundingClientRect();
    return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })"""


def screenshot(page, element) -> bytes:
    """The image as displayed, cut from a full-page screenshot (a screenshot of the element
    alone scrolls it into view, where the theme's sticky header covers its top), once it is
    decoded, and taken again if the image moved while it was taken (the page was still
    being laid out: a cut from the wrong place reads as a figure with no words)."""
    box = element.evaluate(BOX)
    for _ in range(5):
        shot = page.screenshot(full_page=True, clip=box, animations="disabled")
        moved, box = box, element.evaluate(BOX)
        if moved == box:
            return shot
    raise AssertionError(f"the image kept moving on the page: {moved} then {box}")


@pytest.fixture(scope="session")
def figures(loaded, site, tesseract):
    """Every page's images at 1280 px, with the words read in each as displayed and in its
    PNG at full size: {name: [image dict with shown_words and full_words]}."""
    selector = "article.bd-article figure img, article.bd-article .cell_output img"
    full: dict[str, Any] = {}  # one reading per PNG (the intro repeats a figure)
    pending = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for name, (page, _) in loaded.items():
            pending[name] = []
            for image in page.evaluate(IMAGES):
                png = (site / urlparse(image["src"]).path.lstrip("/")).read_bytes()
                key = hashlib.sha256(png).hexdigest()
                if key not in full:
                    full[key] = pool.submit(read_image, tesseract, png, OCR_CONFIDENCE)
                shot = screenshot(page, page.locator(selector).nth(image["index"]))
                pending[name].append((image, key, pool.submit(read_image, tesseract, shot)))
        return {name: [dict(image, shown_words=shown.result(),
                            full_words=full[key].result()) for image, key, shown in shots]
                for name, shots in pending.items()}


@pytest.mark.parametrize("name", PAGES)
def test_figures_read_as_displayed(figures, name):
    """OCR reads as displayed at 1280 px at least 85 % of the words it reads at full size."""
    poor = []
    for image in figures[name]:
        full = sum(image["full_words"].values())
        shown = sum((image["shown_words"] & image["full_words"]).values())
        if full and shown < OCR_SHARE * full:
            missed = sorted((image["full_words"] - image["shown_words"]).elements())
            poor.append(f"{image['name']} ({image['alt'][:50]}…): {shown} of {full} words "
                        f"read as displayed ({shown / full:.2f} < {OCR_SHARE}); not read: "
                        f"{' '.join(missed[:15])}")
    assert not poor, f"{name}:\n" + "\n".join(poor)


@pytest.mark.parametrize("name", PAGES)
def test_figures_measure_angles_in_degrees(figures, name):
    """No figure labels an angle in radians (the book's angles are in degrees)."""
    radians = [image["name"] for image in figures[name]
               if image["full_words"]["radians"] or image["full_words"]["rad"]]
    assert not radians, f"{name}: radians in {radians}"


@pytest.mark.parametrize("name", PAGES)
def test_figures_are_drawn_for_the_width_they_are_shown(loaded, name):
    """Each figure's PNG is twice as wide as the image shown at 1280 px: drawn for that
    width (its fonts at their size), not drawn wider and shrunk into the column."""
    page, _ = loaded[name]
    off = []
    for image in page.evaluate(IMAGES):
        scale = image["natural"] / image["shown"] if image["shown"] else 0
        if abs(scale - DRAWN_SCALE) > SCALE_TOLERANCE * DRAWN_SCALE:
            off.append(f"{image['name']}: a {image['natural']} px PNG shown "
                       f"{image['shown']:.0f} px wide (× {1 / scale:.2f}; drawn for "
                       f"{image['natural'] / DRAWN_SCALE:.0f} px)")
    assert not off, f"{name}:\n" + "\n".join(off)


@pytest.mark.parametrize("name", PAGES)
def test_each_figure_links_to_its_full_size_image(loaded, name):
    """Each image is inside a link to its own PNG, and has alt text (the link's name)."""
    page, _ = loaded[name]
    bad = [f"{image['name']}: " + ("no alt text" if not image["alt"].strip() else
                                  f"links to {image['link']}, not {image['src']}")
           for image in page.evaluate(IMAGES)
           if image["link"] != image["src"] or not image["alt"].strip()]
    assert not bad, f"{name}:\n" + "\n".join(bad)


def test_a_tap_on_a_figure_opens_it_full_size_on_a_phone(browser, base_url, site):
    """At 390 px, with touch: a tap on each figure of *The two loss landscapes* opens its
    PNG, at its natural width (twice the 672 px it is drawn for in the desktop column)."""
    url = f"{base_url}/book/landscapes.html"
    page = browser.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page.goto(url, wait_until="load")
        wait_for_mathjax(page)
        images = page.evaluate(IMAGES)
        assert images, "no figure on the page"
        for image in images:
            if page.url != url:
                page.goto(url, wait_until="load")
            target = page.locator("article.bd-article figure img, "
                                  "article.bd-article .cell_output img").nth(image["index"])
            target.scroll_into_view_if_needed()
            try:
                with page.expect_navigation(timeout=10_000):
                    target.tap()
            except PlaywrightTimeout:
                pytest.fail(f"{image['name']}: a tap on the figure opened nothing "
                            "(the image is not a link to its PNG)")
            assert urlparse(page.url).path == urlparse(image["src"]).path, (
                f"{image['name']}: a tap opened {page.url}, not the figure's PNG")
            opened = page.evaluate("""() => ({type: document.contentType,
                natural: document.images.length ? document.images[0].naturalWidth : 0})""")
            assert opened["type"] == "image/png", f"{image['name']}: opened {opened['type']}"
            assert opened["natural"] == image["natural"] >= DRAWN_SCALE * image["shown"], (
                f"{image['name']}: opened at {opened['natural']} px, shown {image['shown']} px")
    finally:
        page.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_plumbing_in_view(loaded, name):
    """No visible code imports a module or calls glue/glue_*: such cells are tagged
    remove-input (they only feed the page); the reader sees the calls that compute."""
    page, _ = loaded[name]
    shown = []
    for cell in page.evaluate(VISIBLE_CODE):
        lines = [line.strip() for line in cell["code"].splitlines() if PLUMBING.search(line)]
        if lines:
            shown.append(f"cell {cell['cell']}: " + "; ".join(lines[:4])
                         + (f" (+{len(lines) - 4} more)" if len(lines) > 4 else ""))
    assert not shown, f"{name}: plumbing in view\n" + "\n".join(shown)
