"""Breakers for the claims of :mod:`bnpaper.affine` (``gamma-beta-1`` … ``gamma-beta-3``)."""

from __future__ import annotations

import sympy as sp

from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.topics import affine

from . import Breaker

_RIGHT = affine.optimal_gamma_beta


def doubled_gamma(w, data):
    """A wrong closed form: γ* = 2⟨ẑ, ȳ⟩/M."""
    gamma, beta = _RIGHT(w, data)
    return 2 * gamma, beta


def third_label_14(mp):
    x = counterexample_set().x
    mp.setattr(affine, "counterexample_set", lambda: LearningSet(x, to_exact((2, 5, 14))))


BREAKERS = [
    Breaker("bnpaper.topics.affine", "gamma-beta-1",
            lambda mp: mp.setattr(affine, "optimal_gamma_beta", doubled_gamma),
            "closed form γ* = 2⟨ẑ, ȳ⟩/M: the exact solve of ∂Ĉ/∂γ = 0 disagrees"),
    Breaker("bnpaper.topics.affine", "gamma-beta-2", third_label_14,
            "third label 13 → 14: the line of minima moves off 3w₁ = 5w₂"),
    Breaker("bnpaper.topics.affine", "gamma-beta-3",
            lambda mp: mp.setattr(counterexample, "standard_optimum",
                                  lambda data: (sp.Integer(5), sp.Integer(3))),
            "W* put on the line of minima, (5, 3): the gradient there is 0"),
]
