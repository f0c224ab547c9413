"""Where Lemma 4.5 holds for one linear neuron, and where it fails: the criterion, the
neuron with a bias, more weights than samples (M ≤ d), and the scope table (chapter *A
general answer for one linear neuron*).

Notation as in :mod:`bnpaper.general` (γ = 1, β = 0, the batch is the whole set): Xc, yc
the centred data, V = col(Xc), P the projection onto V. The facts used here:

- Ĉ(cw) = Ĉ(w) for c > 0, so the local minima of Ĉ form a cone Ŵ; the lemma's right-hand
  side is dist²(W₀, ℝW*) (:func:`bnpaper.lemma.lemma_rhs`). If W* ∈ Ŵ, the point s₀W*,
  s₀ = ⟨W₀, W*⟩/‖W*‖² > 0, lies in Ŵ and the lemma holds for every W₀ with ⟨W₀, W*⟩ > 0;
  if W* is not in the closure of Ŵ, it fails at W₀ = W*.
- For any W with residual r = y − XW and mean residual r̄ = ȳ − ⟨x̄, W⟩:
  ⟨yc − Xc W, Xc w⟩ = ⟨r, Xw⟩ − M r̄ ⟨x̄, w⟩ for every w. For a minimizer W* of C the first
  term vanishes, so Xc W* = P yc whenever r̄ = 0 (e.g. a bias input, or M ≤ d with X of full
  row rank: then 1 ∈ col X) or x̄ = 0 (centred inputs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, least_squares, model
from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import centered, least_norm_standard_optimum, linear_fits
from bnpaper.core.namespace import to_exact
from bnpaper.core.text import fmt_exact
from bnpaper.paper import lemma
from bnpaper.paper.counterexample import counterexample_set

LEMMA_TOL = 1e-9
"""A W₀ counts as violating the lemma when lhs − rhs > LEMMA_TOL·‖W₀‖² (rounding margin)."""

EXTRA_INPUT = (0, 0, 1)
"""A third input for the paper's three samples: then M = d = 3 and X is invertible."""

EXTRA_SAMPLE = ((3, 1), 4)
"""A fourth sample (input, label) for the paper's set: with a bias there are then more
samples (4) than weights (3), so W* need not interpolate."""

RANK_ONE_INPUTS = ((1, 1), (2, 3), (3, 5))
"""Inputs with x₂ = 2x₁ − 1: X has full rank 2, but Xc has rank 1."""

NEGATIVE_LABELS = (2, 2, 1)
"""Labels for the paper's inputs with W* = −v̂ (:data:`bnpaper.general.EXAMPLE_LABELS`)."""


# --------------------------------------------------------------------------- the examples


def with_bias(data: LearningSet) -> LearningSet:
    """The set with a constant input 1 appended: the weight on it is the neuron's bias."""
    return data.with_intercept()


def underdetermined_example() -> LearningSet:
    """The paper's set with the third input :data:`EXTRA_INPUT`: M = d = 3, X invertible."""
    paper = counterexample_set()
    return LearningSet(to_exact(np.column_stack([paper.x, EXTRA_INPUT])), paper.y)


def four_samples() -> LearningSet:
    """The paper's set with the fourth sample :data:`EXTRA_SAMPLE` (M = 4, d = 2)."""
    paper = counterexample_set()
    (x4, y4) = EXTRA_SAMPLE
    return LearningSet(to_exact(np.vstack([paper.x, [x4]])), to_exact([*paper.y, y4]))


def scope_examples() -> dict[str, tuple[str, LearningSet]]:
    """One exact learning set per regime: {regime: (what was changed, set)}."""
    paper = counterexample_set()
    x_bar = paper.x.sum(axis=0) / paper.M
    x4, y4 = EXTRA_SAMPLE
    return {
        "M ≥ d + 1, Xc of full rank, no bias": ("the paper's set", paper),
        "the same, W* ∥ v̂ with λ < 0": (f"labels {NEGATIVE_LABELS}",
                                        LearningSet(paper.x, to_exact(NEGATIVE_LABELS))),
        "M ≥ d + 1, no bias (4 samples)": (f"a fourth sample x = {x4}, y = {y4}",
                                            four_samples()),
        "M ≤ d": (f"a third input {EXTRA_INPUT}", underdetermined_example()),
        "bias input, M = d = 3 (W* also interpolates)": ("a constant input 1",
                                                         with_bias(paper)),
        "bias input, M = 4 ≥ d + 1": ("4 samples, a constant input 1",
                                          with_bias(four_samples())),
        "centred inputs": ("inputs minus x̄", LearningSet(paper.x - x_bar, paper.y)),
        "rank Xc = 1 < d": (f"inputs {RANK_ONE_INPUTS}",
                            LearningSet(to_exact(RANK_ONE_INPUTS), paper.y)),
    }


