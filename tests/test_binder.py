"""Every chapter re-executes in the environment Binder builds, and in nothing more.

The environment is made from what environment.yml and the package declare: a fresh virtual
environment from environment.yml's Python with its pip pins, then ``pip install --no-deps
-e .`` as ``postBuild`` does. No pytest, nbval or jupyter-book: a chapter that needs anything
undeclared fails there. It is cached in .venv-binder, keyed by the declarations
(``tests/portability.py``, which builds it).

The chapters themselves run there in ``make test``'s Binder pass (nbval with the kernelspec
``bnpaper-binder`` of that environment, under an older CPU's kernels), which compares every
output with the stored one. The probe test (tests/test_portability.py) shows that this pass's
kernel runs .venv-binder's Python without the test tools; the tests below check the rest.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from .portability import (
    BINDER_ENV,
    BINDER_KERNEL,
    binder_python,
    binder_python_version,
    binder_requirements,
    version_of,
)


def test_binder_environment_lacks_the_development_tools():
    python = binder_python()
    code = ("import importlib.util as u; print([m for m in ('pytest', 'nbval', 'jupyter_book', "
            "'xdist', 'playwright') if u.find_spec(m)])")
    found = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]", f"in the Binder environment: {found.stdout}"


def test_binder_environment_has_exactly_the_pinned_versions():
    python = binder_python()
    frozen = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True,
                            text=True, check=True).stdout.lower().splitlines()
    for pin in binder_requirements():
        assert pin.lower() in frozen, f"{pin} is not what .venv-binder has"


def test_binder_environment_runs_the_python_environment_yml_pins():
    """Where pythonX.Y is not on PATH, .venv-binder is built from another Python, with a loud
    notice from the Binder pass; this test is then skipped, saying which (pytest -ra lists
    it in the summary), so that make test still passes on such a machine, and says so."""
    wanted, used = binder_python_version(), version_of(str(binder_python()))
    if used != wanted and not (shutil.which(f"python{wanted}")):
        pytest.skip(f"no python{wanted} on PATH: .venv-binder runs Python {used}, not "
                    f"environment.yml's {wanted}")
    assert used == wanted


def test_nbval_finds_the_binder_kernelspec_with_binder_python():
    spec = BINDER_ENV / "share" / "jupyter" / "kernels" / BINDER_KERNEL / "kernel.json"
    binder_python()
    argv = json.loads(spec.read_text())["argv"]
    assert argv[0] == str(BINDER_ENV / "bin" / "python")
    assert argv[argv.index("-m") + 1] == "ipykernel_launcher"


def test_without_environment_yml_python_the_binder_env_says_loudly_which_it_uses(
        monkeypatch, capsys):
    from . import portability

    monkeypatch.setattr(portability.shutil, "which", lambda name: None)
    base, version = portability.binder_base_python()
    assert base == sys.executable and version == "{}.{}".format(*sys.version_info[:2])
    err = capsys.readouterr().err
    assert "DOES NOT RUN BINDER'S PYTHON" in err and f"Python {version}" in err
