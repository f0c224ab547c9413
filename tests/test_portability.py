"""The portability check (tests/portability.py) runs each notebook under numeric kernels this
host would not pick by itself, and catches a chapter whose outputs depend on them.

The probe test runs the very passes ``make test`` runs (``python -m tests.portability run
binder|other``) on a throwaway notebook that prints floats at full precision, and asserts
what this host can show: every pass under an older level fails the JIT-compiled cell, and
the numpy cell wherever numpy's SIMD level differs too. ``make test-hosts`` (or
``BNPAPER_HOST_LEVEL=avx2 make test``) repeats it with this machine acting as each older host.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from . import portability as P

AVX512, AVX2, AVX, SSE42 = P.LEVELS


# --- Which levels, for which host ---------------------------------------------------------

SKYLAKE_X = {"sse4_2", "popcnt", "avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "avx512f",
             "avx512bw", "avx512cd", "avx512dq", "avx512vl"}
ZEN3 = SKYLAKE_X - {f for f in SKYLAKE_X if f.startswith("avx512")}
SANDY_BRIDGE = {"sse4_2", "popcnt", "avx"}
NEHALEM = {"sse4_2", "popcnt"}


@pytest.mark.parametrize(("flags", "level"), [
    (SKYLAKE_X, AVX512), (ZEN3, AVX2), (ZEN3 - {"fma"}, AVX), (SANDY_BRIDGE, AVX),
    (NEHALEM, SSE42), ({"sse2", "ssse3"}, None)])
def test_the_host_level_comes_from_its_cpu_flags(flags, level):
    assert P.level_of(frozenset(flags)) == level


def levels(host):
    return [(p.name, p.level, p.binder) for p in P.passes(host)]


def test_the_passes_use_older_levels_than_the_host_the_binder_pass_the_nearest():
    assert levels(AVX512) == [("binder", AVX2, True), ("other", AVX, False)]
    assert levels(AVX2) == [("binder", AVX, True), ("other", SSE42, False)]
    assert levels(AVX) == [("binder", SSE42, True)]  # numpy is at its baseline already
    # no older level (or not x86-64): every notebook still runs once, against stored outputs
    assert levels(SSE42) == levels(None) == [("binder", None, True)]


def test_each_level_leaves_out_the_newer_numeric_kernels_and_keeps_its_own_jax_cache():
    env = P.level_env(AVX, {"XLA_FLAGS": "--xla_force_host_platform_device_count=1 "
                                         "--xla_cpu_max_isa=AVX512",
                            "JAX_COMPILATION_CACHE_DIR": "/c",
                            "JAX_ENABLE_COMPILATION_CACHE": "false"}, "/checks/other-avx")
    assert env["XLA_FLAGS"] == "--xla_force_host_platform_device_count=1 --xla_cpu_max_isa=AVX"
    assert env["NPY_DISABLE_CPU_FEATURES"] == "X86_V3 X86_V4 AVX512_ICL AVX512_SPR"
    assert (env["BNPAPER_JAX_CACHE"], env["JAX_ENABLE_COMPILATION_CACHE"]) == (
        "/checks/other-avx", "true")
    assert "JAX_COMPILATION_CACHE_DIR" not in env
    assert P.level_env(AVX2, {})["NPY_DISABLE_CPU_FEATURES"] == "X86_V4 AVX512_ICL AVX512_SPR"
    assert (P.level_env(AVX2, {})["BNPAPER_JAX_CACHE"],
            P.level_env(AVX2, {})["JAX_ENABLE_COMPILATION_CACHE"]) == ("", "false")


def test_every_pass_level_and_cpu_has_a_jax_cache_of_its_own(monkeypatch):
    """Compiled code is reused only by a run of the same kind, under the same level's
    kernels, on the same CPU: never the chapters' cache, never another level's."""
    dirs = {(kind, lv): P.jax_cache_dir(kind, lv, {})
            for kind in ("binder", "other", "units") for lv in (*P.LEVELS, None)}
    assert len(set(dirs.values())) == len(dirs)
    native = Path.home() / ".cache" / "bnpaper-jax"
    assert all(native not in Path(d).parents and Path(d) != native for d in dirs.values())
    assert P.jax_cache_dir("other", AVX, {"BNPAPER_CHECK_CACHE": ""}) == ""
    assert P.jax_cache_dir("other", AVX, {"BNPAPER_CHECK_CACHE": "/x"}).startswith("/x/other-avx-")
    this_cpu = P.jax_cache_dir("other", AVX, {})
    monkeypatch.setattr(P, "cpu_flags", lambda: frozenset({"sse4_2"}))
    assert P.jax_cache_dir("other", AVX, {}) != this_cpu  # another CPU: another directory


def test_the_unit_tests_compile_into_the_units_cache_or_their_sessions(tmp_path_factory):
    """tests/conftest.py: under the ``units`` pass the unit tests' JAX programs are cached
    in the check's directory for this host's level (what the pass sets); in a bare pytest
    run, in this session's temporary directory (pytest-N, shared by its xdist workers);
    never in the chapters' ~/.cache/bnpaper-jax."""
    cache = Path(os.environ["BNPAPER_JAX_CACHE"])
    if os.environ.get(P.UNITS_CACHE):
        host, _ = P.host_level()
        assert str(cache) == P.jax_cache_dir("units", host) == os.environ[P.UNITS_CACHE]
        return
    base = tmp_path_factory.getbasetemp()
    assert cache.name == "jax-cache" and cache.parent in (base, base.parent)
    assert re.fullmatch(r"pytest-\d+", cache.parent.name), cache


