"""``python -m bnpaper verify``: the claims table, its exit codes, and the claims page."""

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from bnpaper import __main__ as cli
from bnpaper import claims
from bnpaper.paper import facts as paper

ROOT = Path(__file__).resolve().parents[1]


def test_every_registered_claim_is_confirmed(every_claim):
    failed = [c.key for c in every_claim if not c.holds]
    assert not failed, f"claims that no longer hold: {failed}"


def test_claim_keys_are_unique_and_the_paper_has_four(every_claim):
    keys = [c.key for c in every_claim]
    assert len(keys) == len(set(keys))
    assert [k for k in keys if k.startswith("paper-")] == [f"paper-{i}" for i in range(1, 5)]


def test_every_registered_claim_names_its_kind_of_evidence(every_claim):
    unstated = [c.key for c in every_claim if not isinstance(c.evidence, claims.Evidence)]
    assert not unstated, f"claims that name no kind of evidence: {unstated}"


def test_the_facts_the_labels_were_built_from_say_so_and_two_checks_are_independent():
    by_key = {c.key: c for c in claims.all_claims(("bnpaper.paper.counterexample",))}
    assert by_key["paper-1"].evidence is claims.Evidence.BUILT_FROM
    assert by_key["paper-3"].evidence is claims.Evidence.BUILT_FROM
    # what does confirm the reconstruction: the printed digits, and minima (not maxima)
    assert by_key["paper-2"].evidence is claims.Evidence.DERIVED
    assert by_key["book-recon-1"].evidence is claims.Evidence.DERIVED
    assert by_key["book-recon-1"].holds and "minima" in by_key["book-recon-1"].statement


def test_both_tables_show_the_evidence_column():
    c = claims.Claim("k", "s", "src", "—", "1", "m", True, claims.Evidence.BUILT_FROM)
    d = claims.Claim("j", "s", "src", "—", "1", "m", True, claims.Evidence.ESTIMATE)
    for table in (claims.markdown_table([c, d]), claims.text_table([c, d])):
        assert "evidence" in table.splitlines()[0]
        assert "built from it" in table and "estimate with interval" in table


def test_a_claim_must_name_its_kind_of_evidence():
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'evidence'"):
        claims.Claim("k", "s", "src", "—", "1", "m", True)
    with pytest.raises(TypeError, match="^claim k: evidence is 'derived'; expected an Evidence"):
        claims.Claim("k", "s", "src", "—", "1", "m", True, "derived")


def test_verify_one_module_derives_only_its_claims(capsys):
    assert cli.main(["verify", "--module", "bnpaper.paper.counterexample"]) == 0
    out = capsys.readouterr().out
    assert "paper-1" in out and "relu-1" not in out
    assert out.strip().endswith("5 confirmed, 0 failed")


def test_verify_rejects_a_module_without_registered_claims():
    with pytest.raises(SystemExit) as exc:
        cli.main(["verify", "--module", "bnpaper.model"])
    assert exc.value.code == 2
    with pytest.raises(ValueError, match="no registered claims"):
        claims.all_claims(("bnpaper.model",))


def test_verify_prints_every_claim_and_exits_zero(monkeypatch, capsys, every_claim):
    # The claims were derived once for the session (tests/conftest.py); verify prints them.
    monkeypatch.setattr(claims, "all_claims", lambda modules=None: every_claim)
    assert cli.main(["verify"]) == 0
    out = capsys.readouterr().out
    for c in every_claim:
        assert c.key in out and c.reproduced in out
    assert out.strip().endswith(f"{len(every_claim)} confirmed, 0 failed")


def test_verify_exits_one_and_names_the_claim_when_the_paper_disagrees(monkeypatch, capsys):
    # Had the paper printed another optimum, the re-derived W* = (1, 3) would contradict it.
    monkeypatch.setattr(paper, "W_STAR", (1, 4))
    assert cli.main(["verify", "--module", "bnpaper.paper.counterexample"]) == 1
    captured = capsys.readouterr()
    assert "FAILED paper-1" in captured.err
    assert "paper: (1, 4)" in captured.err and "reproduced: (1, 3)" in captured.err
    assert "1 failed" in captured.out


def test_verify_fails_for_any_failing_module_claim(monkeypatch, capsys):
    fake = types.ModuleType("fake_claims")
    fake.claims = lambda: [claims.Claim("book-x", "a claim that fails", "test", "—", "0", "none",
                                        False, claims.Evidence.DERIVED)]
    monkeypatch.setitem(sys.modules, "fake_claims", fake)
    monkeypatch.setattr(claims, "CLAIM_MODULES", ("fake_claims",))
    assert cli.main(["verify"]) == 1
    assert "FAILED book-x: a claim that fails" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error():
    with pytest.raises(SystemExit) as exc:
        cli.main(["prove-everything"])
    assert exc.value.code == 2


def test_python_m_bnpaper_verify_runs_as_a_command():
    # One module keeps this fast; every module's claims are derived by the session fixture.
    result = subprocess.run([sys.executable, "-m", "bnpaper", "verify", "--module",
                             "bnpaper.paper.counterexample"], capture_output=True, text=True,
                            timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "5 confirmed, 0 failed"


def test_markdown_table_has_a_row_per_claim_and_escapes_markdown():
    c = claims.Claim("k", "a | b", "s", "—", "2*sqrt(3)*x_1", "m", True, claims.Evidence.BOUND)
    table = claims.markdown_table([c, c])
    assert table.count("\n") == 3 and "a \\| b" in table
    assert "2\\*sqrt(3)\\*x\\_1" in table


def test_the_claims_page_shows_the_table_verify_prints(every_claim):
    nb = json.loads((ROOT / "book" / "claims.ipynb").read_text())
    stored = [o["data"]["application/papermill.record/text/markdown"]
              for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
              if "application/papermill.record/text/markdown" in o.get("data", {})
              and o["metadata"].get("scrapbook", {}).get("name") == "claims_table"]
    assert stored, "the claims chapter glues no 'claims_table'"
    assert "".join(stored[0]) == claims.markdown_table(every_claim)


def test_every_module_with_claims_is_registered():
    import importlib
    import pkgutil

    import bnpaper

    with_claims = {f"bnpaper.{m.name}" for m in pkgutil.iter_modules(bnpaper.__path__)
                   if m.name != "claims"
                   and hasattr(importlib.import_module(f"bnpaper.{m.name}"), "claims")}
    assert with_claims == set(claims.CLAIM_MODULES)


def test_the_counterexample_claims_and_their_kinds_of_evidence(every_claim):
    keys = ["paper-1", "paper-2", "paper-3", "book-recon-1", "paper-4"]
    by_key = {c.key: c for c in every_claim if c.key in keys}
    assert list(by_key) == keys
    assert all(c.holds for c in by_key.values())
    assert [by_key[k].evidence for k in by_key] == [
        claims.Evidence.BUILT_FROM, claims.Evidence.DERIVED, claims.Evidence.BUILT_FROM,
        claims.Evidence.DERIVED, claims.Evidence.DERIVED]
    assert by_key["paper-1"].reproduced == "(1, 3)" and by_key["paper-1"].paper_value == "(1, 3)"
    assert by_key["paper-2"].reproduced == "(-0.339317, 0.113106)"
    assert by_key["paper-2"].paper_value == "(-0.34, 0.11)"
    assert by_key["paper-3"].reproduced == "ray t·(5, 3), t > 0"
    assert by_key["book-recon-1"].reproduced == \
        "curvature across the ray = 1734*sqrt(194)/9409"
    assert by_key["paper-4"].reproduced == "lhs = 72/17, rhs = 0"
