"""The claims on the scope of Lemma 4.5 for one linear neuron (chapter *A general answer for
one linear neuron*): with a bias input, with M ≤ d, and the whole scope table, on exact
examples and random sets."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sympy as sp

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core import least_squares
from bnpaper.core.data import LearningSet
from bnpaper.core.statistics import share_bound_text
from bnpaper.core.text import fmt_exact
from bnpaper.topics import random_sets, scope

UNDER_REGIME = "M ≤ d, X of rank M"
"""The regime of :func:`bnpaper.topics.scope.scope_examples` with more weights than samples."""

BIAS_REGIMES = ("bias input, M = d = 3 (W* also interpolates)", "bias input, M = 4 ≥ d + 1")
"""The regimes of :func:`bnpaper.topics.scope.scope_examples` with a bias input."""


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    examples: dict[str, tuple[str, LearningSet]]
    """One exact set per regime, {regime: (what was changed, set)}, as
    :func:`bnpaper.topics.scope.scope_examples`; a bias input is the last column."""
    bias_sets: tuple[Any, Any]
    """Random sets (x, y) of shapes (S, M, d), (S, M) for the bias neuron's Monte Carlo."""
    linear_fits: Callable[[LearningSet], least_squares.LinearFits] = least_squares.linear_fits
    """The fit with intercept (v̂, b̂) that W* with a bias input should equal."""
    standard_optimum: Callable[[LearningSet], Any] = least_squares.least_norm_standard_optimum
    """W* = X⁺y of an exact set."""
    verdict: Callable[[scope.MinimaGeometry, Any], scope.BNVerdict] = scope.bn_verdict
    """What W* is for Ĉ."""
    distance_sq: scope.DistanceSq = scope.distance_sq_to_bn_minima
    """dist²(W₀, BN minima) of an exact set."""
    steps: random_sets.Steps = field(default_factory=random_sets.Steps)
    """The distances and ρ of the random sets' Monte Carlo."""


def default_inputs() -> Inputs:
    """The book's own inputs: the chapter's examples and seeded random sets (M = 8, d = 2)."""
    return Inputs(scope.scope_examples(), random_sets.sample_sets(100, 8, 2, 0))


