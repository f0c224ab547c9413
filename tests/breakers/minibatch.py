"""Breakers for the claims of :mod:`bnpaper.claims.minibatch` (``minibatch-1`` …
``minibatch-4``): each hands ``claims`` a learning set, an ε or a formula that is wrong on
purpose."""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from bnpaper.claims import minibatch as module
from bnpaper.core import exact
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact

from . import Breaker

MODULE = "bnpaper.claims.minibatch"


def with_labels(labels, **faults):
    """The paper's inputs with other labels (and other inputs ``faults``)."""
    def inputs():
        data = module.default_inputs().data
        return replace(module.default_inputs(), data=LearningSet(data.x, to_exact(labels)),
                       **faults)
    return inputs


def sample_std_pair_output(data, i, j):
    """A wrong BN of a pair: divided by the sample deviation (ddof = 1), not the population one."""
    w = exact.weight_symbols(data.d)
    z = [sum(w * row) for row in data.exact().x[[i, j]]]
    mean = (z[0] + z[1]) / 2
    s = sp.sqrt(((z[0] - mean) ** 2 + (z[1] - mean) ** 2) / 1)
    return sp.simplify((z[0] - mean) / s), sp.simplify((z[1] - mean) / s)


SMALL_LABELS = (sp.Rational(1, 5), sp.Rational(1, 2), sp.Rational(13, 10))
"""The paper's labels ȳ/10: γ̄ < 1, so Ĉ_ε has a minimizer at a finite ‖w‖ on the ray."""

BREAKERS = [
    Breaker(MODULE, "minibatch-1", "ẑ = ±sign(z_i − z_j)",
            lambda: replace(module.default_inputs(), pair_output_expr=sample_std_pair_output),
            "BN of a pair with the sample deviation (ddof = 1): outputs ±1/√2, not ±1"),
    Breaker(MODULE, "minibatch-2", "W* in the lowest cone", with_labels((13, 5, 2)),
            "labels reversed, (13, 5, 2): W* = (47/3, −8) lies in a cone of Ĉ₂ = 370/3, not in"
            " the best one (358/3)"),
    # Labels (ȳ − b̂)/10 (b̂ = −6) give W* = v̂/10, and ε = 1 − γ̄² (γ̄² = 194/900) puts the
    # single minimizer of Ĉ_ε exactly at W* (σ(W*)² = εγ̄²/(1 − γ̄²) there): ∇Ĉ_ε(W*) = 0.
    Breaker(MODULE, "minibatch-3", "∇Ĉ_ε(W*) ≠ 0",
            with_labels([sp.Rational(v + 6, 10) for v in (2, 5, 13)],
                        eps=1 - sp.Rational(194, 900)),
            "labels (ȳ + 6)/10 and ε = 706/900: W* is then the minimizer of Ĉ_ε"),
    Breaker(MODULE, "minibatch-4", "falls along the ray", with_labels(SMALL_LABELS),
            "labels ȳ/10: γ̄ < 1, so Ĉ_ε has a stationary point (its minimizer) on the ray"),
    Breaker(MODULE, "minibatch-4", "tends to min Ĉ",
            lambda: replace(module.default_inputs(),
                            bn_minima_direction=lambda data: (sp.Integer(1), sp.Integer(3))),
            "Ĉ_ε followed along the ray of W* = (1, 3), not of the ε = 0 minima: it tends to"
            " Ĉ(W*) > min Ĉ"),
    Breaker(MODULE, "minibatch-4", "no disc holds a minimum", with_labels(SMALL_LABELS),
            "labels ȳ/10: the minimizer of Ĉ_ε lies at ‖w‖ < 1, inside every disc searched"),
]
