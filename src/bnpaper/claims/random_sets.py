"""The claims of the chapter *How often, on random data*, re-derived by a small Monte Carlo
run (fast): W* is off the BN minima on random sets with M ≥ d + 1, the lemma fails for more
than half of the admissible W₀ as the closed form says, and it holds with M ≤ d."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bnpaper.claims.registry import Claim, Evidence
from bnpaper.core.statistics import CONFIDENCE, wilson_interval
from bnpaper.topics import random_sets


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    steps: random_sets.Steps = field(default_factory=random_sets.Steps)
    """How the random sets are drawn and the distances and ρ computed."""
    closed_form: Callable[[Any], np.ndarray] = random_sets.admissible_share
    """The closed form (π + α)/(2π) the Monte Carlo is tested against."""
    ds: tuple[int, ...] = (2, 5)
    """The numbers of inputs d of the sweep."""
    ms: tuple[int, ...] = (3, 10)
    """The sample sizes M of the sweep."""


def default_inputs() -> Inputs:
    """The book's own inputs: the module's Monte Carlo steps and closed form."""
    return Inputs()


def claims(inputs: Inputs | None = None) -> list[Claim]:
    """Derive the chapter's claims from ``inputs`` (default: :func:`default_inputs`)."""
    inputs = inputs or default_inputs()
    source = "book, How often, on random data"
    cells = random_sets.sweep(ds=inputs.ds, ms=inputs.ms, n_sets=100, n_init=1000, seed=0,
                              steps=inputs.steps)
    over = [c for c in cells if not c.underdetermined]
    under = [c for c in cells if c.underdetermined]
    s_over = [random_sets.summarize(c) for c in over]
    s_under = [random_sets.summarize(c) for c in under]
    min_rho = min(s.min_rho for s in s_over)
    min_median = min(s.alpha_deg[1] for s in s_over)
    max_rho_under = max(s.max_rho for s in s_under)
    z = max(abs(random_sets.pooled_z(c, inputs.closed_form)) for c in over)
    lowest = min(s.mean_fraction[1] for s in s_over)
    fails, covered = sum(s.fails for s in s_under), sum(s.covered for s in s_under)
    upper = float(wilson_interval(fails, covered, CONFIDENCE)[1])
    tol = random_sets.STATIONARY_TOL
    return [
        Claim("book-random-1", "on random sets with M ≥ d + 1 (no bias, x̄ ≠ 0, a label "
              "offset) W* is clearly off the BN minima: ρ > 1e-6 in every set and median "
              "α > 5° for every size; with M ≤ d, W* is BN-stationary (ρ < 1e-7) in every set",
              source, "—",
              f"M ≥ d + 1: smallest ρ {min_rho:.1e}, smallest median α {min_median:.0f}°; "
              f"M ≤ d: every ρ < {tol:.0e}",
              "Monte Carlo: ρ = ‖W*‖‖∇Ĉ(W*)‖/(2√M‖yc‖) and α on seeded random sets",
              {"M ≥ d + 1: ρ > 1e-6": min_rho > 1e-6,
               "M ≥ d + 1: median α > 5°": min_median > 5,
               "M ≤ d: ρ < 1e-7": max_rho_under < tol}, Evidence.BOUND),
        Claim("book-random-2", "with M ≥ d + 1, averaged over random sets of each size, "
              "Lemma 4.5 fails for more than half of the W₀ with ⟨W₀, W*⟩ > 0, as the "
              "closed form (π + α)/(2π) says", source, "—",
              f"lowest 95 % CI bound of the mean share over {len(over)} sizes {lowest:.3f}; "
              f"largest pooled |z| against the closed form {z:.1f}",
              "Monte Carlo over Gaussian W₀ (lemma.check_lemma) vs closed form",
              {"95 % CI of the mean share > 1/2": lowest > 0.5,
               "pooled |z| < 3 against the closed form": z < 3}, Evidence.ESTIMATE),
        Claim("book-random-3", "with M ≤ d (W* the minimizer of C closest to W₀) Lemma 4.5 "
              "holds: the conclusion reverses", source, "—",
              f"{fails} violations among {covered} admissible W₀ "
              f"(95 % upper bound on the share {upper:.1e})",
              "Monte Carlo: distance to the BN minima t·v̂ + ker Xc vs the lemma's bound",
              {"no violation with M ≤ d": fails == 0}, Evidence.ESTIMATE),
    ]
