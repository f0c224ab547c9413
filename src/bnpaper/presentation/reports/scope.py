"""The scope table of the chapter *A general answer for one linear neuron* as Markdown: one
row per regime (:func:`bnpaper.topics.scope.scope_rows`)."""

from __future__ import annotations

from bnpaper.core.text import fmt_exact
from bnpaper.topics.scope import ScopeRow


def scope_markdown(rows: list[ScopeRow]) -> str:
    """The scope table as Markdown (every header cell has text).

    λ (W* = λ v̂) is printed only where Xc has full column rank (rank d): elsewhere v̂ is not
    unique and the book's λ is undefined."""
    head = ("| regime | example | size $(M, d)$, rank of $X_c$ | standard optimum $W^*$ "
            "| what $W^*$ is for $\\hat C$ | gradient $\\nabla\\hat C(W^*)$ "
            "| lemma at $W_0 = W^*$: left side (right side $0$) "
            "| random $W_0$: failures / admissible | lemma for every admissible $W_0$ |\n"
            "|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        kind = r.verdict.kind + ("" if r.verdict.multiple is None or r.rank < r.d
                                 else f" (λ = {fmt_exact(r.verdict.multiple)})")
        grad = "0" if r.stationary else ", ".join(f"{float(g):.4f}" for g in r.gradient)
        lines.append(f"| {r.regime} | {r.example} | ({r.m}, {r.d}), {r.rank} | "
                     f"{fmt_exact(r.w_star)} | {kind} | {grad} | "
                     f"{fmt_exact(r.lhs_at_w_star)} | {r.n_fail} / {r.n_admissible} | "
                     f"{'holds' if r.lemma_holds else 'fails'} |")
    return head + "\n".join(lines) + "\n"
