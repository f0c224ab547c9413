"""``make bench``: how long the checks and the build take, and how big the site is.

Measures on this machine, as medians of several runs:
- strict nbval over every chapter, against its floor: as many notebooks that only start a
  kernel and import the modules the chapters import (goal: at most 1.5 × the floor);
- a clean book build and a no-change rebuild (goal: the rebuild in a few seconds);
- the size of the built site and of its largest page.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def timed(cmd: list[str], cwd: Path = ROOT) -> float:
    """Seconds one command takes; raises if it fails."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


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


def nbval(folder: Path) -> list[str]:
    return [str(BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
            "--nbval-current-env", "-o", "addopts=", "--rootdir", str(ROOT),
            "-c", str(ROOT / "pyproject.toml"), str(folder)]


def book(output: Path) -> list[str]:
    return [str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(output), "-W",
            "-n", "--keep-going"]


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        floor_notebooks(floor_dir)
        t_nbval = median_of(runs, lambda: timed(nbval(ROOT / "book")))
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
    ratio = t_nbval / t_floor
    print(f"bnpaper bench: medians of {runs} runs, {len(NOTEBOOKS)} notebooks")
    print(f"  nbval, all chapters       {t_nbval:7.1f} s")
    print(f"  floor (kernel + imports)  {t_floor:7.1f} s   ratio {ratio:.2f} (goal <= 1.5)")
    print(f"  clean book build          {t_clean:7.1f} s")
    print(f"  no-change rebuild         {t_rebuild:7.1f} s   ({t_rebuild / t_clean:.0%} of clean)")
    print(f"  built site                {size / 2**20:7.1f} MiB  "
          f"(MathJax {mathjax / 2**20:.1f} MiB)")
    print(f"  largest page              {largest_kib:7.1f} KiB  ({largest_name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
