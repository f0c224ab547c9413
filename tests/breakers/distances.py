"""Breakers for the claims of :mod:`bnpaper.distances` (chapter *What is true instead*)."""

from bnpaper.topics import distances

from . import Breaker

_region = distances.lemma_region
_delta = distances.distance_w_star_to_bn_minima


BREAKERS = [
    Breaker(module="bnpaper.topics.distances", key="book-true-1",
            sabotage=lambda mp: mp.setattr(
                distances, "lemma_region", lambda w0, ws, vh: _region(w0, vh, ws)),
            why="the angle criterion with u and v swapped"),
    Breaker(module="bnpaper.topics.distances", key="book-true-2",
            sabotage=lambda mp: mp.setattr(
                distances, "distance_w_star_to_bn_minima", lambda ws, vh: 0.9 * _delta(ws, vh)),
            why="δ = dist(W*, Ŵ) 10 % too small: the bound fails on the sharp half-line"),
]
