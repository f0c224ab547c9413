"""Monte Carlo over random learning sets (chapter *How often, on random data*).

For many random learning sets of a given size (M samples, d inputs) this module computes
W* and v̂ (:func:`bnpaper.general.slopes`, stacked), the angle α = ∠(W*, v̂), the gradient
of Ĉ at W*, and the fraction of random initializations W₀ for which Lemma 4.5 fails, both
by Monte Carlo (:func:`bnpaper.lemma.check_lemma`, vectorized) and by the closed form
(π + α)/(2π). Everything is seeded and vectorized.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import general, lemma, plots
from .failure import CONFIDENCE, fraction_from_angle, wilson_interval, z_value


@dataclass(frozen=True)
class SetDistribution:
    """How a random learning set is drawn (all draws independent).

    Inputs x̄⁽ᵐ⁾ ~ N(input_mean·1, I_d); a true slope b ~ N(0, slope_std² I_d) per set;
    labels ȳ⁽ᵐ⁾ = ⟨b, x̄⁽ᵐ⁾⟩ + offset + noise·εₘ with εₘ ~ N(0, 1).
    """

    input_mean: float = 1.0
    slope_std: float = 1.0
    offset: float = 1.0
    noise: float = 0.5

    def describe(self) -> str:
        """The distribution in the paper's notation, for the chapter's text."""
        return (rf"$\bar x^{{(m)}} \sim \mathcal N({self.input_mean:g}\cdot\mathbf 1, I_d)$, "
                rf"$\bar y^{{(m)}} = \langle b, \bar x^{{(m)}}\rangle + {self.offset:g} + "
                rf"{self.noise:g}\,\varepsilon_m$ with $b \sim \mathcal N(0, "
                rf"{self.slope_std:g}^2 I_d)$ drawn once per set and "
                r"$\varepsilon_m \sim \mathcal N(0, 1)$")


def _check_sizes(n_sets: int, m: int, d: int) -> None:
    for name, value, low in (("n_sets", n_sets, 1), ("M", m, 2), ("d", d, 1)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} = {value!r}; expected an integer >= {low}")
    if m < d + 1:
        raise ValueError(f"M = {m} < d + 1 = {d + 1}: then rank Xc ≤ M − 1 < d, the BN minima "
                         "are not a ray and W* may not be unique; choose M ≥ d + 1")


def sample_sets(n_sets: int, m: int, d: int, seed: int,
                dist: SetDistribution = SetDistribution()) -> tuple[np.ndarray, np.ndarray]:
    """``n_sets`` learning sets drawn from ``dist``: x of shape (S, M, d), y of shape (S, M)."""
    _check_sizes(n_sets, m, d)
    rng = np.random.default_rng(seed)
    x = dist.input_mean + rng.normal(size=(n_sets, m, d))
    b = dist.slope_std * rng.normal(size=(n_sets, d))
    y = np.einsum("smd,sd->sm", x, b) + dist.offset + dist.noise * rng.normal(size=(n_sets, m))
    return x, y


def failure_fraction(alpha: Any) -> np.ndarray:
    """(π + α)/(2π): the share of W₀ with ⟨W₀, W*⟩ > 0 for which Lemma 4.5 fails (α > 0).

    For Gaussian (any rotation-invariant) W₀ in any dimension d ≥ 2; at α = 0 it is 0.
    Of *all* W₀ the share is half of this, (π + α)/(4π). Vectorized over α; the closed form
    is :func:`bnpaper.failure.fraction_from_angle`.
    """
    return fraction_from_angle(np.asarray(alpha, dtype=float), "admissible")


@dataclass(frozen=True)
class Cell:
    """The Monte Carlo results for one (d, M): one entry per random learning set."""

    d: int
    m: int
    alpha: np.ndarray
    """∠(W*, v̂) in radians, shape (S,)."""
    scaled_gradient: np.ndarray
    """‖W*‖·‖∇Ĉ(W*)‖ (scale-free: ∇Ĉ(cw) = ∇Ĉ(w)/c), shape (S,)."""
    covered: np.ndarray
    """How many of the W₀ satisfy ⟨W₀, W*⟩ > 0, shape (S,)."""
    fails: np.ndarray
    """How many of those violate Lemma 4.5 (lhs > rhs), shape (S,)."""
    excess: np.ndarray
    """Mean of (lhs − rhs)/‖W₀‖² over the violating W₀, shape (S,)."""

    @property
    def fraction(self) -> np.ndarray:
        """Monte Carlo share of covered W₀ for which the lemma fails, shape (S,)."""
        return self.fails / self.covered

    @property
    def label(self) -> str:
        return f"d={self.d}, M={self.m}"


def analyse_cell(d: int, m: int, n_sets: int, n_init: int, seed: int,
                 dist: SetDistribution = SetDistribution()) -> Cell:
    """Draw ``n_sets`` learning sets and ``n_init`` Gaussian W₀ per set; evaluate everything."""
    x, y = sample_sets(n_sets, m, d, seed, dist)
    w_star, v_hat = general.slopes(x, y)
    xc, yc = general.centered(x, y)
    grad = general.bn_gradient_arrays(w_star, xc, yc)
    scaled = np.linalg.norm(w_star, axis=-1) * np.linalg.norm(grad, axis=-1)
    w0 = np.random.default_rng((seed, 1)).normal(size=(n_sets, n_init, d))
    check = lemma.check_lemma(w0, w_star[:, None, :], v_hat[:, None, :])
    covered = np.sum(w0 * w_star[:, None, :], axis=-1) > 0
    fail = covered & (check.lhs > check.rhs)
    gap = np.where(fail, (check.lhs - check.rhs) / np.sum(w0 * w0, axis=-1), 0.0)
    n_fail = fail.sum(axis=1)
    return Cell(d, m, general.angle(w_star, v_hat), scaled, covered.sum(axis=1), n_fail,
                gap.sum(axis=1) / np.maximum(n_fail, 1))


def pooled_z(cell: Cell) -> float:
    """Σᵢ zᵢ/√S with zᵢ = (kᵢ − nᵢpᵢ)/√(nᵢpᵢ(1 − pᵢ)), pᵢ the closed form of set i.

    If the closed form is right, the failure counts kᵢ are Binomial(nᵢ, pᵢ) and this is
    approximately standard normal; a wrong formula drives it far from 0.
    """
    p = failure_fraction(cell.alpha)
    z = (cell.fails - cell.covered * p) / np.sqrt(cell.covered * p * (1 - p))
    return float(z.sum() / np.sqrt(z.size))


def valid_grid(ds: tuple[int, ...], ms: tuple[int, ...]
               ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The (d, M) pairs with M ≥ d + 1 (studied) and the others (excluded)."""
    pairs = [(d, m) for d in ds for m in ms]
    return [p for p in pairs if p[1] >= p[0] + 1], [p for p in pairs if p[1] < p[0] + 1]


