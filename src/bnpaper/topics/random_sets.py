"""Monte Carlo over random learning sets (chapter *How often, on random data*).

For many random learning sets of a given size (M samples, d inputs) this module computes
W* and v̂ (:func:`bnpaper.least_squares.slopes`, stacked), the angle α = ∠(W*, v̂), the gradient
of Ĉ at W*, and the fraction of random initializations W₀ for which Lemma 4.5 fails, both
by Monte Carlo (:func:`bnpaper.lemma.check_lemma`, vectorized) and by the closed form
(π + α)/(2π). With M ≤ d (more weights than samples) W* interpolates and the conclusion
reverses: there W* is taken as the minimizer of C closest to each W₀, the BN minima are a
ray plus the null space of Xc, and the lemma holds (closed form: share 0). Everything is
seeded and vectorized.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bnpaper.core import geometry, least_squares
from bnpaper.core.statistics import CONFIDENCE, wilson_interval, z_value
from bnpaper.paper import lemma
from bnpaper.presentation import plots
from bnpaper.topics import general
from bnpaper.topics.failure import fraction_from_angle


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


def sample_sets(n_sets: int, m: int, d: int, seed: int,
                dist: SetDistribution = SetDistribution()) -> tuple[np.ndarray, np.ndarray]:
    """``n_sets`` learning sets drawn from ``dist``: x of shape (S, M, d), y of shape (S, M)."""
    _check_sizes(n_sets, m, d)
    rng = np.random.default_rng(seed)
    x = dist.input_mean + rng.normal(size=(n_sets, m, d))
    b = dist.slope_std * rng.normal(size=(n_sets, d))
    y = np.einsum("smd,sd->sm", x, b) + dist.offset + dist.noise * rng.normal(size=(n_sets, m))
    return x, y


LEMMA_TOL = 1e-9
"""A W₀ violates the lemma when lhs − rhs > LEMMA_TOL·‖W₀‖² (a margin for rounding)."""


def relative_gradient(w_star: Any, xc: Any, yc: Any) -> np.ndarray:
    """ρ = ‖W*‖·‖∇Ĉ(W*)‖ / (2√M‖yc‖): the gradient at W*, free of the scales of W* and y.

    ∇Ĉ(cw) = ∇Ĉ(w)/c, and Ĉ's gradient scales with 2√M‖yc‖ (lemma of the general chapter).
    Shapes (S, d), (S, M, d), (S, M) → (S,).
    """
    grad = general.bn_gradient_arrays(w_star, xc, yc)
    m = np.shape(xc)[-2]
    return (np.linalg.norm(w_star, axis=-1) * np.linalg.norm(grad, axis=-1)
            / (2 * np.sqrt(m) * np.linalg.norm(yc, axis=-1)))


def distance_sq_to_minima(w0: Any, xc: Any, yc: Any) -> np.ndarray:
    """dist²(W₀, {t v̂ + n : t > 0, Xc n = 0}) = ‖P_R W₀‖² − max(⟨W₀, v̂⟩, 0)²/‖v̂‖².

    v̂ = Xc⁺yc (least norm, in the row space R of Xc) and P_R = Xc⁺Xc; these are the minima
    of Ĉ when rank Xc ≥ 2. w0: (S, n, d), xc: (S, M, d), yc: (S, M) → (S, n).
    """
    pinv = np.linalg.pinv(xc)  # (S, d, M)
    v = (pinv @ yc[..., None])[..., 0]
    pw = w0 @ np.swapaxes(pinv @ xc, -1, -2)
    along = np.sum(w0 * v[:, None, :], axis=-1)
    return np.sum(pw * pw, axis=-1) - np.maximum(along, 0.0) ** 2 / np.sum(v * v, -1)[:, None]


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
    """∠(W*, v̂) in radians, shape (S,); NaN when M ≤ d (the minima are not a ray)."""
    rho: np.ndarray
    """ρ = ‖W*‖‖∇Ĉ(W*)‖/(2√M‖yc‖) (:func:`relative_gradient`), shape (S,); for M ≤ d at
    the least-norm W*."""
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

    @property
    def underdetermined(self) -> bool:
        """M ≤ d: W* interpolates and the lemma holds (the reversed regime)."""
        return self.m <= self.d


def analyse_cell(d: int, m: int, n_sets: int, n_init: int, seed: int,
                 dist: SetDistribution = SetDistribution()) -> Cell:
    """Draw ``n_sets`` learning sets and ``n_init`` Gaussian W₀ per set; evaluate everything.

    M ≥ d + 1: W* = (XᵀX)⁻¹Xᵀy, the BN minima the ray t v̂. M ≤ d: see
    :func:`analyse_underdetermined`.
    """
    if m <= d:
        return analyse_underdetermined(d, m, n_sets, n_init, seed, dist)
    x, y = sample_sets(n_sets, m, d, seed, dist)
    w_star, v_hat = least_squares.slopes(x, y)
    xc, yc = least_squares.centered(x, y)
    w0 = np.random.default_rng((seed, 1)).normal(size=(n_sets, n_init, d))
    check = lemma.check_lemma(w0, w_star[:, None, :], v_hat[:, None, :])
    covered = np.sum(w0 * w_star[:, None, :], axis=-1) > 0
    return _count(d, m, geometry.angle(w_star, v_hat), relative_gradient(w_star, xc, yc), w0,
                  covered, check.lhs, check.rhs)


def analyse_underdetermined(d: int, m: int, n_sets: int, n_init: int, seed: int,
                            dist: SetDistribution = SetDistribution()) -> Cell:
    """M ≤ d: for each W₀, W* = W₀ + X⁺(y − XW₀), the minimizer of C closest to W₀.

    The lemma's left-hand side is the distance to the BN minima t v̂ + ker Xc
    (:func:`distance_sq_to_minima`; needs rank Xc = M − 1 ≥ 2, i.e. M ≥ 3).
    """
    if m < 3:
        raise ValueError(f"M = {m}: with M ≤ d the minima of Ĉ are a ray plus a null space "
                         "only if rank Xc = M − 1 ≥ 2; choose M ≥ 3")
    x, y = sample_sets(n_sets, m, d, seed, dist)
    xc, yc = least_squares.centered(x, y)
    pinv = np.linalg.pinv(x)  # (S, d, M)
    least_norm = (pinv @ y[..., None])[..., 0]
    w0 = np.random.default_rng((seed, 1)).normal(size=(n_sets, n_init, d))
    residual = y[:, None, :] - w0 @ np.swapaxes(x, -1, -2)  # (S, n, M)
    w_star = w0 + residual @ np.swapaxes(pinv, -1, -2)
    covered = np.sum(w0 * w_star, axis=-1) > 0
    lhs = distance_sq_to_minima(w0, xc, yc)
    rhs = lemma.lemma_rhs(w0, w_star)
    return _count(d, m, np.full(n_sets, np.nan), relative_gradient(least_norm, xc, yc), w0,
                  covered, lhs, rhs)


def _count(d: int, m: int, alpha: np.ndarray, rho: np.ndarray, w0: np.ndarray,
           covered: np.ndarray, lhs: np.ndarray, rhs: np.ndarray) -> Cell:
    norm_sq = np.sum(w0 * w0, axis=-1)
    fail = covered & (lhs - rhs > LEMMA_TOL * norm_sq)
    gap = np.where(fail, (lhs - rhs) / norm_sq, 0.0)
    n_fail = fail.sum(axis=1)
    return Cell(d, m, alpha, rho, covered.sum(axis=1), n_fail,
                gap.sum(axis=1) / np.maximum(n_fail, 1))


def pooled_z(cell: Cell) -> float:
    """Σᵢ zᵢ/√S with zᵢ = (kᵢ − nᵢpᵢ)/√(nᵢpᵢ(1 − pᵢ)), pᵢ the closed form of set i.

    If the closed form is right, the failure counts kᵢ are Binomial(nᵢ, pᵢ) and this is
    approximately standard normal; a wrong formula drives it far from 0. M ≥ d + 1 only.
    """
    if cell.underdetermined:
        raise ValueError(f"{cell.label}: M ≤ d has closed-form share 0; no z-score")
    p = failure_fraction(cell.alpha)
    with np.errstate(invalid="ignore", divide="ignore"):  # p = 0 only on broken data: z NaN
        z = (cell.fails - cell.covered * p) / np.sqrt(cell.covered * p * (1 - p))
    return float(z.sum() / np.sqrt(z.size))


def split_grid(ds: tuple[int, ...], ms: tuple[int, ...]
               ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The (d, M) pairs with M ≥ d + 1 (W* off the BN minima) and with M ≤ d (reversed)."""
    pairs = [(d, m) for d in ds for m in ms]
    return [p for p in pairs if p[1] >= p[0] + 1], [p for p in pairs if p[1] <= p[0]]