# --------------------------------------------------------------------------- exact pieces


def residual_identity(x: Any, y: Any, big_w: Any, w: Any) -> Any:
    """⟨yc − Xc W, Xc w⟩ − ⟨y − XW, Xw⟩ + M r̄ ⟨x̄, w⟩ with r̄ = ȳ − ⟨x̄, W⟩ (zero for all data).

    Generic over exact (symbolic) and float arrays: x (M, d), y (M,), big_w and w (d,).
    """
    x, y = np.asarray(x), np.asarray(y)
    big_w, w = np.asarray(big_w), np.asarray(w)
    m = x.shape[0]
    xc, yc = centered(x, y)
    x_bar, y_bar = x.sum(axis=0) / m, y.sum() / m
    r_bar = y_bar - x_bar @ big_w
    out = (yc - xc @ big_w) @ (xc @ w) - (y - x @ big_w) @ (x @ w) + m * r_bar * (x_bar @ w)
    return sp.expand(out) if isinstance(out, sp.Basic) else out


@dataclass(frozen=True)
class BNVerdict:
    """What a point w (with σ(w) > 0) is for Ĉ, from the geometry of Xc w and a = P yc."""

    kind: str
    """"minimum", "maximum", "not stationary", or "flat minimum" (rank Xc = 1 or a = 0:
    Ĉ is locally constant, every w with σ(w) > 0 is a non-strict local minimum)."""
    multiple: Any
    """λ with Xc w = λ a when they are parallel (a ≠ 0), else None."""


def bn_verdict(data: LearningSet, w: Any) -> BNVerdict:
    """Classify w for Ĉ exactly (the proposition on the minima of Ĉ); σ(w) = 0 raises."""
    xc, yc = (least_squares.sympy_matrix(a) for a in centered(to_exact(data.x), to_exact(data.y)))
    c = xc * least_squares.sympy_matrix(to_exact(w))
    if all(e == 0 for e in c):
        raise ValueError("Xc w = 0, i.e. σ(w) = 0: Ĉ is undefined at w")
    a = xc * xc.pinv() * yc
    if all(e == 0 for e in a) or xc.rank() == 1:
        return BNVerdict("flat minimum", None)
    if sp.Matrix.hstack(c, a).rank() == 2:
        return BNVerdict("not stationary", None)
    lam = sp.nsimplify(c.dot(a) / a.dot(a))
    return BNVerdict("minimum" if lam > 0 else "maximum", lam)


def exact_bn_gradient(data: LearningSet, w: Any) -> list[Any]:
    """∇Ĉ(w), differentiating model.bn_loss symbolically (independent of the closed forms)."""
    expr = exact.loss_expr(model.bn_loss, data)
    return [sp.radsimp(sp.nsimplify(g)) for g in
            exact.at(exact.gradient(expr, data.d), tuple(to_exact(w)))]


