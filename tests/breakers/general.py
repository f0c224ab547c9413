"""Breakers for the claims of :mod:`bnpaper.claims.general` (``book-general-1``,
``book-general-2``): each hands ``claims`` a learning set or a function that is wrong on
purpose."""

from __future__ import annotations

from dataclasses import replace

from bnpaper.claims import general as module
from bnpaper.core import least_squares

from . import Breaker

MODULE = "bnpaper.claims.general"


def _fits(change):
    """Inputs whose linear_fits are changed by ``change(fits) -> dict of fields``."""
    def fits(data):
        f = least_squares.linear_fits(data)
        return replace(f, **change(f))
    return lambda: replace(module.default_inputs(), linear_fits=fits)


def _no_intercept(x, y):
    """The wrong formula: v̂ taken as the slope *without* intercept (i.e. W*)."""
    w_star, _ = least_squares.slopes(x, y)
    return w_star, w_star


def _paper_set_replaced_by(name):
    def inputs():
        default = module.default_inputs()
        return replace(default, sets={**default.sets, "paper": default.sets[name]})
    return inputs


BREAKERS = [
    Breaker(MODULE, "book-general-1", "∇Ĉ(v̂) = 0 exactly",
            _fits(lambda f: {"v_hat": f.w_star}),
            "v̂ of the paper's set taken as W*: ∇Ĉ is not zero there"),
    Breaker(MODULE, "book-general-1", "scan: one minimum, at v̂",
            lambda: replace(module.default_inputs(), slopes=_no_intercept),
            "v̂ computed without the intercept: the scanned minima are elsewhere"),
    Breaker(MODULE, "book-general-2", "W* − v̂ = M r̄ (XcᵀXc)⁻¹x̄",
            _fits(lambda f: {"shift": 2 * f.shift}),
            "the shift M r̄ (XcᵀXc)⁻¹x̄ doubled: W* − v̂ no longer equals it"),
    Breaker(MODULE, "book-general-2", "verdict agrees with ∇Ĉ(W*)",
            lambda: replace(module.default_inputs(), classify_w_star=lambda data:
                            module.general.WStarVerdict("minimum", 1, 0.0)),
            "every W* declared a BN minimum, against the exact gradient"),
    Breaker(MODULE, "book-general-2", "paper's W* not stationary",
            _paper_set_replaced_by("labels minus intercept"),
            "the paper's set replaced by labels y − b̂ (r̄ = 0): its W* is a BN minimum"),
]
