"""Breakers for the claims of :mod:`bnpaper.relu` (``relu-1`` … ``relu-4``).

``relu.paper_set_analysis`` caches its result; each sabotage swaps in the uncached function
(``__wrapped__``), so the fault never reaches the cache and ``undo`` leaves no trace.
"""

from __future__ import annotations

import sympy as sp

from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.topics import relu

from . import Breaker


def uncached(mp):
    mp.setattr(relu, "paper_set_analysis", relu.paper_set_analysis.__wrapped__)


def with_labels(labels):
    """The paper's inputs with other labels."""
    def sabotage(mp):
        uncached(mp)
        x = counterexample_set().x
        mp.setattr(relu, "counterexample_set", lambda: LearningSet(x, to_exact(labels)))
    return sabotage


def w_star_on_the_best_ray(mp):
    """W* replaced by (1, 0), a point of the ray of BN-ReLU global minima."""
    uncached(mp)
    mp.setattr(counterexample, "standard_optimum",
               lambda data: (sp.Integer(1), sp.Integer(0)))


BREAKERS = [
    Breaker("bnpaper.topics.relu", "relu-1", with_labels((2, 5, -13)),
            "third label −13: the ReLU cannot output it, and the minimum of C moves off the"
            " linear W* to (−15, 10)"),
    Breaker("bnpaper.topics.relu", "relu-2", w_star_on_the_best_ray,
            "W* put on the ray of BN-ReLU minima, (1, 0): the gradient there is 0"),
    Breaker("bnpaper.topics.relu", "relu-3", with_labels((13, 5, 2)),
            "labels reversed: the largest label is the first sample's, and the global minima"
            " move to the ray (1, −1)"),
    Breaker("bnpaper.topics.relu", "relu-4", w_star_on_the_best_ray,
            "W* put on the ray of BN-ReLU minima, (1, 0): the distance lhs is 0"),
]
