"""Breakers for the claims of :mod:`bnpaper.scope` (the scope of Lemma 4.5)."""

import numpy as np

from bnpaper.core.data import LearningSet
from bnpaper.core.least_squares import centered
from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma
from bnpaper.topics import scope

from . import Breaker


def _not_a_bias(data: LearningSet) -> LearningSet:
    """A varying input 1, 4, 9, … instead of the constant 1."""
    column = to_exact([(i + 1) ** 2 for i in range(data.M)])
    return LearningSet(to_exact(np.column_stack([data.x, column])), data.y)


def _ray_only(w0, data):
    """The distance to the ray t·v̂ alone, forgetting the null space of Xc (wrong if rank < d)."""
    xc, yc = centered(to_exact(data.x), to_exact(data.y))
    import sympy as sp

    v = np.array(list(sp.Matrix(xc.tolist()).pinv() * sp.Matrix(list(yc))), dtype=object)
    if not (isinstance(w0, np.ndarray) and w0.dtype == object):
        v = v.astype(float)
    return lemma.distance_sq_to_ray(w0, v)


BREAKERS = [
    Breaker(module="bnpaper.topics.scope", key="scope-bias",
            sabotage=lambda mp: mp.setattr(scope, "with_bias", _not_a_bias),
            why="the 'bias' input varies over the batch (1, 4, 9, …), so it is no bias"),
    Breaker(module="bnpaper.topics.scope", key="scope-underdetermined",
            sabotage=lambda mp: mp.setattr(scope, "distance_sq_to_bn_minima", _ray_only),
            why="the BN minima taken as the ray t·v̂ only, without the null space of Xc"),
    Breaker(module="bnpaper.topics.scope", key="scope-table",
            sabotage=lambda mp: mp.setattr(
                scope, "bn_verdict", lambda data, w: scope.BNVerdict("minimum", 1)),
            why="every W* declared a BN minimum, whatever the data"),
]
