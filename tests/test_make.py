"""The Makefile's separately timed checks: ``make test WITHOUT="pdf explorer ocr"`` (what
``make bench`` holds to the 3 × guard) leaves exactly those out, and each has a target of
its own that ``make bench`` times (tests/bench.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from . import bench

ROOT = Path(__file__).resolve().parents[1]

TEX = all(shutil.which(tool) for tool in ("xelatex", "latexmk", "pdftotext", "pdffonts",
                                            "pdfinfo"))


# Inside `make test` a variable set on make's command line (WITHOUT=...) reaches every make
# started below it through MAKEFLAGS: each plan is made without the caller's make settings.
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "WITHOUT",
                          "UNITS_ARGS")}


def planned(*args: str) -> str:
    """What ``make -n ARGS`` would run (recursive makes included), without running it."""
    done = subprocess.run(["make", "--no-print-directory", "-n", *args], cwd=ROOT,
                          capture_output=True, text=True, env=CLEAN_ENV)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_test_runs_the_separately_timed_checks():
    plan = planned("test")
    assert ("-m pdf tests/pdf" if TEX else "PDF TESTS DID NOT RUN") in plan
    assert "--ignore=tests/site/test_explorer.py" not in plan
    assert "not tesseract" not in plan or shutil.which("tesseract") is None


def test_without_leaves_out_exactly_the_separately_timed_checks():
    plan = planned("test", f"WITHOUT={' '.join(bench.SEPARATE)}")
    assert "-m pdf tests/pdf" not in plan and "PDF TESTS DID NOT RUN" not in plan
    assert "--ignore=tests/site/test_explorer.py" in plan
    assert "and not tesseract" in plan
    for kept in ("run binder", "run other", "run units", "ruff check", "deptry",
                 "jupyter-book build"):
        assert kept in plan, kept


@pytest.mark.parametrize("name", bench.SEPARATE)
def test_each_separately_timed_check_has_its_own_target(name):
    assert "pytest" in planned(f"test-{name}")


def test_without_refuses_a_check_it_does_not_know():
    done = subprocess.run(["make", "-n", "test", "WITHOUT=units"], cwd=ROOT,
                          capture_output=True, text=True, env=CLEAN_ENV)
    assert done.returncode != 0 and "WITHOUT may name only" in done.stderr


def test_make_test_runs_the_unit_tests_in_one_process_and_the_passes_on_every_core():
    """Side by side (GNU make >= 4) the parts keep both cores busy: the unit tests run in one
    process, after the browser half has started, and the notebook passes, on every core,
    come last, so the run ends on every core. Alone, make test-units uses every core."""
    plan = planned("test")
    units = next(line for line in plan.splitlines() if "run units" in line)
    passes = [line for line in plan.splitlines() if "run binder" in line or "run other" in line]
    if "--output-sync" in plan:
        assert "-p no:xdist" in units and "-n " not in units, units
    assert len(passes) == 2 and all("-n auto" in line for line in passes), passes
    parts = next(line for line in plan.splitlines() if " test-site " in line).split()
    order = [parts.index(f"test-{p}") for p in ("site", "units", "notebooks-binder",
                                                  "notebooks-other")]
    assert order == sorted(order), parts
    assert "-n auto --dist loadgroup" in planned("test-units")
