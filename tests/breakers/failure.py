"""Breakers for the claims of :mod:`bnpaper.failure` (``failure-fraction-all`` and
``failure-fraction-admissible``): a wrong closed form, which the Monte Carlo interval must
then miss."""

from __future__ import annotations

from bnpaper.topics import failure

from . import Breaker

_RIGHT = failure.fraction_from_angle


def doubled_angle(alpha, among="all"):
    """A wrong closed form: the wedge opened by (π + 2α)/2 instead of (π + α)/2."""
    return _RIGHT(2 * alpha, among)


BREAKERS = [
    Breaker("bnpaper.topics.failure", f"failure-fraction-{among}",
            lambda mp: mp.setattr(failure, "fraction_from_angle", doubled_angle),
            f"closed form with 2α for α ({among}): the Monte Carlo interval misses it")
    for among in ("all", "admissible")
]
