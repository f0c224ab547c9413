"""The claims of the chapter *Where the lemma fails, over all initializations*: the failing
fractions of Lemma 4.5 (of all directions of W₀, and of the admissible ones) in closed form,
each confirmed by a seeded Gaussian Monte Carlo estimate whose Wilson interval must contain
it."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core import least_squares
from bnpaper.core.data import LearningSet
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.paper.lemma import Among
from bnpaper.topics import failure

MONTE_CARLO_DRAWS = 200_000
"""Gaussian draws of W₀ per fraction (seed 0)."""


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    data: LearningSet
    """The learning set (the paper's, with the recovered labels)."""
    failure_fraction: Callable[[Any, Any, Among], Any] = failure.failure_fraction
    """(W*, v, among) ↦ the closed-form failing fraction (exact for sympy input)."""


def default_inputs() -> Inputs:
    """The book's own inputs: the paper's learning set and the package's closed form."""
    return Inputs(counterexample.counterexample_set())


class _Failure(Derivation[Inputs]):
    """The failing fractions' claims from one ``Inputs``: W* and v (exact) are computed once;
    each claim runs only its own Monte Carlo."""

    source = "book, Where the lemma fails, over all initializations"

    @cached_property
    def w_star(self) -> Any:
        """W*, exact."""
        return to_exact(least_squares.standard_optimum(self.inputs.data))

    @cached_property
    def v(self) -> Any:
        """The direction of the ray of BN minima, exact."""
        return to_exact(counterexample.bn_minima_direction(self.inputs.data))

    def fraction(self, among: Among, words: str) -> Claim:
        """The failing fraction ``among`` W₀ (``words`` says which), in closed form and by a
        Monte Carlo estimate whose Wilson interval must contain it."""
        ws, vv = self.w_star, self.v
        exact_share = self.inputs.failure_fraction(ws, vv, among)
        mc = failure.monte_carlo_failure(ws.astype(float), vv.astype(float),
                                         n=MONTE_CARLO_DRAWS, seed=0, among=among)
        return Claim(
            f"failure-fraction-{among}", f"Lemma 4.5 fails for a fraction {words}", self.source,
            "—",
            f"{exact_share} ≈ {float(exact_share):.4f}; Monte Carlo over {MONTE_CARLO_DRAWS} "
            f"W₀: {mc.estimate:.4f} [{mc.low:.4f}, {mc.high:.4f}]",
            "closed form (sympy, prop-failure-wedge) and Gaussian Monte Carlo, 95% Wilson "
            "interval",
            {"closed form in the Monte Carlo interval": mc.contains(float(exact_share))},
            Evidence.SAMPLED)

    @derives("failure-fraction-all")
    def of_all(self) -> Claim:
        """The fraction of all directions of W₀."""
        return self.fraction("all", "of all directions of W₀")

    @derives("failure-fraction-admissible")
    def of_admissible(self) -> Claim:
        """The fraction of the admissible W₀, ⟨W₀, W*⟩ > 0."""
        return self.fraction("admissible", "of the admissible W₀ (⟨W₀, W*⟩ > 0)")


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the failing fractions' claims named in ``keys`` (default: all) from ``inputs``
    (default: :func:`default_inputs`)."""
    return _Failure(inputs or default_inputs()).derive(keys)
