"""Fixtures shared by the unit tests."""

from __future__ import annotations

import fcntl
import pickle

import pytest

from bnpaper import claims


@pytest.fixture(scope="session")
def every_claim(request, tmp_path_factory) -> list[claims.Claim]:
    """Every registered claim, derived once per test session (it takes seconds).

    Under pytest-xdist the first worker that asks derives them and leaves them in the
    session's temporary directory; the others wait on the lock and read them (the pattern of
    xdist's documentation). The tests that change a derivation (tests/test_claims_fail.py)
    derive afresh and do not use this fixture's claims for their verdicts.
    """
    if not hasattr(request.config, "workerinput"):  # not an xdist worker
        return claims.all_claims()
    shared = tmp_path_factory.getbasetemp().parent / "every_claim.pickle"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            shared.write_bytes(pickle.dumps(claims.all_claims()))
        return pickle.loads(shared.read_bytes())
