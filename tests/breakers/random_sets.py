"""Breakers for the claims of :mod:`bnpaper.claims.random_sets` (``book-random-1`` …
``book-random-3``): each hands ``claims`` random sets or a step of the Monte Carlo that is
wrong on purpose."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bnpaper.claims import random_sets as module
from bnpaper.paper import lemma
from bnpaper.topics import random_sets

from . import Breaker

MODULE = "bnpaper.claims.random_sets"


def _centred_inputs(shift: float):
    """Sets whose inputs have their sample mean replaced by ``shift``·1 (0: centred)."""
    def sample(n_sets, m, d, seed, dist=None):
        x, y = random_sets.sample_sets(n_sets, m, d, seed, dist or random_sets.SetDistribution())
        return x - x.mean(axis=-2, keepdims=True) + shift, y
    return _steps(sample_sets=sample)


def _ray_only(w0, xc, yc):
    """The distance to the ray t·v̂ only, forgetting the null space of Xc (wrong for M ≤ d)."""
    v = (np.linalg.pinv(xc) @ yc[..., None])[..., 0]
    return lemma.distance_sq_to_ray(w0, v[:, None, :])


def _gradient_off_w_star(w_star, xc, yc):
    """ρ at W* + 1 instead of at W*."""
    return random_sets.relative_gradient(w_star + 1, xc, yc)


def _steps(**fields):
    return lambda: replace(module.default_inputs(), steps=random_sets.Steps(**fields))


BREAKERS = [
    Breaker(MODULE, "book-random-1", "M ≥ d + 1: CI of the 5 % quantile of ρ above rounding",
            _centred_inputs(0.0),
            "centred inputs: W* = v̂ is a BN minimum, ρ is rounding noise in every set"),
    Breaker(MODULE, "book-random-1", "M ≤ d: ρ < 1e-7 in every set",
            _steps(relative_gradient=_gradient_off_w_star),
            "ρ evaluated at W* + 1, which is not a BN minimum"),
    Breaker(MODULE, "book-random-2", "95 % CI of the mean share > 1/2", _centred_inputs(1e-3),
            "nearly centred inputs: α ≈ 0, the share tends to 1/2 and its CI reaches 1/2"),
    Breaker(MODULE, "book-random-2", "pooled |z| < 3 against the closed form",
            lambda: replace(module.default_inputs(),
                            closed_form=lambda a: 0.9 * random_sets.admissible_share(a)),
            "a wrong closed form, 0.9 (π + α)/(2π): the Monte Carlo counts refute it"),
    Breaker(MODULE, "book-random-3", "no violation with M ≤ d", _steps(distance_sq=_ray_only),
            "the BN minima for M ≤ d taken as the ray t·v̂ only, without ker Xc"),
]
