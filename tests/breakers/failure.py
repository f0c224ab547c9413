"""Breakers for the claims of :mod:`bnpaper.claims.failure` (``failure-fraction-all`` and
``failure-fraction-admissible``): a wrong closed form, which the Monte Carlo interval must
then miss."""

from __future__ import annotations

from dataclasses import replace

from bnpaper.claims import failure as module
from bnpaper.core import geometry
from bnpaper.paper import lemma

from . import Breaker

MODULE = "bnpaper.claims.failure"


def doubled_angle(w_star, v, among="all"):
    """A wrong closed form: the wedge opened by (π + 2α)/2 instead of (π + α)/2."""
    return lemma.fraction_from_angle(2 * geometry.plane_angle(w_star, v), among)


def wrong_closed_form():
    return replace(module.default_inputs(), failure_fraction=doubled_angle)


BREAKERS = [
    Breaker(MODULE, f"failure-fraction-{among}", "closed form in the Monte Carlo interval",
            wrong_closed_form,
            f"closed form with 2α for α ({among}): the Monte Carlo interval misses it")
    for among in ("all", "admissible")
]
