"""A light built site: only the MathJax files pages use, icons without Font Awesome's 1.5 MB
script, and none of the theme's files that no reader's browser asks for.

- **MathJax.** ``sphinx-mathjax-offline`` copies all 24 MB of MathJax 3.2.2. This extension
  copies from that (pinned) package only the files listed in ``mathjax_files.txt`` beside
  this file: those that the browser requested across every page of the book, including the
  context menu and the assistive components a reader can switch on from it (recorded by
  ``python -m tests.site.record_mathjax``; the site tests fail on any request under
  ``_static/mathjax`` that 404s, so a page needing a new component is caught).
- **Icons.** The theme loads ``fontawesome.js`` (1.5 MB: every Font Awesome icon, drawn as
  SVG by script) and two icon fonts (270 kB). This extension drops the script from every
  page (``_templates/layout.html``), and writes ``_static/icons.css``: the few icons the
  pages and the theme's stylesheets use, as CSS glyphs from a subset of the theme's own
  Font Awesome fonts (SIL OFL 1.1), made with fontTools.
- **Unused assets.** A page that uses no sphinx-design component (no ``sd-`` class) does not
  load sphinx-design's stylesheet and tab script (62 kB).
- **Trimming.** Source maps, the theme's translation catalogues (used at build time only)
  and the unused full icon fonts and script are removed from ``_static`` after the build.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
MATHJAX_LIST = HERE / "mathjax_files.txt"
ICONS_CSS = "icons.css"

# Removed from _static after the build: nothing in a page asks for them.
TRIM = ["**/*.map", "scripts/fontawesome.js", "scripts/fontawesome.js.LICENSE.txt",
        "locales", "vendor/fontawesome/webfonts/*.ttf", "vendor/fontawesome/webfonts/*.woff2"]

FONTS = {  # subset file -> (theme font, family, weight)
    "fa-solid-900.subset.woff": ("fa-solid-900.ttf", "Font Awesome 6 Free", 900),
    "fa-regular-400.subset.woff": ("fa-regular-400.ttf", "Font Awesome 6 Free", 400),
    "fa-brands-400.subset.woff": ("fa-brands-400.ttf", "Font Awesome 6 Brands", 400),
}


def mathjax_source() -> Path:
    """The full MathJax tree shipped by the pinned ``sphinx-mathjax-offline`` package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("sphinx-mathjax-offline is not installed (pyproject.toml, book extra)")
    return Path(spec.origin).parent / "static" / "mathjax"


def mathjax_files() -> list[str]:
    """The MathJax files the site ships, relative to the MathJax root."""
    lines = MATHJAX_LIST.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def copy_mathjax(outdir: Path) -> None:
    source, target = mathjax_source(), outdir / "_static" / "mathjax"
    shutil.rmtree(target, ignore_errors=True)
    for name in mathjax_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)


def css_icons(static: Path) -> tuple[dict[str, int], set[int]]:
    """Icon glyphs in the stylesheets of ``_static``: Font Awesome's catalogue of
    ``.fa-NAME:before`` rules (name -> code point), and the code points other rules draw
    (the theme's admonition, external-link and other icons)."""
    catalogue: dict[str, int] = {}
    drawn: set[int] = set()
    for css in static.rglob("*.css"):
        if css.name == ICONS_CSS:
            continue
        text = re.sub(r"/\*.*?\*/", "", css.read_text("utf-8", "replace"), flags=re.S)
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
            # written as an escape ("\\f105") or as the character itself
            points = [p for p in [int(c, 16) for c in re.findall(r"\\([0-9a-fA-F]{4,5})", body)]
                      + [ord(ch) for ch in body] if 0xE000 <= p <= 0xF8FF]
            names = [re.fullmatch(r"\.fa-([a-z0-9-]+):{1,2}before", sel.strip())
                     for sel in selectors.split(",")]
            if points and all(names):
                for match in names:
                    catalogue.setdefault(match.group(1), points[0])
            else:
                drawn.update(points)
    return catalogue, drawn


def icons_in_pages(outdir: Path) -> set[str]:
    """Icon names (``fa-NAME``) used in class attributes of the built pages."""
    names: set[str] = set()
    for page in outdir.rglob("*.html"):
        for classes in re.findall(r'class="([^"]*\bfa-[^"]*)"', page.read_text("utf-8")):
            names.update(c[3:] for c in classes.split() if c.startswith("fa-"))
    return names


def subset_font(source: Path, target: Path, points: set[int]) -> None:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"  # zlib: needs no brotli
    options.layout_features = []  # no ligatures: glyphs are reached by code point only
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def write_icons(outdir: Path) -> None:
    """Subsets of the theme's icon fonts with just the glyphs the book draws, and
    ``icons.css`` declaring them in place of the full fonts (a later @font-face rule for
    the same family, weight and style replaces the earlier one)."""
    static = outdir / "_static"
    webfonts = static / "vendor" / "fontawesome" / "webfonts"
    if not all((webfonts / font).exists() for font, _, _ in FONTS.values()):
        return  # nothing to subset from (the theme copies its fonts on every build)
    catalogue, points = css_icons(static)
    points |= {catalogue[name] for name in icons_in_pages(outdir) if name in catalogue}
    faces = []
    for subset_name, (font, family, weight) in FONTS.items():
        subset_font(webfonts / font, webfonts / subset_name, points)
        faces.append(f'@font-face {{ font-family: "{family}"; font-style: normal; '
                     f'font-weight: {weight}; font-display: block; '
                     f'src: url("vendor/fontawesome/webfonts/{subset_name}") format("woff"); }}')
    (static / ICONS_CSS).write_text(
        "/* Written by book/_ext/leansite.py: the theme's icon fonts, cut to the glyphs "
        "this book draws. */\n" + "\n".join(faces) + "\n", encoding="utf-8")


def trim(outdir: Path) -> None:
    static = outdir / "_static"
    for pattern in TRIM:
        for path in static.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def finish(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    copy_mathjax(outdir)
    write_icons(outdir)
    trim(outdir)


# MathJax's start-up component and the components every page needs; the context menu
# (ui/menu) is loaded when a reader reaches for it (_static/mathjax-lazy-menu.js).
MATHJAX_LOAD = ["input/tex", "output/chtml", "a11y/assistive-mml"]


DESIGN_ASSETS = ("sphinx-design.min.css", "design-tabs.js")


def drop_unused_design(app: Any, pagename: str, templatename: str, context: dict,
                       doctree: Any) -> None:
    """Leave sphinx-design's assets out of pages that use none of its components."""
    if re.search(r'class="[^"]*\bsd-', context.get("body", "")):
        return
    for key in ("css_files", "script_files"):
        context[key] = [a for a in context.get(key, [])
                        if not str(getattr(a, "filename", a) or "").endswith(DESIGN_ASSETS)]


def configure_mathjax(app: Any, config: Any) -> None:
    config.mathjax_path = "mathjax/startup.js"
    mathjax = dict(config.mathjax3_config or {})
    mathjax["loader"] = {**mathjax.get("loader", {}), "load": MATHJAX_LOAD}
    config.mathjax3_config = mathjax


def setup(app: Any) -> dict:
    app.connect("config-inited", configure_mathjax)
    app.add_css_file(ICONS_CSS)
    app.add_js_file("mathjax-lazy-menu.js", priority=510)  # after MathJax's configuration
    app.connect("html-page-context", drop_unused_design, priority=900)
    app.connect("build-finished", finish)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
