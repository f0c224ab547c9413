"""Serving a built site on localhost, and launching Debian's Chromium through Playwright.

Shared by the site tests (``conftest.py``) and the command-line tools beside them
(``weight.py``, ``record_mathjax.py``), which run without pytest.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


# Requests to anything but the local server (the tests route them to a handler that records
# and aborts them; the pattern is matched in Playwright's driver, so a local request never
# waits on Python).
EXTERNAL = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])")


def chapters() -> list[str]:
    """The chapters in table-of-contents order, as ``book/name``."""
    return re.findall(r"(?:file|root):\s*(book/\w+)", (ROOT / "_toc.yml").read_text())


# The pages Sphinx adds beside the chapters (the redirecting index.html aside).
SPHINX_PAGES = ("genindex", "search")


def reader_pages() -> list[str]:
    """Every HTML page a reader can open, relative to the site, without ``.html``: the
    chapters in table-of-contents order, then the index and search pages. Known from the
    sources, so the site tests collect the same items whether or not the book is built
    (``test_links.py`` checks that the built site has exactly these)."""
    return chapters() + list(SPHINX_PAGES)


def site_pages(site: Path) -> list[str]:
    """The pages of a built site a reader can open (as :func:`reader_pages`), as found."""
    extra = sorted(p.relative_to(site).with_suffix("").as_posix() for p in site.glob("*.html")
                   if p.name != "index.html")
    return chapters() + extra


def chromium_path() -> str | None:
    """Debian's Chromium (or $CHROMIUM); Playwright never downloads a browser here."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that drops a request it no longer needs (a page closed while a font
        loads) is not an error of the site: no traceback for it; any other error is
        printed as ever (socketserver's documented hook)."""
        if not isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Chromium browser (Playwright)."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium not found: install Debian's package (`apt-get install "
                           "chromium`) or set CHROMIUM=/path/to/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_mathjax(page) -> None:
    """Until MathJax (if the page loads it) has typeset the page and the network is idle."""
    page.wait_for_function("!window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
    page.wait_for_load_state("networkidle")
