"""``make bench``: how long the checks and the build take, and how big the site is.

Measures on this machine, as medians of several runs:
- one plain serial strict-nbval pass over every chapter, against its floor: as many
  notebooks that only start a kernel and import the modules the chapters import (goal: at
  most 1.5 × the floor), and what each chapter costs in it;
- ``make test`` without the separately timed checks (``WITHOUT="pdf explorer ocr"``: unit
  tests, nbval in the Binder environment and under another CPU's kernels, lint and deptry,
  the build, the other browser tests) against that serial pass (a guard: at most 3 ×;
  issue 17); the two are timed in turn, round by round, so a busy machine weighs on both;
- each separately timed check alone (``make test-pdf``, ``make test-explorer``,
  ``make test-ocr``: what each adds, at most), and all of ``make test``;
- a clean book build and a no-change rebuild (goal: the rebuild in a few seconds);
- the size of the built site and of its largest page; and, where ``tests/site/weight.py``
  exists, what it reports.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
MAKE = ["make", "--no-print-directory"]
SEPARATE = ("pdf", "explorer", "ocr")
"""The checks with rows of their own in the README's speed table (the Makefile's
SEPARATELY_TIMED), outside the 3 × guard."""
FAILED = "  (FAILED in a run)"


LOGS = ROOT / "_build" / "bench"
"""Each timed ``make`` run's output, the last run of each (``make test WITHOUT=....log``)."""


def run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, bool]:
    """Seconds one command takes, and whether it passed; a make run's output goes to a log
    in :data:`LOGS` (to read when it failed), any other command's is dropped."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / (" ".join(cmd[len(MAKE):]) + ".log") if cmd[:len(MAKE)] == MAKE else None
    start = time.perf_counter()
    with open(log or "/dev/null", "w") as out:
        done = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    return time.perf_counter() - start, done.returncode == 0


def timed(cmd: list[str], cwd: Path = ROOT) -> float:
    """Seconds one command takes; raises if it fails."""
    seconds, passed = run(cmd, cwd)
    if not passed:
        raise subprocess.CalledProcessError(1, cmd)
    return seconds


def per_notebook(junit: Path) -> dict[str, float]:
    """Seconds per notebook (kernel start, cells, shutdown) from pytest's JUnit XML report."""
    seconds: dict[str, float] = defaultdict(float)
    for case in ET.parse(junit).getroot().iter("testcase"):
        seconds[case.get("classname", "").removeprefix("book.")] += float(case.get("time", 0))
    return dict(seconds)


def import_statements(path: Path) -> list[str]:
    """The import statements of a notebook's code cells, verbatim, in order."""
    cells = json.loads(path.read_text())["cells"]
    found = []
    for cell in cells:
        if cell["cell_type"] == "code":
            tree = ast.parse("".join(cell["source"]))
            found += [ast.unparse(node) for node in ast.walk(tree)
                      if isinstance(node, (ast.Import, ast.ImportFrom))]
    return list(dict.fromkeys(found))


def floor_notebooks(target: Path) -> None:
    """One notebook per chapter whose only cell imports what the chapter imports."""
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        nb["cells"] = [{"cell_type": "code", "execution_count": 1, "id": "imports",
                        "metadata": {}, "outputs": [],
                        "source": "\n".join(import_statements(path))}]
        (target / path.name).write_text(json.dumps(nb))


def nbval(folder: Path, junit: Path | None = None) -> list[str]:
    """One plain serial strict-nbval pass: natively, one process, no other CPUs."""
    report = [f"--junitxml={junit}"] if junit else []
    return [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
            "--nbval-current-env", "-o", "addopts=", "--rootdir", str(ROOT),
            "-c", str(ROOT / "pyproject.toml"), *report, str(folder)]


def book(output: Path) -> list[str]:
    return [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(output), "-W",
            "-n", "--keep-going"]




