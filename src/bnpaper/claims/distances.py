"""The claims of the chapter *What is true instead* on the paper's set: the lemma with a BN
optimum in place of W* (exact), the angle criterion, and the triangle bound (numeric)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core.least_squares import linear_fits
from bnpaper.core.namespace import to_exact
from bnpaper.core.statistics import share_bound_text
from bnpaper.core.text import power_of_ten
from bnpaper.paper import lemma
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.topics import distances


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    w_star: Any
    """W* of the paper's set (exact)."""
    v_hat: Any
    """v̂, the direction of its BN minima (exact)."""
    points: np.ndarray
    """Exact W₀ with ⟨W₀, v̂⟩ > 0, where the corrected lemma is checked for equality."""
    region: Callable[[Any, Any, Any], Any] = lemma.lemma_region
    """The angle criterion: where the lemma holds or fails."""
    delta_of: Callable[[Any, Any], Any] = distances.distance_w_star_to_bn_minima
    """δ = dist(W*, Ŵ)."""


def default_inputs() -> Inputs:
    """The book's own inputs: the paper's set and four exact points."""
    fits = linear_fits(counterexample_set())
    return Inputs(fits.w_star, fits.v_hat, to_exact([[3, 1], [1, 2], [-1, 4], [5, -2]]))


class _Distances(Derivation[Inputs]):
    """The chapter's claims from one ``Inputs``: the checks at random W₀, shared by both
    claims, are run once."""

    source = "book, What is true instead"

    @cached_property
    def checks(self) -> distances.DistanceChecks:
        """The angle criterion and the triangle bound checked at 20 000 random W₀."""
        inputs = self.inputs
        return distances.check_distance_facts(inputs.w_star, inputs.v_hat, n=20_000,
                                              region=inputs.region, delta_of=inputs.delta_of)

    @derives("book-true-1")
    def corrected_lemma(self) -> Claim:
        """Equality with a BN optimum in place of W*; the angle criterion as stated."""
        v, w0 = self.inputs.v_hat, self.inputs.points
        corrected = all(lemma.lemma_rhs(p, v) == lemma.distance_sq_to_ray(p, v) for p in w0)
        checks = self.checks
        return Claim("book-true-1", "Lemma 4.5 holds, with equality, when W* is replaced by a "
                     "BN optimum; as stated it holds at W₀ iff ⟨W₀, v − u⟩ ≥ 0", self.source,
                     "—",
                     f"equality at {len(w0)} exact points; the angle criterion disagrees with "
                     f"the lemma at {share_bound_text(checks.criterion_mismatches, checks.n)} "
                     "random W₀",
                     "exact distances (sympy); lemma.check_lemma vs angle criterion on random "
                     "W₀ (prop-what-is-true)",
                     {"equality with a BN optimum (exact)": corrected,
                      "angle criterion agrees with the lemma": checks.criterion_mismatches == 0},
                     Evidence.SAMPLED)

    @derives("book-true-2")
    def triangle_bound(self) -> Claim:
        """‖W₀ − Ŵ*‖ ≤ ‖W₀ − W*‖ + δ, sharp."""
        checks = self.checks
        *_, bound_ok, sharp_ok, _ = checks.verdicts()
        delta = float(self.inputs.delta_of(self.inputs.w_star, self.inputs.v_hat))
        return Claim("book-true-2", "‖W₀ − Ŵ*‖ ≤ ‖W₀ − W*‖ + δ, δ = dist(W*, Ŵ) = ‖W*‖ sin α "
                     "(α ≤ π/2), sharp", self.source, "—",
                     f"δ = {delta:.4f} on the paper's set; smallest slack "
                     f"{checks.bound_slack:.1e} over {checks.n} random W₀; equality error < "
                     f"{power_of_ten(distances.ROUND_TOL)} on the sharp half-line",
                     "numeric distances (lemma.distance_sq_to_ray) at random W₀ "
                     "(prop-what-is-true)",
                     {"bound holds at random W₀": bound_ok,
                      "equality on the sharp half-line": sharp_ok}, Evidence.SAMPLED)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the chapter's claims named in ``keys`` (default: all) from ``inputs`` (default:
    :func:`default_inputs`)."""
    return _Distances(inputs or default_inputs()).derive(keys)