def sweep(ds: tuple[int, ...] = (2, 3, 5), ms: tuple[int, ...] = (3, 5, 10, 50),
          n_sets: int = 300, n_init: int = 2000, seed: int = 0,
          dist: SetDistribution = SetDistribution()) -> list[Cell]:
    """:func:`analyse_cell` for every valid (d, M); each cell has its own seed (seed, d, M)."""
    valid, _ = valid_grid(ds, ms)
    return [analyse_cell(d, m, n_sets, n_init, int(np.random.SeedSequence((seed, d, m))
                                                   .generate_state(1)[0]), dist)
            for d, m in valid]


# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True)
class CellSummary:
    """One row of the chapter's table."""

    label: str
    n_sets: int
    n_stationary: int
    alpha_deg: tuple[float, float, float]
    """5 %, 50 %, 95 % quantiles of α over the sets, in degrees."""
    mean_fraction: tuple[float, float, float]
    """Mean Monte Carlo failure share over the sets, with its CI (mean ± z·sd/√S)."""
    mean_closed_form: float
    coverage: float
    """Share of sets whose Wilson interval contains the closed form (≈ CONFIDENCE)."""
    min_scaled_gradient: float
    median_excess: float
    """Median over sets of the mean (lhs − rhs)/‖W₀‖² over the violating W₀."""


