"""Breakers for the claims of :mod:`bnpaper.claims.counterexample` (``paper-1`` … ``paper-4``,
``book-recon-1``): each hands ``claims`` a learning set or a function that is wrong on
purpose."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from bnpaper.claims import counterexample as module
from bnpaper.core import least_squares
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact

from . import Breaker

NULL_DIRECTION = (-1, -1, 1)
"""n with Xᵀn = 0 for the paper's inputs: moving the labels along n leaves W* = (1, 3)."""

MODULE = "bnpaper.claims.counterexample"


def labels(transform):
    """Inputs whose labels ȳ are replaced by ``transform(i, ȳᵢ)``."""
    def inputs():
        data = module.default_inputs().data
        y = to_exact([transform(i, v) for i, v in enumerate(data.y)])
        return replace(module.default_inputs(), data=LearningSet(data.x, y))
    return inputs


def labels_minus_intercept():
    """The paper's inputs with labels y − b̂: r̄ = 0, so W* is a BN minimum (∇Ĉ(W*) = 0)."""
    data = module.default_inputs().data
    y = data.y - least_squares.linear_fits(data).intercept
    return replace(module.default_inputs(), data=LearningSet(data.x, y))


def minima_direction(direction):
    """Inputs whose ray of BN minima is put on ``direction``."""
    return lambda: replace(module.default_inputs(),
                           bn_minima_direction=lambda data: tuple(map(sp.Integer, direction)))


BREAKERS = [
    Breaker(MODULE, "paper-1", "W* = (1, 3)", labels(lambda i, v: v + 1 if i == 2 else v),
            "third label 13 → 14: the least-squares fit moves off (1, 3)"),
    Breaker(MODULE, "paper-2", "printed digits",
            labels(lambda i, v: v + sp.Rational(1, 10) * NULL_DIRECTION[i]),
            "labels moved by n/10 along the null space of Xᵀ: W* stays (1, 3), but ∇Ĉ(W*) no "
            "longer rounds to the printed (−0.34, 0.11)"),
    Breaker(MODULE, "paper-2", "∇Ĉ(W*) ≠ 0", labels_minus_intercept,
            "labels y − b̂ (zero mean residual): W* is on the ray of BN minima"),
    Breaker(MODULE, "paper-3", "on the line", labels(lambda i, v: v + NULL_DIRECTION[i]),
            "labels moved along the null space of Xᵀ: W* stays, the BN minima leave 3w₁ = 5w₂"),
    Breaker(MODULE, "paper-3", "w₁ > 0", minima_direction((-5, -3)),
            "the ray of minima reversed: still on the line 3w₁ = 5w₂, but w₁ < 0"),
    Breaker(MODULE, "book-recon-1", "curvature > 0", labels(lambda i, v: -v),
            "labels negated: Ĉ(w) becomes Ĉ(−w), so the ray t·(5, 3) holds maxima"),
    Breaker(MODULE, "paper-4", "lhs > 0", minima_direction((1, 3)),
            "BN minima put on the ray through W* = (1, 3): the distance lhs becomes 0"),
]
