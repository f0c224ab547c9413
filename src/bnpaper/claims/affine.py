"""The chapter *Learned γ and β*'s main derived facts, exact (sympy): the best γ and β for a
fixed w, the line of optima in w once they are learned, and the gradient at W* with them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import sympy as sp

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core import exact, least_squares, model
from bnpaper.core.data import LearningSet
from bnpaper.paper import counterexample
from bnpaper.topics import affine


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    data: LearningSet
    """The learning set (the paper's, with the recovered labels)."""
    standard_optimum: Callable[[LearningSet], tuple] = least_squares.standard_optimum
    """W* of a learning set (the optimum of the standard loss C)."""
    solve_gamma_beta: Callable[[LearningSet], tuple] = affine.solve_gamma_beta
    """The exact solution (γ*(w), β*(w)) of ∂Ĉ/∂γ = ∂Ĉ/∂β = 0."""
    optimal_gamma_beta: Callable[[Any, LearningSet], tuple] = affine.optimal_gamma_beta
    """The closed form γ* = ⟨ẑ, ȳ⟩/M, β* = mean(ȳ) it is compared with."""
    profile_stationary_lines: Callable[[LearningSet], list[affine.StationaryLine]] = (
        affine.profile_stationary_lines)
    """The stationary lines of the profile loss, classified."""
    profile_expr: Callable[[LearningSet], sp.Expr] = affine.profile_expr
    """The profile loss min over (γ, β) of Ĉ(w, γ, β), exact (for the envelope theorem)."""
    bn_loss: Callable[..., Any] = model.bn_loss
    """The BN loss Ĉ(w, γ, β) whose gradients in w are compared at W*."""


def default_inputs() -> Inputs:
    """The book's own inputs: the paper's learning set and the package's derivations."""
    return Inputs(counterexample.counterexample_set())


class _Affine(Derivation[Inputs]):
    """The chapter's claims from one ``Inputs``; each claim computes only its own exact
    derivation (they share nothing but the learning set)."""

    source = "book, Learned γ and β"

    @derives("gamma-beta-1")
    def best_gamma_beta(self) -> Claim:
        """β* = mean(ȳ) and γ* = ⟨ẑ, ȳ⟩/M for a fixed w."""
        inputs, data = self.inputs, self.inputs.data
        gamma, beta = inputs.solve_gamma_beta(data)
        closed_gamma = inputs.optimal_gamma_beta(exact.weight_symbols(2), data)[0]
        return Claim("gamma-beta-1",
                     "for fixed w the best β is mean(ȳ) and the best γ is ⟨ẑ, ȳ⟩/M",
                     self.source, "—", f"β* = {beta}", "exact: solve ∂Ĉ/∂γ = ∂Ĉ/∂β = 0 (sympy)",
                     {"β* = mean(ȳ)": beta == sp.Rational(sum(data.y), data.M),
                      "γ* = ⟨ẑ, ȳ⟩/M": sp.simplify(gamma - closed_gamma) == 0},
                     Evidence.EXACT)

    @derives("gamma-beta-2")
    def line_of_optima(self) -> Claim:
        """With γ, β learned, the optima in w are the line 3w₁ = 5w₂, where Ĉ = 0."""
        lines = self.inputs.profile_stationary_lines(self.inputs.data)
        minima = [li for li in lines if li.kind == "minimum"]
        on_line = bool(minima) and minima[0].normal[0] * 5 + minima[0].normal[1] * 3 == 0
        return Claim("gamma-beta-2", "with learned γ, β the optima in w are the whole line "
                     "3w₁ = 5w₂ (both rays, w ≠ 0), where Ĉ = 0", self.source, "—",
                     f"line {minima[0].normal[0]}·w₁ + ({minima[0].normal[1]})·w₂ = 0, "
                     f"value {minima[0].value}" if minima else "none",
                     "exact stationary lines of the profile loss and curvature (sympy). "
                     "Inherited: the line is v̂'s, built into the labels (paper-3); "
                     "independent: no other minima, both rays, the value 0",
                     {"one line of minima": len(minima) == 1, "on 3w₁ = 5w₂": on_line,
                      "Ĉ = 0 on it": bool(minima) and minima[0].value == 0},
                     Evidence.EXACT)

    @derives("gamma-beta-3")
    def gradient_at_w_star(self) -> Claim:
        """∇_w Ĉ = γ*(W*) ∇Ĉ(W*) ≠ 0 at W* with the best γ, β (envelope theorem)."""
        inputs, data = self.inputs, self.inputs.data
        at = affine.gradient_at(data, inputs.standard_optimum(data),
                                profile=inputs.profile_expr, loss=inputs.bn_loss)
        defect = [sp.simplify(j - at.gamma * f) for j, f in zip(at.joint, at.fixed, strict=True)]
        return Claim("gamma-beta-3",
                     "at W* with the best γ, β for W*, ∇_w Ĉ = γ*(W*) ∇Ĉ(W*) ≠ 0",
                     self.source, "—", f"({at.joint[0]}, {at.joint[1]}), γ*(W*) = {at.gamma}",
                     "exact gradients (sympy); envelope theorem checked",
                     {"∇_w Ĉ ≠ 0": any(g != 0 for g in at.joint),
                      "envelope theorem: ∇P = ∇_w Ĉ": at.joint == at.profile,
                      "∇_w Ĉ = γ*(W*) ∇Ĉ(W*)": all(v == 0 for v in defect)},
                     Evidence.EXACT)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the chapter's claims named in ``keys`` (default: all) from ``inputs`` (default:
    :func:`default_inputs`)."""
    return _Affine(inputs or default_inputs()).derive(keys)
