"""Mutation testing of the core modules with mutmut (``make mutate``; not part of ``make test``).

mutmut changes one thing at a time in the core's ``namespace``, ``model``, ``data`` and
``exact`` and the paper's ``lemma`` and ``counterexample`` (a flipped comparison, a
changed constant, a dropped argument …) and runs the tests that cover the changed
function; a mutant that no test notices "survives". The run happens in a temporary copy
of the repository (mutmut writes its ``mutants/`` tree and its configuration there, never
into the checkout). Prints the
score; survivors and the reason each is acceptable are in ``tests/MUTATION.md``.

    python tests/mutate.py [--max-children N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ("core/namespace", "core/model", "core/data", "paper/lemma", "paper/counterexample",
        "core/exact")
TESTS = ("tests/test_model.py", "tests/test_lemma.py", "tests/test_counterexample.py",
         "tests/test_properties.py")
"""The fast tests that exercise the core modules (the chapters' tests are not needed)."""

SETUP_CFG = """[mutmut]
source_paths = src/bnpaper
only_mutate =
{only}
pytest_add_cli_args = -o addopts= -p no:cacheprovider -q -x -p no:xdist
pytest_add_cli_args_test_selection =
{tests}
also_copy = conftest.py
# fork each mutant's test run from a server that has not started JAX: XLA's threads do not
# survive a fork, and a test that uses JAX in a child forked after them hangs
process_isolation = forkserver
do_not_mutate_patterns =
    {prose}
"""

PROSE = r'^\s*(f?"[^"]*"[, ]*)+$'
"""Lines of nothing but string literals (error messages continued over lines are tested by
their first line; a mutant in a continuation would only change words)."""


def run(max_children: int, keep: Path | None) -> int:
    work = keep or Path(tempfile.mkdtemp(prefix="bnpaper-mutate-"))
    for name in ("src", "tests"):
        shutil.copytree(ROOT / name, work / name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "site"))
    for name in ("conftest.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, work / name)
    (work / "setup.cfg").write_text(SETUP_CFG.format(
        only="\n".join(f"    src/bnpaper/{m}.py" for m in CORE),
        tests="\n".join(f"    {t}" for t in TESTS), prose=PROSE))
    mutmut = [sys.executable, "-m", "mutmut"]
    env_note = f"mutmut working copy: {work}"
    print(env_note, flush=True)
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation"}  # no shrinking: fail fast
    status = subprocess.run([*mutmut, "run", "--max-children", str(max_children)], cwd=work,
                            env=env)
    results = subprocess.run([*mutmut, "results", "--all", "true"], cwd=work,
                             capture_output=True, text=True)
    counts: dict[str, int] = {}
    survivors = []
    for line in results.stdout.splitlines():
        m = re.match(r"\s*(\S+): (.+)$", line)
        if m:
            counts[m.group(2)] = counts.get(m.group(2), 0) + 1
            if m.group(2) != "killed":
                survivors.append(f"{m.group(1)}: {m.group(2)}")
    total = sum(counts.values())
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    print("\n".join(survivors))
    print(f"mutants: {total}; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if total:
        print(f"mutation score: {killed}/{total} killed = {100 * killed / total:.1f} %")
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return status.returncode or (0 if total and killed / total >= 0.9 else 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="run in this directory and keep it")
    args = parser.parse_args()
    return run(args.max_children, args.keep)


if __name__ == "__main__":
    sys.exit(main())