def sweep(ds: tuple[int, ...] = (2, 3, 5), ms: tuple[int, ...] = (3, 5, 10, 50),
          n_sets: int = 300, n_init: int = 2000, seed: int = 0,
          dist: SetDistribution = SetDistribution()) -> list[Cell]:
    """:func:`analyse_cell` for every (d, M), M ≥ d + 1 first, then M ≤ d; each cell has
    its own seed (seed, d, M)."""
    over, under = split_grid(ds, ms)
    return [analyse_cell(d, m, n_sets, n_init, int(np.random.SeedSequence((seed, d, m))
                                                   .generate_state(1)[0]), dist)
            for d, m in over + under]


# --------------------------------------------------------------------------- summaries


STATIONARY_TOL = 1e-7
"""W* counts as a stationary point of Ĉ when ρ < STATIONARY_TOL: rounding for these sets
(an exact interpolant on a square X with condition number 4·10⁴ gives ρ ≈ 10⁻¹⁰)."""


@dataclass(frozen=True)
class CellSummary:
    """One row of the chapter's table."""

    label: str
    n_sets: int
    n_stationary: int
    """Sets with ρ < :data:`STATIONARY_TOL`."""
    alpha_deg: tuple[float, float, float]
    """5 %, 50 %, 95 % quantiles of α over the sets, in degrees (NaN for M ≤ d)."""
    mean_fraction: tuple[float, float, float]
    """Mean Monte Carlo failure share over the sets, with its CI (mean ± z·sd/√S)."""
    mean_closed_form: float
    coverage: float
    """Share of sets whose Wilson interval contains the closed form (≈ CONFIDENCE)."""
    min_rho: float
    max_rho: float
    median_excess: float
    """Median over sets of the mean (lhs − rhs)/‖W₀‖² over the violating W₀."""
    fails: int
    """Violations over all sets."""
    covered: int
    """Admissible W₀ (⟨W₀, W*⟩ > 0) over all sets."""


