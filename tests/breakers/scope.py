"""Breakers for the claims of :mod:`bnpaper.claims.scope` (``scope-bias``,
``scope-underdetermined``, ``scope-table``): each hands ``claims`` examples, random sets or
a step of the derivation that is wrong on purpose."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bnpaper.claims import scope as module
from bnpaper.core import least_squares
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import lemma
from bnpaper.topics import random_sets, scope

from . import Breaker

MODULE = "bnpaper.claims.scope"


def _examples(**changes):
    """Inputs whose examples {regime: set} are changed by ``changes`` (keys spelt with _)."""
    def inputs():
        default = module.default_inputs()
        examples = dict(default.examples)
        for regime, data in changes.items():
            regime = {"under": module.UNDER_REGIME, "centred": "centred inputs"}.get(regime, regime)
            examples[regime] = (examples[regime][0], data())
        return replace(default, examples=examples)
    return inputs


def _not_a_bias():
    """Inputs whose 'bias' input varies over the batch (1, 4, 9, …): it is no bias."""
    default = module.default_inputs()
    examples = dict(default.examples)
    for regime in module.BIAS_REGIMES:
        example, data = examples[regime]
        column = to_exact([(i + 1) ** 2 for i in range(data.M)])
        examples[regime] = (example, LearningSet(to_exact(np.column_stack([data.x[:, :-1],
                                                                            column])), data.y))
    return replace(default, examples=examples)


def _with(**fields):
    return lambda: replace(module.default_inputs(), **fields)


def _fits_intercept_off(data):
    f = least_squares.linear_fits(data)
    return replace(f, intercept=f.intercept + 1)


def _distance_plus_one(w0, geometry):
    """dist² off by one everywhere: W* is no longer at distance 0 from the minima it is in."""
    return scope.distance_sq_to_bn_minima(w0, geometry) + 1


def _optimum_moved(data):
    """W* + e₁: no longer a minimizer of C, so no longer interpolating, nor stationary."""
    w = least_squares.least_norm_standard_optimum(data)
    return np.array([w[0] + 1, *w[1:]], dtype=object)


def _ray_only(w0, xc, yc):
    """The distance to the ray t·v̂ only, forgetting the null space of Xc (the bias column
    is constant, so centred it is 0 and its direction is in ker Xc)."""
    v = (np.linalg.pinv(xc) @ yc[..., None])[..., 0]
    return lemma.distance_sq_to_ray(w0, v[:, None, :])


def _gradient_off_w_star(w_star, xc, yc):
    """ρ at W* + 1 instead of at W*."""
    return random_sets.relative_gradient(w_star + 1, xc, yc)


def _centred_bias_sets():
    """Random sets with centred inputs (x̄ = 0): without a bias the lemma holds too."""
    default = module.default_inputs()
    x, y = default.bias_sets
    return replace(default, bias_sets=(x - x.mean(axis=-2, keepdims=True), y))


def _verdict(kind):
    return _with(verdict=lambda geometry, w: scope.BNVerdict(kind, None))


BREAKERS = [
    Breaker(MODULE, "scope-bias", "W* = (v̂, b̂)", _with(linear_fits=_fits_intercept_off),
            "the intercept b̂ of the fit with intercept off by one"),
    Breaker(MODULE, "scope-bias", "∇Ĉ(W*) = 0 exactly", _not_a_bias,
            "the 'bias' input varies over the batch (1, 4, 9, …), so it is no bias"),
    Breaker(MODULE, "scope-bias", "W* a minimum of Ĉ", _verdict("flat minimum"),
            "every W* declared a flat minimum, not a strict one"),
    Breaker(MODULE, "scope-bias", "exact rows consistent", _with(distance_sq=_distance_plus_one),
            "dist² to the BN minima off by one: W* seems away from the minima it is in"),
    Breaker(MODULE, "scope-bias", "random sets: ρ < 1e-7",
            _with(steps=random_sets.Steps(relative_gradient=_gradient_off_w_star)),
            "ρ evaluated at W* + 1, which is not a BN minimum"),
    Breaker(MODULE, "scope-bias", "random sets: no failure",
            _with(steps=random_sets.Steps(distance_sq=_ray_only)),
            "the BN minima taken as the ray t·v̂ only, without the bias direction in ker Xc"),
    Breaker(MODULE, "scope-bias", "without the bias input: failures", _centred_bias_sets,
            "centred random inputs: without the bias input the lemma holds as well"),
    Breaker(MODULE, "scope-underdetermined", "M ≤ d, XW* = y",
            _examples(under=scope.four_samples),
            "the 'M ≤ d' example replaced by four samples of two inputs (M > d)"),
    Breaker(MODULE, "scope-underdetermined", "∇Ĉ(W*) = 0 exactly",
            _with(standard_optimum=_optimum_moved),
            "W* moved by e₁: it no longer interpolates, nor is it stationary for Ĉ"),
    Breaker(MODULE, "scope-underdetermined", "row consistent",
            _with(distance_sq=_distance_plus_one),
            "dist² to the BN minima off by one: W* seems away from the minima it is in"),
    Breaker(MODULE, "scope-underdetermined", "W* a BN minimum", _verdict("not stationary"),
            "every W* declared not stationary for Ĉ"),
    Breaker(MODULE, "scope-table", "every row consistent", _with(distance_sq=_distance_plus_one),
            "dist² to the BN minima off by one: the rows where the lemma holds disagree"),
    Breaker(MODULE, "scope-table", "verdicts as the book states",
            _examples(centred=scope.counterexample_set),
            "the 'centred inputs' example replaced by the paper's set, where the lemma fails"),
]