def test_the_units_pass_points_the_sessions_cache_at_its_own_directory():
    cmd, env = P.command("units", ["-q"], {**os.environ, "BNPAPER_CHECK_CACHE": "/x"})
    host, _ = P.host_level()
    assert env[P.UNITS_CACHE] == P.jax_cache_dir("units", host, {"BNPAPER_CHECK_CACHE": "/x"})


@pytest.mark.skipif(P.detected_level() is None, reason="not an x86-64 host with /proc/cpuinfo")
def test_the_lever_makes_this_machine_act_as_an_older_host_never_a_newer_one():
    real = P.detected_level()
    assert P.host_level({}) == (real, False)
    assert P.host_level({P.LEVER: real.name}) == (real, False)
    for older in P.LEVELS[P.LEVELS.index(real) + 1:]:
        assert P.host_level({P.LEVER: older.name}) == (older, True)
        assert P.host_env({P.LEVER: older.name})["XLA_FLAGS"].endswith(older.xla_isa)
    for newer in P.LEVELS[:P.LEVELS.index(real)]:
        with pytest.raises(SystemExit, match="cannot act as it"):
            P.host_level({P.LEVER: newer.name})
    with pytest.raises(SystemExit, match="not a level"):
        P.host_level({P.LEVER: "avx3"})


# --- The probe ------------------------------------------------------------------------------

# Cell 0 records, for the test, what the kernel runs with (public interfaces only: numpy's
# show_config and numpy.lib.introspect, JAX's config). Cell 1 prints floats at full precision
# from numpy's SIMD code: cbrt moves between X86_V4 and X86_V3, tanh between X86_V3 and the
# baseline.
# Cell 2 from JIT-compiled code: the first value moves from AVX-512 to AVX2 to AVX (FMA), the
# second (a 16x64x16 product: XLA's tiling follows the vector width) from AVX2 to AVX to
# SSE4.2 (measured on this AVX-512 machine). Cell 3 prints cell 1's values rounded: it passes.
# Cell 4 shows a glued figure, stored with other bytes: nbval skips it (conftest.py).
STATE = """\
import importlib.util, json, os, sys
import numpy as np
from numpy.lib.introspect import opt_func_info
from bnpaper.core.autodiff import jax_x64
jax = jax_x64()  # as the chapters start JAX: float64, the CPU, the persistent cache
simd = np.show_config(mode='dicts')['SIMD Extensions']
info = [v for f in opt_func_info().values() for v in f.values()]
state = {'executable': sys.executable, 'xla_flags': os.environ.get('XLA_FLAGS', ''),
         'found': simd.get('found', []),
         'dispatch': simd.get('found', []) + simd.get('not found', []),
         'current': sorted({v['current'] for v in info}),
         'jax_cache': jax.config.jax_enable_compilation_cache,
         'bnpaper_cache': os.environ.get('BNPAPER_JAX_CACHE'),
         'pytest': importlib.util.find_spec('pytest') is not None}
if os.environ.get('BNPAPER_PROBE_STATE'):
    with open(os.environ['BNPAPER_PROBE_STATE'], 'w') as f:
        json.dump(state, f)"""
PROBE = [
    STATE,
    "import jax.numpy as jnp\n"
    "rng = np.random.default_rng(0)\n"
    "x = rng.standard_normal(4096)\n"
    "print(repr(float(np.sum(np.cbrt(x)))), repr(float(np.sum(np.tanh(x)))))",
    "a = (rng.standard_normal((3, 4)), rng.standard_normal((4, 4)),\n"
    "     rng.standard_normal((4, 4)), rng.standard_normal(4))\n"
    "b = rng.standard_normal((16, 64)), rng.standard_normal((64, 16))\n"
    "@jax.jit\n"
    "def f(x, w1, w2, v):\n"
    "    h = jnp.tanh(x @ w1)\n"
    "    h = jnp.tanh((h - h.mean(0)) / jnp.sqrt(h.var(0) + 1e-5) @ w2)\n"
    "    return jnp.sum(h @ v)\n"
    "g = jax.jit(lambda p, q: jnp.sum(jnp.tanh(p @ q)))\n"
    "print(repr(float(f(*a))), repr(float(g(*b))))",
    "print(f'{float(np.sum(np.cbrt(x))):.6f} {float(np.sum(np.tanh(x))):.6f}')",
    "from IPython.display import display\n"
    "display({'application/papermill.record/image/png': 'iVBORw0KGgo='}, raw=True)",
]
NUMPY_CELL, JIT_CELL = 1, 2


