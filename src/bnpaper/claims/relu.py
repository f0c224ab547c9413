"""The ReLU chapter's main results on the paper's learning set, re-derived exactly (chapter
*ReLU*): W* still minimizes the standard ReLU loss C, but it is not stationary for the
BN-ReLU loss Ĉ, whose global minima are the ray t·(1, 0), and Lemma 4.5 fails at W₀ = W*.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core import exact, least_squares
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample, lemma
from bnpaper.topics.relu import critical, numeric, standard
from bnpaper.topics.relu.sectors import sign_of

AGREEMENT = 1e-6
"""Largest relative gap accepted between the exact lhs and the one to the numeric rays."""


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    data: LearningSet
    """The learning set (the paper's, with the recovered labels)."""
    standard_optimum: Callable[[LearningSet], tuple] = least_squares.standard_optimum
    """W* of a learning set (the optimum of the linear neuron's C)."""
    bn_relu_minima: Callable[[LearningSet], list[critical.CriticalRay]] = critical.bn_relu_minima
    """The exact rays of local minima of the BN-ReLU loss Ĉ, lowest value first."""
    numeric_local_minima: Callable[[LearningSet], tuple[np.ndarray, np.ndarray]] = (
        numeric.numeric_local_minima)
    """The angles and values of Ĉ's local minima found numerically (golden-section search)."""


def default_inputs() -> Inputs:
    """The book's own inputs: the paper's learning set and the package's derivations."""
    return Inputs(counterexample.counterexample_set())


class _Relu(Derivation[Inputs]):
    """The ReLU chapter's claims from one ``Inputs``: W* and the exact rays of BN-ReLU minima
    are each computed once, by the claims that need them."""

    source = "book, ReLU"

    @cached_property
    def w_star(self) -> tuple:
        """W*, the optimum of the linear neuron's C (exact)."""
        return self.inputs.standard_optimum(self.inputs.data)

    @cached_property
    def minima(self) -> list[critical.CriticalRay]:
        """The exact rays of local minima of Ĉ, lowest value first."""
        return self.inputs.bn_relu_minima(self.inputs.data)

    @derives("relu-1")
    def standard_minimum(self) -> Claim:
        """W* is the unique global minimum of the standard ReLU loss C."""
        std = standard.standard_relu_minimum(self.inputs.data)
        return Claim("relu-1", "W* = (1, 3) is still the unique global minimum of the standard "
                     "ReLU loss C", self.source, "—", f"{tuple(std.minimizers)}, C = {std.value}",
                     "exact minimum over each sector of constant ReLU pattern (sympy)",
                     {"W* the only minimizer": std.minimizers == (self.w_star,)}, Evidence.EXACT)

    @derives("relu-2")
    def not_stationary(self) -> Claim:
        """∇Ĉ(W*) ≠ 0."""
        grad = exact.to_floats(critical.bn_relu_gradient_at(self.inputs.data, self.w_star))
        return Claim("relu-2", "∇Ĉ(W*) ≠ 0 for BN-ReLU: W* is not a stationary point",
                     self.source, "—", f"({grad[0]:.6f}, {grad[1]:.6f})",
                     "exact gradient of the smooth piece (sympy)",
                     {"∇Ĉ(W*) ≠ 0": any(g != 0 for g in grad)}, Evidence.EXACT)

    @derives("relu-3")
    def global_minima(self) -> Claim:
        """The global minima of Ĉ are the ray t·(1, 0), t > 0."""
        minima = self.minima
        best = minima[0]
        return Claim("relu-3",
                     "the global minima of the BN-ReLU loss Ĉ are the ray t·(1, 0), t > 0",
                     self.source, "—", f"ray t·{best.direction}, Ĉ = {best.value}",
                     "exact critical directions per sector and at kinks (sympy)",
                     {"lowest ray t·(1, 0)": best.direction == (1, 0),
                      "below every other minimum": len(minima) < 2
                      or sign_of(minima[1].value - best.value) > 0},
                     Evidence.EXACT)

    @derives("relu-4")
    def lemma_fails(self) -> Claim:
        """lhs > 0 at W₀ = W*, exact and to the rays found numerically."""
        data, w_star = self.inputs.data, self.w_star
        angles, _ = self.inputs.numeric_local_minima(data)
        numeric_lhs = numeric.numeric_lemma_lhs(exact.to_floats(w_star), angles)
        lhs = critical.lemma_lhs(w_star, [r.direction for r in self.minima])
        rhs = lemma.lemma_rhs(to_exact(w_star), to_exact(w_star))  # 0 at W₀ = W*: not a check
        return Claim("relu-4", "Lemma 4.5 fails at W₀ = W* for BN-ReLU: the distance lhs from "
                     "W* to the closest ray of BN-ReLU local minima is > 0 (the rhs is 0 at "
                     "W₀ = W* by construction)", self.source, "—",
                     f"lhs = {lhs} (numeric rays: {numeric_lhs:.4f}), rhs = {rhs}",
                     "exact distance to the closest ray of BN-ReLU local minima (sympy); the "
                     "same distance to the rays found numerically (golden-section search)",
                     {"exact lhs > 0": sign_of(lhs) > 0,
                      "numeric rays: same lhs": bool(abs(numeric_lhs - float(lhs))
                                                     < AGREEMENT * float(lhs))},
                     Evidence.EXACT)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the ReLU chapter's claims named in ``keys`` (default: all) from ``inputs``
    (default: :func:`default_inputs`)."""
    return _Relu(inputs or default_inputs()).derive(keys)
