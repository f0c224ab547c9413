"""The claims of the chapter *How often, on random data*, re-derived by a small Monte Carlo
run (fast): W* is off the BN minima on random sets with M ≥ d + 1, the lemma fails for more
than half of the admissible W₀ as the closed form says, and it holds with M ≤ d."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core.statistics import share_bound_text
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
    n_sets: int = 100
    """Random learning sets per size (d, M)."""


def default_inputs() -> Inputs:
    """The book's own inputs: the module's Monte Carlo steps and closed form."""
    return Inputs()


class _RandomSets(Derivation[Inputs]):
    """The chapter's claims from one ``Inputs``: the sweep (every size's cell, each seeded by
    (0, d, M)) and the cells' summaries, shared by the claims, are computed once."""

    source = "book, How often, on random data"
    n_init = 1000
    """Gaussian W₀ per random set."""

    @cached_property
    def cells(self) -> list[random_sets.SizeCell]:
        """Every size (d, M) of the sweep, M ≥ d + 1 first."""
        inputs = self.inputs
        return random_sets.sweep(ds=inputs.ds, ms=inputs.ms, n_sets=inputs.n_sets,
                                 n_init=self.n_init, seed=0, steps=inputs.steps)

    @cached_property
    def over(self) -> list[random_sets.SizeCell]:
        """The cells with M ≥ d + 1."""
        return [c for c in self.cells if not c.underdetermined]

    @cached_property
    def under(self) -> list[random_sets.SizeCell]:
        """The cells with M ≤ d."""
        return [c for c in self.cells if c.underdetermined]

    @cached_property
    def s_over(self) -> list[random_sets.CellSummary]:
        """The summaries of :attr:`over`."""
        return [random_sets.summarize(c) for c in self.over]

    @cached_property
    def s_under(self) -> list[random_sets.CellSummary]:
        """The summaries of :attr:`under`."""
        return [random_sets.summarize(c) for c in self.under]

    @derives("book-random-1")
    def off_the_minima(self) -> Claim:
        """The low quantile of ρ lies above rounding with M ≥ d + 1; ρ < tol with M ≤ d."""
        n_sets = self.inputs.n_sets
        q_text = f"{random_sets.QUANTILE * 100:g} %"
        rho_q = [s.rho_quantile for s in self.s_over]
        lowest_rho = min(r.low for r in rho_q)
        sizes = ", ".join(f"({c.d}, {c.m})" for c in self.over)
        under_sizes = ", ".join(f"({c.d}, {c.m})" for c in self.under)
        max_rho_under = max(s.max_rho for s in self.s_under)
        tol = random_sets.STATIONARY_TOL
        return Claim("book-random-1", f"on random sets with M ≥ d + 1 (1 ∉ col X, x̄ ≠ 0, a "
                     f"label offset; {n_sets} sets per size (d, M) = {sizes}) W* is off the BN "
                     f"minima: for each size the {q_text} quantile of ρ has a distribution-free "
                     f"95 % confidence interval above the rounding level {tol:.0e}; with M ≤ d "
                     f"({under_sizes}), W* is BN-stationary (ρ < {tol:.0e}) in every set, as "
                     "proved", self.source, "—",
                     f"{n_sets} sets per size; M ≥ d + 1: {q_text} quantile of ρ per size "
                     + ", ".join(f"{r.estimate:.1e} (95 % CI {r.low:.1e}–{r.high:.1e})"
                                 for r in rho_q)
                     + f"; M ≤ d: every ρ < {tol:.0e}",
                     "Monte Carlo: ρ = ‖W*‖‖∇Ĉ(W*)‖/(2√M‖yc‖) on seeded random sets; "
                     "order-statistic (binomial) interval for the quantile; M ≤ d by "
                     "prop-underdetermined",
                     {f"M ≥ d + 1: CI of the {q_text} quantile of ρ above rounding":
                          lowest_rho > tol,
                      "M ≤ d: ρ < 1e-7 in every set": max_rho_under < tol}, Evidence.SAMPLED)

    @derives("book-random-2")
    def lemma_fails_mostly(self) -> Claim:
        """With M ≥ d + 1 the lemma fails for more than half of the admissible W₀, as the
        closed form (π + α)/(2π) says."""
        z = max(abs(random_sets.pooled_z(c, self.inputs.closed_form)) for c in self.over)
        lowest = min(s.mean_fraction[1] for s in self.s_over)
        return Claim("book-random-2", "with M ≥ d + 1, averaged over random sets of each size, "
                     "Lemma 4.5 fails for more than half of the W₀ with ⟨W₀, W*⟩ > 0, as the "
                     "closed form (π + α)/(2π) says", self.source, "—",
                     f"{self.inputs.n_sets} sets × {self.n_init} W₀ per size: lowest 95 % CI "
                     f"bound of the mean share over {len(self.over)} sizes {lowest:.3f}; "
                     f"largest pooled |z| against the closed form {z:.1f}",
                     "Monte Carlo over Gaussian W₀ (lemma.check_lemma) vs the closed form of "
                     "prop-failure-any-d",
                     {"95 % CI of the mean share > 1/2": lowest > 0.5,
                      "pooled |z| < 3 against the closed form": z < 3}, Evidence.SAMPLED)

    @derives("book-random-3")
    def lemma_holds_underdetermined(self) -> Claim:
        """With M ≤ d the lemma holds at every sampled admissible W₀."""
        fails = sum(s.fails for s in self.s_under)
        covered = sum(s.covered for s in self.s_under)
        under_sizes = ", ".join(f"({c.d}, {c.m})" for c in self.under)
        return Claim("book-random-3", "with M ≤ d (W* the minimizer of C closest to W₀) "
                     "Lemma 4.5 holds: the conclusion reverses", self.source, "—",
                     f"violations: {share_bound_text(fails, covered)} admissible W₀ "
                     f"({self.inputs.n_sets} sets × {self.n_init} W₀ per size {under_sizes})",
                     "Monte Carlo: distance to the BN minima t·v̂ + ker Xc vs the lemma's bound "
                     "(prop-underdetermined)",
                     {"no violation with M ≤ d": fails == 0}, Evidence.SAMPLED)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the chapter's claims named in ``keys`` (default: all) from ``inputs`` (default:
    :func:`default_inputs`)."""
    return _RandomSets(inputs or default_inputs()).derive(keys)
