"""The text of the chapters this test file covers: every heading carries words as well as
mathematics (a heading of mathematics alone gives an empty link in the page's table of
contents, issue 12), and no float reaches the prose unrounded (the output policy: no
``glue_number``, no format spec after a glued key)."""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = ["proof_error", "minibatch_eps", "lemma_failure", "relu", "learned_gamma_beta",
            "landscapes", "lemma"]


def cells(name: str, kind: str) -> list[str]:
    nb = json.loads((BOOK / f"{name}.ipynb").read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def headings(name: str) -> list[str]:
    out = []
    for text in cells(name, "markdown"):
        fence = False
        for line in text.splitlines():
            if line.startswith("```"):
                fence = not fence
            elif not fence and re.match(r"#{1,6} ", line):
                out.append(line.lstrip("#").strip())
    return out


def words_outside_math(heading: str) -> str:
    return re.sub(r"\$[^$]*\$", "", heading).strip(" ,.:;-–—()")


def test_a_heading_of_mathematics_alone_is_detected():
    assert not re.search(r"[A-Za-z]{2,}", words_outside_math(r"$\varepsilon > 0$"))
    assert re.search(r"[A-Za-z]{2,}", words_outside_math(r"A positive $\varepsilon$"))


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_heading_carries_words(name):
    bare = [h for h in headings(name) if not re.search(r"[A-Za-z]{2,}", words_outside_math(h))]
    assert not bare, f"{name}: headings with mathematics only: {bare}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_float_is_glued_unrounded(name):
    assert not any("glue_number" in code for code in cells(name, "code"))
    spec = re.compile(r"\{glue:text\}`[A-Za-z0-9_]+:[^`]+`")
    assert not [m for text in cells(name, "markdown") for m in spec.findall(text)]