def median_of(runs: int, measure):
    """The median of ``runs`` measurements; for (seconds, passed) pairs, the median seconds
    and whether every run passed."""
    results = [measure() for _ in range(runs)]
    if isinstance(results[0], tuple):
        return statistics.median(r[0] for r in results), all(r[1] for r in results)
    return statistics.median(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--no-make-test", action="store_true", help="leave out make test")
    args = parser.parse_args()
    runs = args.runs
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        floor_notebooks(floor_dir)
        t_nbval, t_test, chapters = [], [], defaultdict(list)
        nbval_passed = test_passed = True
        for i in range(runs):  # in turn, so that a busy machine weighs on both
            junit = tmp / f"nbval-{i}.xml"
            seconds, passed = run(nbval(ROOT / "book", junit))
            t_nbval.append(seconds)
            nbval_passed &= passed
            for name, seconds in per_notebook(junit).items():
                chapters[name].append(seconds)
            if not args.no_make_test:
                seconds, passed = run(MAKE + ["test", f"WITHOUT={' '.join(SEPARATE)}"])
                t_test.append(seconds)
                test_passed &= passed
        t_nbval = statistics.median(t_nbval)
        t_separate, t_all = {}, None
        if not args.no_make_test:
            t_separate = {name: median_of(runs, lambda name=name: run(MAKE + [f"test-{name}"]))
                          for name in SEPARATE}
            t_all = median_of(runs, lambda: run(MAKE + ["test"]))
        t_floor = median_of(runs, lambda: timed(nbval(floor_dir)))

        def clean_build() -> float:
            shutil.rmtree(tmp / "site", ignore_errors=True)
            return timed(book(tmp / "site"))

        t_clean = median_of(runs, clean_build)
        t_rebuild = median_of(runs, lambda: timed(book(tmp / "site")))
        html = tmp / "site" / "_build" / "html"
        files = [p for p in html.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        pages = [p for p in files if p.suffix == ".html"]
        largest = max(pages, key=lambda p: p.stat().st_size)
        largest_kib, largest_name = largest.stat().st_size / 2**10, largest.relative_to(html)
        mathjax = sum(p.stat().st_size for p in files if "mathjax" in p.parts)
        weight = ROOT / "tests" / "site" / "weight.py"
        weighed = (subprocess.run([str(BIN / "python"), "-m", "tests.site.weight", str(html)],
                                  cwd=ROOT, capture_output=True, text=True).stdout
                   if weight.exists() else "")
    ratio = t_nbval / t_floor
    print(f"bnpaper bench: medians of {runs} runs, {len(NOTEBOOKS)} notebooks")
    print(f"  nbval, all chapters, serial {t_nbval:7.1f} s"
          + ("" if nbval_passed else "  (nbval FAILED in a run)"))
    print(f"  floor (kernel + imports)    {t_floor:7.1f} s   ratio {ratio:.2f} (goal <= 1.5)")
    if t_test:
        t_test = statistics.median(t_test)
        failed = "" if test_passed else "  (FAILED in a run)"
        print(f"  make test WITHOUT=\"{' '.join(SEPARATE)}\"\n"
              f"                              {t_test:7.1f} s   "
              f"{t_test / t_nbval:.2f} x the serial nbval pass (guard <= 3){failed}")
        for name, (seconds, passed) in t_separate.items():
            print(f"  make test-{name:<18}{seconds:7.1f} s   (alone){'' if passed else FAILED}")
        seconds, passed = t_all
        print(f"  all of make test            {seconds:7.1f} s   "
              f"{seconds / t_nbval:.2f} x the serial nbval pass{'' if passed else FAILED}")
    print(f"  clean book build            {t_clean:7.1f} s")
    print(f"  no-change rebuild           {t_rebuild:7.1f} s   "
          f"({t_rebuild / t_clean:.0%} of clean)")
    print(f"  built site                  {size / 2**20:7.1f} MiB  "
          f"(MathJax {mathjax / 2**20:.1f} MiB)")
    print(f"  largest page                {largest_kib:7.1f} KiB  ({largest_name})")
    if weighed:
        print("  tests/site/weight.py:")
        print("".join(f"    {line}\n" for line in weighed.splitlines()), end="")
    print("  each chapter in the serial nbval pass (kernel start, cells, shutdown):")
    for name, seconds in sorted(chapters.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"    {statistics.median(seconds):6.1f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
