"""The PDF edition (``make pdf``): the LaTeX build's fixes, and the HTML book's link to the PDF.

LaTeX (Jupyter Book's ``latex`` builder, sphinx-jupyterbook-latex, XeLaTeX):

- sphinx-jupyterbook-latex 1.0.0's class ``jupyterBook.cls`` loads ``bbm`` (only in Debian's
  1.4 GB ``texlive-fonts-extra``) for seven ``\\mathbbm`` shorthands (``\\RR``, ``\\NN``...)
  this book never uses: the copy it puts in the output directory loads no ``bbm`` and
  defines ``\\mathbbm`` as ``\\mathbb`` instead.
- A section title with maths (``… \\(\\varepsilon\\) under the square root``) stops hyperref's PDF
  bookmarks (``Improper alphabetic constant`` at unicode-math's ``\\mitvarepsilon``), and any
  maths in a title loses its sub- and superscripts there: in the LaTeX build each formula in
  a section title is written as ``\\texorpdfstring{\\(TeX\\)}{text}``, the text being the
  formula in Unicode (``W₀ = W*``, ``Ĉ``, ``ε``); a formula with a command this file cannot
  spell is a build warning (an error under ``-W``), so no bookmark silently loses a symbol.
- Sphinx sets a table of more than 30 rows (the claims table) as a ``longtable`` of ``l``
  columns, which never wrap: the claims table ran 2.8 m off the page. Each table too wide
  for the line is given column widths here, as a browser lays out an HTML table: each
  column at least as wide as its longest word, the rest of the line shared in proportion
  to what each column holds, ragged right, in the largest of ``\\small``,
  ``\\footnotesize`` (portrait) and ``\\footnotesize``, ``\\scriptsize`` (on a landscape
  page) at which it fits without crowding. A table that fits nowhere is a build warning.
- Numbering as in the HTML: boxes, figures and equations chapter.n (sphinx-jupyterbook-latex
  makes boxes chapter.section.n for a book in parts), and the chapters of a part that ``_toc.yml``
  leaves unnumbered (Reference) unnumbered.
- The rest is configuration (``_config.yml``, ``latex:`` and ``sphinx: config:
  latex_elements``): fonts (FreeSerif, DejaVu Sans Mono for code, TeX Gyre Termes Math),
  A4, code lines wrapped even inside long words.

HTML: when the PDF has been built (``_build/pdf/bnpaper.pdf``, by ``make pdf``), the HTML
build copies it to ``_build/html/bnpaper.pdf`` and the foot of every page's sidebar links
to it (``_templates/pdf-download.html``); without it there is no link, so the site never points at
a missing file. ``make pdf`` also refreshes a copy already in ``_build/html``.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

PDF_NAME = "bnpaper.pdf"
PDF_TEMPLATE = "pdf-download.html"  # in book/_templates
BBM = r"\RequirePackage{bbm}"
NO_BBM = (r"\providecommand{\mathbbm}[1]{\mathbb{#1}}% bnpaper: bbm.sty left out"
          r" (texlive-fonts-extra); this book uses no \mathbbm")


def built_pdf(app: Any) -> Path:
    """Where ``make pdf`` leaves the book's PDF."""
    return Path(app.confdir) / "_build" / "pdf" / PDF_NAME


def drop_bbm(app: Any) -> None:
    """Rewrite the copied ``jupyterBook.cls`` without ``bbm`` (after sphinx-jupyterbook-latex
    copied it at builder-inited)."""
    if app.builder.format != "latex":
        return
    cls = Path(app.outdir) / "jupyterBook.cls"
    if not cls.exists():
        raise RuntimeError(f"{cls} is missing: sphinx-jupyterbook-latex did not copy its class")
    text = cls.read_text(encoding="utf-8")
    if BBM not in text and NO_BBM not in text:
        raise RuntimeError(f"{cls} no longer loads bbm as expected: check pdfbook.drop_bbm")
    cls.write_text(text.replace(BBM, NO_BBM), encoding="utf-8")


