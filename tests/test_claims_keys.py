"""Asking for some claims derives only those: ``claims(inputs, keys)`` returns exactly the
claims named, each the same as the full derivation's, computed without what only other
claims use; an unknown key is an error that names the valid ones.

That ``keys={key}`` returns that one claim for every key of every module is also checked by
each breaker (``tests/test_claims_fail.py``), since every part of every claim has one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from bnpaper import claims
from bnpaper.claims.scope import BIAS_REGIMES, UNDER_REGIME
from bnpaper.topics import failure

from .breakers import collect


class UsedForbidden(Exception):
    """An input that the claim asked for should not need was used."""


class Forbidden:
    """Stands for an input that only other claims use: calling it, iterating it, taking its
    length or reading an attribute raises :class:`UsedForbidden` naming it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attr: str) -> Any:
        raise UsedForbidden(f"{self.name}.{attr}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise UsedForbidden(self.name)

    def __iter__(self) -> Any:
        raise UsedForbidden(self.name)

    def __len__(self) -> int:
        raise UsedForbidden(self.name)


def _failure_fraction_only(among: str) -> Callable[..., Any]:
    """The closed form for ``among`` only: the other fraction's claim must not be derived."""
    def fraction(w_star: Any, v: Any, asked: str) -> Any:
        if asked != among:
            raise UsedForbidden(f"failure_fraction among {asked!r}")
        return failure.failure_fraction(w_star, v, asked)
    return fraction


def _examples_only(regimes: tuple[str, ...]) -> Callable[[dict], dict]:
    """The scope examples of ``regimes``; the rows of the others must not be computed."""
    return lambda examples: {r: e if r in regimes else Forbidden(f"examples[{r!r}]")
                             for r, e in examples.items()}


@dataclass(frozen=True)
class Alone:
    """A claim derived alone, and the ``Inputs`` fields it must not use: each maps to a claim
    of the same module that does use it (so the fault is shown to be reachable), and
    optionally to how the book's value is made unusable (default: :class:`Forbidden`)."""

    module: str
    key: str
    unused: dict[str, str]
    unusable: dict[str, Callable[[Any], Any]] | None = None

    def inputs(self, fields: tuple[str, ...] | None = None) -> Any:
        """The book's inputs with ``fields`` (default: every unused one) made unusable."""
        default = importlib.import_module(self.module).default_inputs()
        made = self.unusable or {}
        return replace(default, **{f: made[f](getattr(default, f)) if f in made
                                   else Forbidden(f) for f in fields or self.unused})


M = "bnpaper.claims."
ALONE = [
    # the deep module's cost is book-deep-4's training (20 networks): one of the first three
    # claims derives without it; book-deep-4 alone is derived by its breaker
    Alone(M + "deep", "book-deep-1", {"with_best_output": "book-deep-3",
                                      "nonlinear": "book-deep-4", "seeds": "book-deep-4"}),
    Alone(M + "deep", "book-deep-2", {"with_best_output": "book-deep-3",
                                      "nonlinear": "book-deep-4"}),
    Alone(M + "deep", "book-deep-3", {"nonlinear": "book-deep-4", "seeds": "book-deep-4"}),
    Alone(M + "counterexample", "book-recon-1", {"standard_optimum": "paper-1",
                                                 "bn_minima_direction": "paper-3"}),
    Alone(M + "counterexample", "paper-1", {"bn_minima_direction": "paper-3"}),
    Alone(M + "landscape", "landscape-angle-only", {"bn_gradient": "landscape-values"}),
    Alone(M + "failure", "failure-fraction-admissible",
          {"failure_fraction": "failure-fraction-all"},
          {"failure_fraction": lambda _: _failure_fraction_only("admissible")}),
    Alone(M + "affine", "gamma-beta-3", {"solve_gamma_beta": "gamma-beta-1",
                                         "optimal_gamma_beta": "gamma-beta-1",
                                         "profile_stationary_lines": "gamma-beta-2"}),
    Alone(M + "relu", "relu-1", {"bn_relu_minima": "relu-3",
                                 "numeric_local_minima": "relu-4"}),
    Alone(M + "minibatch", "minibatch-3", {"pair_output_expr": "minibatch-1",
                                           "bn_minima_direction": "minibatch-4"}),
    Alone(M + "general", "book-general-2", {"slopes": "book-general-1",
                                            "scan_sets": "book-general-1"}),
    Alone(M + "scope", "scope-underdetermined",
          {"linear_fits": "scope-bias", "bias_sets": "scope-bias", "examples": "scope-table"},
          {"examples": _examples_only((UNDER_REGIME,))}),
    Alone(M + "scope", "scope-bias", {"examples": "scope-table"},
          {"examples": _examples_only(BIAS_REGIMES)}),
    Alone(M + "random_sets", "book-random-3", {"closed_form": "book-random-2"}),
    Alone(M + "distances", "book-true-2", {"points": "book-true-1"}),
]


def _keys_by_module() -> dict[str, list[str]]:
    """Every registered claim's key, by module (every part of every claim has a breaker)."""
    found: dict[str, list[str]] = {}
    for breaker in collect().values():
        keys = found.setdefault(breaker.module, [])
        if breaker.key not in keys:
            keys.append(breaker.key)
    return found


def test_every_claims_module_has_a_claim_derived_alone():
    assert {a.module for a in ALONE} == set(claims.CLAIM_MODULES)


@pytest.mark.parametrize("alone", ALONE, ids=lambda a: a.key)
def test_a_claim_derived_alone_is_the_full_derivations_and_needs_no_other_claims_inputs(
        alone, every_claim):
    derived = claims.derive(alone.module, alone.inputs(), keys={alone.key})
    assert [c.key for c in derived] == [alone.key]
    assert derived[0] == {c.key: c for c in every_claim}[alone.key]


@pytest.mark.parametrize("alone, field", [(a, f) for a in ALONE for f in a.unused],
                         ids=lambda v: v if isinstance(v, str) else v.key)
def test_an_input_a_claim_alone_does_not_use_is_used_by_the_claim_named(alone, field):
    """Without this, an input the derivation never reads would pass the test above whatever
    the module computes."""
    with pytest.raises(UsedForbidden):
        claims.derive(alone.module, alone.inputs((field,)), keys={alone.unused[field]})


@pytest.mark.parametrize("module", claims.CLAIM_MODULES)
def test_an_unknown_claim_key_raises_naming_the_valid_ones(module):
    with pytest.raises(ValueError, match=f"^{module} derives no claim 'no-such-claim'; "
                                         "expected some of ") as raised:
        claims.derive(module, keys={"no-such-claim", *_keys_by_module()[module][:1]})
    listed = str(raised.value).split("expected some of ")[1].split(", ")
    assert sorted(listed) == sorted(_keys_by_module()[module])


def test_one_key_given_as_a_string_is_an_error():
    # a string is a collection of one-letter keys: say what was meant instead
    with pytest.raises(TypeError, match=r"expected a collection of claim keys, e.g. \{'paper-1'"):
        claims.derive("bnpaper.claims.counterexample", keys="paper-1")


def test_an_empty_collection_of_keys_derives_no_claim():
    assert claims.derive("bnpaper.claims.deep", keys=set()) == []
