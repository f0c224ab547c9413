"""Record which MathJax files the book needs, and write ``book/_ext/mathjax_files.txt``.

    .venv/bin/python -m tests.site.record_mathjax [_build/html]

Serves the built site with every request under ``_static/mathjax/`` answered from the full
MathJax tree of the pinned ``sphinx-mathjax-offline`` package, and records those requests
while headless Chromium: loads every page and typesets it; right-clicks a formula on each
page with mathematics (the context menu, loaded on demand); and, on one page, switches on
through the menu's own settings what a reader can switch on for accessibility (the
explorer with speech and Braille, collapsible mathematics, the assistive MathML), then
loads every page again with those settings saved. The list it writes is what
``book/_ext/leansite.py`` ships. Re-run it after adding a chapter that uses a new TeX
package (the site tests fail on any MathJax request that 404s).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

from .serve import ROOT, chromium, serve, site_pages, wait_for_mathjax

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import leansite  # noqa: E402

PREFIX = "/_static/mathjax/"
# Menu settings a reader can switch on for accessibility (MathJax 3.2 menu variables).
A11Y_SETTINGS = {"explorer": True, "speech": True, "braille": True, "collapsible": True,
                 "assistiveMml": True}


# Shipped though the walk above may not request it: the Braille (Nemeth) rules, which SRE
# loads when a reader turns Braille on and explores a formula.
ALSO = {"sre/mathmaps/nemeth.json"}


def open_menu(page) -> bool:
    """Right-click the first formula; True if MathJax's context menu opened."""
    formula = page.locator("article.bd-article mjx-container").first
    if formula.count() == 0:
        return False
    formula.scroll_into_view_if_needed()
    formula.click(button="right")
    page.wait_for_selector(".CtxtMenu_Menu", state="visible", timeout=15_000)
    page.keyboard.press("Escape")
    return True


def explore(page) -> None:
    """Walk into the first formula with the keyboard, as the explorer's reader does
    (speech and Braille are computed then)."""
    page.locator("article.bd-article mjx-container").first.focus()
    for key in ("ArrowDown", "ArrowRight", "ArrowDown", "ArrowUp", "Escape"):
        page.keyboard.press(key)
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")


def record(site: Path) -> list[str]:
    source = leansite.mathjax_source()
    seen: set[str] = set()

    def route(route):
        path = urlparse(route.request.url).path
        name = path[len(PREFIX):]
        if (source / name).is_file():
            seen.add(name)
            route.fulfill(path=str(source / name))
        else:
            route.fulfill(status=404, body="not in MathJax")

    pages = site_pages(site)
    with serve(site) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(f"**{PREFIX}**", route)
        page = context.new_page()
        for name in pages:  # default settings; the menu on every page with mathematics
            page.goto(f"{base}/{name}.html")
            wait_for_mathjax(page)
            if open_menu(page):
                page.wait_for_load_state("networkidle")
        page.goto(f"{base}/book/counterexample.html")
        wait_for_mathjax(page)
        open_menu(page)
        for variable, value in A11Y_SETTINGS.items():
            page.evaluate("([v, x]) => { const pool = MathJax.startup.document.menu.menu.pool;"
                          " if (pool.lookup(v)) pool.lookup(v).setValue(x); }", [variable, value])
            page.wait_for_timeout(500)
            page.wait_for_load_state("networkidle")
        page.evaluate("MathJax.startup.document.menu.loadingPromise || null")
        for name in pages:  # every page again, with those settings saved
            page.goto(f"{base}/{name}.html")
            wait_for_mathjax(page)
            page.wait_for_timeout(300)
            page.wait_for_load_state("networkidle")
            if page.locator("article.bd-article mjx-container").count():
                open_menu(page)
                explore(page)
        context.close()
    return sorted(seen | ALSO)


def main() -> int:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "_build" / "html").resolve()
    files = record(site)
    header = ("# MathJax files the built book requests (relative to MathJax's root), recorded\n"
              "# by `python -m tests.site.record_mathjax`; book/_ext/leansite.py copies just\n"
              "# these from the pinned sphinx-mathjax-offline package.\n")
    leansite.MATHJAX_LIST.write_text(header + "\n".join(files) + "\n", encoding="utf-8")
    size = sum((leansite.mathjax_source() / f).stat().st_size for f in files)
    print(f"{len(files)} MathJax files, {size / 2**20:.2f} MiB -> {leansite.MATHJAX_LIST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
