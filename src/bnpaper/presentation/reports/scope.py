"""The scope table of the chapter *A general answer for one linear neuron* as Markdown: one
row per regime (:func:`bnpaper.topics.scope.scope_rows`)."""

from __future__ import annotations

from bnpaper.core.text import escape_markdown, fmt_exact
from bnpaper.presentation.tables import exact_maths
from bnpaper.topics.scope import ScopeRow


def scope_markdown(rows: list[ScopeRow]) -> str:
    """The scope table as Markdown, seven columns that fit the book's column (every header
    cell has text): the regime and its example; the size and rank; W*; what W* is for Ĉ,
    with ∇Ĉ(W*); the lemma's left side at W₀ = W*; the failures among random admissible W₀;
    the verdict.

    λ (W* = λ v̂) is printed only where Xc has full column rank (rank d): elsewhere v̂ is not
    unique and the book's λ is undefined."""
    head = ("| regime: example | size $(M, d)$, rank of $X_c$ | standard optimum $W^*$ "
            "| what $W^*$ is for $\\hat C$; its gradient "
            "| lemma at $W_0 = W^*$: left side (right side $0$) "
            "| random $W_0$: failures / admissible | lemma for every admissible $W_0$ |\n"
            "|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        kind = r.verdict.kind + ("" if r.verdict.multiple is None or r.rank < r.d
                                 else f" (λ = {fmt_exact(r.verdict.multiple)})")
        grad = "$\\nabla\\hat C = " + ("0$" if r.stationary else "$ (" + ", ".join(
            f"{float(g):.4f}".replace("-", "−") for g in r.gradient) + ")")
        lines.append(f"| {escape_markdown(r.regime)}: {escape_markdown(r.example)} | "
                     f"({r.m}, {r.d}), {r.rank} | {exact_maths(tuple(r.w_star))} | "
                     f"{escape_markdown(kind)}; {grad} | {exact_maths(r.lhs_at_w_star)} | "
                     f"{r.n_fail} / {r.n_admissible} | "
                     f"{'holds' if r.lemma_holds else 'fails'} |")
    return head + "\n".join(lines) + "\n"
