"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from bnpaper import claims


@pytest.fixture(scope="session")
def every_claim() -> list[claims.Claim]:
    """Every registered claim, derived once per test process (it takes seconds)."""
    return claims.all_claims()
