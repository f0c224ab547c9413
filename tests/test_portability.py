"""The portability check (tests/portability.py) changes the numeric kernels, and catches a
chapter whose outputs depend on them.

`make test` runs nbval over book/ under two other CPUs' kernels (``--other-cpus`` and
``--other-cpus-only`` in pyproject.toml's addopts), not again natively: the stored outputs
are the native run's. These tests show that the other-CPU kernels really differ from the
native ones, and that the check fails on an output that shows the last bits of a float, on
this machine as on any other.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .portability import CPUS, ROOT, X86, binder_python, kernel_env, start_kernel

DEFAULT_CPUS = ("binder-avx2", "avx")


def addopts() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return shlex.split(config["tool"]["pytest"]["ini_options"]["addopts"])


def test_pytest_runs_the_portability_check_by_default():
    assert f"--other-cpus={','.join(DEFAULT_CPUS)}" in addopts()
    assert {"--nbval", "--nbval-current-env", "--other-cpus-only"} <= set(addopts())


def run_in_kernel(cpu: str, code: str) -> str:
    """What ``code`` prints in a kernel started as the portability check starts it."""
    python = binder_python() if CPUS[cpu].binder else Path(sys.executable)
    kernel = start_kernel(python, kernel_env(CPUS[cpu], python), cwd=ROOT, timeout=60)
    try:
        msg_id = kernel.execute_cell_input(code, allow_stdin=False)
        kernel.await_reply(msg_id, timeout=120)
        text = []
        while True:
            msg = kernel.get_message(stream="iopub", timeout=10)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                text.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                raise AssertionError("\n".join(msg["content"]["traceback"]))
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(text)
    finally:
        kernel.stop()


NUMPY_DISPATCH = """
import json, numpy as np
mu = np._core._multiarray_umath
print(json.dumps({"dispatch": mu.__cpu_dispatch__, "features": mu.__cpu_features__}))
"""


KERNEL_STATE = """
import json, os, numpy as np, bnpaper.autodiff as ad
mu = np._core._multiarray_umath
jax = ad.jax_x64()
print(json.dumps({"dispatch": mu.__cpu_dispatch__, "features": mu.__cpu_features__,
                  "xla_flags": os.environ.get("XLA_FLAGS"),
                  "cache": [jax.config.jax_enable_compilation_cache,
                            jax.config.jax_compilation_cache_dir]}))
"""


@pytest.mark.skipif(not X86, reason="the other CPUs' kernels are x86-64's")
@pytest.mark.parametrize("cpu", CPUS)
def test_other_cpu_kernel_has_other_numeric_kernels_and_no_jax_cache(cpu):
    state = json.loads(run_in_kernel(cpu, KERNEL_STATE))
    disabled = CPUS[cpu].npy_disable.split()
    # numpy ignores a name it does not dispatch on (only an ImportWarning): every name counts
    assert set(disabled) <= set(state["dispatch"]), (disabled, state["dispatch"])
    assert not any(state["features"][name] for name in disabled)
    assert state["xla_flags"] == f"--xla_cpu_max_isa={CPUS[cpu].xla_max_isa}"
    assert state["cache"] == [False, None]


# A throwaway chapter: cell 1 prints a float at full precision from numpy's SIMD code,
# cell 2 from a JIT-compiled reduction; both last digits move with the CPU here (measured on
# the AVX-512 machine the book is executed on). Cell 3 prints cell 1's value rounded.
PROBE = [
    "import jax, jax.numpy as jnp, numpy as np\n"
    "jax.config.update('jax_enable_x64', True)\n"
    "jax.config.update('jax_platforms', 'cpu')\n"
    "rng = np.random.default_rng(0)\n"
    "x = rng.standard_normal(4096)\n"
    "a = rng.standard_normal((3, 4)), rng.standard_normal((4, 4)), "
    "rng.standard_normal((4, 4)), rng.standard_normal(4)",
    "print(repr(float(np.sum(np.cbrt(x)))))",
    "@jax.jit\n"
    "def f(x, w1, w2, v):\n"
    "    h = jnp.tanh(x @ w1)\n"
    "    h = jnp.tanh((h - h.mean(0)) / jnp.sqrt(h.var(0) + 1e-5) @ w2)\n"
    "    return jnp.sum(h @ v)\n"
    "print(repr(float(f(*a))))",
    "print(f'{float(np.sum(np.cbrt(x))):.6f}')",
]


@pytest.mark.skipif(not X86, reason="the cells' last digits were measured on x86-64")
def test_the_check_fails_on_a_chapter_whose_outputs_depend_on_the_cpu(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in PROBE])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.portability", "-p", "no:cacheprovider",
         "-p", "no:xdist", "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path),
         "--nbval", "--nbval-current-env", f"--other-cpus={','.join(DEFAULT_CPUS)}",
         "--other-cpus-only", "-rf", "-q", str(path)], cwd=ROOT, capture_output=True, text=True)
    failed = set(re.findall(r"^FAILED \S*?(probe\.ipynb\S*::Cell \d)", result.stdout, flags=re.M))
    expected = {f"probe.ipynb[{cpu}]::Cell {cell}" for cpu in DEFAULT_CPUS for cell in (1, 2)}
    assert failed == expected, result.stdout[-4000:]
    # the native run (the 4 cells as executed here) is left out, not run and passed
    assert (f"{len(expected)} failed, {4 * 2 - len(expected)} passed, 4 deselected"
            in result.stdout), result.stdout[-4000:]


def test_a_kernel_that_dies_at_start_is_started_again_but_not_forever():
    from .portability import KERNEL_START_ATTEMPTS, retrying

    calls = []

    def dies_then_starts(n_deaths):
        def start():
            calls.append(1)
            if len(calls) <= n_deaths:
                raise RuntimeError("Kernel died before replying to kernel_info")
            return "kernel"
        return start

    assert retrying(dies_then_starts(KERNEL_START_ATTEMPTS - 1))() == "kernel"
    calls.clear()
    with pytest.raises(RuntimeError, match="died before replying"):
        retrying(dies_then_starts(KERNEL_START_ATTEMPTS))()
    assert len(calls) == KERNEL_START_ATTEMPTS
    calls.clear()

    def other_error():
        calls.append(1)
        raise RuntimeError("Kernel didn't respond in 60 seconds")

    with pytest.raises(RuntimeError, match="respond"):
        retrying(other_error)()
    assert len(calls) == 1  # only a death at start is retried