def distance_sq_to_bn_minima(w0: Any, data: LearningSet) -> Any:
    """dist²(W₀, Ŵ), Ŵ the set of local minima of Ĉ (any rank of Xc). w0: (..., d).

    rank Xc ≥ 2, a ≠ 0: Ŵ = {t v̂ + n : t > 0, Xc n = 0} with v̂ = Xc⁺yc in the row space R,
    so dist² = ‖P_R W₀‖² − max(⟨W₀, v̂⟩, 0)²/‖v̂‖². Otherwise every w with σ(w) > 0 is a
    local minimum, a dense set: dist² = 0. Exact on exact W₀ (object arrays), else float64.
    """
    exact_in = isinstance(w0, np.ndarray) and w0.dtype == object
    xc, yc = centered(to_exact(data.x), to_exact(data.y))
    xm, ym = least_squares.sympy_matrix(xc), least_squares.sympy_matrix(yc)
    a = xm * xm.pinv() * ym
    if xm.rank() < 2 or all(e == 0 for e in a):
        zero = np.zeros(np.shape(w0)[:-1], dtype=object if exact_in else float)
        return zero if zero.ndim else zero.item()
    proj, v_hat = xm.pinv() * xm, xm.pinv() * ym
    if exact_in:
        p = np.array(proj.tolist(), dtype=object)
        v = np.array(list(v_hat), dtype=object)
        pw, along = w0 @ p.T, w0 @ v
        out = np.sum(pw * pw, axis=-1) - np.vectorize(lambda s: max(s, 0) ** 2)(along) / (v @ v)
        return np.vectorize(sp.nsimplify)(out) if np.ndim(out) else sp.nsimplify(out)
    p = np.array(proj.tolist(), dtype=float)
    v = np.array(list(v_hat), dtype=float)
    w0 = np.asarray(w0, dtype=float)
    pw = w0 @ p.T
    return np.sum(pw * pw, axis=-1) - np.maximum(w0 @ v, 0.0) ** 2 / (v @ v)


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class ScopeRow:
    """One regime: W* on a concrete exact example, and Lemma 4.5 there."""

    regime: str
    example: str
    m: int
    d: int
    rank: int
    """rank Xc."""
    w_star: np.ndarray
    """W* = X⁺y (exact)."""
    verdict: BNVerdict
    """What W* is for Ĉ (:func:`bn_verdict`)."""
    gradient: list[Any]
    """∇Ĉ(W*), exact, from model.bn_loss."""
    lhs_at_w_star: Any
    """dist²(W*, Ŵ), exact: the lemma's left-hand side at W₀ = W* (its right-hand side is 0)."""
    n_admissible: int
    """Random W₀ ~ N(0, ‖W*‖² I) with ⟨W₀, W*⟩ > 0."""
    n_fail: int
    """How many of them violate the lemma (lhs − rhs > LEMMA_TOL·‖W₀‖²)."""

    @property
    def w_star_is_bn_minimum(self) -> bool:
        return self.verdict.kind in ("minimum", "flat minimum")

    @property
    def stationary(self) -> bool:
        return all(g == 0 for g in self.gradient)

    @property
    def lemma_holds(self) -> bool:
        """The criterion: the lemma holds for all admissible W₀ iff W* ∈ Ŵ."""
        return self.w_star_is_bn_minimum

    @property
    def consistent(self) -> bool:
        """Exact gradient, exact lhs at W* and the random W₀ all agree with the criterion."""
        if self.lemma_holds:
            return self.stationary and self.lhs_at_w_star == 0 and self.n_fail == 0
        return self.lhs_at_w_star > 0 and self.n_fail > 0


def lemma_failures(data: LearningSet, w_star: Any, n: int, seed: int) -> tuple[int, int]:
    """(admissible, failing) among n random W₀ ~ N(0, ‖W*‖² I), W* fixed (float64)."""
    ws = np.asarray(w_star, dtype=float)
    w0 = np.linalg.norm(ws) * np.random.default_rng(seed).normal(size=(n, ws.size))
    w0 = w0[w0 @ ws > 0]
    lhs = distance_sq_to_bn_minima(w0, data)
    rhs = lemma.lemma_rhs(w0, ws)
    return len(w0), int(np.sum(lhs - rhs > LEMMA_TOL * np.sum(w0 * w0, axis=-1)))


def scope_row(regime: str, example: str, data: LearningSet, n: int = 20_000,
              seed: int = 0) -> ScopeRow:
    """Compute one row of the scope table on ``data`` (exact W*, verdict, gradient, lhs)."""
    data = data.exact()
    w_star = least_norm_standard_optimum(data)
    xc, _ = centered(data.x, data.y)
    lhs = distance_sq_to_bn_minima(w_star, data)
    admissible, fails = lemma_failures(data, w_star, n, seed)
    return ScopeRow(regime, example, data.M, data.d, least_squares.sympy_matrix(xc).rank(), w_star,
                    bn_verdict(data, w_star), exact_bn_gradient(data, w_star),
                    sp.nsimplify(lhs), admissible, fails)


def scope_rows(n: int = 20_000, seed: int = 0) -> list[ScopeRow]:
    """The scope table: one :func:`scope_row` per regime of :func:`scope_examples`."""
    return [scope_row(regime, example, data, n, seed)
            for regime, (example, data) in scope_examples().items()]