def summarize(cell: Cell) -> CellSummary:
    """The table row of one cell."""
    frac = cell.fraction
    half = z_value(CONFIDENCE) * frac.std(ddof=1) / np.sqrt(frac.size)
    lo, hi = wilson_interval(cell.fails, cell.covered, CONFIDENCE)
    closed = np.zeros(frac.size) if cell.underdetermined else failure_fraction(cell.alpha)
    q = (np.full(3, np.nan) if cell.underdetermined
         else np.degrees(np.quantile(cell.alpha, [0.05, 0.5, 0.95])))
    return CellSummary(cell.label, int(frac.size), int(np.sum(cell.rho < STATIONARY_TOL)),
                       tuple(float(v) for v in q),
                       (float(frac.mean()), float(frac.mean() - half), float(frac.mean() + half)),
                       float(closed.mean()),
                       float(np.mean(cell.fails == 0) if cell.underdetermined
                             else np.mean((lo <= closed) & (closed <= hi))),
                       float(cell.rho.min()), float(cell.rho.max()),
                       float(np.median(cell.excess)), int(cell.fails.sum()),
                       int(cell.covered.sum()))


def _rho_text(cell: Cell, s: CellSummary) -> str:
    """The ρ column: its smallest value (M ≥ d + 1), or a bound on its largest (M ≤ d)."""
    if s.max_rho < STATIONARY_TOL:
        return f"all < {STATIONARY_TOL:.0e}"
    return f"min {s.min_rho:.1e}"


def summary_markdown(cells: list[Cell]) -> str:
    """The chapter's table as Markdown, with fixed formats (every header cell has text)."""
    head = (r"| size $(d, M)$ | regime | sets | $W^*$ stationary | scale-free gradient "
            r"$\rho = \lVert W^*\rVert\,\lVert\nabla\hat C(W^*)\rVert / "
            r"(2\sqrt M\lVert y_c\rVert)$ | angle $\alpha$ (°): 5 % / median / 95 % "
            "| failure share, MC (95 % CI) | closed form | CI covers |\n"
            "|---|---|---|---|---|---|---|---|---|\n")
    rows = []
    for c in cells:
        s = summarize(c)
        a, f = s.alpha_deg, s.mean_fraction
        angles = ("not a ray" if c.underdetermined
                  else f"{a[0]:.1f} / {a[1]:.1f} / {a[2]:.1f}")
        share = (f"{s.fails} of {s.covered}" if c.underdetermined
                 else f"{f[0]:.3f} ({f[1]:.3f}–{f[2]:.3f})")
        rows.append(f"| ({c.d}, {c.m}) | {'M ≤ d' if c.underdetermined else 'M ≥ d + 1'} | "
                    f"{s.n_sets} | {s.n_stationary} | {_rho_text(c, s)} | {angles} | "
                    f"{share} | {s.mean_closed_form:.3f} | {s.coverage:.2f} |")
    return head + "\n".join(rows) + "\n"


