"""Tables for the chapters' outputs: fixed-width text tables of verdicts, and the cells of
the Markdown tables the chapters glue (literal text, exact values as maths)."""

from __future__ import annotations

from typing import Any

import sympy as sp

_MARKDOWN = "\\|*_`$"  # what Markdown (or myst's dollar maths) would read as markup


def aligned_table(rows: list[tuple[Any, ...]], widths: tuple[int, ...]) -> str:
    """Rows of cells as fixed-width text, each cell right-aligned to its column's width and
    separated by one space (the first row is the header)."""
    for row in rows:
        if len(row) != len(widths):
            raise ValueError(f"row {row} has {len(row)} cells; expected {len(widths)}")
    return "\n".join(" ".join(f"{str(c):>{w}}" for c, w in zip(row, widths, strict=True))
                     for row in rows)


def escape_markdown(text: str) -> str:
    """``text`` as literal text in a Markdown table cell: ``a*b*c`` would be emphasis, a pipe
    a new column, a dollar sign maths."""
    for char in _MARKDOWN:
        text = text.replace(char, "\\" + char)
    return text


def exact_maths(v: Any) -> str:
    """An exact scalar (``$\\frac{72}{17}$``) or vector (``$(\\frac{4}{3}, 2)$``) as
    inline maths."""
    if isinstance(v, (tuple, list)) or getattr(v, "ndim", 0):
        return "$(" + ", ".join(sp.latex(sp.nsimplify(c)) for c in v) + ")$"
    return f"${sp.latex(sp.nsimplify(v))}$"
