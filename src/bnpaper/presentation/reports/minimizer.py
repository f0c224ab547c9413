"""The text table of the chapter *A general answer for one linear neuron* that compares the
numerical minima of Ĉ (:mod:`bnpaper.topics.minimizer`) with the closed form."""

from __future__ import annotations

from bnpaper.core import text
from bnpaper.presentation import tables
from bnpaper.topics.minimizer import GRAD_TOL, LOSS_GAP_TOL, MinimaAgreement


def agreement_table(batches: dict[tuple[int, int], MinimaAgreement]) -> tuple[str, bool]:
    """A fixed-width table of :meth:`MinimaAgreement.verdicts`, one row per (d, M), and
    whether every batch passed every check."""
    gap, grad = (text.power_of_ten(t) for t in (LOSS_GAP_TOL, GRAD_TOL))
    header = ("(d, M)", "runs", "angle < tol", f"rel. gap < {gap}", f"|grad| < {grad}")
    rows = [(str(key), c.runs, *c.verdicts()) for key, c in batches.items()]
    return (tables.aligned_table([header, *rows], (8, 5, 12, 17, 14)),
            all(all(row[2:]) for row in rows))
