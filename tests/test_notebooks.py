"""The committed notebooks: executed top to bottom, clean, and all in the table of contents.

nbval compares stored outputs with fresh ones; on a notebook that was never executed it
would compare against nothing and pass. These tests close that hole.
"""

import json
import re
from pathlib import Path

import pytest

from .tidy_notebooks import tidy

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def code_cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


def test_the_book_has_notebooks():
    assert len(NOTEBOOKS) >= 5


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_was_executed_in_order_from_a_fresh_kernel(path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert counts, f"{path.name} has no code cells"
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}; run `make execute` (a fresh kernel, in order)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_hold_no_errors_warnings_or_memory_addresses(path):
    for cell in code_cells(path):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"{path.name}: a cell raised {out.get('ename')}"
            assert out.get("name") != "stderr", f"{path.name}: stderr output {out.get('text')}"
            blob = json.dumps(out.get("data", {})) + "".join(out.get("text", ""))
            assert not re.search(r"at 0x[0-9a-f]{6,}", blob), f"{path.name}: a memory address"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_names_the_python3_kernel(path):
    assert json.loads(path.read_text())["metadata"]["kernelspec"]["name"] == "python3"


def test_every_chapter_is_in_the_table_of_contents_and_exists():
    toc = (ROOT / "_toc.yml").read_text()
    listed = set(re.findall(r"(?:file|root):\s*book/(\w+)", toc))
    on_disk = {p.stem for p in (ROOT / "book").iterdir() if p.suffix in (".ipynb", ".md")}
    assert listed == on_disk, (
        f"only in _toc.yml: {listed - on_disk}; only on disk: {on_disk - listed}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_glued_figure_carries_an_image(path):
    # A figure glued without image/png renders as "<Figure ...>" text in the book.
    for cell in code_cells(path):
        for out in cell["outputs"]:
            data = out.get("data", {})
            text = "".join(data.get("application/papermill.record/text/plain", ""))
            if text.startswith("<Figure"):
                assert "application/papermill.record/image/png" in data, (
                    f"{path.name}: a glued figure has no PNG (is a non-inline backend forced?)")


def markdown_text(path):
    return "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                     if c["cell_type"] == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_named_captioned_and_referenced_from_the_text(path):
    text = markdown_text(path)
    blocks = re.findall(r"```\{glue:figure\}[^\n]*\n(.*?)```", text, flags=re.S)
    for block in blocks:
        name = re.search(r"^:name:\s*(\S+)", block, flags=re.M)
        assert name, f"{path.name}: a figure without :name:\n{block[:200]}"
        assert re.search(r"^:alt:\s*\S", block, flags=re.M), f"{name[1]} has no alt text"
        caption = re.sub(r"^:\w+:.*$", "", block, flags=re.M).strip()
        assert caption, f"{path.name}: figure {name[1]} has no caption"
        assert f"{{numref}}`{name[1]}`" in text, f"{path.name}: {name[1]} is never referenced"


def test_the_chapters_have_figures():
    with_figures = [p.name for p in NOTEBOOKS if "{glue:figure}" in markdown_text(p)]
    assert len(with_figures) >= len(NOTEBOOKS) - 1, f"chapters with figures: {with_figures}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stores_no_execution_timestamps(path):
    # `make execute` drops them, so re-running an unchanged chapter changes no byte.
    stamped = [c.get("id") for c in json.loads(path.read_text())["cells"]
               if "execution" in c.get("metadata", {})]
    assert not stamped, f"{path.name}: cells with timing metadata {stamped}; run `make execute`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_tidy(path):
    # What `make execute` leaves: tidying a committed notebook again changes nothing.
    nb = json.loads(path.read_text())
    assert tidy(json.loads(path.read_text())) == nb, f"{path.name}: run `make execute`"


# The output policy (CONTRIBUTING.md): a number reaches an output only at the precision it is
# known to. A float computed in floating point carries 15-17 significant digits, and its last
# ones differ between CPUs (tests/portability.py shows them move); the prose shows at most six.
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
RAW_FLOAT_DIGITS = 7  # a glued raw float with this many significant digits or more
# A printed or displayed number with this many significant digits or more: a repr has 15-17,
# and a trained network's loss (48.540880374096396 here, 48.54088037409145 under AVX) already
# moved in the 13th.
PRINTED_DIGITS = 13


def significant_digits(number: str) -> int:
    """Significant digits of a decimal written in the output: '0.0012300' → 5, '1e-09' → 1."""
    mantissa = re.split(r"[eE]", number.lstrip("+-"))[0].replace(".", "")
    return len(mantissa.lstrip("0")) or 1


def is_float_literal(text: str) -> bool:
    """Whether a glued value's text/plain is a Python float's repr (not a string, not an int)."""
    text = text.strip()
    return bool(NUMBER.fullmatch(text)) and bool(re.search(r"[.eE]", text))


def long_numbers(text: str) -> list[str]:
    """The decimals in ``text`` with at least PRINTED_DIGITS significant digits."""
    return [m[0] for m in NUMBER.finditer(text)
            if re.search(r"[.eE]", m[0]) and significant_digits(m[0]) >= PRINTED_DIGITS]


def text_outputs(path):
    """(where, mime or stream name, text) of every text output of every code cell."""
    for i, cell in enumerate(code_cells(path)):
        for out in cell["outputs"]:
            if out["output_type"] == "stream":
                yield f"{path.name} cell {i}", out["name"], "".join(out["text"])
            for mime, value in out.get("data", {}).items():
                if mime.split("/")[-1] in ("plain", "markdown", "latex", "html"):
                    yield (f"{path.name} cell {i}", mime,
                           "".join(value) if isinstance(value, list) else str(value))


def test_the_digit_rules_tell_a_raw_float_from_a_rounded_one():
    assert is_float_literal("9.686232180585298") and significant_digits("9.686232180585298") == 16
    assert not is_float_literal("'9.6862'") and not is_float_literal("3")
    assert significant_digits("0.0012300") == 5 and significant_digits("1e-09") == 1
    assert long_numbers("loss 48.540880374096396, angle 173.143223, tol 1.0e-09, v0.10.2") == [
        "48.540880374096396"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_glued_value_is_a_raw_float_with_more_digits_than_the_book_shows(path):
    # glue_decimal glues a string ('0.1234'), glue_bound Markdown; a raw float (glue_number,
    # glue of a float) is stored as its repr. A short repr (0.5, 1e-09) is an exact constant
    # and reads the same everywhere; seven digits or more are a computed value's last bits.
    raw = [(where, text) for where, mime, text in text_outputs(path)
           if mime == "application/papermill.record/text/plain"
           and ((is_float_literal(text) and significant_digits(text) >= RAW_FLOAT_DIGITS)
                or text.startswith("np.float"))]
    assert not raw, f"glued raw floats (use glue_decimal or glue_bound): {raw}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_output_shows_a_float_at_full_precision(path):
    # Printed tables and glued text use fixed formats with the digits the book shows;
    # PRINTED_DIGITS or more reach into the ones that move between CPUs.
    found = [(where, mime, n) for where, mime, text in text_outputs(path)
             for n in long_numbers(text)
             if not (mime == "application/papermill.record/text/plain"
                     and is_float_literal(text))]  # the test above covers those
    assert not found, f"numbers printed at full precision (round them, or print a bound): {found}"