def numpy_rank(level: P.Level | None) -> int:
    """How many of numpy's dispatch levels ``level`` leaves out (numpy's own choice: 0)."""
    return len({"X86_V4", "X86_V3"} & set(level.npy_disable)) if level else 0


def expected_failures(host: P.Level | None, this: P.Pass) -> set[int]:
    """The probe cells that pass ``this`` must fail on a host of level ``host``: the JIT cell
    under any older level; the numpy cell where numpy's level is older too."""
    if this.level is None or host is None:
        return set()
    numpy_older = numpy_rank(this.level) > numpy_rank(host)
    return {JIT_CELL} | ({NUMPY_CELL} if numpy_older else set())


def write_probe(folder: Path) -> Path:
    """The probe, executed in this run's own kernels (a simulated host's under the lever),
    with cell 4's stored figure replaced by other bytes."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in PROBE])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    env = {k: v for k, v in P.host_env().items() if k != "BNPAPER_PROBE_STATE"}
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute(env=env)
    [figure] = nb.cells[4].outputs
    figure["data"]["application/papermill.record/image/png"] = "iVBORw0KGgoAAAA="
    path = folder / "probe.ipynb"
    nbformat.write(nb, path)
    (folder / "pytest.ini").write_text("[pytest]\n")
    shutil.copy(P.ROOT / "conftest.py", folder / "conftest.py")  # skips glued figures
    return path


def test_the_check_fails_on_a_chapter_whose_outputs_depend_on_the_cpu(tmp_path, monkeypatch):
    """Each pass fails the probe's CPU-dependent cells, and its JIT cell's programs go into
    the pass's own compilation cache (here an empty one in tmp_path)."""
    host, _ = P.host_level()
    path = write_probe(tmp_path)
    monkeypatch.setenv("BNPAPER_CHECK_CACHE", str(tmp_path / "checks"))
    runs = {}
    for this in P.passes(host):  # side by side, as make test runs them
        env = dict(os.environ, BNPAPER_PROBE_STATE=str(tmp_path / f"{this.name}.json"))
        runs[this] = subprocess.Popen(
            [sys.executable, "-m", "tests.portability", "run", this.name, "-p", "no:xdist",
             "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), "-rf", "-q",
             str(path)], cwd=P.ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
    for this, run in runs.items():
        out = run.communicate(timeout=600)[0]
        failed = {int(c) for c in re.findall(r"^FAILED \S*probe\.ipynb::Cell (\d)", out, re.M)}
        expected = expected_failures(host, this)
        assert failed == expected, (this, out[-4000:])
        assert f"{len(expected)} failed" in out or not expected, out[-4000:]
        assert f"{len(PROBE) - len(expected)} passed" in out, out[-4000:]
        check_kernel_state(this, json.loads((tmp_path / f"{this.name}.json").read_text()))
        assert any(Path(P.jax_cache_dir(this.name, this.level)).iterdir()), this


def check_kernel_state(this: P.Pass, state: dict) -> None:
    """The kernel of ``this`` ran where and with what the pass says."""
    if this.level is not None:
        assert state["xla_flags"].split()[-1] == f"--xla_cpu_max_isa={this.level.xla_isa}"
        # numpy ignores a name it does not dispatch on (only an ImportWarning): each counts
        assert set(this.level.npy_disable) <= set(state["dispatch"]), state["dispatch"]
        assert not set(this.level.npy_disable) & set(state["found"]), state["found"]
        assert not set(this.level.npy_disable) & set(state["current"]), state["current"]
    wanted = P.jax_cache_dir(this.name, this.level)
    assert (state["jax_cache"], state["bnpaper_cache"]) == (bool(wanted), wanted)
    if this.binder:  # Binder's environment: its own Python, no test tools
        assert Path(state["executable"]).parent == P.BINDER_ENV / "bin"
        assert not state["pytest"]
    else:
        assert Path(state["executable"]) == Path(sys.executable)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_test_runs_every_part():
    """The passes above, the unit tests, lint (notebooks at 79 columns), deptry and the site."""
    env = {**os.environ, "MAKEFLAGS": "", "MFLAGS": ""}  # not this run's jobserver, if any
    out = subprocess.run(["make", "-n", "--no-print-directory", "test"], cwd=P.ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    for part in ("-m tests.portability run binder", "-m tests.portability run other",
                 "-m tests.portability run units", "ruff check --line-length 79 book/",
                 "deptry .", "--optional-dependencies-dev-groups book,test",
                 "jupyter-book build", "-m pytest -m 'site"):
        assert part in out, part
