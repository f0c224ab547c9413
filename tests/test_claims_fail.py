"""Every part of every claim can fail: a deliberate fault (``tests/breakers``) passed to the
claims' derivation turns it false, and ``verify``'s report then exits 1 naming it. A claim
part without a breaker is caught."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bnpaper import __main__ as cli
from bnpaper import claims

from .breakers import Breaker, collect

BREAKERS = collect()


@pytest.fixture(scope="module")
def registered_parts(every_claim) -> list[str]:
    return [f"{c.key}/{part}" for c in every_claim for part in c.checks]


def test_every_part_of_every_registered_claim_has_a_breaker(registered_parts):
    missing = [p for p in registered_parts if p not in BREAKERS]
    assert not missing, f"claim parts whose check no test shows can fail: {missing}"


def test_every_breaker_names_a_registered_claim_part(registered_parts):
    assert not [name for name in BREAKERS if name not in registered_parts]
    assert all(b.module in claims.CLAIM_MODULES for b in BREAKERS.values())


def test_no_breaker_patches_a_module():
    """Faults go in through ``claims(inputs)``: a monkeypatched module global stops breaking
    anything as soon as an import moves, so no breaker may use one."""
    for path in Path(__file__).with_name("breakers").glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert not names & {"setattr", "monkeypatch", "MonkeyPatch", "setitem"}, path.name


# One xdist group per claims module (make test-units runs them with --dist loadgroup; make
# test runs them in one process): a module's breakers then run in one worker, which compiles
# its JAX programs once. Each derives only the claim it breaks (keys={key}): only
# book-deep-4's breaker trains networks.
@pytest.mark.parametrize("breaker", [
    pytest.param(b, id=name, marks=pytest.mark.xdist_group(b.module))
    for name, b in BREAKERS.items()])
def test_the_sabotaged_claim_part_fails_and_verify_names_it(breaker: Breaker, capsys):
    # only the claim it breaks: the others' derivations (the deep module's training, for one)
    # would cost seconds and show nothing about this part
    derived = claims.derive(breaker.module, breaker.inputs(), keys={breaker.key})
    by_key = {c.key: c for c in derived}
    assert breaker.key in by_key, f"{breaker.module}.claims() returned no {breaker.key}"
    assert [c.key for c in derived] == [breaker.key], "keys={key} derived other claims too"
    checks = by_key[breaker.key].checks
    assert breaker.part in checks, f"{breaker.key} has no part {breaker.part!r}: {list(checks)}"
    assert not checks[breaker.part], f"still holds after: {breaker.why}"
    assert cli.report(derived) == 1
    assert f"FAILED {breaker.key}:" in capsys.readouterr().err
