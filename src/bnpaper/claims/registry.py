"""The claims registry: what a claim is, and which modules derive them (the claims chapter and
``python -m bnpaper verify``).

Each module listed in :data:`CLAIM_MODULES` (one per chapter that makes claims) offers
``claims(inputs=None, keys=None) -> list[Claim]``: it derives its claims afresh from an
``Inputs`` (the learning set and the functions the derivation relies on; ``None`` means the
book's own), only those named in ``keys`` (``None``: all). A test breaks a claim by passing
faulty inputs through that seam, never by patching a module, and derives that claim alone.
Every module derives its claims the same way, through a :class:`Derivation`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import numpy as np


class Evidence(StrEnum):
    """What kind of evidence stands behind a claim (a column of the claims table)."""

    EXACT = "exact, independent"
    """Derived exactly (sympy) by a computation that did not use the claim to build its data;
    a numeric cross-check may stand beside it."""
    SAMPLED = "sampled"
    """Rests on finitely many sampled points (random sets, random W₀, a grid of directions):
    *reproduced* states the sample size and an interval or a bound."""
    BOUND = "numeric bound"
    """A float computation, without sampling, shown to lie below (or above) a stated bound."""
    BUILT_FROM = "built from it"
    """Consistent with the facts the data were built from: it cannot confirm anything."""


@dataclass(frozen=True)
class Claim:
    """One claim, as published and as re-derived now."""

    key: str
    """A short identifier, e.g. ``"paper-1"`` or ``"relu-4"``."""
    statement: str
    """The claim in words (and the paper's notation)."""
    source: str
    """Where it is made: a chapter of the paper, or this book's chapter name."""
    paper_value: str
    """The value as the paper prints it; ``"—"`` for this book's own claims."""
    reproduced: str
    """The value derived now, formatted for a table."""
    method: str
    """How it was derived (exact sympy, closed form, Monte Carlo, …)."""
    checks: Mapping[str, bool]
    """The claim's verdict in named parts (e.g. ``{"exact distance": …, "numeric distance":
    …}``): it holds when every part does, and a test breaks each part on its own."""
    evidence: Evidence
    """The kind of evidence (:class:`Evidence`) behind the claim."""

    def __post_init__(self) -> None:
        if not isinstance(self.evidence, Evidence):
            raise TypeError(f"claim {self.key}: evidence is {self.evidence!r}; expected an "
                            "Evidence (EXACT, SAMPLED, BOUND or BUILT_FROM)")
        if not isinstance(self.checks, Mapping) or not self.checks:
            raise TypeError(f"claim {self.key}: checks is {self.checks!r}; expected a "
                            "non-empty mapping from part names to bools")
        wrong = {k: v for k, v in self.checks.items() if not isinstance(v, bool | np.bool_)}
        if wrong:
            raise TypeError(f"claim {self.key}: checks {wrong} are not bools")
        object.__setattr__(self, "checks", {k: bool(v) for k, v in self.checks.items()})

    @property
    def holds(self) -> bool:
        """Whether the derivation confirms the claim: every part of it holds."""
        return all(self.checks.values())


CLAIM_MODULES: tuple[str, ...] = (
    "bnpaper.claims.counterexample",
    "bnpaper.claims.landscape",
    "bnpaper.claims.failure",
    "bnpaper.claims.affine",
    "bnpaper.claims.relu",
    "bnpaper.claims.minibatch",
    "bnpaper.claims.general",
    "bnpaper.claims.scope",
    "bnpaper.claims.random_sets",
    "bnpaper.claims.distances",
    "bnpaper.claims.deep",
)
"""Modules with a ``claims(inputs=None, keys=None)`` function, in the order of the book's
chapters."""

InputsT = TypeVar("InputsT")
"""A claims module's ``Inputs``."""


def derives(key: str) -> Callable[[Callable[[Any], Claim]], Callable[[Any], Claim]]:
    """Mark a method of a :class:`Derivation` subclass as the one that derives claim ``key``."""
    def mark(method: Callable[[Any], Claim]) -> Callable[[Any], Claim]:
        method.derives = key  # read by Derivation.__init_subclass__
        return method
    return mark


class Derivation(Generic[InputsT]):
    """One call's derivation of a claims module's claims from its ``Inputs``: the idiom every
    module in :data:`CLAIM_MODULES` follows, so that asking for one claim costs that claim.

    A module subclasses it once. Each claim is one small method marked ``@derives(key)``, in
    the order the chapter states them; an intermediate that several claims need (W*, a
    Monte Carlo sweep) is a :func:`functools.cached_property`: computed when a requested
    claim first asks for it, at most once per call. A call builds a new instance, so nothing
    computed from one ``Inputs`` is reused with another (a breaker's faulty inputs never leak
    into the next derivation).
    """

    methods: ClassVar[dict[str, Callable[[Any], Claim]]] = {}
    """The claim keys of the subclass, in order, and the method that derives each."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.methods = {m.derives: m for m in vars(cls).values() if hasattr(m, "derives")}

    def __init__(self, inputs: InputsT) -> None:
        self.inputs = inputs

    def derive(self, keys: Collection[str] | None = None) -> list[Claim]:
        """The claims named in ``keys`` (``None``: all), in the module's order; only their
        methods run, and only the intermediates they use are computed.

        Raises ValueError for a key the module does not derive (naming the valid ones), and
        TypeError for a single string (a collection of keys is expected).
        """
        if isinstance(keys, str):
            raise TypeError(f"keys is the string {keys!r}; expected a collection of claim "
                            f"keys, e.g. {{{keys!r}}}")
        module = type(self).__module__
        unknown = sorted(set(keys or ()) - set(self.methods))
        if unknown:
            raise ValueError(f"{module} derives no claim {', '.join(map(repr, unknown))}; "
                             f"expected some of {', '.join(self.methods)}")
        chosen = [k for k in self.methods if keys is None or k in keys]
        derived = [self.methods[k](self) for k in chosen]
        # the key is written twice (the mark, the Claim): a claim filed under another key
        # would be derived when a caller asked for a different one
        wrong = [(k, c.key) for k, c in zip(chosen, derived, strict=True) if c.key != k]
        if wrong:
            raise ValueError(f"{module}: methods marked with one key derived another "
                             f"(marked, derived): {wrong}")
        return derived


class ClaimModule(Protocol):
    """The seam every module in :data:`CLAIM_MODULES` offers, by these names: one idea, which
    each module fills with its own chapter's data and functions (so each defines an
    ``Inputs`` of its own fields, and a ``default_inputs`` that builds the book's)."""

    Inputs: type
    """A frozen dataclass: the learning set and the functions the derivation relies on."""

    def default_inputs(self) -> Any:
        """The book's own ``Inputs``."""

    def claims(self, inputs: Any = None, keys: Collection[str] | None = None) -> list[Claim]:
        """The module's claims named in ``keys`` (None: all, in the chapter's order), derived
        afresh from ``inputs`` (None: the book's own), by a :class:`Derivation` that computes
        only what those claims need. Raises ValueError for a key it does not derive."""


SEAM = frozenset({*ClaimModule.__annotations__,
                  *(name for name in vars(ClaimModule) if not name.startswith("_"))})
"""The names of :class:`ClaimModule`: what every claims module defines, by design."""


def derive(module: str, inputs: Any = None, keys: Collection[str] | None = None
           ) -> list[Claim]:
    """The claims of one registered ``module`` named in ``keys`` (``None``: all), derived
    from ``inputs`` (``None``: the book's own). Raises ValueError for a module that is not in
    :data:`CLAIM_MODULES`, or a key that module does not derive."""
    if module not in CLAIM_MODULES:
        raise ValueError(f"module {module!r} has no registered claims; expected one of "
                         f"{', '.join(CLAIM_MODULES)}")
    return importlib.import_module(module).claims(inputs, keys)  # a ClaimModule


def all_claims(modules: tuple[str, ...] | None = None) -> list[Claim]:
    """Derive every claim afresh, module by module (default: :data:`CLAIM_MODULES`).

    Raises ValueError for a module that is not in :data:`CLAIM_MODULES`.
    """
    chosen = CLAIM_MODULES if modules is None else tuple(modules)
    unknown = [name for name in chosen if name not in CLAIM_MODULES]
    if unknown:
        raise ValueError(f"modules {unknown} have no registered claims; expected some of "
                         f"{', '.join(CLAIM_MODULES)}")
    return [claim for name in chosen for claim in derive(name)]
