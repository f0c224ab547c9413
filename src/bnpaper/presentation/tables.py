"""Tables for the chapters' outputs: fixed-width text tables of verdicts, and literal text
for the cells of the Markdown tables the chapters glue."""

from __future__ import annotations

from typing import Any

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
