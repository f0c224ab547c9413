"""The cells of the Markdown tables (``bnpaper.claims.table``,
``bnpaper.presentation.tables``): sympy's expressions typeset as maths, everything else
literal text."""

import pytest

from bnpaper.claims.table import markdown_cell, maths_segments
from bnpaper.core.text import escape_markdown


@pytest.mark.parametrize(("text", "cell"), [
    ("lhs = 72/17, rhs = 0", r"lhs = $\frac{72}{17}$, rhs = 0"),
    ("201 - 2*sqrt(194) < 2*sqrt(194) + 201",
     r"$201 - 2 \sqrt{194}$ < $2 \sqrt{194} + 201$"),
    ("(atan(6/7) + pi)/(2*pi) ≈ 0.6128",
     r"$\frac{\arctan{\left(\frac{6}{7} \right)} + \pi}{2 \pi}$ ≈ 0.6128"),
    ("W* = (23/15, -26/5), ok",
     r"W\* = $\left( \frac{23}{15}, \  - \frac{26}{5}\right)$, ok"),
    ("r̄ = -2/3", r"r̄ = $- \frac{2}{3}$"),
])
def test_sympy_expressions_in_a_cell_become_maths(text, cell):
    assert markdown_cell(text) == cell


@pytest.mark.parametrize("text", ["(-0.339317, 0.113106)", "ray t·(5, 3), t > 0",
                                  "failures at 0 of 1998 (share 1.9e-03)", "3·w₁ + (-5)·w₂",
                                  "dĈ(r·(5, 3))/dr < 0", "x_1/2"])
def test_numbers_tuples_and_names_stay_text(text):
    assert maths_segments(text) == [(False, text)]


def test_markdown_in_the_text_is_escaped():
    assert escape_markdown("a|b *c* _d_ `e` $f$") == r"a\|b \*c\* \_d\_ \`e\` \$f\$"
