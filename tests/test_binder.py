"""Every chapter re-executes in the environment Binder builds, and in nothing more.

The environment is made from what environment.yml and the package declare: a fresh virtual
environment with environment.yml's pip pins, then ``pip install --no-deps -e .`` as
``postBuild`` does. No pytest, nbval or jupyter-book: a chapter that needs anything
undeclared fails here. The environment is cached in .venv-binder, keyed by the declarations.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ENV_DIR = ROOT / ".venv-binder"
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))


def binder_requirements() -> list[str]:
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = [d for d in spec["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip) == 1, "environment.yml needs exactly one pip: section"
    return pip[0]["pip"]


def declarations_hash() -> str:
    text = (ROOT / "environment.yml").read_text() + (ROOT / "pyproject.toml").read_text()
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def binder_python() -> Path:
    python = ENV_DIR / "bin" / "python"
    stamp = ENV_DIR / ".declarations"
    if not (python.exists() and stamp.exists() and stamp.read_text() == declarations_hash()):
        venv.EnvBuilder(clear=True, with_pip=True).create(ENV_DIR)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *binder_requirements()], check=True)
        subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)  # as postBuild does
        stamp.write_text(declarations_hash())
    return python


def test_binder_environment_lacks_the_development_tools(binder_python):
    for module in ("pytest", "nbval", "jupyter_book"):
        found = subprocess.run([str(binder_python), "-c", f"import {module}"],
                               capture_output=True).returncode == 0
        assert not found, f"{module} is in the Binder environment; the test would prove nothing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_executes_in_the_binder_environment(binder_python, path, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["PATH"] = f"{binder_python.parent}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_PATH"] = str(ENV_DIR / "share" / "jupyter")  # its own python3 kernel
    out = tmp_path / path.name
    result = subprocess.run(
        [str(binder_python.parent / "jupyter-execute"), f"--output={out}", "--timeout=600",
         str(path)], capture_output=True, text=True, cwd=path.parent, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    nb = json.loads(out.read_text())
    errors = [o for c in nb["cells"] for o in c.get("outputs", [])
              if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert not errors, errors[:3]
    assert sys.executable not in result.stderr
