"""Breakers for the claims of :mod:`bnpaper.claims.distances` (``book-true-1``,
``book-true-2``): each hands ``claims`` points or a statement that is wrong on purpose."""

from __future__ import annotations

from dataclasses import replace

from bnpaper.claims import distances as module
from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma
from bnpaper.topics import distances

from . import Breaker

MODULE = "bnpaper.claims.distances"


def _with(**fields):
    return lambda: replace(module.default_inputs(), **fields)


def _delta_times(factor):
    return _with(delta_of=lambda ws, vh: factor * distances.distance_w_star_to_bn_minima(ws, vh))


BREAKERS = [
    Breaker(MODULE, "book-true-1", "equality with a BN optimum (exact)",
            _with(points=to_exact([[3, 1], [-3, -1]])),
            "a point with ⟨W₀, v̂⟩ < 0, outside the lemma's premise: the distance to the ray "
            "is ‖W₀‖², more than the distance to the line"),
    Breaker(MODULE, "book-true-1", "angle criterion agrees with the lemma",
            _with(region=lambda w0, ws, vh: lemma.lemma_region(w0, vh, ws)),
            "the angle criterion with u and v swapped"),
    Breaker(MODULE, "book-true-2", "bound holds at random W₀", _delta_times(0.9),
            "δ = dist(W*, Ŵ) 10 % too small: the bound fails near the sharp half-line"),
    Breaker(MODULE, "book-true-2", "equality on the sharp half-line", _delta_times(1.1),
            "δ 10 % too large: the bound still holds, but is no longer attained"),
]
