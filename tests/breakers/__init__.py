"""One way to break each part of each claim on purpose, so that a test can show its check
can fail.

Each submodule here defines ``BREAKERS: list[Breaker]`` for the claims of one
``bnpaper.claims`` module. A breaker builds faulty *inputs* (perturbed data, a function with
a flipped sign, a wrong formula) and hands them to that module's ``claims(inputs)``: the
fault enters through the seam the derivation offers, never by patching a module, so it
keeps breaking wherever the package's imports move. ``tests/test_claims_fail.py`` applies
every breaker and expects the named part of the claim to fail (and ``verify`` to exit 1
naming it); it also fails if any part of any registered claim has no breaker.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Breaker:
    """A deliberate fault that must make part ``part`` of claim ``key`` of ``module`` fail."""

    module: str
    """The module whose ``claims(inputs)`` derives the claim, e.g. ``"bnpaper.claims.relu"``."""
    key: str
    """The claim's key, e.g. ``"relu-4"``."""
    part: str
    """The name of the part of the claim's ``checks`` that the fault turns false."""
    inputs: Callable[[], Any]
    """Builds the faulty inputs (the module's ``Inputs``) that are passed to ``claims``."""
    why: str
    """What the fault is, in words (shown in the test's failure message)."""

    @property
    def name(self) -> str:
        """``key/part``, the test id."""
        return f"{self.key}/{self.part}"


def collect() -> dict[str, Breaker]:
    """Every breaker of every submodule, by ``key/part`` (a part registered twice is an error)."""
    found: dict[str, Breaker] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for breaker in module.BREAKERS:
            if breaker.name in found:
                raise ValueError(f"two breakers for {breaker.name}")
            found[breaker.name] = breaker
    return found
