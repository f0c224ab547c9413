"""Every claim of the paper and of this book, re-derived on demand (the claims chapter and
``python -m bnpaper verify``).

Each topic module that makes claims has a function ``claims() -> list[Claim]`` that derives
them afresh; :func:`all_claims` collects them in the order of :data:`CLAIM_MODULES`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import StrEnum


class Evidence(StrEnum):
    """What kind of evidence stands behind a claim (a column of the claims table)."""

    DERIVED = "derived independently"
    """Re-derived by a computation that did not use the claim to build its data."""
    BUILT_FROM = "built from it"
    """Consistent with the facts the data were built from: it cannot confirm anything."""
    ESTIMATE = "estimate with interval"
    """A numerical (e.g. Monte Carlo) estimate, stated with its confidence interval."""
    BOUND = "bound"
    """A numerical quantity shown to lie below (or above) a stated bound."""


@dataclass(frozen=True)
class Claim:
    """One claim, as published and as re-derived now."""

    key: str
    """A short identifier, e.g. ``"paper-1"`` or ``"book-relu"``."""
    statement: str
    """The claim in words (and the paper's notation)."""
    source: str
    """Where it is made: a chapter of the paper, or this book's chapter name."""
    paper_value: str
    """The value as the paper prints it; ``"—"`` for this book's own claims."""
    reproduced: str
    """The value derived now, formatted for a table."""
    method: str
    """How it was derived (exact sympy, closed form, Monte Carlo, …)."""
    holds: bool
    """Whether the derivation confirms the claim."""
    evidence: Evidence
    """The kind of evidence (:class:`Evidence`) behind the claim."""

    def __post_init__(self) -> None:
        if not isinstance(self.evidence, Evidence):
            raise TypeError(f"claim {self.key}: evidence is {self.evidence!r}; expected an "
                            "Evidence (DERIVED, BUILT_FROM, ESTIMATE or BOUND)")


CLAIM_MODULES: tuple[str, ...] = (
    "bnpaper.counterexample",
    "bnpaper.landscape",
    "bnpaper.failure",
    "bnpaper.affine",
    "bnpaper.relu",
    "bnpaper.minibatch",
    "bnpaper.general",
    "bnpaper.scope",
    "bnpaper.random_sets",
    "bnpaper.distances",
    "bnpaper.deep",
)
"""Modules with a ``claims()`` function, in the order of the book's chapters."""


def all_claims(modules: tuple[str, ...] | None = None) -> list[Claim]:
    """Derive every claim afresh, module by module (default: :data:`CLAIM_MODULES`).

    Raises ValueError for a module that is not in :data:`CLAIM_MODULES`.
    """
    chosen = CLAIM_MODULES if modules is None else tuple(modules)
    unknown = [name for name in chosen if name not in CLAIM_MODULES]
    if unknown:
        raise ValueError(f"modules {unknown} have no registered claims; expected some of "
                         f"{', '.join(CLAIM_MODULES)}")
    out: list[Claim] = []
    for name in chosen:
        out.extend(importlib.import_module(name).claims())
    return out


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
