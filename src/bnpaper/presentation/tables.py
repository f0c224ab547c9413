"""Tables for the chapters' outputs: fixed-width text tables of verdicts."""

from __future__ import annotations

from typing import Any


def aligned_table(rows: list[tuple[Any, ...]], widths: tuple[int, ...]) -> str:
    """Rows of cells as fixed-width text, each cell right-aligned to its column's width and
    separated by one space (the first row is the header)."""
    for row in rows:
        if len(row) != len(widths):
            raise ValueError(f"row {row} has {len(row)} cells; expected {len(widths)}")
    return "\n".join(" ".join(f"{str(c):>{w}}" for c, w in zip(row, widths, strict=True))
                     for row in rows)
