"""Breakers for the claims of :mod:`bnpaper.minibatch` (``minibatch-1`` … ``minibatch-4``):
each feeds ``claims()`` a learning set, an ε or a formula that is wrong on purpose."""

from __future__ import annotations

import sympy as sp

from bnpaper.core import exact
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.topics import minibatch

from . import Breaker


def with_labels(labels):
    """A sabotage that gives ``claims()`` the paper's inputs with other labels."""
    def sabotage(mp):
        x = counterexample_set().x
        mp.setattr(minibatch, "counterexample_set", lambda: LearningSet(x, to_exact(labels)))
    return sabotage


def sample_std_pair_output(data, i, j):
    """A wrong BN of a pair: divided by the sample deviation (ddof = 1), not the population one."""
    w = exact.weight_symbols(data.d)
    z = [sum(w * row) for row in data.exact().x[[i, j]]]
    mean = (z[0] + z[1]) / 2
    s = sp.sqrt(((z[0] - mean) ** 2 + (z[1] - mean) ** 2) / 1)
    return sp.simplify((z[0] - mean) / s), sp.simplify((z[1] - mean) / s)


def w_star_at_the_eps_minimum(mp):
    """Labels (ȳ − b̂)/10, for which W* = v̂/10, and ε = 1 − γ̄², which puts the single minimizer
    of Ĉ_ε exactly at W* (σ(W*)² = εγ̄²/(1 − γ̄²) there): then ∇Ĉ_ε(W*) = 0."""
    x = counterexample_set().x
    y = to_exact([sp.Rational(v + 6, 10) for v in (2, 5, 13)])  # b̂ = −6
    gamma_bar_sq = sp.Rational(194, 900)
    mp.setattr(minibatch, "counterexample_set", lambda: LearningSet(x, y))
    mp.setattr(minibatch, "PYTORCH_EPS", 1 - gamma_bar_sq)


BREAKERS = [
    Breaker("bnpaper.topics.minibatch", "minibatch-1",
            lambda mp: mp.setattr(minibatch, "pair_output_expr", sample_std_pair_output),
            "BN of a pair with the sample deviation (ddof = 1): outputs ±1/√2, not ±1"),
    Breaker("bnpaper.topics.minibatch", "minibatch-2", with_labels((13, 5, 2)),
            "labels reversed, (13, 5, 2): W* = (47/3, −8) lies in a cone of Ĉ₂ = 370/3, not in"
            " the best one (358/3)"),
    Breaker("bnpaper.topics.minibatch", "minibatch-3", w_star_at_the_eps_minimum,
            "labels (ȳ + 6)/10 and ε = 706/900: W* is then the minimizer of Ĉ_ε"),
    Breaker("bnpaper.topics.minibatch", "minibatch-4",
            with_labels((sp.Rational(1, 5), sp.Rational(1, 2), sp.Rational(13, 10))),
            "labels ȳ/10: γ̄ < 1, so Ĉ_ε has a minimizer at a finite ‖w‖ on the ray"),
]

