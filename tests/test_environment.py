"""One set of pins: environment.yml (Binder) repeats pyproject.toml's runtime pins exactly."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pyproject_runtime_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return dict(re.fullmatch(r"([\w.-]+)==(\S+)", d).groups() for d in project["dependencies"])


def environment_pins():
    text = (ROOT / "environment.yml").read_text()
    return dict(re.findall(r"^\s+-\s+([\w.-]+)==(\S+)\s*$", text, flags=re.M))


def test_every_pyproject_dependency_is_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    loose = [d for d in deps if not re.fullmatch(r"[\w.-]+==\S+", d)]
    assert not loose, f"not pinned with ==: {loose}"


def test_environment_yml_repeats_the_runtime_pins():
    assert environment_pins() == pyproject_runtime_pins()


def test_binder_installs_the_package_itself():
    post = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post


BUILTIN_MARKS = {"parametrize", "skipif", "skip", "xfail", "usefixtures", "filterwarnings"}


def test_every_mark_the_tests_use_is_registered_in_pyproject():
    """--strict-markers (addopts) fails collection on an unregistered mark; a mark only a
    plugin registers (xdist_group) would break a run without it (-p no:xdist)."""
    pytest_ini = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    registered = {m.split(":")[0].split("(")[0] for m in pytest_ini["ini_options"]["markers"]}
    used = {m for path in (ROOT / "tests").rglob("*.py")
            for m in re.findall(r"pytest\.mark\.(\w+)", path.read_text())}
    assert used - BUILTIN_MARKS - registered == set()
