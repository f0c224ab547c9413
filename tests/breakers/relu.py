"""Breakers for the claims of :mod:`bnpaper.claims.relu` (``relu-1`` … ``relu-4``): each hands
``claims`` a learning set or a function that is wrong on purpose."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from bnpaper.claims import relu as module
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.topics.relu import critical, numeric

from . import Breaker

MODULE = "bnpaper.claims.relu"


def with_labels(labels):
    """The paper's inputs with other labels."""
    def inputs():
        data = module.default_inputs().data
        return replace(module.default_inputs(), data=LearningSet(data.x, to_exact(labels)))
    return inputs


def w_star_on_the_best_ray():
    """W* replaced by (1, 0), a point of the ray of BN-ReLU global minima."""
    return replace(module.default_inputs(),
                   standard_optimum=lambda data: (sp.Integer(1), sp.Integer(0)))


def second_minimum_as_low_as_the_first():
    """The exact minima with the second ray's value reported equal to the first's."""
    def tied(data):
        minima = critical.bn_relu_minima(data)
        return [minima[0], replace(minima[1], value=minima[0].value), *minima[2:]]
    return replace(module.default_inputs(), bn_relu_minima=tied)


def numeric_rays_turned():
    """The numerically found rays of minima all turned by 0.01 rad."""
    def turned(data):
        angles, values = numeric.numeric_local_minima(data)
        return angles + 0.01, values
    return replace(module.default_inputs(), numeric_local_minima=turned)


BREAKERS = [
    Breaker(MODULE, "relu-1", "W* the only minimizer", with_labels((2, 5, -13)),
            "third label −13: the ReLU cannot output it, and the minimum of C moves off the"
            " linear W* to (−15, 10)"),
    Breaker(MODULE, "relu-2", "∇Ĉ(W*) ≠ 0", w_star_on_the_best_ray,
            "W* put on the ray of BN-ReLU minima, (1, 0): the gradient there is 0"),
    Breaker(MODULE, "relu-3", "lowest ray t·(1, 0)", with_labels((13, 5, 2)),
            "labels reversed: the largest label is the first sample's, and the global minima"
            " move to the ray (1, −1)"),
    Breaker(MODULE, "relu-3", "below every other minimum", second_minimum_as_low_as_the_first,
            "the second-lowest ray of minima reported at the global value: t·(1, 0) is then not"
            " the only ray of global minima"),
    Breaker(MODULE, "relu-4", "exact lhs > 0", w_star_on_the_best_ray,
            "W* put on the ray of BN-ReLU minima, (1, 0): the distance lhs is 0, while the rhs"
            " is 0 at W₀ = W* whatever W* is (the claim must check the distance itself)"),
    Breaker(MODULE, "relu-4", "numeric rays: same lhs", numeric_rays_turned,
            "the numerically found rays turned by 0.01 rad: their distance from W* is no"
            " longer the exact lhs"),
]
