"""How heavy the built book is: its size on disk, and what a reader's browser downloads.

    .venv/bin/python -m tests.site.weight [_build/html]

prints the size of the built site and, measured in headless Chromium, each chapter's first
load: the sum of the (uncompressed) response bodies of a fresh load of the chapter, with an
empty cache, until MathJax has typeset it and the network is idle. Goals: the site at most
11 MB, every first load at most 2 MB. ``make bench`` runs it. (Issue 12 set 10 MB for the
site; issue 21 draws every figure at twice the width it is shown, for a sharp image and a
full-size one a tap opens on a phone, which adds about 0.7 MB with the figures in the
notebooks the site offers for download, and the PDF edition is 1.6 MB of it.)
"""

from __future__ import annotations

import sys
from pathlib import Path

from .serve import ROOT, chapters, chromium, serve, wait_for_mathjax

SITE_GOAL = 11_000_000  # bytes
FIRST_LOAD_GOAL = 2_000_000  # bytes


def site_size(site: Path) -> int:
    """Bytes of every file of the built site."""
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


# Resource Timing keeps 250 entries unless told otherwise; a page loads at most 44 today
# (the theme, MathJax's parts and fonts, the figures), and KEEP_EVERY_RESOURCE makes room for all.
KEEP_EVERY_RESOURCE = "performance.setResourceTimingBufferSize(100000)"
BODY_BYTES = """() => {
  const entries = [...performance.getEntriesByType('navigation'),
                   ...performance.getEntriesByType('resource')];
  return entries.reduce((sum, e) => sum + e.decodedBodySize, 0);
}"""


def body_bytes(page) -> int:
    """Bytes of the response bodies (uncompressed) the page has received so far: the page's
    own Resource Timing entries, every one same-origin here, so their sizes are exposed;
    not the favicon the browser fetches for its tab (its size is not exposed to the page:
    396 bytes today). Read in the page: copying each body out of the browser to count it
    cost about 10 CPU-s over the site tests. The page must have been opened with
    ``KEEP_EVERY_RESOURCE``."""
    return page.evaluate(BODY_BYTES)


def first_load(browser, url: str) -> int:
    """Bytes a fresh browser context downloads to show ``url``."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(KEEP_EVERY_RESOURCE)
    page.goto(url, wait_until="load")
    wait_for_mathjax(page)
    total = body_bytes(page)
    page.close()
    return total


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "html").resolve()
    size = site_size(site)
    mathjax = site_size(site / "_static" / "mathjax")
    with serve(site) as base, chromium() as browser:
        loads = {c: first_load(browser, f"{base}/{c}.html") for c in chapters()}
    largest = max(loads, key=loads.get)
    print(f"built site      {size / 1e6:6.2f} MB  (MathJax {mathjax / 1e6:.2f} MB; "
          f"goal <= {SITE_GOAL / 1e6:.0f} MB)")
    print(f"largest first load {loads[largest] / 1e6:6.2f} MB  ({largest}.html; "
          f"goal <= {FIRST_LOAD_GOAL / 1e6:.0f} MB; median "
          f"{sorted(loads.values())[len(loads) // 2] / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
