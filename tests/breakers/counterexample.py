"""Breakers for the claims of :mod:`bnpaper.counterexample` (``paper-1`` … ``paper-4``,
``book-recon-1``): each feeds ``claims()`` a learning set or a formula that is wrong on purpose."""

from __future__ import annotations

import sympy as sp

from bnpaper import counterexample
from bnpaper.data import LearningSet, counterexample_set
from bnpaper.namespace import to_exact

from . import Breaker

NULL_DIRECTION = (-1, -1, 1)
"""n with Xᵀn = 0 for the paper's inputs: moving the labels along n leaves W* = (1, 3)."""


def labels(transform):
    """A sabotage that replaces the counterexample's labels ȳ by ``transform(ȳ)``."""
    def sabotage(mp):
        data = counterexample_set()
        y = to_exact([transform(i, v) for i, v in enumerate(data.y)])
        mp.setattr(counterexample, "counterexample_set", lambda: LearningSet(data.x, y))
    return sabotage


BREAKERS = [
    Breaker("bnpaper.counterexample", "paper-1",
            labels(lambda i, v: v + 1 if i == 2 else v),
            "third label 13 → 14: the least-squares fit moves off (1, 3)"),
    Breaker("bnpaper.counterexample", "paper-2",
            labels(lambda i, v: v + sp.Rational(1, 10) * NULL_DIRECTION[i]),
            "labels moved by n/10 along the null space of Xᵀ: W* stays (1, 3), but ∇Ĉ(W*) no "
            "longer rounds to the printed (−0.34, 0.11)"),
    Breaker("bnpaper.counterexample", "paper-3",
            labels(lambda i, v: v + NULL_DIRECTION[i]),
            "labels moved along the null space of Xᵀ: W* stays, the BN minima leave 3w₁ = 5w₂"),
    Breaker("bnpaper.counterexample", "book-recon-1",
            labels(lambda i, v: -v),
            "labels negated: Ĉ(w) becomes Ĉ(−w), so the ray t·(5, 3) holds maxima"),
    Breaker("bnpaper.counterexample", "paper-4",
            lambda mp: mp.setattr(counterexample, "bn_minima_direction",
                                  lambda data, center=True: (sp.Integer(1), sp.Integer(3))),
            "BN minima put on the ray through W* = (1, 3): the distance lhs becomes 0"),
]
