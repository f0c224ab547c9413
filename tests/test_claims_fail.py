"""Every claim's check can fail: a deliberate fault (``tests/breakers``) turns it false, and
``python -m bnpaper verify`` then exits 1 naming it. A claim without a breaker is caught."""

from __future__ import annotations

import pytest

from bnpaper import __main__ as cli
from bnpaper import claims

from .breakers import Breaker, cached_functions, clear_caches, collect

BREAKERS = collect()


@pytest.fixture
def fresh_caches():
    """No cached derivation enters or leaves a sabotaged run (seen: a doubled γ* cached by
    gamma-beta-1's run made later tests in the same process fail)."""
    clear_caches()
    yield
    clear_caches()


def test_the_package_caches_are_found():
    names = {f.__qualname__ for f in cached_functions()}
    assert {"_stationary_lines", "counterexample_set", "paper_set_analysis"} <= names


def test_a_derivation_made_under_a_sabotage_is_forgotten_after_it():
    from bnpaper import minibatch
    from bnpaper.data import counterexample_set

    right = minibatch.best_gamma(counterexample_set())
    with pytest.MonkeyPatch.context() as mp:
        clear_caches()
        BREAKERS["gamma-beta-1"].sabotage(mp)
        assert minibatch.best_gamma(counterexample_set()) == 2 * right  # cached, sabotaged
    clear_caches()
    assert minibatch.best_gamma(counterexample_set()) == right


@pytest.fixture(scope="module")
def registered_keys(every_claim) -> list[str]:
    return [c.key for c in every_claim]


def test_every_registered_claim_has_a_breaker(registered_keys):
    missing = [k for k in registered_keys if k not in BREAKERS]
    assert not missing, f"claims whose check no test shows can fail: {missing}"


def test_every_breaker_names_a_registered_claim_of_its_module(registered_keys):
    assert not [k for k in BREAKERS if k not in registered_keys]
    assert all(b.module in claims.CLAIM_MODULES for b in BREAKERS.values())


@pytest.mark.parametrize("breaker", BREAKERS.values(), ids=list(BREAKERS))
def test_the_sabotaged_claim_fails_and_verify_names_it(breaker: Breaker, monkeypatch, capsys,
                                                      fresh_caches):
    derived: list[claims.Claim] = []
    original = claims.all_claims

    def recording(modules=None):
        derived.extend(original(modules))
        return derived

    monkeypatch.setattr(claims, "all_claims", recording)
    breaker.sabotage(monkeypatch)
    status = cli.main(["verify", "--module", breaker.module])
    err = capsys.readouterr().err
    by_key = {c.key: c for c in derived}
    assert breaker.key in by_key, f"{breaker.module}.claims() returned no {breaker.key}"
    assert not by_key[breaker.key].holds, f"still holds after: {breaker.why}"
    assert status == 1
    assert f"FAILED {breaker.key}:" in err