def scope_markdown(rows: list[ScopeRow]) -> str:
    """The scope table as Markdown (every header cell has text)."""
    head = ("| regime | example | size $(M, d)$, rank of $X_c$ | standard optimum $W^*$ "
            "| what $W^*$ is for $\\hat C$ | gradient $\\nabla\\hat C(W^*)$ "
            "| lemma at $W_0 = W^*$: left side (right side $0$) "
            "| random $W_0$: failures / admissible | lemma for every admissible $W_0$ |\n"
            "|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        kind = r.verdict.kind + ("" if r.verdict.multiple is None
                                 else f" (λ = {fmt_exact(r.verdict.multiple)})")
        grad = "0" if r.stationary else ", ".join(f"{float(g):.4f}" for g in r.gradient)
        lines.append(f"| {r.regime} | {r.example} | ({r.m}, {r.d}), {r.rank} | "
                     f"{fmt_exact(r.w_star)} | {kind} | {grad} | "
                     f"{fmt_exact(r.lhs_at_w_star)} | {r.n_fail} / {r.n_admissible} | "
                     f"{'holds' if r.lemma_holds else 'fails'} |")
    return head + "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- random sets


@dataclass(frozen=True)
class RandomBiasCheck:
    """Random learning sets with and without a bias input (float64, seeded)."""

    n_sets: int
    max_rho: float
    """Largest ρ = ‖W*‖‖∇Ĉ(W*)‖/(2√M‖yc‖) with the bias input (0 up to rounding if W* ∈ Ŵ)."""
    fails: int
    """Violations of the lemma among the admissible W₀, over all sets, with the bias input."""
    covered: int
    """Admissible W₀ (⟨W₀, W*⟩ > 0) over all sets, with the bias input."""
    sets_failing_without_bias: int
    """Sets where the lemma is violated at some admissible W₀ when the bias input is dropped."""


def random_bias_check(n_sets: int = 100, m: int = 8, d: int = 2, n_init: int = 1000,
                      seed: int = 0) -> RandomBiasCheck:
    """The bias neuron on random sets of :func:`bnpaper.random_sets.sample_sets` (d inputs and
    a constant input 1, M ≥ d + 2): ρ at W*, and the lemma at random W₀ (distances to the BN
    minima t·v̂ + ker Xc by :func:`bnpaper.random_sets.distance_sq_to_minima`)."""
    from bnpaper.topics import random_sets

    if m < d + 2:
        raise ValueError(f"M = {m}; the bias check wants more samples than weights, M ≥ d + 2")
    x, y = random_sets.sample_sets(n_sets, m, d, seed)
    rng = np.random.default_rng((seed, 1))
    counts = []
    for inputs in (np.concatenate([x, np.ones((n_sets, m, 1))], axis=-1), x):
        w_star = (np.linalg.pinv(inputs) @ y[..., None])[..., 0]
        xc, yc = centered(inputs, y)
        w0 = rng.normal(size=(n_sets, n_init, inputs.shape[-1]))
        covered = np.sum(w0 * w_star[:, None, :], axis=-1) > 0
        lhs = random_sets.distance_sq_to_minima(w0, xc, yc)
        rhs = lemma.lemma_rhs(w0, w_star[:, None, :])
        fail = covered & (lhs - rhs > LEMMA_TOL * np.sum(w0 * w0, axis=-1))
        counts.append((float(random_sets.relative_gradient(w_star, xc, yc).max()),
                       fail, covered))
    (rho, fail, covered), (_, fail_plain, _) = counts
    return RandomBiasCheck(n_sets, rho, int(fail.sum()), int(covered.sum()),
                           int(np.sum(fail_plain.any(axis=1))))


# --------------------------------------------------------------------------- claims


EXPECTED_HOLDS = [False, False, False, True, True, True, True, True]
"""The criterion's verdicts, in the order of :func:`scope_examples` (what the book states)."""


