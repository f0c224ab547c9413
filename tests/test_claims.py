"""``python -m bnpaper verify``: the claims table, its exit codes, and the claims page."""

import importlib
import inspect
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bnpaper
from bnpaper import __main__ as cli
from bnpaper import claims
from bnpaper.claims.registry import SEAM
from bnpaper.claims.table import book_table, markdown_details
from bnpaper.paper import facts as paper

ROOT = Path(__file__).resolve().parents[1]


def test_every_registered_claim_is_confirmed(every_claim):
    failed = [c.key for c in every_claim if not c.holds]
    assert not failed, f"claims that no longer hold: {failed}"


def test_claim_keys_are_unique_and_the_paper_has_four(every_claim):
    keys = [c.key for c in every_claim]
    assert len(keys) == len(set(keys))
    assert [k for k in keys if k.startswith("paper-")] == [f"paper-{i}" for i in range(1, 5)]


def claim(key="k", checks=None, evidence=claims.Evidence.EXACT, **fields):
    """A claim built for a test: every field a placeholder unless given."""
    values = {"statement": "s", "source": "src", "paper_value": "—", "reproduced": "1",
              "method": "m"} | fields
    return claims.Claim(key, **values, checks=checks or {"part": True}, evidence=evidence)


def test_the_terminal_tables_and_the_details_show_the_evidence():
    c = claim("k", evidence=claims.Evidence.BUILT_FROM)
    d = claim("j", evidence=claims.Evidence.SAMPLED)
    for table in (claims.markdown_table([c, d]), claims.text_table([c, d])):
        assert "evidence" in table.splitlines()[0]
        assert "built from it" in table and "sampled" in table
    details = markdown_details([c, d])
    assert "built from it" in details and "sampled" in details


def test_a_claim_must_name_its_kind_of_evidence():
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'evidence'"):
        claims.Claim("k", "s", "src", "—", "1", "m", {"part": True})
    with pytest.raises(TypeError, match="^claim k: evidence is 'derived'; expected an Evidence"):
        claim("k", evidence="derived")


def test_a_claim_holds_when_every_named_part_does():
    assert claim(checks={"a": True, "b": True}).holds
    assert not claim(checks={"a": True, "b": False}).holds


@pytest.mark.parametrize(("checks", "match"), [
    (True, "expected a non-empty mapping"), ({}, "expected a non-empty mapping"),
    ({"a": 1}, "are not bools"), ({"a": True, "b": "yes"}, "are not bools")])
def test_a_claim_names_each_part_of_its_verdict_as_a_bool(checks, match):
    with pytest.raises(TypeError, match=f"^claim k: .*{match}"):
        claims.Claim("k", "s", "src", "—", "1", "m", checks, claims.Evidence.EXACT)


def test_verify_one_module_derives_only_its_claims(capsys):
    assert cli.main(["verify", "--module", "bnpaper.claims.counterexample"]) == 0
    out = capsys.readouterr().out
    assert "paper-1" in out and "relu-1" not in out
    assert out.strip().endswith("5 confirmed, 0 failed")


def test_verify_rejects_a_module_without_registered_claims():
    with pytest.raises(SystemExit) as exc:
        cli.main(["verify", "--module", "bnpaper.core.model"])
    assert exc.value.code == 2
    with pytest.raises(ValueError, match="no registered claims"):
        claims.all_claims(("bnpaper.core.model",))
    with pytest.raises(ValueError, match="has no registered claims"):
        claims.derive("bnpaper.topics.landscape")


def test_the_report_prints_every_claim_and_exits_zero(capsys, every_claim):
    # The claims were derived once for the session (tests/conftest.py); the report prints them.
    assert cli.report(every_claim) == 0
    out = capsys.readouterr().out
    for c in every_claim:
        assert c.key in out and c.reproduced in out
    assert out.strip().endswith(f"{len(every_claim)} confirmed, 0 failed")


def test_verify_exits_one_and_names_the_claim_when_the_paper_disagrees(monkeypatch, capsys):
    # Had the paper printed another optimum, the re-derived W* = (1, 3) would contradict it.
    monkeypatch.setattr(paper, "W_STAR", (1, 4))
    assert cli.main(["verify", "--module", "bnpaper.claims.counterexample"]) == 1
    captured = capsys.readouterr()
    assert "FAILED paper-1" in captured.err
    assert "paper: (1, 4)" in captured.err and "reproduced: (1, 3)" in captured.err
    assert "1 failed" in captured.out


def test_the_report_exits_one_and_names_each_failed_claim_and_its_failed_parts(capsys):
    held = claim("book-y", statement="a claim that holds")
    failed = claim("book-x", {"first": True, "second": False, "third": False},
                   statement="a claim that fails", reproduced="0", method="none")
    assert cli.report([held, failed]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "FAILED book-x: a claim that fails (paper: —; reproduced: 0; method: none; "
        "failed: second, third)"]
    assert "book-y" in captured.out and "book-x" in captured.out
    assert captured.out.strip().endswith("1 confirmed, 1 failed")


def test_unknown_command_is_a_usage_error():
    with pytest.raises(SystemExit) as exc:
        cli.main(["prove-everything"])
    assert exc.value.code == 2


