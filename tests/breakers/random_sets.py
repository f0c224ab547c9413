"""Breakers for the claims of :mod:`bnpaper.random_sets` (chapter *How often, on random data*)."""

import numpy as np

from bnpaper.paper import lemma
from bnpaper.topics import random_sets

from . import Breaker

_sample = random_sets.sample_sets


def _centred_inputs(shift: float):
    """Sets whose inputs have their sample mean replaced by ``shift``·1 (0: centred)."""
    def sample(n_sets, m, d, seed, dist=None):
        x, y = _sample(n_sets, m, d, seed, dist or random_sets.SetDistribution())
        return x - x.mean(axis=-2, keepdims=True) + shift, y
    return sample


def _ray_only(w0, xc, yc):
    """The distance to the ray t·v̂ only, forgetting the null space of Xc (wrong for M ≤ d)."""
    v = np.linalg.lstsq(xc[0], yc[0], rcond=None)[0] if xc.shape[0] == 1 else np.stack(
        [np.linalg.lstsq(a, b, rcond=None)[0] for a, b in zip(xc, yc, strict=True)])
    return lemma.distance_sq_to_ray(w0, v[:, None, :])


BREAKERS = [
    Breaker(module="bnpaper.topics.random_sets", key="book-random-1",
            sabotage=lambda mp: mp.setattr(random_sets, "sample_sets", _centred_inputs(0.0)),
            why="centred inputs: W* = v̂ is a BN minimum, ρ is rounding noise"),
    Breaker(module="bnpaper.topics.random_sets", key="book-random-2",
            sabotage=lambda mp: mp.setattr(random_sets, "sample_sets", _centred_inputs(1e-3)),
            why="nearly centred inputs: α ≈ 0, the share tends to 1/2 and its CI reaches 1/2"),
    Breaker(module="bnpaper.topics.random_sets", key="book-random-3",
            sabotage=lambda mp: mp.setattr(random_sets, "distance_sq_to_minima", _ray_only),
            why="the BN minima for M ≤ d taken as the ray t·v̂ only, without ker Xc"),
]
