"""Tables for the chapters' outputs: fixed-width text tables of verdicts, and exact values as
maths in the cells of the Markdown tables the chapters glue (literal text in them:
:func:`bnpaper.core.text.escape_markdown`)."""

from __future__ import annotations

from typing import Any

import sympy as sp


def aligned_table(rows: list[tuple[Any, ...]], widths: tuple[int, ...]) -> str:
    """Rows of cells as fixed-width text, each cell right-aligned to its column's width and
    separated by one space (the first row is the header)."""
    for row in rows:
        if len(row) != len(widths):
            raise ValueError(f"row {row} has {len(row)} cells; expected {len(widths)}")
    return "\n".join(" ".join(f"{str(c):>{w}}" for c, w in zip(row, widths, strict=True))
                     for row in rows)


def exact_maths(v: Any) -> str:
    """An exact scalar (``$\\frac{72}{17}$``) or vector (``$(\\frac{4}{3}, 2)$``) as
    inline maths."""
    if isinstance(v, (tuple, list)) or getattr(v, "ndim", 0):
        return "$(" + ", ".join(sp.latex(sp.nsimplify(c)) for c in v) + ")$"
    return f"${sp.latex(sp.nsimplify(v))}$"
