"""The claims as tables: Markdown for the claims chapter (a short table, and how each claim
was derived on demand), plain text for the terminal."""

from __future__ import annotations

from bnpaper.claims.registry import Claim
from bnpaper.presentation.tables import escape_markdown, markdown_cell

COLUMNS = ("claim", "statement", "source", "paper", "reproduced", "method", "evidence",
           "status")
BOOK_COLUMNS = ("claim", "statement", "reproduced", "status")
"""The columns of the claims chapter's table; source, paper, method and evidence are in
each claim's details (:func:`markdown_details`)."""


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
    """The claims as a Markdown table for myst (the claims chapter glues it): the claim,
    linked to its details, its statement, the value reproduced now (sympy expressions as
    maths) and its status as a badge."""
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
        blocks.append(f":::{{admonition}} {c.key}: {status}\n"
                      f":class: dropdown claim-details\n:name: {anchor(c)}\n\n"
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
