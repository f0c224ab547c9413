"""Breakers for the claims of :mod:`bnpaper.claims.landscape` (``landscape-angle-only``,
``landscape-descent-perpendicular``, ``landscape-values``): each hands ``claims`` a learning
set or a function that is wrong on purpose."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from bnpaper.claims import landscape as module
from bnpaper.core import exact, model
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.topics import landscape

from . import Breaker

MODULE = "bnpaper.claims.landscape"


def bn_loss_with_eps(w, learning_set, **kwargs):
    """A wrong BN: σ² + 1 under the square root, which depends on the length of w."""
    return model.bn_loss(w, learning_set, eps=1, **kwargs)


def with_functions(**functions):
    """The book's inputs with some of their functions replaced."""
    return lambda: replace(module.default_inputs(), **functions)


def with_labels(y):
    """The paper's inputs x with the labels ``y``."""
    def inputs():
        data = module.default_inputs().data
        return replace(module.default_inputs(), data=LearningSet(data.x, to_exact(y)))
    return inputs


def gradient_with_eps(data, w):
    """∇ of the wrong BN of :func:`bn_loss_with_eps`: it has a part along w."""
    return exact.at(exact.gradient(exact.loss_expr(bn_loss_with_eps, data), data.d), w)


def ascent_instead_of_descent(data, w):
    """A flipped sign: the gradient's negative in place of the gradient."""
    return [-g for g in counterexample.bn_gradient_at(data, w)]


def labels_with_w_star_on_the_maxima():
    """Labels 2·1 − X·c with c the least-squares fit of 1 on X: W* = c without intercept,
    while the centred slope (the ray of minima) is −c, so W* lies on the ray of maxima."""
    x = sp.Matrix(module.default_inputs().data.x)
    c = (x.T * x).inv() * x.T * sp.ones(x.rows, 1)
    return with_labels(list(2 * sp.ones(x.rows, 1) - x * c))()


BREAKERS = [
    Breaker(MODULE, "landscape-angle-only", "∂Ĉ/∂r = 0",
            with_functions(radial_derivative=lambda data: landscape.radial_derivative(
                data, bn_loss_with_eps)),
            "BN with ε = 1 under the square root: Ĉ then depends on ‖w‖"),
    Breaker(MODULE, "landscape-descent-perpendicular", "⟨−∇Ĉ(W*), W*⟩ = 0",
            with_functions(bn_gradient=gradient_with_eps),
            "the gradient of BN with ε = 1 under the square root: it has a radial part"),
    Breaker(MODULE, "landscape-descent-perpendicular", "turns towards the minima",
            with_functions(bn_gradient=ascent_instead_of_descent),
            "gradient with a flipped sign: the 'descent' step turns W* away from the minima"),
    Breaker(MODULE, "landscape-values", "min Ĉ < Ĉ(W*)", with_labels((8, 11, 19)),
            "labels ȳ + 6 (intercept 0): W* = (5, 3) lies on the ray of minima"),
    Breaker(MODULE, "landscape-values", "Ĉ(W*) < max Ĉ", labels_with_w_star_on_the_maxima,
            "labels 2 − X·c (c the fit of 1 on X): W* = c, the minima along −c, so W* is a "
            "maximum"),
]