# TeX commands in section titles, spelled in Unicode for the PDF's bookmarks.
SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "varepsilon": "ε", "epsilon": "ϵ",
    "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "Sigma": "Σ", "phi": "φ",
    "nabla": "∇", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "ne": "≠",
    "in": "∈", "notin": "∉", "cdot": "·", "times": "×", "infty": "∞", "to": "→",
    "approx": "≈", "langle": "⟨", "rangle": "⟩", "top": "ᵀ", "ast": "*", "star": "*",
    "mathbb{R}": "ℝ", ",": " ", ";": " ", " ": " ", "quad": " ", "|": "‖", "ell": "ℓ",
    "partial": "∂", "pi": "π", "rho": "ρ", "tau": "τ", "omega": "ω", "psi": "ψ",
    "varphi": "φ", "sqrt": "√", "ldots": "…", "dots": "…", "cdots": "⋯",
}
ACCENTS = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304"}  # combining marks
SUB = dict(zip("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", strict=True))
SUP = dict(zip("0123456789+-=()n*", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ*", strict=True))
SPACED = set("=<>≤≥≠∈∉≈→+−×")  # set with a space each side (+ and − not when unary)
TOKEN = re.compile(r"\\(mathbb\{[A-Z]\}|[A-Za-z]+|.)|([_^])(\{[^{}]*\}|\\[A-Za-z]+|.)|\s+|(.)")


def tex_to_text(tex: str) -> tuple[str, list[str]]:
    """A section title's formula in Unicode, and the commands it could not spell.

    ``W_0 = W^*`` -> ``W₀ = W*``, ``-\\nabla\\hat C(W^*)`` -> ``−∇Ĉ(W*)``; TeX's spaces are
    ignored (as TeX does) and relations and binary signs get one space each side."""
    pieces: list[str] = []
    unknown: list[str] = []
    accent = ""

    def spell(command: str) -> str:
        if command not in SYMBOLS:
            unknown.append("\\" + command)
        return SYMBOLS.get(command, command)

    for command, script, argument, char in TOKEN.findall(tex):
        if command in ACCENTS:
            accent = ACCENTS[command]
            continue
        if command:
            text = spell(command)
        elif script:
            table = SUB if script == "_" else SUP
            argument = argument[1:-1] if argument.startswith("{") else argument
            if argument.startswith("\\"):
                text = spell(argument[1:])
            elif all(c in table for c in argument.replace(" ", "")):
                text = "".join(table[c] for c in argument.replace(" ", ""))
            else:
                text = script + argument
        elif char and char in "{}":
            continue  # a group: \\hat{C} is \\hat C
        elif char:
            text = "−" if char == "-" else char
        else:
            continue  # whitespace
        if accent and text.strip():
            text, accent = text[0] + accent + text[1:], ""
        pieces.append(text)
    out = ""
    for text in pieces:
        unary = text in "+−" and (not out.strip() or out.rstrip()[-1] in "(=<>≤≥≠∈∉≈→,")
        out += f" {text} " if text in SPACED and not unary else ", " if text == "," else text
    return unicodedata.normalize("NFC", re.sub(r" +", " ", out).strip()), unknown


class MathInTitles(SphinxPostTransform):
    """``\\texorpdfstring{\\(TeX\\)}{Unicode}`` for each formula in a section title."""

    default_priority = 5  # before Sphinx's own post-transforms
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for title in list(self.document.findall(nodes.title)):
            if not isinstance(title.parent, nodes.section):
                continue
            for math in list(title.findall(nodes.math)):
                tex = math.astext()
                text, unknown = tex_to_text(tex)
                if unknown:
                    logger.warning("pdfbook: no Unicode spelling of %s in the title formula "
                                   "%r (add it to SYMBOLS in book/_ext/pdfbook.py)",
                                   ", ".join(unknown), tex, location=title)
                text = re.sub(r"([_#%&$^{}~\\])", r"\\\1", text)  # as text, not TeX
                latex = rf"\texorpdfstring{{\protect\({tex}\protect\)}}{{{text}}}"
                math.replace_self(nodes.raw("", latex, format="latex"))


# Table layout. Widths in points; the line is A4 less Sphinx's default 1 in margins.
MM = 72.27 / 25.4
LINE_PT = {"portrait": (210 - 2 * 25.4) * MM, "landscape": (297 - 2 * 25.4) * MM}
SIZES = [  # (orientation, LaTeX size command, font size in pt, \tabcolsep in pt)
    ("portrait", "", 10.0, 6.0),
    ("portrait", r"\small", 9.0, 4.0),
    ("portrait", r"\footnotesize", 8.0, 3.0),
    ("landscape", r"\footnotesize", 8.0, 3.0),
    ("landscape", r"\scriptsize", 7.0, 2.5),
]
CHAR_EM = 0.5  # a character's width in em, on the generous side (FreeSerif's digits: 0.5 em)
SHORT_CELL = 12  # characters: a cell this short is not broken across lines
ROOMY = 0.45  # a layout is roomy when the line holds this share of the columns' natural width


def cell_text(entry: nodes.Element) -> str:
    parts = []
    for node in entry.findall(lambda n: isinstance(n, (nodes.Text, nodes.math))):
        if isinstance(node, nodes.math):
            parts.append(tex_to_text(node.astext())[0])
        elif not isinstance(node.parent, nodes.math):
            parts.append(node.astext())
    return " ".join(" ".join(parts).split())


def column_needs(table: nodes.table) -> tuple[list[int], list[int]] | None:
    """Per column: the characters of its longest cell and of its longest word (a line
    may break at a space or after a hyphen; a short cell is one word), or None for a table
    with merged cells."""
    tgroup = next(iter(table.findall(nodes.tgroup)), None)
    if tgroup is None:
        return None
    ncols = int(tgroup["cols"])
    natural, minimum = [1] * ncols, [1] * ncols
    for row in tgroup.findall(nodes.row):
        entries = [e for e in row.children if isinstance(e, nodes.entry)]
        if len(entries) != ncols or any(e.get("morecols") or e.get("morerows") for e in entries):
            return None
        for i, entry in enumerate(entries):
            text = cell_text(entry)
            natural[i] = max(natural[i], len(text))
            words = re.split(r"\s+|(?<=-)", text)
            # a short cell ("(2, 10)", "M ≥ d + 1") stays on one line, as in the HTML
            least = len(text) if len(text) <= SHORT_CELL else max(len(w) for w in words)
            minimum[i] = max(minimum[i], least)
    return natural, minimum


def layout(natural: list[int], minimum: list[int]) -> tuple[tuple, list[float]] | None:
    """The first size at which the table fits roomily, else the roomiest at which it fits
    at all (None if none), and the columns' widths in characters."""
    best = None
    for size in SIZES:
        orientation, _, points, tabcolsep = size
        room = (LINE_PT[orientation] - 2 * tabcolsep * len(natural)) / (points * CHAR_EM)
        if sum(natural) <= room:
            return size, [float(n) for n in natural]
        if sum(minimum) > room:
            continue
        # a browser's automatic table layout: the minimum, then the rest in proportion
        spare = room - sum(minimum)
        extra = [n - m for n, m in zip(natural, minimum, strict=True)]
        widths = [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]
        if room >= ROOMY * sum(natural):
            return size, widths
        if best is None or room > best[0]:
            best = (room, size, widths)
    return None if best is None else best[1:]


class WideTables(SphinxPostTransform):
    """Column widths, type size and orientation for each table too wide for the line."""

    default_priority = 5
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        from sphinx import addnodes

        for table in list(self.document.findall(nodes.table)):
            if "colwidths-given" in table["classes"] or isinstance(
                    table.previous_sibling(), addnodes.tabular_col_spec):
                continue
            needs = column_needs(table)
            if needs is None:
                continue
            natural, minimum = needs
            chosen = layout(natural, minimum)
            if chosen is None:
                logger.warning("pdfbook: a table of %d columns is too wide for a landscape page "
                               "even in \\scriptsize", len(natural), location=table)
                continue
            (orientation, size, points, tabcolsep), widths = chosen
            if not size:
                continue  # fits at the body's size: Sphinx's own layout
            # \X{a}{b} is the share a/b of the line, less the column's two \tabcolsep
            shares = [w * points * CHAR_EM + 2 * tabcolsep for w in widths]
            ragged = r">{\raggedright\arraybackslash}"
            spec = "".join(rf"{ragged}\X{{{int(1000 * share / sum(shares))}}}{{1000}}"
                           for share in shares)
            begin = rf"\begingroup{size}\setlength{{\tabcolsep}}{{{tabcolsep:g}pt}}"
            end = r"\endgroup"
            if orientation == "landscape":
                begin, end = r"\begin{landscape}" + begin, end + r"\end{landscape}"
            parent, index = table.parent, table.parent.index(table)
            parent.insert(index + 1, nodes.raw("", end + "\n", format="latex"))
            parent.insert(index, addnodes.tabular_col_spec(spec=spec))
            parent.insert(index, nodes.raw("", begin + "\n", format="latex"))


UNNUMBERED = (r"\ifdefined\bnpapersecnumdepth\else"
              r"\edef\bnpapersecnumdepth{\the\value{secnumdepth}}\fi"
              r"\setcounter{secnumdepth}{-1}")
NUMBERED = r"\ifdefined\bnpapersecnumdepth\setcounter{secnumdepth}{\bnpapersecnumdepth}\fi"


class UnnumberedParts(SphinxPostTransform):
    """The chapters of a part that ``_toc.yml`` leaves unnumbered (the Reference part) are
    unnumbered in the PDF too, as in the HTML: LaTeX's ``secnumdepth`` is -1 from such a
    part's heading (sphinx-jupyterbook-latex makes each toctree caption a part) and back to
    its value before a numbered one."""

    default_priority = 800  # after sphinx-jupyterbook-latex's parts (700)
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        site_map = getattr(self.config, "external_site_map", None)
        if site_map is None or not getattr(self.env, "jblatex_captions_to_parts", False):
            return
        numbered = {tree.caption: bool(tree.numbered) for tree in site_map.root.subtrees}
        for section in list(self.document.findall(nodes.section)):
            caption = section.get("docname")
            if caption not in numbered or section[0].astext() != caption:
                continue
            latex = NUMBERED if numbered[caption] else UNNUMBERED
            holder = section.parent  # start_of_file
            holder.parent.insert(holder.parent.index(holder),
                                 nodes.raw("", latex + "\n", format="latex"))


def chapter_numbers(app: Any) -> None:
    """Boxes numbered chapter.n in the PDF, as in the HTML. sphinx-jupyterbook-latex sets
    ``numfig_secnum_depth`` to 2 for a book in parts, which Sphinx's numbering of boxes
    (done while reading) takes as chapter.section.n, while its LaTeX writer needs it, to
    number figures and equations by chapter (its depths count the part as level 1): 1 while
    reading, then back to 2 for writing."""
    if app.builder.format == "latex":
        writer_depth = app.config.numfig_secnum_depth
        app.config.numfig_secnum_depth = 1

        def for_the_writer(app: Any, env: Any) -> list[str]:
            app.config.numfig_secnum_depth = writer_depth
            return []

        # after Sphinx's toctree collector numbered the boxes (env-get-updated, priority 500)
        app.connect("env-get-updated", for_the_writer, priority=999)


def pdf_config(app: Any, config: Any) -> None:
    """Tell the templates whether the PDF exists; a change rewrites every page (the value
    is an ``html`` config value, part of the build's configuration hash)."""
    config.bnpaper_pdf = PDF_NAME if built_pdf(app).exists() else ""
    if config.bnpaper_pdf:
        config.html_context = {**(config.html_context or {}), "bnpaper_pdf": PDF_NAME}
        # the foot of the primary sidebar (the theme's default there, Read the Docs' ads
        # placeholder, is an empty element off Read the Docs)
        config.html_theme_options = {**(config.html_theme_options or {}),
                                     "primary_sidebar_end": [PDF_TEMPLATE]}


def copy_pdf(app: Any, exception: Exception | None) -> None:
    """The PDF into the site when the pages link it; an earlier copy out when they do not."""
    if exception is not None or app.builder.format != "html":
        return
    source, target = built_pdf(app), Path(app.outdir) / PDF_NAME
    if app.config.bnpaper_pdf and source.exists():
        shutil.copyfile(source, target)
    elif not app.config.bnpaper_pdf:
        target.unlink(missing_ok=True)


def setup(app: Any) -> dict:
    app.add_config_value("bnpaper_pdf", "", "html")
    app.add_post_transform(MathInTitles)
    app.add_post_transform(WideTables)
    app.connect("config-inited", pdf_config)
    app.connect("builder-inited", drop_bbm, priority=900)  # after sphinx-jupyterbook-latex
    app.connect("builder-inited", chapter_numbers, priority=900)
    app.add_post_transform(UnnumberedParts)
    app.connect("build-finished", copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