def claims() -> list:
    """The scope of Lemma 4.5 for one linear neuron, on exact examples."""
    from bnpaper.claims import Claim, Evidence

    source = "book, A general answer for one linear neuron"
    rows = {r.regime: r for r in scope_rows(n=4_000)}
    under = rows["M ≤ d"]
    under_data = underdetermined_example()
    interpolates = all(sp.simplify(e) == 0 for e in under_data.x @ under.w_star - under_data.y)
    bias_rows = [(rows["bias input, M = d = 3 (W* also interpolates)"], counterexample_set()),
                 (rows["bias input, M = 4 ≥ d + 1"], four_samples())]
    bias_ok = True
    for row, data in bias_rows:
        fits = linear_fits(data)
        expected = [*fits.v_hat, fits.intercept]
        bias_ok &= (row.stationary and row.verdict.kind == "minimum" and row.consistent
                    and row.lemma_holds and all(a == b for a, b in
                                                zip(row.w_star, expected, strict=True)))
    rand = random_bias_check()
    bias_ok &= rand.max_rho < 1e-7 and rand.fails == 0 and rand.sets_failing_without_bias > 0
    return [
        Claim("scope-bias", "with a bias input, W* = (v̂, b̂) (slope and intercept of the fit "
              "with intercept) is a global minimum of Ĉ, ∇Ĉ(W*) = 0, and Lemma 4.5 holds for "
              "every W₀ with ⟨W₀, W*⟩ > 0", source, "—",
              "; ".join(f"M = {r.m}: W* = {fmt_exact(r.w_star)}, ∇Ĉ(W*) = 0 exactly, "
                        f"{r.n_fail} failures among {r.n_admissible} random admissible W₀"
                        for r, _ in bias_rows)
              + f"; {rand.n_sets} random sets with a bias input: ρ < 1e-7, {rand.fails} "
              f"failures among {rand.covered} admissible W₀ (without the bias input: "
              f"failures in {rand.sets_failing_without_bias} sets)",
              "exact (sympy) gradient of model.bn_loss; distances to the BN minima; "
              "Monte Carlo on random sets",
              bias_ok, Evidence.DERIVED),
        Claim("scope-underdetermined", "with M ≤ d (X of full row rank) W* interpolates, "
              "Xc W* = yc, so W* is a global minimum of Ĉ and Lemma 4.5 holds",
              source, "—",
              f"M = d = 3: W* = {fmt_exact(under.w_star)}, ∇Ĉ(W*) = 0 exactly, "
              f"{under.n_fail} failures among {under.n_admissible} random admissible W₀",
              "exact (sympy) gradient of model.bn_loss; distances to the BN minima",
              under.m <= under.d and interpolates and under.stationary and under.consistent
              and under.lemma_holds, Evidence.DERIVED),
        Claim("scope-table", "for one linear neuron the lemma holds for every admissible W₀ "
              "iff W* is a BN minimum; it fails in the paper's regime and when W* is a "
              "maximum, and holds with a bias, M ≤ d, centred inputs, rank Xc = 1",
              source, "—",
              "; ".join(f"{k}: {'holds' if r.lemma_holds else 'fails'}"
                        for k, r in rows.items()),
              "exact verdicts and lhs at W₀ = W*, random W₀ (float64)",
              all(r.consistent for r in rows.values())
              and [r.lemma_holds for r in rows.values()] == EXPECTED_HOLDS, Evidence.DERIVED),
    ]


# --------------------------------------------------------------------------- the figure's arrow


@dataclass(frozen=True)
class DescentGeometry:
    """Where the half-line W* − s∇Ĉ(W*), s > 0, meets the line of v̂ (d = 2, exact)."""

    orthogonal: bool
    """⟨∇Ĉ(W*), W*⟩ = 0 (scale invariance)."""
    step: Any
    """s > 0 at the crossing, or None if the half-line never meets ℝv̂."""
    point: np.ndarray | None
    """The crossing W* − s∇Ĉ(W*)."""
    on_minima: bool
    """Whether the crossing lies on the ray of minima t v̂, t > 0 (not on −v̂)."""


def descent_geometry(data: LearningSet, w_star: Any, v_hat: Any) -> DescentGeometry:
    """Does −∇Ĉ(W*) point from W* towards the ray of minima t·v̂? Exact, d = 2 only."""
    if data.d != 2:
        raise ValueError(f"data has d = {data.d}; descent_geometry needs d = 2")
    w, v = to_exact(w_star), to_exact(v_hat)
    g = np.array(exact_bn_gradient(data, w), dtype=object)

    def cross(a: Any, b: Any) -> Any:
        return sp.nsimplify(sp.radsimp(a[0] * b[1] - a[1] * b[0]))

    orthogonal = sp.simplify(g @ w) == 0
    denominator = cross(g, v)
    if denominator == 0:
        return DescentGeometry(orthogonal, None, None, False)
    step = sp.radsimp(cross(w, v) / denominator)
    if not step > 0:
        return DescentGeometry(orthogonal, None, None, False)
    point = np.array([sp.radsimp(c) for c in w - step * g], dtype=object)
    return DescentGeometry(orthogonal, step, point, bool(sp.simplify(point @ v) > 0))
