"""``make screenshots``: a full-page screenshot of every page of the built site at 1280 px
and at 390 px, for a person to look at as a reader would (not a check, and not part of
``make test``: test_reading.py measures the same pages at the same widths).

    .venv/bin/python -m tests.site.screenshots [SITE] [--pages book/relu ...]

Writes ``_build/screenshots/NAME.png`` (1280 px) and ``NAME-phone.png`` (390 px) and prints
each path. SITE defaults to ``_build/html``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .layout import DESKTOP, PHONE, SETTLED
from .serve import ROOT, chromium, reader_pages, serve, wait_for_mathjax

TARGET = ROOT / "_build" / "screenshots"
WIDTHS = ((DESKTOP, ""), (PHONE, "-phone"))  # viewport, suffix of the file


def screenshots(browser, url: str, pages: list[str], target: Path = TARGET) -> list[Path]:
    """Each of ``pages`` of the site served at ``url`` photographed whole at each of
    :data:`WIDTHS` in ``browser`` (Playwright's), once MathJax has typeset it and the
    resize has settled; the files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in pages:
        page = browser.new_page(viewport=DESKTOP)
        page.set_default_timeout(60_000)
        page.goto(f"{url}/{name}.html", wait_until="load")
        wait_for_mathjax(page)
        for viewport, suffix in WIDTHS:
            page.set_viewport_size(viewport)
            page.wait_for_function(SETTLED, arg=viewport["width"])
            path = target / f"{Path(name).name}{suffix}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        page.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--pages", nargs="+", default=reader_pages(),
                        help="pages relative to the site, without .html (default: all)")
    parser.add_argument("--target", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        sys.exit(f"no built site at {args.site}; run `make book` first")
    with serve(args.site) as url, chromium() as browser:
        for path in screenshots(browser, url, args.pages, args.target):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