def test_python_m_bnpaper_verify_runs_as_a_command():
    # One module keeps this fast; every module's claims are derived by the session fixture.
    result = subprocess.run([sys.executable, "-m", "bnpaper", "verify", "--module",
                             "bnpaper.claims.counterexample"], capture_output=True, text=True,
                            timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "5 confirmed, 0 failed"


def test_markdown_table_has_a_row_per_claim_and_escapes_markdown():
    c = claim("k", statement="a | b", reproduced="2*sqrt(3)*x_1", evidence=claims.Evidence.BOUND)
    table = claims.markdown_table([c, c])
    assert table.count("\n") == 3 and "a \\| b" in table
    assert "2\\*sqrt(3)\\*x\\_1" in table
    book = book_table([c])
    assert r"$2 \sqrt{3}$\*x\_1" in book  # the expression as maths, the rest escaped


def test_the_book_table_leads_with_the_claim_its_value_and_a_status_badge():
    """Four columns; the claim links to its details, where source, paper value, method and
    evidence are; the status is a badge with its word."""
    ok, bad = claim("ok", reproduced="72/17"), claim("bad", checks={"part": False})
    lines = book_table([ok, bad]).splitlines()
    assert lines[0] == "| claim | statement | reproduced | status |"
    assert lines[2] == (r"| {ref}`ok <claim-ok>` | s | $\frac{72}{17}$ | "
                        "{bdg-success}`confirmed` |")
    assert lines[3].endswith("| {bdg-danger}`FAILED` |")
    details = markdown_details([ok, bad])
    assert details.count(":class: dropdown claim-details") == 2
    assert details.startswith("(claim-ok)=\n:::{admonition} ok: confirmed\n")
    assert "\n(claim-bad)=\n:::{admonition} bad: FAILED\n" in details
    assert "ok: confirmed" in details and "bad: FAILED" in details
    assert "**Method:** m." in details and "**Source:** src." in details
    assert "part: fails" in details


@pytest.mark.parametrize("key", ["claims_table", "claims_details"])
def test_the_claims_page_shows_the_claims_verify_derives(every_claim, key):
    nb = json.loads((ROOT / "book" / "claims.ipynb").read_text())
    stored = [o["data"]["application/papermill.record/text/markdown"]
              for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"]
              if "application/papermill.record/text/markdown" in o.get("data", {})
              and o["metadata"].get("scrapbook", {}).get("name") == key]
    assert stored, f"the claims chapter glues no {key!r}"
    made = book_table if key == "claims_table" else markdown_details
    assert "".join(stored[0]) == made(every_claim)


def test_every_module_with_claims_is_registered_and_takes_its_inputs():
    """Claims are derived in ``bnpaper.claims`` only, each module registered, each with the
    seam a breaker uses: ``Inputs``, ``default_inputs()`` and ``claims(inputs=None,
    keys=None)``."""
    modules = [importlib.import_module(m.name)
               for m in pkgutil.walk_packages(bnpaper.__path__, "bnpaper.")]
    with_claims = {m.__name__ for m in modules if inspect.isfunction(getattr(m, "claims", None))}
    assert with_claims == set(claims.CLAIM_MODULES)
    for name in claims.CLAIM_MODULES:
        module = importlib.import_module(name)
        assert SEAM <= set(vars(module)), name  # registry.ClaimModule
        assert inspect.isclass(module.Inputs) and callable(module.default_inputs), name
        assert isinstance(module.default_inputs(), module.Inputs), name
        inputs, keys = inspect.signature(module.claims).parameters.values()
        assert (inputs.name, inputs.default) == ("inputs", None), name
        assert (keys.name, keys.default) == ("keys", None), name


def test_the_counterexample_claims_and_their_kinds_of_evidence(every_claim):
    keys = ["paper-1", "paper-2", "paper-3", "book-recon-1", "paper-4"]
    by_key = {c.key: c for c in every_claim if c.key in keys}
    assert list(by_key) == keys
    assert all(c.holds for c in by_key.values())
    assert [by_key[k].evidence for k in by_key] == [
        claims.Evidence.BUILT_FROM, claims.Evidence.EXACT, claims.Evidence.BUILT_FROM,
        claims.Evidence.EXACT, claims.Evidence.BUILT_FROM]
    assert by_key["paper-1"].reproduced == "(1, 3)" and by_key["paper-1"].paper_value == "(1, 3)"
    assert by_key["paper-2"].reproduced == "(-0.339317, 0.113106)"
    assert by_key["paper-2"].paper_value == "(-0.34, 0.11)"
    assert by_key["paper-3"].reproduced == "ray t·(5, 3), t > 0"
    assert by_key["book-recon-1"].reproduced == \
        "curvature across the ray = 1734*sqrt(194)/9409"
    assert by_key["paper-4"].reproduced == "lhs = 72/17, rhs = 0"


def test_a_sampled_claim_states_its_sample_size_and_an_interval_or_bound(every_claim):
    """Evidence kinds keep exact and sampled apart: a sampled row says how many points it
    rests on and how far that can be trusted (issue 18, item 14)."""
    sampled = [c for c in every_claim if c.evidence is claims.Evidence.SAMPLED]
    assert len(sampled) >= 10
    for c in sampled:
        assert re.search(r"\b\d{2,}\b", c.reproduced), f"{c.key}: no sample size"
        assert re.search(r"95 ?%|CI|bound|\[|slack", c.reproduced), f"{c.key}: no interval"


def test_claims_that_inherit_the_construction_say_what_they_inherit(every_claim):
    by_key = {c.key: c for c in every_claim}
    assert by_key["paper-4"].evidence is claims.Evidence.BUILT_FROM
    for key in ("paper-4", "gamma-beta-2"):
        assert "Inherited:" in by_key[key].method and "independent:" in by_key[key].method
