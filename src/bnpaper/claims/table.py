"""The claims as tables: MyST for the claims chapter (a short table, and how each claim was
derived on demand), plain Markdown and plain text for the terminal."""

from __future__ import annotations

import re

import sympy as sp

from bnpaper.claims.registry import Claim
from bnpaper.core.text import escape_markdown

# A run of characters that may be a sympy expression as ``str`` prints it: numbers, the
# functions the claims use, operators, brackets, commas and spaces.
_CANDIDATE = re.compile(r"-?(?:sqrt|atan|pi|\d|\()(?:[\d.*/+\-(), ]|sqrt|atan|pi)*")
_OPERATOR = re.compile(r"[*/]|sqrt|atan|pi")

COLUMNS = ("claim", "statement", "source", "paper", "reproduced", "method", "evidence",
           "status")
BOOK_COLUMNS = ("claim", "statement", "reproduced", "status")
"""The columns of the claims chapter's table; source, paper, method and evidence are in
each claim's details (:func:`markdown_details`)."""


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
        start = match.start()
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


def rows(claims: list[Claim]) -> list[tuple[str, ...]]:
    """The table's rows, the same cells for the terminal and for the book's page."""
    return [(c.key, c.statement, c.source, c.paper_value, c.reproduced, c.method,
             c.evidence.value, "confirmed" if c.holds else "FAILED") for c in claims]


def anchor(claim: Claim) -> str:
    """The label of a claim's details on the claims page (``claim-paper-1``)."""
    return f"claim-{claim.key}"


def _badge(claim: Claim) -> str:
    # sphinx-design's badge: a coloured label with its word (book/_static/tables.css)
    return "{bdg-success}`confirmed`" if claim.holds else "{bdg-danger}`FAILED`"


def markdown_table(claims: list[Claim]) -> str:
    """The claims as a plain Markdown table of every column (``verify --markdown``), the
    cells escaped."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(escape_markdown(cell) for cell in row) + " |"
              for row in rows(claims)]
    return "\n".join(lines)


def book_table(claims: list[Claim]) -> str:
    """The claims as a MyST table for the claims chapter (it glues it): the claim, linked
    to its details (:func:`markdown_details`), its statement, the value reproduced now
    (sympy expressions as maths) and its status as a badge."""
    lines = ["| " + " | ".join(BOOK_COLUMNS) + " |", "|" + "---|" * len(BOOK_COLUMNS)]
    lines += [f"| {{ref}}`{c.key} <{anchor(c)}>` | {escape_markdown(c.statement)} | "
              f"{markdown_cell(c.reproduced)} | {_badge(c)} |" for c in claims]
    return "\n".join(lines)


def markdown_details(claims: list[Claim]) -> str:
    """How each claim was derived, for myst: one collapsed box per claim (its title the
    claim and its status), with where it is made, the paper's value, the method, the kind
    of evidence and each part of the verdict."""
    blocks = []
    for c in claims:
        status = "confirmed" if c.holds else "FAILED"
        parts = "; ".join(f"{escape_markdown(part)}: {'holds' if ok else 'fails'}"
                          for part, ok in c.checks.items())
        # a label line, not :name: (the LaTeX builder drops an admonition's ids)
        blocks.append(f"({anchor(c)})=\n:::{{admonition}} {c.key}: {status}\n"
                      f":class: dropdown claim-details\n\n"
                      f"**Source:** {escape_markdown(c.source)}. "
                      f"**The paper's value:** {markdown_cell(c.paper_value)}.\n\n"
                      f"**Method:** {escape_markdown(c.method)}.\n\n"
                      f"**Evidence:** {c.evidence.value}. **Checks:** {parts}.\n:::")
    return "\n\n".join(blocks)


def text_table(claims: list[Claim]) -> str:
    """The claims as a plain-text table for the terminal (``python -m bnpaper verify``)."""
    table = [COLUMNS, *rows(claims)]
    widths = [max(len(r[i]) for r in table) for i in range(len(COLUMNS))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*COLUMNS), "  ".join("-" * w for w in widths)]
    lines += [fmt.format(*row) for row in rows(claims)]
    return "\n".join(line.rstrip() for line in lines)


def summary_line(claims: list[Claim]) -> str:
    """``N confirmed, K failed`` (the last line ``verify`` prints)."""
    failed = sum(not c.holds for c in claims)
    return f"{len(claims) - failed} confirmed, {failed} failed"