class _Scope(Derivation[Inputs]):
    """The claims from one ``Inputs``: each row of the scope table is computed once, and only
    for a claim that reads it (scope-bias its two bias rows, scope-underdetermined its one,
    scope-table every row); only scope-bias runs the random sets."""

    source = "book, A general answer for one linear neuron"
    scope_n = 4_000
    """Random W₀ per row of the scope table."""

    def row(self, regime: str) -> scope.ScopeRow:
        """The row of ``regime`` (exact W*, verdict, gradient, lhs; failures at random W₀)."""
        inputs = self.inputs
        example, data = inputs.examples[regime]
        return scope.scope_row(regime, example, data, n=self.scope_n,
                               standard_optimum=inputs.standard_optimum,
                               verdict=inputs.verdict, distance_sq=inputs.distance_sq)

    @cached_property
    def bias_rows(self) -> list[scope.ScopeRow]:
        """The rows of :data:`BIAS_REGIMES`."""
        return [self.row(regime) for regime in BIAS_REGIMES]

    @cached_property
    def under_row(self) -> scope.ScopeRow:
        """The row of :data:`UNDER_REGIME`."""
        return self.row(UNDER_REGIME)

    @cached_property
    def rows(self) -> dict[str, scope.ScopeRow]:
        """Every row, {regime: row}, in the order of the examples (reusing those above)."""
        known = {UNDER_REGIME: self.under_row, **dict(zip(BIAS_REGIMES, self.bias_rows,
                                                           strict=True))}
        return {regime: known[regime] if regime in known else self.row(regime)
                for regime in self.inputs.examples}

    @derives("scope-bias")
    def with_a_bias(self) -> Claim:
        """With a bias input W* = (v̂, b̂) is a global minimum of Ĉ and the lemma holds."""
        inputs = self.inputs
        expected = []
        for regime in BIAS_REGIMES:
            data = inputs.examples[regime][1]
            fits = inputs.linear_fits(LearningSet(data.x[:, :-1], data.y))  # without the bias
            expected.append([*fits.v_hat, fits.intercept])
        rand = random_sets.random_bias_check(*inputs.bias_sets, steps=inputs.steps)
        bias_rows = self.bias_rows
        return Claim("scope-bias", "with a bias input, W* = (v̂, b̂) (slope and intercept of "
                     "the fit with intercept) is a global minimum of Ĉ, ∇Ĉ(W*) = 0, and Lemma "
                     "4.5 holds for every W₀ with ⟨W₀, W*⟩ > 0", self.source, "—",
                     "; ".join(f"M = {r.m}: W* = {fmt_exact(r.w_star)}, ∇Ĉ(W*) = 0 exactly, "
                               f"failures at {share_bound_text(r.n_fail, r.n_admissible)} "
                               "random admissible W₀"
                               for r in bias_rows)
                     + f"; {rand.n_sets} random sets with a bias input: ρ < 1e-7, failures at "
                     f"{share_bound_text(rand.fails, rand.covered)} admissible W₀ (without the "
                     f"bias input: failures in {rand.sets_failing_without_bias} sets)",
                     "exact (sympy) gradient of model.bn_loss (prop-bias-neuron); distances to "
                     "the BN minima at random W₀; Monte Carlo on random sets",
                     {"W* = (v̂, b̂)": all(all(a == b for a, b in zip(r.w_star, e, strict=True))
                                         for r, e in zip(bias_rows, expected, strict=True)),
                      "∇Ĉ(W*) = 0 exactly": all(r.stationary for r in bias_rows),
                      "W* a minimum of Ĉ": all(r.verdict.kind == "minimum" for r in bias_rows),
                      "exact rows consistent": all(r.consistent for r in bias_rows),
                      "random sets: ρ < 1e-7": rand.max_rho < 1e-7,
                      "random sets: no failure": rand.fails == 0,
                      "without the bias input: failures": rand.sets_failing_without_bias > 0},
                     Evidence.SAMPLED)

    @derives("scope-underdetermined")
    def underdetermined(self) -> Claim:
        """With M ≤ d, W* interpolates: a global minimum of Ĉ, and the lemma holds."""
        under = self.under_row
        under_data = self.inputs.examples[UNDER_REGIME][1]
        interpolates = all(sp.simplify(e) == 0
                           for e in under_data.x @ under.w_star - under_data.y)
        return Claim("scope-underdetermined", "with M ≤ d (X of full row rank) W* interpolates, "
                     "Xc W* = yc, so W* is a global minimum of Ĉ and Lemma 4.5 holds",
                     self.source, "—",
                     f"M = d = 3: W* = {fmt_exact(under.w_star)}, ∇Ĉ(W*) = 0 exactly, "
                     f"failures at {share_bound_text(under.n_fail, under.n_admissible)} random "
                     "admissible W₀",
                     "exact (sympy) gradient of model.bn_loss (prop-underdetermined); distances "
                     "to the BN minima at random W₀",
                     {"M ≤ d, XW* = y": under.m <= under.d and interpolates,
                      "∇Ĉ(W*) = 0 exactly": under.stationary,
                      "row consistent": under.consistent,
                      "W* a BN minimum": under.lemma_holds}, Evidence.SAMPLED)

    @derives("scope-table")
    def table(self) -> Claim:
        """The lemma holds for every admissible W₀ iff W* is a BN minimum, row by row."""
        rows, scope_n = self.rows, self.scope_n
        return Claim("scope-table", "for one linear neuron the lemma holds for every admissible "
                     "W₀ iff W* is a BN minimum; it fails in the paper's regime and when W* is a "
                     "maximum, and holds with a bias, M ≤ d, centred inputs, rank Xc = 1",
                     self.source, "—",
                     "; ".join(f"{k}: {'holds' if r.lemma_holds else 'fails'}"
                               for k, r in rows.items())
                     + f" ({scope_n} random W₀ per row; where it holds, failures at "
                     + share_bound_text(sum(r.n_fail for r in rows.values() if r.lemma_holds),
                                        sum(r.n_admissible for r in rows.values()
                                            if r.lemma_holds))
                     + " admissible W₀)",
                     "exact verdicts and lhs at W₀ = W* (prop-lemma-criterion); failures counted "
                     f"at {scope_n} random W₀ per row (float64)",
                     {"every row consistent": all(r.consistent for r in rows.values()),
                      "verdicts as the book states":
                          [r.lemma_holds for r in rows.values()] == scope.EXPECTED_HOLDS},
                     Evidence.SAMPLED)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the claims named in ``keys`` (default: all) from ``inputs`` (default:
    :func:`default_inputs`)."""
    return _Scope(inputs or default_inputs()).derive(keys)