# --------------------------------------------------------------------------- figures


def _colour(d: int) -> str:
    return {2: plots.OKABE_ITO["blue"], 3: plots.OKABE_ITO["orange"],
            5: plots.OKABE_ITO["green"]}.get(d, plots.OKABE_ITO["purple"])


def angle_figure(cells: list[Cell]) -> Any:
    """Box plots of α = ∠(W*, v̂) per (d, M), M ≥ d + 1: how far W* is from the BN minima."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    cells = [c for c in cells if not c.underdetermined]

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
    """Left: failure share vs α for M ≥ d + 1, Monte Carlo (95 % Wilson bars) and the closed
    form. Right: mean share per (d, M) with 95 % confidence intervals, M ≤ d included."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11.5, 4.4),
                                      gridspec_kw={"width_ratios": [1.2, 1]})
    for c in (c for c in cells if not c.underdetermined):
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
             title="$M \\geq d + 1$: the lemma fails for more than half")
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
              title="Per size: $M \\leq d$ (right) never fails")
    right.legend(loc="center right")
    return fig


# --------------------------------------------------------------------------- claims


def claims() -> list:
    """The chapter's claims, re-derived by a small Monte Carlo run (fast)."""
    from bnpaper.claims import Claim, Evidence

    source = "book, How often, on random data"
    cells = sweep(ds=(2, 5), ms=(3, 10), n_sets=100, n_init=1000, seed=0)
    over = [c for c in cells if not c.underdetermined]
    under = [c for c in cells if c.underdetermined]
    s_over, s_under = [summarize(c) for c in over], [summarize(c) for c in under]
    min_rho = min(s.min_rho for s in s_over)
    min_median = min(s.alpha_deg[1] for s in s_over)
    max_rho_under = max(s.max_rho for s in s_under)
    z = max(abs(pooled_z(c)) for c in over)
    lowest = min(s.mean_fraction[1] for s in s_over)
    fails, covered = sum(s.fails for s in s_under), sum(s.covered for s in s_under)
    upper = float(wilson_interval(fails, covered, CONFIDENCE)[1])
    return [
        Claim("book-random-1", "on random sets with M ≥ d + 1 (no bias, x̄ ≠ 0, a label "
              "offset) W* is clearly off the BN minima: ρ > 1e-6 in every set and median "
              "α > 5° for every size; with M ≤ d, W* is BN-stationary (ρ < 1e-7) in every set",
              source, "—",
              f"M ≥ d + 1: smallest ρ {min_rho:.1e}, smallest median α {min_median:.0f}°; "
              f"M ≤ d: every ρ < {STATIONARY_TOL:.0e}",
              "Monte Carlo: ρ = ‖W*‖‖∇Ĉ(W*)‖/(2√M‖yc‖) and α on seeded random sets",
              min_rho > 1e-6 and min_median > 5 and max_rho_under < STATIONARY_TOL,
              Evidence.BOUND),
        Claim("book-random-2", "with M ≥ d + 1, averaged over random sets of each size, "
              "Lemma 4.5 fails for more than half of the W₀ with ⟨W₀, W*⟩ > 0, as the "
              "closed form (π + α)/(2π) says", source, "—",
              f"lowest 95 % CI bound of the mean share over {len(over)} sizes {lowest:.3f}; "
              f"largest pooled |z| against the closed form {z:.1f}",
              "Monte Carlo over Gaussian W₀ (lemma.check_lemma) vs closed form",
              lowest > 0.5 and z < 3, Evidence.ESTIMATE),
        Claim("book-random-3", "with M ≤ d (W* the minimizer of C closest to W₀) Lemma 4.5 "
              "holds: the conclusion reverses", source, "—",
              f"{fails} violations among {covered} admissible W₀ "
              f"(95 % upper bound on the share {upper:.1e})",
              "Monte Carlo: distance to the BN minima t·v̂ + ker Xc vs the lemma's bound",
              fails == 0, Evidence.ESTIMATE),
    ]
