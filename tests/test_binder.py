"""Every chapter re-executes in the environment Binder builds, and in nothing more.

The environment is made from what environment.yml and the package declare: a fresh virtual
environment with environment.yml's pip pins, then ``pip install --no-deps -e .`` as
``postBuild`` does. No pytest, nbval or jupyter-book: a chapter that needs anything
undeclared fails there. It is cached in .venv-binder, keyed by the declarations
(``tests/portability.py``, which builds it).

The chapters themselves run there as part of the portability check: nbval's
``book/X.ipynb[binder-avx2]`` items execute each chapter in a kernel of this environment
(with an AVX2 machine's numeric kernels) and compare every output with the stored one, so a
chapter that raises, writes to stderr or prints anything else there fails. One execution
serves both checks. The tests below show that those kernels really are Binder's.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .portability import BINDER_ENV, binder_python, binder_requirements
from .test_portability import run_in_kernel


def test_binder_environment_lacks_the_development_tools():
    python = binder_python()
    for module in ("pytest", "nbval", "jupyter_book", "xdist"):
        found = subprocess.run([str(python), "-c", f"import {module}"],
                               capture_output=True).returncode == 0
        assert not found, f"{module} is in the Binder environment; the test would prove nothing"


def test_binder_environment_has_exactly_the_pinned_versions():
    python = binder_python()
    frozen = subprocess.run([str(python), "-m", "pip", "freeze"], capture_output=True,
                            text=True, check=True).stdout.lower().splitlines()
    for pin in binder_requirements():
        assert pin.lower() in frozen, f"{pin} is not what .venv-binder has"


def test_binder_kernel_runs_in_the_binder_environment():
    out = run_in_kernel("binder-avx2", "import sys, importlib.util as u, bnpaper\n"
                        "print(sys.executable); print(u.find_spec('pytest') is None);"
                        " print(bnpaper.__file__)")
    executable, no_pytest, package = out.split()
    assert Path(executable).parent == BINDER_ENV / "bin"
    assert no_pytest == "True"
    assert Path(package).is_relative_to(Path(__file__).resolve().parents[1] / "src")