def summarize(cell: Cell, stationary_tol: float = general.PARALLEL_TOL) -> CellSummary:
    """The table row of one cell."""
    frac = cell.fraction
    half = z_value(CONFIDENCE) * frac.std(ddof=1) / np.sqrt(frac.size)
    lo, hi = wilson_interval(cell.fails, cell.covered, CONFIDENCE)
    closed = failure_fraction(cell.alpha)
    q = np.degrees(np.quantile(cell.alpha, [0.05, 0.5, 0.95]))
    return CellSummary(cell.label, int(frac.size),
                       int(np.sum(np.sin(cell.alpha) < stationary_tol)),
                       tuple(float(v) for v in q),
                       (float(frac.mean()), float(frac.mean() - half), float(frac.mean() + half)),
                       float(closed.mean()), float(np.mean((lo <= closed) & (closed <= hi))),
                       float(cell.scaled_gradient.min()), float(np.median(cell.excess)))


def summary_markdown(cells: list[Cell]) -> str:
    """The chapter's table as Markdown, with fixed formats."""
    head = ("| $(d, M)$ | sets | $W^*$ stationary | $\\alpha$ (°): 5 % / median / 95 % "
            "| failure share, MC (95 % CI) | closed form | CI covers | "
            "min $\\lVert W^*\\rVert\\,\\lVert\\nabla\\hat C(W^*)\\rVert$ |\n"
            "|---|---|---|---|---|---|---|---|\n")
    rows = []
    for c in cells:
        s = summarize(c)
        a, f = s.alpha_deg, s.mean_fraction
        rows.append(f"| ({c.d}, {c.m}) | {s.n_sets} | {s.n_stationary} | "
                    f"{a[0]:.1f} / {a[1]:.1f} / {a[2]:.1f} | "
                    f"{f[0]:.3f} ({f[1]:.3f}–{f[2]:.3f}) | {s.mean_closed_form:.3f} | "
                    f"{s.coverage:.2f} | {s.min_scaled_gradient:.2e} |")
    return head + "\n".join(rows) + "\n"


# --------------------------------------------------------------------------- figures


def _colour(d: int) -> str:
    return {2: plots.OKABE_ITO["blue"], 3: plots.OKABE_ITO["orange"],
            5: plots.OKABE_ITO["green"]}.get(d, plots.OKABE_ITO["purple"])


