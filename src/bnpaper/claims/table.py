"""The claims as tables: Markdown for the claims chapter, plain text for the terminal."""

from __future__ import annotations

from bnpaper.claims.registry import Claim

COLUMNS = ("claim", "statement", "source", "paper", "reproduced", "method", "evidence",
           "status")


def rows(claims: list[Claim]) -> list[tuple[str, ...]]:
    """The table's rows, the same cells for the terminal and for the book's page."""
    return [(c.key, c.statement, c.source, c.paper_value, c.reproduced, c.method,
             c.evidence.value, "confirmed" if c.holds else "FAILED") for c in claims]


def markdown_table(claims: list[Claim]) -> str:
    """The claims as a Markdown table (the claims chapter glues it)."""
    def esc(cell: str) -> str:
        # Markdown would read sympy's a*b*c as emphasis and a pipe as a new column.
        for char in "\\|*_`":
            cell = cell.replace(char, "\\" + char)
        return cell

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(esc(cell) for cell in row) + " |" for row in rows(claims)]
    return "\n".join(lines)


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
