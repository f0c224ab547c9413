"""The table of verdicts of the chapter *What is true instead*: each part of the proposition
checked at random W₀ (:func:`bnpaper.topics.distances.check_distance_facts`), one row per
case."""

from __future__ import annotations

from typing import Any

from bnpaper.presentation.tables import aligned_table
from bnpaper.topics.distances import VERDICT_NAMES, check_distance_facts


def verdict_table(cases: dict[str, tuple[Any, Any]], n: int = 20_000) -> tuple[str, bool]:
    """:func:`check_distance_facts` for each named case (W*, v̂): a fixed-width table of the
    verdicts, one row per case, and whether every check of every case passed."""
    rows = [(name, *check_distance_facts(w_star, v_hat, n=n).verdicts())
            for name, (w_star, v_hat) in cases.items()]
    table = aligned_table([("case", *VERDICT_NAMES), *rows], (10, 9, 9, 9, 9, 9, 10))
    return table, all(all(row[1:]) for row in rows)