def angle_figure(cells: list[Cell]) -> Any:
    """Box plots of α = ∠(W*, v̂) per (d, M): how far W* is from the BN minima."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(9.5, 4.0))
    box = ax.boxplot([np.degrees(c.alpha) for c in cells], whis=(5, 95), showfliers=False,
                     patch_artist=True, medianprops={"color": "black"})
    for patch, c in zip(box["boxes"], cells, strict=True):
        patch.set(facecolor=_colour(c.d), alpha=0.75)
    ax.plot(range(1, len(cells) + 1), [np.degrees(c.alpha.min()) for c in cells], "v",
            color="black", label="smallest α of all sets")
    ax.set_xticks(range(1, len(cells) + 1), [f"({c.d}, {c.m})" for c in cells])
    ax.set_yscale("log")
    ax.set(xlabel="$(d, M)$: inputs, samples", ylabel=r"$\alpha = \angle(W^*, \hat v)$ (degrees)",
           title=r"Angle between $W^*$ and the BN minima, random learning sets")
    handles = [Patch(color=_colour(d), alpha=0.75, label=f"d = {d}")
               for d in sorted({c.d for c in cells})]
    ax.legend(handles=[*handles, *ax.get_legend_handles_labels()[0]],
              title="boxes: quartiles, whiskers: 5–95 %", loc="center left",
              bbox_to_anchor=(1.01, 0.5))
    return fig


def fraction_figure(cells: list[Cell]) -> Any:
    """Left: failure share vs α, Monte Carlo (95 % Wilson bars) and the closed form.
    Right: mean share per (d, M) with 95 % confidence intervals."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4.4),
                                      gridspec_kw={"width_ratios": [1.2, 1]})
    for c in cells:
        lo, hi = wilson_interval(c.fails, c.covered, CONFIDENCE)
        sel = slice(None, None, 5)  # every fifth set keeps the scatter readable
        deg, frac = np.degrees(c.alpha[sel]), c.fraction[sel]
        left.errorbar(deg, frac, yerr=[frac - lo[sel], hi[sel] - frac], fmt="o", ms=3,
                      color=_colour(c.d), alpha=0.5, elinewidth=0.8, label=None)
    grid = np.radians(np.geomspace(1e-3, 180, 400))
    left.plot(np.degrees(grid), failure_fraction(grid), color="black", lw=2,
              label=r"closed form $(\pi + \alpha)/(2\pi)$")
    for d in sorted({c.d for c in cells}):
        left.plot([], [], "o", color=_colour(d), label=f"Monte Carlo, d = {d}")
    left.set(xscale="log", xlabel=r"$\alpha = \angle(W^*, \hat v)$ (degrees)",
             ylabel=r"share of $W_0$ with $\langle W_0, W^*\rangle > 0$ where the lemma fails",
             title="Lemma 4.5 fails on more than half of its cases")
    left.legend(loc="upper left")
    for i, c in enumerate(cells):
        s = summarize(c)
        mean, lo, hi = s.mean_fraction
        right.errorbar(i, mean, yerr=[[mean - lo], [hi - mean]], fmt="o", capsize=4,
                       color=_colour(c.d))
        right.plot(i, s.mean_closed_form, "_", color="black", ms=16)
    right.plot([], [], "_", color="black", ms=16, label="mean of the closed form")
    right.errorbar([], [], yerr=[], fmt="o", color="grey", capsize=4,
                   label="Monte Carlo mean, 95 % CI")
    right.axhline(0.5, color="grey", ls=":", lw=1)
    right.set_xticks(range(len(cells)), [f"({c.d}, {c.m})" for c in cells], rotation=35)
    right.set(xlabel="$(d, M)$", ylabel="mean failure share over learning sets",
              title="Per size of learning set")
    right.legend(loc="lower right")
    return fig


# --------------------------------------------------------------------------- claims


def claims() -> list:
    """The chapter's claims, re-derived by a small Monte Carlo run (fast)."""
    from .claims import Claim

    source = "book, How often, on random data"
    cells = sweep(ds=(2, 5), ms=(10,), n_sets=100, n_init=1000, seed=0)
    summaries = [summarize(c) for c in cells]
    n_stationary = sum(s.n_stationary for s in summaries)
    n_sets = sum(s.n_sets for s in summaries)
    z = max(abs(pooled_z(c)) for c in cells)
    min_share = min(float(c.fraction.min()) for c in cells)
    return [
        Claim("book-random-1", "for continuous random data W* is never a stationary point of Ĉ",
              source, "—", f"{n_stationary} of {n_sets} random sets stationary",
              "Monte Carlo: α = ∠(W*, v̂) and ∇Ĉ(W*) on seeded random sets",
              n_stationary == 0),
        Claim("book-random-2", "Lemma 4.5 fails for the share (π + α)/(2π) > 1/2 of the W₀ "
              "with ⟨W₀, W*⟩ > 0, in every dimension", source, "—",
              f"largest pooled |z| of Monte Carlo vs closed form {z:.2f}; "
              f"smallest Monte Carlo share {min_share:.2f}",
              "Monte Carlo over Gaussian W₀ (lemma.check_lemma) vs closed form",
              z < 3 and min_share > 0.4),
    ]
