"""The table of the chapter *How often, on random data* as Markdown: one row per size
(d, M) of :func:`bnpaper.topics.random_sets.sweep`."""

from __future__ import annotations

from bnpaper.topics.random_sets import (
    QUANTILE,
    STATIONARY_TOL,
    CellSummary,
    SizeCell,
    summarize,
)


def _rho_text(s: CellSummary) -> str:
    """The ρ column: its :data:`QUANTILE` with the order-statistic 95 % interval (M ≥ d + 1),
    or a bound on its largest value (M ≤ d, where W* interpolates)."""
    if s.rho_quantile is None or s.max_rho < STATIONARY_TOL:
        return f"all < {STATIONARY_TOL:.0e}"
    r = s.rho_quantile
    high = f"{r.high:.1e}" if r.high < float("inf") else "∞"
    return f"{r.estimate:.1e} ({max(r.low, 0.0):.1e}–{high})"  # ρ ≥ 0: 0 when too few sets


def summary_markdown(cells: list[SizeCell]) -> str:
    """The chapter's table as Markdown, with fixed formats, seven columns that fit the
    book's column (every header cell has text; ρ is defined in the chapter's prose): the
    size (and M ≤ d where W* interpolates), the sets with W* stationary, the quantile of ρ,
    the angles α, the failure share by Monte Carlo and in closed form, and how often the
    per-set intervals cover the closed form."""
    head = (r"| size $(d, M)$ | sets with $W^*$ stationary "
            rf"| scale-free gradient $\rho$: {QUANTILE * 100:g} % quantile (95 % CI) "
            r"| angle $\alpha$ (°): 5 % / median / 95 % "
            "| failure share, MC (95 % CI) | closed form | CI covers |\n"
            "|---|---|---|---|---|---|---|\n")
    rows = []
    for c in cells:
        s = summarize(c)
        a, f = s.alpha_deg, s.mean_fraction
        angles = ("not a ray" if c.underdetermined
                  else f"{a[0]:.1f} / {a[1]:.1f} / {a[2]:.1f}")
        share = (f"{s.fails} of {s.covered}" if c.underdetermined
                 else f"{f[0]:.3f} ({f[1]:.3f}–{f[2]:.3f})")
        size = f"({c.d}, {c.m})" + (", M ≤ d" if c.underdetermined else "")
        rows.append(f"| {size} | {s.n_stationary} of {s.n_sets} | {_rho_text(s)} | "
                    f"{angles} | {share} | {s.mean_closed_form:.3f} | {s.coverage:.2f} |")
    return head + "\n".join(rows) + "\n"
