"""Where Lemma 4.5 holds for one linear neuron, and where it fails: the criterion, the
neuron with a bias, more weights than samples (M ≤ d), and the scope table (chapter *A
general answer for one linear neuron*).

Notation as in :mod:`bnpaper.topics.general` (γ = 1, β = 0, the batch is the whole set):
Xc, yc the centred data, V = col(Xc), P the projection onto V. The facts used here:

- Ĉ(cw) = Ĉ(w) for c > 0, so the local minima of Ĉ form a cone Ŵ; the lemma's right-hand
  side is dist²(W₀, ℝW*) (:func:`bnpaper.paper.lemma.lemma_rhs`). If W* ∈ Ŵ, the point s₀W*,
  s₀ = ⟨W₀, W*⟩/‖W*‖² > 0, lies in Ŵ and the lemma holds for every W₀ with ⟨W₀, W*⟩ > 0;
  if W* is not in the closure of Ŵ, it fails at W₀ = W*.
- For any W with residual r = y − XW and mean residual r̄ = ȳ − ⟨x̄, W⟩:
  ⟨yc − Xc W, Xc w⟩ = ⟨r, Xw⟩ − M r̄ ⟨x̄, w⟩ for every w. For a minimizer W* of C the first
  term vanishes, so Xc W* = P yc whenever r̄ = 0 (e.g. a bias input, or M ≤ d with X of full
  row rank: then 1 ∈ col X) or x̄ = 0 (centred inputs).

A learning set is made exact and centred once (:func:`minima_geometry`), and its
:class:`MinimaGeometry` is handed to the verdict, the distances and the Monte Carlo of a
row of the scope table (the table itself: :mod:`bnpaper.presentation.reports.scope`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from bnpaper.core import exact, model
from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import centered, least_norm_standard_optimum, sympy_matrix
from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma
from bnpaper.paper.counterexample import counterexample_set

EXTRA_INPUT = (0, 0, 1)
"""A third feature column (one more entry per sample) for the paper's three samples: then
M = d = 3 and X is invertible."""

EXTRA_SAMPLE = ((3, 1), 4)
"""A fourth sample (input, label) for the paper's set: with a bias there are then more
samples (4) than weights (3), so W* need not interpolate."""

RANK_ONE_INPUTS = ((1, 1), (2, 3), (3, 5))
"""Inputs with x₂ = 2x₁ − 1: X has full rank 2, but Xc has rank 1. That is a hidden bias,
2x₁ − x₂ = 1 on every sample (:func:`constant_combination`)."""

NEGATIVE_LABELS = (2, 2, 1)
"""Labels for the paper's inputs with W* = −v̂ (as in the general chapter's examples)."""


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
    rank_one = LearningSet(to_exact(RANK_ONE_INPUTS), paper.y)
    return {
        "M ≥ d + 1, Xc of full rank, no bias": ("the paper's set", paper),
        "the same, W* ∥ v̂ with λ < 0": (f"labels {NEGATIVE_LABELS}",
                                        LearningSet(paper.x, to_exact(NEGATIVE_LABELS))),
        "M ≥ d + 1, no bias (4 samples)": (f"a fourth sample x = {x4}, y = {y4}",
                                            four_samples()),
        "M ≤ d, X of rank M": (f"a third feature column {EXTRA_INPUT}",
                               underdetermined_example()),
        "bias input, M = d = 3 (W* also interpolates)": ("a constant input 1",
                                                         with_bias(paper)),
        "bias input, M = 4 ≥ d + 1": ("4 samples, a constant input 1",
                                          with_bias(four_samples())),
        "centred inputs": ("inputs minus x̄", LearningSet(paper.x - x_bar, paper.y)),
        "rank Xc = 1 < d": (f"inputs {RANK_ONE_INPUTS}, a hidden bias: "
                            + combination_text(constant_combination(rank_one)) + " = 1",
                            rank_one),
    }


def constant_combination(data: LearningSet) -> tuple[Any, ...] | None:
    """Exact c with Xc = 1 (a linear combination of the inputs constant over the batch: a
    bias, visible or hidden), the least-norm one; None if 1 ∉ col X.

    If X has full column rank, 1 ∈ col X exactly when Xc is rank-deficient: Xc w = 0 with
    w ≠ 0 means Xw = ⟨x̄, w⟩1 with Xw ≠ 0, and conversely Xc = 1 gives Xc c = 1 − 1 = 0.
    Then r̄ = 0 and W* is a global minimum of Ĉ (proposition on the mean residual).
    """
    x = sympy_matrix(data.exact().x)
    ones = sp.ones(x.rows, 1)
    c = x.pinv() * ones
    if any(sp.simplify(e) != 0 for e in x * c - ones):
        return None
    return tuple(sp.nsimplify(e) for e in c)


def combination_text(c: tuple[Any, ...]) -> str:
    """⟨c, x⟩ in words, e.g. (2, −1) → "2x₁ − x₂" (terms with coefficient 0 left out)."""
    subscripts = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    terms = []
    for i, coefficient in enumerate(c, start=1):
        if coefficient == 0:
            continue
        size = abs(coefficient)
        term = ("" if size == 1 else f"{size}") + "x" + str(i).translate(subscripts)
        sign = ("−" if coefficient < 0 else "") if not terms else (
            " − " if coefficient < 0 else " + ")
        terms.append(sign + term)
    return "".join(terms) or "0"


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
class MinimaGeometry:
    """One exact learning set, centred once, with what the minima of Ĉ are made of."""

    data: LearningSet
    """The set, exact."""
    xc: sp.Matrix
    """Xc, the centred inputs (M × d)."""
    yc: sp.Matrix
    """yc, the centred labels (M × 1)."""
    pinv: sp.Matrix
    """Xc⁺ (d × M)."""
    rank: int
    """rank Xc."""

    @property
    def projected_labels(self) -> sp.Matrix:
        """a = P yc = Xc Xc⁺ yc, the projection of yc onto col(Xc)."""
        return self.xc * self.pinv * self.yc

    @property
    def flat(self) -> bool:
        """rank Xc < 2 or a = 0: every w with σ(w) > 0 is a (non-strict) local minimum."""
        return self.rank < 2 or all(e == 0 for e in self.projected_labels)


def minima_geometry(data: LearningSet) -> MinimaGeometry:
    """``data`` made exact and centred once, with Xc⁺ and rank Xc (:class:`MinimaGeometry`)."""
    data = data.exact()
    xc, yc = (sympy_matrix(a) for a in data.centered())
    return MinimaGeometry(data, xc, yc, xc.pinv(), xc.rank())


@dataclass(frozen=True)
class BNVerdict:
    """What a point w (with σ(w) > 0) is for Ĉ, from the geometry of Xc w and a = P yc."""

    kind: str
    """"minimum", "maximum", "not stationary", or "flat minimum" (rank Xc = 1 or a = 0:
    Ĉ is locally constant, every w with σ(w) > 0 is a non-strict local minimum)."""
    multiple: Any
    """λ with Xc w = λ a when they are parallel (a ≠ 0), else None."""


def bn_verdict(geometry: MinimaGeometry, w: Any) -> BNVerdict:
    """Classify w for Ĉ exactly (the proposition on the minima of Ĉ); σ(w) = 0 raises."""
    c = geometry.xc * sympy_matrix(to_exact(w))
    if all(e == 0 for e in c):
        raise ValueError("Xc w = 0, i.e. σ(w) = 0: Ĉ is undefined at w")
    a = geometry.projected_labels
    if all(e == 0 for e in a) or geometry.rank == 1:
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


def distance_sq_to_bn_minima(w0: Any, geometry: MinimaGeometry) -> Any:
    """dist²(W₀, Ŵ), Ŵ the set of local minima of Ĉ (any rank of Xc). w0: (..., d).

    rank Xc ≥ 2, a ≠ 0: Ŵ = {t v̂ + n : t > 0, Xc n = 0} with v̂ = Xc⁺yc in the row space R,
    so dist² = ‖P_R W₀‖² − max(⟨W₀, v̂⟩, 0)²/‖v̂‖². Otherwise every w with σ(w) > 0 is a
    local minimum, a dense set: dist² = 0. Exact on exact W₀ (object arrays), else float64.
    """
    exact_in = isinstance(w0, np.ndarray) and w0.dtype == object
    if geometry.flat:
        zero = np.zeros(np.shape(w0)[:-1], dtype=object if exact_in else float)
        return zero if zero.ndim else zero.item()
    proj, v_hat = geometry.pinv * geometry.xc, geometry.pinv * geometry.yc
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


DistanceSq = Callable[[Any, MinimaGeometry], Any]
"""The signature of :func:`distance_sq_to_bn_minima` (a claim's input may replace it)."""


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
    """How many of them violate the lemma (lhs − rhs > lemma.LEMMA_TOL·‖W₀‖²)."""

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
        return bool(self.lhs_at_w_star > 0) and self.n_fail > 0


def lemma_failures(geometry: MinimaGeometry, w_star: Any, n: int, seed: int,
                   distance_sq: DistanceSq = distance_sq_to_bn_minima) -> tuple[int, int]:
    """(admissible, failing) among n random W₀ ~ N(0, ‖W*‖² I), W* fixed (float64)."""
    ws = np.asarray(w_star, dtype=float)
    w0 = np.linalg.norm(ws) * np.random.default_rng(seed).normal(size=(n, ws.size))
    w0 = w0[w0 @ ws > 0]
    lhs = distance_sq(w0, geometry)
    rhs = lemma.lemma_rhs(w0, ws)
    return len(w0), int(np.sum(lhs - rhs > lemma.LEMMA_TOL * np.sum(w0 * w0, axis=-1)))


def scope_row(regime: str, example: str, data: LearningSet, n: int = 20_000, seed: int = 0,
              *, standard_optimum: Callable[[LearningSet], Any] = least_norm_standard_optimum,
              verdict: Callable[[MinimaGeometry, Any], BNVerdict] = bn_verdict,
              distance_sq: DistanceSq = distance_sq_to_bn_minima) -> ScopeRow:
    """Compute one row of the scope table on ``data`` (exact W*, verdict, gradient, lhs).

    The set is made exact and centred once; ``standard_optimum``, ``verdict`` and
    ``distance_sq`` are the derivation's steps (a claim's inputs may replace them).
    """
    geometry = minima_geometry(data)
    data = geometry.data
    w_star = standard_optimum(data)
    lhs = distance_sq(w_star, geometry)
    admissible, fails = lemma_failures(geometry, w_star, n, seed, distance_sq)
    return ScopeRow(regime, example, data.M, data.d, geometry.rank, w_star,
                    verdict(geometry, w_star), exact_bn_gradient(data, w_star),
                    sp.nsimplify(lhs), admissible, fails)


def scope_rows(n: int = 20_000, seed: int = 0) -> list[ScopeRow]:
    """The scope table: one :func:`scope_row` per regime of :func:`scope_examples`."""
    return [scope_row(regime, example, data, n, seed)
            for regime, (example, data) in scope_examples().items()]


EXPECTED_HOLDS = [False, False, False, True, True, True, True, True]
"""The criterion's verdicts, in the order of :func:`scope_examples` (what the book states)."""


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
