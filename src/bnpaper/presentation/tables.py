"""Tables for the chapters' outputs: fixed-width text tables of verdicts, and the cells of
the Markdown tables the chapters glue (values typeset as maths, the rest escaped)."""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

# A run of characters that may be a sympy expression as ``str`` prints it: numbers, the
# functions the claims use, operators, brackets, commas and spaces.
_CANDIDATE = re.compile(r"-?(?:sqrt|atan|pi|\d|\()(?:[\d.*/+\-(), ]|sqrt|atan|pi)*")
_OPERATOR = re.compile(r"[*/]|sqrt|atan|pi")
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


def _as_latex(candidate: str) -> str | None:
    """The LaTeX of ``candidate`` if it is a whole sympy expression with an operator or a
    function in it (``2*sqrt(194)``, ``72/17``, ``(-2124/1369, 708/1369)``), else None."""
    if not _OPERATOR.search(candidate) or candidate.count("(") != candidate.count(")"):
        return None
    try:
        expr = sp.parse_expr(candidate)
    except (SyntaxError, TypeError, ValueError, sp.SympifyError):
        return None
    return sp.latex(expr, inv_trig_style="full")


def maths_segments(text: str) -> list[tuple[bool, str]]:
    """``text`` split into (is_maths, part): the sympy expressions in it (as ``str`` prints
    them: ``201 - 2*sqrt(194)``, ``(atan(6/7) + pi)/(4*pi)``) as LaTeX, the rest as it is.
    A plain number or tuple of numbers stays text."""
    segments: list[tuple[bool, str]] = []
    position = 0
    for match in _CANDIDATE.finditer(text):
        start, stop = match.span()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_.\\"):
            continue  # inside a word, a name (x_1) or a number (1.9e-03)
        candidate = match.group().rstrip(" ,+-*/")
        latex = None
        while candidate and latex is None:  # the longest well-formed prefix
            latex = _as_latex(candidate)
            if latex is None:
                shorter = re.sub(r"[^\s,(]*[\s,(]*$", "", candidate).rstrip(" ,+-*/")
                candidate = "" if shorter == candidate else shorter
        if latex is None:
            continue
        if start > position:
            segments.append((False, text[position:start]))
        segments.append((True, latex))
        position = start + len(candidate)
    if position < len(text):
        segments.append((False, text[position:]))
    return segments


def markdown_cell(text: str) -> str:
    """``text`` for a Markdown table cell that myst renders: its sympy expressions as
    ``$…$`` maths (MathJax in the book, LaTeX in the PDF), the rest escaped."""
    return "".join(f"${part}$" if maths else escape_markdown(part)
                   for maths, part in maths_segments(text))
