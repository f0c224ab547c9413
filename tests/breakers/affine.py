"""Breakers for the claims of :mod:`bnpaper.claims.affine` (``gamma-beta-1`` …
``gamma-beta-3``): each hands ``claims`` a learning set or a formula that is wrong on
purpose."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import numpy as np
import sympy as sp

from bnpaper.claims import affine as module
from bnpaper.core import exact, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.topics import affine

from . import Breaker

MODULE = "bnpaper.claims.affine"


def replaced(**faults):
    """The book's inputs with some of them replaced."""
    return lambda: replace(module.default_inputs(), **faults)


def doubled_gamma(w, data):
    """A wrong closed form: γ* = 2⟨ẑ, ȳ⟩/M."""
    gamma, beta = affine.optimal_gamma_beta(w, data)
    return 2 * gamma, beta


def solve_without_centring(data):
    """∂Ĉ/∂γ = ∂Ĉ/∂β = 0 solved for BN without its mean subtraction: Σẑ ≠ 0 then."""
    g, b = affine.GAMMA, affine.BETA
    loss = exact.loss_expr(model.bn_loss, data, gamma=g, beta=b, center=False)
    sol = sp.solve([sp.diff(loss, g), sp.diff(loss, b)], [g, b], dict=True)[0]
    return sp.simplify(sol[g]), sp.simplify(sol[b])


def every_line_a_minimum(data):
    """The stationary lines with the curvature ignored: every one called a minimum."""
    return [replace(li, kind="minimum") for li in affine.profile_stationary_lines(data)]


def with_labels(labels):
    def inputs():
        data = module.default_inputs().data
        return replace(module.default_inputs(), data=LearningSet(data.x, to_exact(labels)))
    return inputs


def fourth_sample_at_the_mean_input():
    """A fourth sample at the mean input x̄, label ȳ + 1: the fit with intercept keeps its slope
    (the sample's centred input is 0), but three parameters no longer fit four labels."""
    data = module.default_inputs().data.exact()
    x_bar = data.x.sum(axis=0) / data.M
    y_bar = data.y.sum() / data.M
    x = np.vstack([data.x, to_exact(x_bar)[None]])
    return replace(module.default_inputs(),
                   data=LearningSet(x, to_exact([*data.y, y_bar + 1])))


def fixed_loss_as_profile(data):
    """Not the profile loss: Ĉ(w) with γ = 1, β = 0 held, not re-optimised for each w."""
    return exact.loss_expr(model.bn_loss, data)


BREAKERS = [
    Breaker(MODULE, "gamma-beta-1", "β* = mean(ȳ)",
            replaced(solve_gamma_beta=solve_without_centring),
            "solved for BN without its mean subtraction: Σẑ ≠ 0, so β* is no longer mean(ȳ)"),
    Breaker(MODULE, "gamma-beta-1", "γ* = ⟨ẑ, ȳ⟩/M", replaced(optimal_gamma_beta=doubled_gamma),
            "closed form γ* = 2⟨ẑ, ȳ⟩/M: the exact solve of ∂Ĉ/∂γ = 0 disagrees"),
    Breaker(MODULE, "gamma-beta-2", "one line of minima",
            replaced(profile_stationary_lines=every_line_a_minimum),
            "the curvature ignored: the line of maxima (γ* = 0) is called a minimum too"),
    Breaker(MODULE, "gamma-beta-2", "on 3w₁ = 5w₂", with_labels((2, 5, 14)),
            "third label 13 → 14: the line of minima moves off 3w₁ = 5w₂"),
    Breaker(MODULE, "gamma-beta-2", "Ĉ = 0 on it", fourth_sample_at_the_mean_input,
            "a fourth sample at x̄ with label ȳ + 1: the line stays, but Ĉ > 0 on it"),
    Breaker(MODULE, "gamma-beta-3", "∇_w Ĉ ≠ 0",
            replaced(standard_optimum=lambda data: (sp.Integer(5), sp.Integer(3))),
            "W* put on the line of minima, (5, 3): the gradient there is 0"),
    Breaker(MODULE, "gamma-beta-3", "envelope theorem: ∇P = ∇_w Ĉ",
            replaced(profile_expr=fixed_loss_as_profile),
            "the profile loss replaced by Ĉ(w) with γ = 1, β = 0 held: its gradient is ∇Ĉ(W*),"
            " not ∇_w Ĉ at the best γ, β"),
    Breaker(MODULE, "gamma-beta-3", "∇_w Ĉ = γ*(W*) ∇Ĉ(W*)",
            replaced(bn_loss=partial(model.bn_loss, eps=1)),
            "BN with ε = 1: Σẑ² is no longer constant, so the γ² term of ∇_w Ĉ survives"),
]
