"""The table of verdicts of the chapter *What is true instead*: each part of the proposition
checked at random W₀ (:func:`bnpaper.topics.distances.check_distance_facts`), one row per
case, as Markdown."""

from __future__ import annotations

from typing import Any

from bnpaper.topics.distances import VERDICT_NAMES, check_distance_facts


def verdict_table(cases: dict[str, tuple[Any, Any]], n: int = 20_000) -> tuple[str, bool]:
    """:func:`check_distance_facts` for each named case (W*, v̂): a Markdown table of the
    verdicts ("pass" or "fail"), one row per case and one column per check of
    :data:`VERDICT_NAMES`, and whether every check of every case passed."""
    rows = [(name, *check_distance_facts(w_star, v_hat, n=n).verdicts())
            for name, (w_star, v_hat) in cases.items()]
    lines = ["| case | " + " | ".join(VERDICT_NAMES) + " |",
             "| :-- |" + " :-: |" * len(VERDICT_NAMES)]
    for name, *verdicts in rows:
        cells = [name, *("pass" if ok else "fail" for ok in verdicts)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), all(all(row[1:]) for row in rows)
