"""Breakers for the claims of ``bnpaper.deep`` (chapter *Deep and non-linear networks*)."""

from __future__ import annotations

import numpy as np

from bnpaper.topics import deep

from . import Breaker

_LOSS = deep.loss
_REGRESSION = deep.make_regression_set


def _bn_removed(mp):
    # a wrong formula: Ĉ computed without its BN layers, i.e. as C
    mp.setattr(deep, "loss", lambda w, arch, data, bn=False: _LOSS(w, arch, data, False))


def _centred_inputs(mp):
    # perturbed data: inputs of mean 0, so the least-squares intercept is mean(ȳ)
    def centred(*args, **kwargs):
        data = _REGRESSION(*args, **kwargs)
        return type(data)(data.x - data.x.mean(axis=0), data.y)

    mp.setattr(deep, "make_regression_set", centred)


def _no_refit(mp):
    # a wrong formula: the "profile" gradient taken at W*'s own (v, b), not the best ones
    mp.setattr(deep, "with_best_output", lambda w, arch, data, bn=True: np.array(w, float))


BREAKERS = [
    Breaker(module="bnpaper.topics.deep", key="book-deep-1", sabotage=_bn_removed,
            why="Ĉ evaluated without BN (= C), so its gradient at W* vanishes"),
    Breaker(module="bnpaper.topics.deep", key="book-deep-2", sabotage=_centred_inputs,
            why="centred inputs: the best intercept b* equals mean(ȳ), the lower bound is 0"),
    Breaker(module="bnpaper.topics.deep", key="book-deep-3", sabotage=_no_refit,
            why="(v, b) not refitted: the hidden part of the raw gradient is not zero"),
    Breaker(module="bnpaper.topics.deep", key="book-deep-4",
            sabotage=lambda mp: mp.setattr(deep, "CLAIM_NONLINEAR", ("identity",)),
            why="identity activation: the profile gradient vanishes in every run"),
]
