"""One way to break each claim on purpose, so that a test can show its check can fail.

Each submodule here defines ``BREAKERS: list[Breaker]`` for the claims of one ``bnpaper``
module. ``tests/test_claims_fail.py`` applies every breaker, re-derives the claims of its
module and expects the claim to fail (and ``verify`` to exit 1 naming it); it also fails if
any registered claim has no breaker.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Breaker:
    """A deliberate fault that must make claim ``key`` of ``module`` fail."""

    module: str
    """The module whose ``claims()`` derives the claim, e.g. ``"bnpaper.relu"``."""
    key: str
    """The claim's key, e.g. ``"relu-4"``."""
    sabotage: Callable[[pytest.MonkeyPatch], None]
    """Injects the fault with ``monkeypatch`` (perturbed data, a flipped sign, a wrong formula)."""
    why: str
    """What the fault is, in words (shown in the test id's failure message)."""


def collect() -> dict[str, Breaker]:
    """Every breaker of every submodule, by claim key (a key registered twice is an error)."""
    found: dict[str, Breaker] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for breaker in module.BREAKERS:
            if breaker.key in found:
                raise ValueError(f"two breakers for claim {breaker.key}")
            found[breaker.key] = breaker
    return found


def cached_functions() -> list[Callable]:
    """Every ``functools.cache``d function of the ``bnpaper`` package (derivations kept per
    learning set, compiled programs)."""
    import bnpaper

    found = []
    for info in pkgutil.iter_modules(bnpaper.__path__):
        module = importlib.import_module(f"bnpaper.{info.name}")
        found += [f for f in vars(module).values()
                  if hasattr(f, "cache_clear") and getattr(f, "__module__", "") == module.__name__]
    return found


def clear_caches() -> None:
    """Forget every cached result: a derivation made under a sabotage must not outlive it,
    and one made before it must not hide it."""
    for function in cached_functions():
        function.cache_clear()
