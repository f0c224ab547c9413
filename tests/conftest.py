"""Fixtures shared by the unit tests."""

from __future__ import annotations

import fcntl
import os
import pickle
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir

from bnpaper import claims
from bnpaper.core.data import LearningSet
from bnpaper.paper.counterexample import counterexample_set

from .portability import UNITS_CACHE


def pytest_configure(config):
    """Hypothesis profiles (tests/test_properties.py): derandomized, no example database; its
    other files (patches for failing examples) go to a temporary directory, never into the
    repository. HYPOTHESIS_PROFILE=thorough runs more examples; make mutate uses "mutation"."""
    set_hypothesis_home_dir(tempfile.mkdtemp(prefix="bnpaper-hypothesis-"))
    common = dict(derandomize=True, database=None, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("ci", max_examples=60, **common)
    settings.register_profile("thorough", max_examples=1000, **common)
    # make mutate: a failure is all it needs, fast — no shrinking to a minimal example
    settings.register_profile("mutation", max_examples=30,
                              phases=[Phase.explicit, Phase.generate], **common)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def session_dir(request, tmp_path_factory) -> Path:
    """This test session's temporary directory, the same for all of its xdist workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


@pytest.fixture(scope="session", autouse=True)
def session_jax_cache(request, tmp_path_factory):
    """Where bnpaper's persistent JAX cache points during the session (never the chapters'
    ``~/.cache/bnpaper-jax``), shared by its xdist workers, so that a program one worker
    compiled is not compiled again by the other. Under ``make test`` (the ``units`` pass)
    it is the check's own directory for this host's level and CPU
    (``tests.portability.jax_cache_dir``): JAX keys each program on its code, flags and
    versions, so a later session reuses only what it would compile alike (about 40 of 150
    CPU-s). Otherwise, the session's temporary directory: nothing outlives the session.
    The variable is restored afterwards. Nothing may call ``autodiff.jax_x64()`` at import,
    before this."""
    cache = os.environ.get(UNITS_CACHE) or session_dir(request, tmp_path_factory) / "jax-cache"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BNPAPER_JAX_CACHE", str(cache))
        yield


@pytest.fixture(scope="session")
def paper_set() -> LearningSet:
    """The paper's learning set, exact (labels derived from the published facts)."""
    return counterexample_set()


@pytest.fixture(scope="session")
def paper_numeric(paper_set) -> LearningSet:
    """The paper's learning set as float64 arrays."""
    return paper_set.numeric()


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
    shared = session_dir(request, tmp_path_factory) / "every_claim.pickle"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not shared.exists():
            shared.write_bytes(pickle.dumps(claims.all_claims()))
        return pickle.loads(shared.read_bytes())
