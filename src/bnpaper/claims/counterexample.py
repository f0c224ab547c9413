"""The paper's four statements about the counterexample, re-derived exactly, and what
confirms the reconstructed labels independently (chapter *The counterexample*).

``paper-1`` and ``paper-3`` are the facts the labels were solved from (evidence BUILT_FROM):
they hold by construction and confirm nothing; ``paper-2`` (the printed digits) and
``book-recon-1`` (minima, not maxima) do.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core import exact, least_squares
from bnpaper.core.data import LearningSet
from bnpaper.paper import counterexample, facts


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    data: LearningSet
    """The learning set (the paper's, with the recovered labels)."""
    standard_optimum: Callable[[LearningSet], tuple] = least_squares.standard_optimum
    """W* of a learning set."""
    bn_minima_direction: Callable[[LearningSet], tuple] = counterexample.bn_minima_direction
    """The direction of the ray of BN minima."""


def default_inputs() -> Inputs:
    """The book's own inputs: the paper's learning set and the package's derivations."""
    return Inputs(counterexample.counterexample_set())


class _Counterexample(Derivation[Inputs]):
    """The counterexample's claims from one ``Inputs``: W* and the ray's direction v are
    each computed once, by the claims that need them."""

    source = "paper, Example 3.2"

    @cached_property
    def w_star(self) -> tuple:
        """W*, the optimum of the standard loss C."""
        return self.inputs.standard_optimum(self.inputs.data)

    @cached_property
    def v(self) -> tuple:
        """The direction of the ray of BN minima."""
        return self.inputs.bn_minima_direction(self.inputs.data)

    @derives("paper-1")
    def optimum(self) -> Claim:
        """W* = (1, 3)."""
        return Claim("paper-1", "W* = (1, 3) is the optimum of the standard loss C", self.source,
                     str(facts.W_STAR), str(tuple(self.w_star)),
                     "exact: solve ∇C(w) = 0 (sympy)",
                     {"W* = (1, 3)": tuple(self.w_star) == facts.W_STAR}, Evidence.BUILT_FROM)

    @derives("paper-2")
    def gradient(self) -> Claim:
        """∇Ĉ(W*) ≠ 0, to the printed digits."""
        grad = exact.to_floats(counterexample.bn_gradient_at(self.inputs.data, self.w_star))
        rounded = tuple(round(g, facts.GRADIENT_DECIMALS) for g in grad)
        return Claim("paper-2", "∇Ĉ(W*) ≠ 0, so W* is not a local optimum of Ĉ", self.source,
                     str(facts.GRADIENT_AT_W_STAR), f"({grad[0]:.6f}, {grad[1]:.6f})",
                     "exact gradient (sympy), rounded to the printed digits: the labels were "
                     "not solved from them",
                     {"printed digits": rounded == facts.GRADIENT_AT_W_STAR,
                      "∇Ĉ(W*) ≠ 0": any(g != 0 for g in grad)}, Evidence.EXACT)

    @derives("paper-3")
    def minima(self) -> Claim:
        """The local minima of Ĉ are the ray 3w₁ = 5w₂, w₁ > 0."""
        v = self.v
        a, b = facts.BN_MINIMA_LINE
        return Claim("paper-3", "the local minima of Ĉ are the line 3w₁ = 5w₂, w₁ > 0",
                     self.source, "3w₁ = 5w₂", f"ray t·{tuple(v)}, t > 0",
                     "exact stationary set and curvature (sympy)",
                     {"on the line": a * v[0] + b * v[1] == 0, "w₁ > 0": bool(v[0] > 0)},
                     Evidence.BUILT_FROM)

    @derives("book-recon-1")
    def curvature(self) -> Claim:
        """Second order: the ray holds minima, not maxima."""
        curvature = counterexample.minima_curvature(self.inputs.data)
        return Claim("book-recon-1", "the ray 3w₁ = 5w₂, w₁ > 0 holds minima of Ĉ, not maxima "
                     "(second order; the labels were solved from first-order conditions only)",
                     "book, The counterexample", "—",
                     f"curvature across the ray = {curvature}",
                     "exact Hessian across the ray (sympy)",
                     {"curvature > 0": bool(curvature > 0)}, Evidence.EXACT)

    @derives("paper-4")
    def lemma_fails(self) -> Claim:
        """Lemma 4.5 fails at W₀ = W*: ‖W₀ − Ŵ*‖² > 0 = rhs."""
        check = counterexample.lemma_at_optimum(self.inputs.data, self.w_star, self.v)
        return Claim("paper-4", "Lemma 4.5 fails at W₀ = W*: ‖W₀ − Ŵ*‖² > 0 = rhs", self.source,
                     "lhs > 0 = rhs", f"lhs = {check.lhs}, rhs = {check.rhs}",
                     "exact distance to the ray of BN minima (sympy). Inherited: 72/17 follows "
                     "from W* = (1, 3) (paper-1) and the ray (5, 3) (paper-3) alone; "
                     "independent: that the ray holds the only minima of Ĉ (the exact "
                     "stationary set)",
                     # rhs = 0 for any W* at W₀ = W*, so it is no check of its own
                     {"lhs > 0": bool(check.lhs > 0 and check.rhs == 0)}, Evidence.BUILT_FROM)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the counterexample's claims named in ``keys`` (default: all) from ``inputs``
    (default: :func:`default_inputs`)."""
    return _Counterexample(inputs or default_inputs()).derive(keys)
