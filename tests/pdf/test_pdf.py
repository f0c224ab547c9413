"""The PDF edition, built by ``make pdf`` and read back: what it must hold is read from the
sources (``_config.yml``, ``_toc.yml``, the notebooks and their stored glue outputs), never
typed here. Run with ``make test-pdf`` (``pytest -m pdf tests/pdf``; needs TeX)."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import unicodedata

import pytest
import yaml
from myst_nb.core.variables import format_plain_text  # how {glue:text} shows a value

from .conftest import LATEX_DIR, ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from pdfbook import tex_to_text  # noqa: E402  (how the PDF build spells title maths)

pytestmark = pytest.mark.pdf

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
PAGES = range(60, 301)  # a sane page count: the book has about 120
OVERFULL_PT = 1.0  # an overfull line this much wider than the line is a fault
PROOF_TYPES = ("definition", "lemma", "proposition", "theorem", "corollary")


def normal(text: str) -> str:
    """Text for comparison: maths letters as plain letters (NFKD: 𝑊 -> W), no combining
    accents (pdftotext puts the macron of x̄ or the hat of Ĉ apart from its letter; that
    each glyph exists is the log's check), one space for any run of white space, U+2212 as
    a hyphen-minus, typographic quotes as straight ones."""
    text = unicodedata.normalize("NFKD", text).replace("\u2212", "-")
    text = text.translate(str.maketrans("‘’“”", "''\"\""))  # Sphinx's smart quotes
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(text.split())


@functools.cache
def readings(text: str) -> frozenset[str]:
    """The page text as it reads with a word broken at the end of a line joined again:
    after a dash (landscape-descent-|perpendicular, Levenberg–|Marquardt) or without the
    hyphen TeX added (con-|firmed)."""
    return frozenset({normal(text), normal(re.sub(r"(?<=[-–])\n(?=\w)", "", text)),
                      normal(re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text))})


def found(needle: str, text: str) -> bool:
    return any(normal(needle) in reading for reading in readings(text))


def scattered(needle: str, text: str, gap: int = 300) -> bool:
    """Whether the words of ``needle`` (of two or more letters, digits, ``.*/``) appear in
    ``text`` in order, each within ``gap`` characters of the one before: a wrapped table
    cell, whose lines pdftotext gives between other columns' text, whose line-end hyphens it
    drops (the words are split at hyphens, the text has none) and whose accented letters
    (v̂) it moves."""
    words = [w for w in re.findall(r"\w[\w.*/]*", normal(needle).replace("-", " ")) if len(w) > 1]
    text = text.replace("-", "")
    if not words:  # "(1, 3)": compared whole
        return normal(needle).replace("-", "") in text
    for start in (m.end() for m in re.finditer(re.escape(words[0]), text)):
        position = start
        for word in words[1:]:
            found_at = text.find(word, position, position + gap + len(word))
            if found_at < 0:
                break
            position = found_at + len(word)
        else:
            return True
    return False


def chapters() -> list[tuple[str, str, int | None]]:
    """(part caption, source file, chapter number) for every chapter, in the book's order:
    the chapters of parts marked ``numbered`` counted across parts, the others None."""
    result, number = [], 0
    for part in TOC["parts"]:
        for chapter in part["chapters"]:
            number += bool(part.get("numbered"))
            result.append((part["caption"], chapter["file"],
                           number if part.get("numbered") else None))
    return result


def source(name: str) -> tuple[str, list[dict]]:
    """A chapter's markdown and, for a notebook, its cells."""
    path = ROOT / f"{name}.ipynb"
    if path.exists():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        return markdown, cells
    return (ROOT / f"{name}.md").read_text(encoding="utf-8"), []


def first_heading(name: str) -> str:
    markdown, _ = source(name)
    title = re.search(r"^# (.+)$", markdown, flags=re.M).group(1)
    return re.sub(r"[*_`]", "", title).strip()


def glue_values(cells: list[dict]) -> dict[str, str]:
    """A notebook's glued text/plain values (myst-nb's stored glue outputs), by key."""
    values = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            plain = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and plain is not None:
                values[name] = plain
    return values


def test_title_and_author(built):
    info = subprocess.run(["pdfinfo", str(built.pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(rf"^Title:\s+{re.escape(CONFIG['title'])}$", info, flags=re.M), info
    assert re.search(rf"^Author:\s+{re.escape(CONFIG['author'])}$", info, flags=re.M), info
    assert found(CONFIG["title"], built.pages[0]) and found(CONFIG["author"], built.pages[0])


def test_page_count(built):
    assert len(built.pages) in PAGES, f"{len(built.pages)} pages"


def test_table_of_contents_lists_every_part_and_numbered_chapter(built):
    start = next(i for i, page in enumerate(built.pages) if "CONTENTS" in page)
    first = next(i for i, page in enumerate(built.pages) if re.search(r"^CHAPTER$", page, re.M))
    toc = "\n".join(built.pages[start:first])
    missing = [caption for caption in TOC["parts"] if not found(caption["caption"], toc)]
    entries = [f"{number} {first_heading(name)}" if number else first_heading(name)
               for _, name, number in chapters()]
    missing += [entry for entry in entries if not found(entry, toc)]
    assert not missing, f"not in the table of contents (pages {start + 1}-{first}): {missing}"


def test_every_chapter_opens_with_its_title(built):
    """A numbered chapter opens on a page headed CHAPTER, its number in words and its title
    in capitals; an unnumbered one (as in the HTML) with its title in capitals alone."""
    numbered = [name for _, name, number in chapters() if number]
    openings = [page for page in built.pages if re.search(r"^CHAPTER$", page, re.M)]
    assert len(openings) == len(numbered), f"{len(openings)} chapter openings"
    for page, name in zip(openings, numbered, strict=True):
        assert found(first_heading(name).upper(), page), (name, page[:300])
    after = built.pages[built.pages.index(openings[-1]) + 1:]
    for name in [name for _, name, number in chapters() if not number]:
        heading = rf"^{re.escape(first_heading(name).upper())}$"
        assert any(re.search(heading, page, re.M) for page in after), name


def test_no_unresolved_reference(built):
    assert not any("??" in page for page in built.pages), [
        page[max(0, page.index("??") - 200):page.index("??") + 50]
        for page in built.pages if "??" in page][:3]


def test_log_has_no_undefined_reference_missing_character_or_broken_bookmark(built):
    assert "Output written on bnpaper.pdf" in built.log
    faults = [line for line in built.log.splitlines() if re.search(
        r"undefined|multiply defined|Missing character|Token not allowed in a PDF string|"
        r"^! ", line)]
    assert not faults, "\n".join(faults[:20])


def test_no_line_runs_off_the_page(built):
    """No overfull line (code, a table, prose) wider than the line by OVERFULL_PT or more."""
    overfull = [(float(width), line) for width, line in re.findall(
        r"Overfull \\hbox \(([\d.]+)pt too wide\) (.*)", built.log)]
    assert not [o for o in overfull if o[0] >= OVERFULL_PT], overfull[:10]


def test_every_font_embedded_and_no_bitmap_font(built):
    fonts = subprocess.run(["pdffonts", str(built.pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts, "pdffonts lists no font"
    not_embedded = [line for line in fonts if line.split()[-5] != "yes"]
    assert not not_embedded, "\n".join(not_embedded)
    assert not [line for line in fonts if "Type 3" in line], "bitmap (Type 3) fonts"


def test_every_glued_text_is_in_place_as_the_html_shows_it(built):
    """Every {glue:text} value of every chapter (from its stored glue output, formatted as
    myst-nb formats it for the HTML), and the claims summary line, appear in the PDF."""
    text = built.text
    missing, checked = [], 0
    for _, name, _ in [("", TOC["root"], None)] + chapters():
        markdown, cells = source(name)
        values = glue_values(cells)
        for key, fmt in re.findall(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`", markdown):
            checked += 1
            if key not in values:  # a chapter not re-executed since its prose changed
                missing.append(f"{name}: {key} has no stored glue output")
                continue
            shown = format_plain_text(values[key], fmt or "")
            if not found(shown, text):
                missing.append(f"{name}: {key} = {shown!r}")
    assert checked > 50, f"only {checked} glued values found in the sources"
    assert not missing, f"{len(missing)} of {checked} glued values missing:\n" + "\n".join(
        missing[:20])
    summary = format_plain_text(glue_values(source("book/claims")[1])["claims_summary"], "")
    assert re.fullmatch(r"\d+ confirmed, 0 failed", summary) and found(summary, text)


MATHS = re.compile(r"\$([^$]*)\$")


def table_cell_text(cell: str) -> str:
    """A MyST table cell as the PDF prints it, but for its maths: a role
    (``{ref}`paper-1 <claim-paper-1>```, a badge ``{bdg-success}`confirmed```) as its text,
    inline maths (``$\\frac{72}{17}$``) left out (:func:`maths_numbers` has its numbers)."""
    cell = re.sub(r"\{[\w-]+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", cell)
    return " ".join(MATHS.sub(" ", cell).split())


def maths_numbers(cell: str) -> list[str]:
    """The numbers in a cell's inline maths: pdftotext gives a fraction's or a root's pieces
    out of the order of the TeX (the radicand first), so they are looked for near the row,
    in any order."""
    return [n for maths in MATHS.findall(cell) for n in re.findall(r"\d+", maths)]


def test_claims_table_is_complete(built):
    """Every row of the claims table, from the table the claims chapter glued: its key and its
    reproduced value (the words as wrapped cells: scattered; the numbers of its maths
    anywhere from the table on), and as many of each status."""
    cells = source("book/claims")[1]
    table = next(output["data"]["application/papermill.record/text/markdown"]
                 for cell in cells for output in cell.get("outputs", [])
                 if output.get("metadata", {}).get("scrapbook", {}).get("name") == "claims_table")
    header, _, *lines = table.splitlines()
    columns = [c.strip() for c in header.strip("|").split("|")]
    rows = [dict(zip(columns, [re.sub(r"\\(?=[^A-Za-z0-9\s])", "", c).strip()
                               for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])],
                     strict=True)) for line in lines]  # (without Markdown's escapes)
    assert len(rows) > 20
    text = normal(built.text)

    # the table onwards (its landscape pages come out column by column, the details after)
    table_on = text[text.find(table_cell_text(rows[0]["claim"])):]

    def printed(row: dict) -> bool:
        claim, value = table_cell_text(row["claim"]), table_cell_text(row["reproduced"])
        # a key wrapped in its cell: "landscape-" at a line's end, "values" on the next
        return (re.search(r"-\s?".join(map(re.escape, claim.split("-"))), table_on) is not None
                and (not re.search(r"\w\w", value) or scattered(value, table_on))
                and all(n in table_on for n in maths_numbers(row["reproduced"])))

    missing = [row["claim"] for row in rows if not printed(row)]
    assert not missing, missing
    for status in {table_cell_text(row["status"]) for row in rows}:
        count = sum(table_cell_text(row["status"]) == status for row in rows)
        assert len(re.findall(rf"\b{status}\b", text)) >= count, status


def test_numbered_boxes_and_figures(built):
    """In each numbered chapter c, as in the HTML: its definitions, lemmas, propositions
    (each kind counted on its own) numbered c.1 .. c.n as its source holds them, and its
    figures Fig. c.1, c.2, ..."""
    text = normal(built.text)
    boxes = 0
    for _, name, number in chapters():
        if not number:
            continue
        markdown, _ = source(name)
        kinds = re.findall(r"^(?:```+|:::+)\s*\{prf:(\w+)\}", markdown, flags=re.M)
        for kind in PROOF_TYPES:
            count = kinds.count(kind)
            boxes += count
            label = kind.title()
            for n in range(1, count + 1):
                assert re.search(rf"\b{label} {number}\.{n}(?!\d)", text), f"{label} {number}.{n}"
            if count:
                assert not re.search(rf"\b{label} {number}\.{count + 1}(?!\d)", text), name
        figures = len(re.findall(r"^```+\s*\{(?:glue:)?figure\}", markdown, flags=re.M))
        for k in range(1, figures + 1):
            assert f"Fig. {number}.{k}:" in text, (name, f"Fig. {number}.{k}")
        assert f"Fig. {number}.{figures + 1}:" not in text, name
    assert boxes > 10


def test_unicode_in_code_outputs_comes_out(built):
    """Printed lines with non-ASCII characters (σ, ⟨ ⟩, ≠, x̄⁽ⁱ⁾, ...), as stored (the
    chapters show most results as maths and tables now: the printed lines left are error
    messages, at most 79 columns, which the PDF may wrap at a space)."""
    lines = set()
    for _, name, _ in chapters():
        for cell in source(name)[1]:
            for output in cell.get("outputs", []):
                for line in "".join(output.get("text", "")).splitlines():
                    if any(ord(c) > 127 for c in line) and len(line.strip()) >= 8:
                        lines.add(line.strip())
    assert lines, "no printed line with non-ASCII characters in any chapter"
    # pdftotext moves a letter with a combining accent (x̄, v̂) out of its line: the pieces
    # between such letters are compared
    missing = sorted(line for line in lines if not all(
        found(piece, built.text) for piece in re.split(r"\w[\u0300-\u036f]+", line)
        if piece.strip()))
    assert not missing, missing


def outline_titles() -> list[str]:
    """The PDF outline's entries (hyperref's .out file: PDFDocEncoding or, with a ``\\376\\377``
    mark, UTF-16, both with octal escapes)."""
    out = (LATEX_DIR / "bnpaper.out").read_text(encoding="latin-1")
    titles = []
    entry = r"^\\BOOKMARK \[[^]]*\]\[[^]]*\]\{[^}]*\}\{(.*)\}\{[^}]*\}% \d+$"
    for raw in re.findall(entry, out, flags=re.M):
        data = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]),
                      raw.encode("latin-1")).replace(b"\\(", b"(").replace(b"\\)", b")")
        titles.append(data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff")
                      else data.decode("latin-1"))
    return titles


def test_bookmarks_spell_title_maths_in_unicode(built):
    """Every section title with maths is in the PDF outline, its formulas spelled in Unicode
    (book/_ext/pdfbook.py: W₀ = W*, ε, Ĉ), none dropped or left as TeX."""
    titles = [normal(t) for t in outline_titles()]
    assert len(titles) > 2 * len(chapters()), titles[:5]
    expected = []
    for _, name, _ in chapters():
        for heading in re.findall(r"^#{1,4} (.*\$.*)$", source(name)[0], flags=re.M):
            expected.append(normal(re.sub(r"\$([^$]+)\$", lambda m: tex_to_text(m.group(1))[0],
                                          heading)))
    assert len(expected) > 10, expected
    missing = [title for title in expected if title not in titles]
    assert not missing, f"not in the outline: {missing}; outline has e.g. {titles[:8]}"
    assert not [t for t in titles if "\\" in t or "  " in t]
