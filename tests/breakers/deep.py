"""Breakers for the claims of :mod:`bnpaper.claims.deep` (chapter *Deep and non-linear
networks*, ``book-deep-1`` … ``book-deep-4``): each hands ``claims`` a learning set, a setting
or a function that is wrong on purpose."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bnpaper.claims import deep as module
from bnpaper.core.data import LearningSet
from bnpaper.topics.deep import analysis

from . import Breaker

MODULE = "bnpaper.claims.deep"


def _with(**changes):
    """The book's own inputs with ``changes``."""
    return lambda: replace(module.default_inputs(), **changes)


def _no_optimum(arch, data, w0):
    # a wrong W*: the initialization itself, not a minimum of C
    return np.array(w0, dtype=float)


def _bn_removed(arch, data, w, bn):
    # a wrong formula: Ĉ computed without its BN layers, i.e. as C
    return analysis.gradients(arch, data, w, False)


def _bias_sign_flipped(arch, data, w, bn):
    # a wrong gradient: the sign of ∂/∂b flipped
    g = np.array(analysis.gradients(arch, data, w, bn))
    g[-1] = -g[-1]
    return g


def _centred_inputs():
    # perturbed data: inputs of mean 0, so the least-squares intercept is mean(ȳ)
    data = module.default_inputs().data
    return replace(module.default_inputs(),
                   data=LearningSet(data.x - data.x.mean(axis=0), data.y))


def _no_refit(w, arch, data):
    # a wrong formula: the "profile" gradient taken at W*'s own (v, b), not the best ones
    return np.array(w, dtype=float)


BREAKERS = [
    Breaker(MODULE, "book-deep-1", "‖∇C(W*)‖ < tol", _with(linear_optimum=_no_optimum),
            "W* replaced by the initialization W₀, which is not a minimum of C"),
    Breaker(MODULE, "book-deep-1", "‖∇Ĉ(W*)‖ > 10⁶ tol", _with(gradients=_bn_removed),
            "Ĉ's gradient taken without BN (= ∇C), so it vanishes at W*"),
    Breaker(MODULE, "book-deep-2", "(b* − mean(ȳ))² > rhs", _centred_inputs,
            "centred inputs: the best intercept b* equals mean(ȳ), the lower bound is 0"),
    Breaker(MODULE, "book-deep-2", "∂Ĉ/∂b = 2M(b − mean(ȳ))",
            _with(gradients=_bias_sign_flipped),
            "autodiff's ∂Ĉ/∂b with its sign flipped: it no longer matches 2M(b − mean(ȳ))"),
    Breaker(MODULE, "book-deep-3", "‖∇_θ P̂(θ*)‖ < noise", _with(with_best_output=_no_refit),
            "(v, b) not refitted: the hidden part of the raw gradient is not zero"),
    Breaker(MODULE, "book-deep-4", "Wilson lower bound > 1/2", _with(nonlinear=("identity",)),
            "identity activation: the profile gradient vanishes in every run"),
]
