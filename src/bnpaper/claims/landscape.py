"""The claims of the chapter *The two loss landscapes*, derived exactly: Ĉ depends on the
angle of w only, −∇Ĉ(W*) is perpendicular to W* and turns it towards the minima, and W*
lies strictly between the minimum and the maximum of Ĉ."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core.data import LearningSet
from bnpaper.paper import counterexample
from bnpaper.topics import landscape


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    data: LearningSet
    """The learning set (the paper's, with the recovered labels)."""
    radial_derivative: Callable[[LearningSet], sp.Expr] = landscape.radial_derivative
    """∂Ĉ/∂r in polar coordinates, exact."""
    bn_gradient: landscape.BNGradient = counterexample.bn_gradient_at
    """(data, w) ↦ the exact ∇Ĉ(w), from which the descent direction at W* is derived."""


def default_inputs() -> Inputs:
    """The book's own inputs: the paper's learning set and the package's derivations."""
    return Inputs(counterexample.counterexample_set())


class _Landscape(Derivation[Inputs]):
    """The landscapes' claims from one ``Inputs``: the exact facts at W* (gradient, angles,
    values), shared by two claims, are computed once."""

    source = "book, The two loss landscapes"

    @cached_property
    def facts(self) -> landscape.LandscapeFacts:
        """∇Ĉ(W*), its angle and turn, and Ĉ at W* and on the stationary rays (exact)."""
        return landscape.landscape_facts(self.inputs.data, self.inputs.bn_gradient)

    @derives("landscape-angle-only")
    def angle_only(self) -> Claim:
        """∂Ĉ/∂r = 0."""
        d_dr = self.inputs.radial_derivative(self.inputs.data)
        return Claim("landscape-angle-only", "Ĉ depends only on the direction of w: ∂Ĉ/∂r = 0",
                     self.source, "—", f"∂Ĉ/∂r = {d_dr}", "exact: Ĉ in polar coordinates (sympy)",
                     {"∂Ĉ/∂r = 0": d_dr == 0}, Evidence.EXACT)

    @derives("landscape-descent-perpendicular")
    def descent_perpendicular(self) -> Claim:
        """⟨−∇Ĉ(W*), W*⟩ = 0, and −∇Ĉ(W*) turns W* towards the minima."""
        facts = self.facts
        return Claim("landscape-descent-perpendicular",
                     "−∇Ĉ(W*) is perpendicular to W* and rotates W* towards the ray of minima",
                     self.source, "—",
                     f"⟨−∇Ĉ(W*), W*⟩ = {facts.descent_dot_w_star}; θ(−∇Ĉ(W*)) = "
                     f"{facts.theta_descent}; turns {facts.descent_turn}",
                     "exact gradient and angles (sympy)",
                     {"⟨−∇Ĉ(W*), W*⟩ = 0": facts.descent_dot_w_star == 0,
                      "turns towards the minima": facts.descent_turns_towards_minima},
                     Evidence.EXACT)

    @derives("landscape-values")
    def values(self) -> Claim:
        """min Ĉ < Ĉ(W*) < max Ĉ."""
        facts = self.facts
        return Claim("landscape-values",
                     "min Ĉ < Ĉ(W*) < max Ĉ: W* is neither a minimum nor a maximum",
                     self.source, "—",
                     f"{facts.c_hat_min} < {facts.c_hat_w_star} < {facts.c_hat_max}",
                     "exact values on the stationary rays and at W* (sympy)",
                     {"min Ĉ < Ĉ(W*)": bool(facts.c_hat_min < facts.c_hat_w_star),
                      "Ĉ(W*) < max Ĉ": bool(facts.c_hat_w_star < facts.c_hat_max)},
                     Evidence.EXACT)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the landscapes' claims named in ``keys`` (default: all) from ``inputs``
    (default: :func:`default_inputs`)."""
    return _Landscape(inputs or default_inputs()).derive(keys)
