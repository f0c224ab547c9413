"""Breakers for the claims of :mod:`bnpaper.general` (a general answer for one linear neuron)."""

from bnpaper.core import least_squares
from bnpaper.topics import general

from . import Breaker

_slopes = least_squares.slopes


def _no_intercept(x, y):
    """The wrong formula: v̂ taken as the slope *without* intercept (i.e. W*)."""
    w_star, _ = _slopes(x, y)
    return w_star, w_star


BREAKERS = [
    Breaker(module="bnpaper.topics.general", key="book-general-1",
            sabotage=lambda mp: mp.setattr(general, "slopes", _no_intercept),
            why="v̂ computed without the intercept: the scanned minima are elsewhere"),
    Breaker(module="bnpaper.topics.general", key="book-general-2",
            sabotage=lambda mp: mp.setattr(
                general, "classify_w_star",
                lambda data: general.WStarVerdict("minimum", 1, 0.0)),
            why="every W* declared a BN minimum, against the exact gradient"),
]
