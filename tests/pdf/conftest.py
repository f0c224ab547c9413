"""The PDF edition's tests: ``make pdf`` once per session, then its log and the PDF read back
with poppler-utils (``pdftotext``, ``pdffonts``, ``pdfinfo``).

Tests marked ``pdf`` need TeX and run only when asked for (``make test-pdf``, which is
``pytest -m pdf tests/pdf``); in any other run (the unit tests' ``-m 'not site'``) they are
skipped, so that the unit tests never start a TeX build. ``test_pdfbook.py`` (the LaTeX
helpers of ``book/_ext/pdfbook.py``) needs no TeX and runs with the unit tests.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PDF = ROOT / "_build" / "pdf" / "bnpaper.pdf"
LATEX_DIR = ROOT / "_build" / "pdf-build" / "_build" / "latex"  # the Makefile's PDF_LATEX
TOOLS = ("xelatex", "latexmk", "pdftotext", "pdffonts", "pdfinfo")


@dataclass(frozen=True)
class Built:
    pdf: Path
    log: str  # XeLaTeX's log of the last run
    pages: list[str]  # pdftotext, one string per page

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@pytest.fixture(scope="session")
def built() -> Built:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"not found: {', '.join(missing)}; install TeX and poppler-utils (README)")
    # make pdf fails on a LaTeX error, a Sphinx warning, an undefined reference or citation
    # and a character missing from its font (latexmk -Werror)
    run = subprocess.run(["make", "--no-print-directory", "pdf"], cwd=ROOT,
                         capture_output=True, text=True)
    if run.returncode != 0:
        pytest.fail(f"make pdf failed (status {run.returncode}):\n"
                    + "\n".join((run.stdout + run.stderr).splitlines()[-60:]), pytrace=False)
    log = (LATEX_DIR / "bnpaper.log").read_text(encoding="utf-8", errors="replace")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(PDF), "-"], check=True,
                          capture_output=True, text=True).stdout
    return Built(pdf=PDF, log=log, pages=text.split("\f")[:-1])
