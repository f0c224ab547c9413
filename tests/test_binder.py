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
import subprocess

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
    """Where pythonX.Y is not on PATH, .venv-binder is built from another Python with a loud
    notice (make test still runs); this test then fails, so it is never silent."""
    assert version_of(str(binder_python())) == binder_python_version()


def test_nbval_finds_the_binder_kernelspec_with_binder_python():
    spec = BINDER_ENV / "share" / "jupyter" / "kernels" / BINDER_KERNEL / "kernel.json"
    binder_python()
    argv = json.loads(spec.read_text())["argv"]
    assert argv[0] == str(BINDER_ENV / "bin" / "python")
    assert argv[argv.index("-m") + 1] == "ipykernel_launcher"
