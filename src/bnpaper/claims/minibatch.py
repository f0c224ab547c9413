"""The chapter *Mini-batches and ε*'s main derived facts, exact (sympy): with batches of two
W* is a flat global minimum; with ε = 10⁻⁵ it is not stationary, and Ĉ_ε has no minimum.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core import exact, least_squares, model
from bnpaper.core.data import LearningSet
from bnpaper.paper import counterexample
from bnpaper.topics.minibatch import epsilon, pairs


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    data: LearningSet
    """The learning set (the paper's, with the recovered labels)."""
    eps: Any = epsilon.PYTORCH_EPS
    """The ε of BN_ε (PyTorch's default 10⁻⁵, exact)."""
    standard_optimum: Callable[[LearningSet], tuple] = least_squares.standard_optimum
    """W* of a learning set (the optimum of the standard loss C)."""
    pair_output_expr: Callable[[LearningSet, int, int], tuple] = pairs.pair_output_expr
    """The exact BN output of a batch of two samples."""
    bn_minima_direction: Callable[[LearningSet], tuple] = counterexample.bn_minima_direction
    """The direction of the ray of ε = 0 minima, along which Ĉ_ε is followed."""


def default_inputs() -> Inputs:
    """The book's own inputs: the paper's learning set and the package's derivations."""
    return Inputs(counterexample.counterexample_set())


class _Minibatch(Derivation[Inputs]):
    """The chapter's claims from one ``Inputs``: W* and the cones of batches of two are each
    computed once, by the claims that need them."""

    source = "book, Mini-batches and ε"

    @cached_property
    def w_star(self) -> tuple:
        """W*, the optimum of the standard loss C (exact)."""
        return self.inputs.standard_optimum(self.inputs.data)

    @cached_property
    def cones(self) -> list[pairs.PairCone]:
        """The cones of constant Ĉ₂ (batches of two), with their exact values."""
        return pairs.pair_cones(self.inputs.data)

    @derives("minibatch-1")
    def piecewise_constant(self) -> Claim:
        """A batch of two outputs ±sign(z_i − z_j): Ĉ₂ is piecewise constant."""
        defects = pairs.pair_sign_defect(self.inputs.data, self.inputs.pair_output_expr)
        cones = self.cones
        return Claim("minibatch-1", "for a batch of two samples BN outputs ±sign(z_i − z_j), "
                     "so Ĉ₂ is piecewise constant with ∇Ĉ₂ = 0 off the σ = 0 lines",
                     self.source, "—",
                     f"{len(cones)} cones, values {sorted({str(c.value) for c in cones})}",
                     "exact BN output of each pair (sympy)",
                     {"ẑ = ±sign(z_i − z_j)": all(d == 0 for d in defects)}, Evidence.EXACT)

    @derives("minibatch-2")
    def flat_minimum(self) -> Claim:
        """W* lies in the cone of smallest Ĉ₂."""
        best = min(self.cones, key=lambda c: c.value)
        star_cone = pairs.cone_containing(self.cones, self.w_star)
        return Claim("minibatch-2", "W* lies in the cone of smallest Ĉ₂: with batches of two W* "
                     "is a (flat) global minimum", self.source, "—",
                     f"Ĉ₂(W*) = {star_cone.value}; smallest cone value {best.value}",
                     "exact value on every cone (sympy)",
                     {"W* in the lowest cone": star_cone.value == best.value}, Evidence.EXACT)

    @derives("minibatch-3")
    def eps_not_stationary(self) -> Claim:
        """∇Ĉ_ε(W*) ≠ 0 with ε = 10⁻⁵."""
        data, eps = self.inputs.data, self.inputs.eps
        grad_eps = exact.at(exact.gradient(exact.loss_expr(model.bn_loss, data, eps=eps)),
                            self.w_star)
        return Claim("minibatch-3", "with ε = 10⁻⁵ (PyTorch) ∇Ĉ_ε(W*) ≠ 0: W* is not "
                     "stationary", self.source, "—",
                     f"({float(grad_eps[0]):.6f}, {float(grad_eps[1]):.6f})",
                     "exact gradient with ε = 1/100000 (sympy)",
                     {"∇Ĉ_ε(W*) ≠ 0": any(g != 0 for g in grad_eps)}, Evidence.EXACT)

    @derives("minibatch-4")
    def eps_no_minimum(self) -> Claim:
        """Ĉ_ε has no minimum: it falls to min Ĉ along the ray of ε = 0 minima."""
        data, eps = self.inputs.data, self.inputs.eps
        no_minimum = epsilon.no_minimum_check(data, eps, self.inputs.bn_minima_direction(data))
        minimum = epsilon.eps_minimum(data, eps)
        return Claim("minibatch-4", "with ε = 10⁻⁵ Ĉ_ε has no minimum; inf Ĉ_ε = min Ĉ "
                     "(ε = 0), approached only as ‖w‖ → ∞ along (5, 3)", self.source, "—",
                     f"{no_minimum.summary}; γ̄ = {minimum.gamma_bar}",
                     "exact slope and limit of Ĉ_ε along the ray (sympy; prop-eps-no-minimum "
                     "proves it), polar grids of discs as a cross-check; not from γ̄",
                     {"falls along the ray": no_minimum.ray.strictly_decreasing,
                      "tends to min Ĉ": no_minimum.tends_to_minimum,
                      "no disc holds a minimum": no_minimum.on_boundary},
                     Evidence.EXACT)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the chapter's claims named in ``keys`` (default: all) from ``inputs`` (default:
    :func:`default_inputs`)."""
    return _Minibatch(inputs or default_inputs()).derive(keys)
