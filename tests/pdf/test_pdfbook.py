"""The PDF build's helpers in book/_ext/pdfbook.py that need no TeX: maths in titles spelled
in Unicode for the bookmarks, and the layout of wide tables. Run with the unit tests."""

from __future__ import annotations

import sys

import pytest
from docutils import nodes

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import pdfbook  # noqa: E402


@pytest.mark.parametrize(("tex", "text"), [
    (r"W^*", "W*"),
    (r"W_0 = W^*", "W₀ = W*"),
    (r"\varepsilon", "ε"),
    (r"\hat C", "Ĉ"),
    (r"-\nabla\hat C(W^*)", "−∇Ĉ(W*)"),
    (r"M \ge d + 1", "M ≥ d + 1"),
    (r"M \le d", "M ≤ d"),
    (r"\gamma", "γ"),
    (r"X_c", "X_c"),
    (r"x^{2}", "x²"),
    (r"\langle W_0, W^*\rangle > 0", "⟨W₀, W*⟩ > 0"),
    (r"X_c^\top y_c \neq 0", "X_cᵀy_c ≠ 0"),
    (r"\hat{C}(W^*)", "Ĉ(W*)"),
    (r"\|\nabla\hat C\|", "‖∇Ĉ‖"),
    (r"2\sqrt{M}", "2√M"),
])
def test_title_maths_in_unicode(tex, text):
    assert pdfbook.tex_to_text(tex) == (text, [])


def test_a_command_without_a_spelling_is_reported():
    assert pdfbook.tex_to_text(r"\operatorname{rank} X")[1] == [r"\operatorname"]


def table(rows: list[list[str]]) -> nodes.table:
    tgroup = nodes.tgroup(cols=len(rows[0]))
    tgroup += [nodes.colspec() for _ in rows[0]]
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for text in cells:
            row += nodes.entry("", nodes.paragraph(text=text))
        body += row
    tgroup += body
    return nodes.table("", tgroup)


def test_column_needs_keep_short_cells_whole_and_break_long_ones_at_spaces_and_hyphens():
    natural, minimum = pdfbook.column_needs(table([
        ["(2, 10)", "landscape-descent-perpendicular", "a b c d e f g h i j k l m n"],
        ["x", "y", "z"]]))
    assert natural == [7, 31, 27]
    assert minimum == [7, len("perpendicular"), 1]


def test_a_narrow_table_keeps_sphinx_layout_and_a_wide_one_gets_smaller_type_or_a_landscape_page():
    (orientation, size, *_), _ = pdfbook.layout([10, 20, 10], [5, 8, 5])
    assert (orientation, size) == ("portrait", "")
    wide = pdfbook.layout([30, 120, 50, 20, 80, 90, 20, 10], [13, 12, 15, 5, 19, 10, 11, 9])
    (orientation, size, *_), widths = wide
    assert orientation == "landscape" and size
    assert all(w >= m for w, m in zip(widths, [13, 12, 15, 5, 19, 10, 11, 9], strict=True))


def test_a_table_that_fits_nowhere_is_none():
    assert pdfbook.layout([400] * 8, [60] * 8) is None


class FakeApp:
    """What pdf_config and copy_pdf read of a Sphinx application."""

    def __init__(self, root, outdir):
        from types import SimpleNamespace

        self.confdir, self.outdir = str(root), str(outdir)
        self.builder = SimpleNamespace(format="html")
        self.config = SimpleNamespace(html_context={"default_mode": "light"},
                                      html_theme_options={"navbar_persistent": []},
                                      bnpaper_pdf="")


def test_the_site_links_and_ships_the_pdf_only_when_it_was_built(tmp_path):
    site = tmp_path / "_build" / "html"
    site.mkdir(parents=True)
    app = FakeApp(tmp_path, site)
    pdfbook.pdf_config(app, app.config)
    assert app.config.bnpaper_pdf == "" and "bnpaper_pdf" not in app.config.html_context
    (site / "bnpaper.pdf").write_bytes(b"stale")
    pdfbook.copy_pdf(app, None)
    assert not (site / "bnpaper.pdf").exists()  # a copy from an earlier build leaves

    (tmp_path / "_build" / "pdf").mkdir()
    (tmp_path / "_build" / "pdf" / "bnpaper.pdf").write_bytes(b"%PDF-1.5")
    app = FakeApp(tmp_path, site)
    pdfbook.pdf_config(app, app.config)
    assert app.config.html_context == {"default_mode": "light", "bnpaper_pdf": "bnpaper.pdf"}
    assert app.config.html_theme_options == {"navbar_persistent": [],
                                             "primary_sidebar_end": ["pdf-download.html"]}
    assert (ROOT / "book" / "_templates" / "pdf-download.html").exists()
    pdfbook.copy_pdf(app, None)
    assert (site / "bnpaper.pdf").read_bytes() == b"%PDF-1.5"
