"""The chapter *Mini-batches and ε*'s main derived facts, exact (sympy): with batches of two
W* is a flat global minimum; with ε = 10⁻⁵ it is not stationary, and Ĉ_ε has no minimum.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bnpaper.claims.registry import Claim, Evidence
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


def claims(inputs: Inputs | None = None) -> list[Claim]:
    """Derive the chapter's claims from ``inputs`` (default: :func:`default_inputs`)."""
    inputs = inputs or default_inputs()
    data, eps = inputs.data, inputs.eps
    source = "book, Mini-batches and ε"
    w_star = inputs.standard_optimum(data)
    cones = pairs.pair_cones(data)
    best = min(cones, key=lambda c: c.value)
    star_cone = pairs.cone_containing(cones, w_star)
    grad_eps = exact.at(exact.gradient(exact.loss_expr(model.bn_loss, data, eps=eps)), w_star)
    minimum = epsilon.eps_minimum(data, eps)
    no_minimum = epsilon.no_minimum_check(data, eps, inputs.bn_minima_direction(data))
    defects = pairs.pair_sign_defect(data, inputs.pair_output_expr)
    return [
        Claim("minibatch-1", "for a batch of two samples BN outputs ±sign(z_i − z_j), so Ĉ₂ is"
              " piecewise constant with ∇Ĉ₂ = 0 off the σ = 0 lines", source, "—",
              f"{len(cones)} cones, values {sorted({str(c.value) for c in cones})}",
              "exact BN output of each pair (sympy)",
              {"ẑ = ±sign(z_i − z_j)": all(d == 0 for d in defects)}, Evidence.EXACT),
        Claim("minibatch-2", "W* lies in the cone of smallest Ĉ₂: with batches of two W* is a"
              " (flat) global minimum", source, "—",
              f"Ĉ₂(W*) = {star_cone.value}; smallest cone value {best.value}",
              "exact value on every cone (sympy)",
              {"W* in the lowest cone": star_cone.value == best.value}, Evidence.EXACT),
        Claim("minibatch-3", "with ε = 10⁻⁵ (PyTorch) ∇Ĉ_ε(W*) ≠ 0: W* is not stationary",
              source, "—", f"({float(grad_eps[0]):.6f}, {float(grad_eps[1]):.6f})",
              "exact gradient with ε = 1/100000 (sympy)",
              {"∇Ĉ_ε(W*) ≠ 0": any(g != 0 for g in grad_eps)}, Evidence.EXACT),
        Claim("minibatch-4", "with ε = 10⁻⁵ Ĉ_ε has no minimum; inf Ĉ_ε = min Ĉ (ε = 0),"
              " approached only as ‖w‖ → ∞ along (5, 3)", source, "—",
              f"{no_minimum.summary}; γ̄ = {minimum.gamma_bar}",
              "exact slope and limit of Ĉ_ε along the ray (sympy; prop-eps-no-minimum proves "
              "it), polar grids of discs as a cross-check; not from γ̄",
              {"falls along the ray": no_minimum.ray.strictly_decreasing,
               "tends to min Ĉ": no_minimum.tends_to_minimum,
               "no disc holds a minimum": no_minimum.on_boundary},
              Evidence.EXACT),
    ]
