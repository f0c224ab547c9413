"""Every claim of the paper and of this book, re-derived on demand (the claims chapter and
``python -m bnpaper verify``).

Each topic module that makes claims has a function ``claims() -> list[Claim]`` that derives
them afresh; :func:`all_claims` collects them in the order of :data:`CLAIM_MODULES`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


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


CLAIM_MODULES: tuple[str, ...] = ("bnpaper.counterexample",)
"""Modules with a ``claims()`` function, in the order of the book's chapters."""


def all_claims(modules: tuple[str, ...] = CLAIM_MODULES) -> list[Claim]:
    """Derive every claim afresh, module by module."""
    out: list[Claim] = []
    for name in modules:
        out.extend(importlib.import_module(name).claims())
    return out
