"""Breakers for the claims of :mod:`bnpaper.landscape` (``landscape-angle-only``,
``landscape-descent-perpendicular``, ``landscape-values``)."""

from __future__ import annotations

from bnpaper.core import data, model
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.topics import landscape

from . import Breaker

_RADIAL = landscape.radial_derivative
_GRADIENT = counterexample.bn_gradient_at


def bn_loss_with_eps(w, learning_set, **kwargs):
    """A wrong BN: σ² + 1 under the square root, which depends on the length of w."""
    return model.bn_loss(w, learning_set, eps=1, **kwargs)


def radial_derivative_with_eps(learning_set, loss=model.bn_loss, **kwargs):
    return _RADIAL(learning_set, bn_loss_with_eps, **kwargs)


def ascent_instead_of_descent(learning_set, w):
    """A flipped sign: the gradient's negative in place of the gradient."""
    return [-g for g in _GRADIENT(learning_set, w)]


def labels_minus_intercept(mp):
    """Labels ȳ − b̂ = ȳ + 6: the fit without intercept is then v̂, a BN minimum."""
    x = data.counterexample_set().x
    mp.setattr(data, "counterexample_set",
               lambda: data.LearningSet(x, to_exact((8, 11, 19))))


BREAKERS = [
    Breaker("bnpaper.topics.landscape", "landscape-angle-only",
            lambda mp: mp.setattr(landscape, "radial_derivative", radial_derivative_with_eps),
            "BN with ε = 1 under the square root: Ĉ then depends on ‖w‖"),
    Breaker("bnpaper.topics.landscape", "landscape-descent-perpendicular",
            lambda mp: mp.setattr(counterexample, "bn_gradient_at", ascent_instead_of_descent),
            "gradient with a flipped sign: the 'descent' step turns W* away from the minima"),
    Breaker("bnpaper.topics.landscape", "landscape-values", labels_minus_intercept,
            "labels ȳ + 6 (intercept 0): W* = (5, 3) lies on the ray of minima"),
]
