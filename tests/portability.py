"""A pytest plugin: strict nbval re-run with the numeric kernels of other x86-64 CPUs (issue 9).

The chapters are committed executed on one machine (here AVX-512). Another machine computes
the last bits of a float differently, so a chapter that shows those bits passes nbval here
and fails everywhere else. This plugin makes that failure happen here too: with
``--other-cpus=NAME,...`` every notebook that nbval collects is collected once more per
named configuration, as ``book/X.ipynb[NAME]``, and each of those runs in a fresh kernel
whose numeric kernels are those of another CPU:

- XLA (JAX's compiler) generates code for at most that instruction set
  (``XLA_FLAGS=--xla_cpu_max_isa=...``);
- numpy's SIMD dispatch leaves out the newer targets (``NPY_DISABLE_CPU_FEATURES``; numpy
  2.4 dispatches on X86_V3 (AVX2, FMA), X86_V4 (AVX-512), AVX512_ICL, AVX512_SPR and
  ignores, with only an ImportWarning, any other name);
- JAX's persistent compilation cache is off (``BNPAPER_JAX_CACHE=`` and
  ``JAX_ENABLE_COMPILATION_CACHE=false``), so no compiled code comes from another run.

On a machine that is not x86-64 the two flags do not apply; the runs then use that machine's
own kernels, which differ from the executing machine's anyway.

OpenBLAS's kernels are left as the machine chooses (``OPENBLAS_CORETYPE`` and
``OPENBLAS_L2_SIZE`` untouched: some processors need them set for correctness).

With ``--other-cpus-only`` (``make test``) nbval's own run in this machine's kernels is
deselected: the stored outputs are that run's, and the other runs compare every one of them.

Every cell's outputs are compared with the stored ones, as nbval does natively. The
``binder-*`` configurations run the kernel in ``.venv-binder``, an environment made only from
environment.yml and ``pip install --no-deps -e .`` as Binder makes it, so one execution per
chapter checks both "runs in the Binder environment" and "gives the same outputs on another
CPU".

Also here, because the portability runs need it as much as nbval's own: glued figures are not
compared byte for byte (see ``GLUED_IMAGES``), and under pytest-xdist every notebook's cells
stay together on one worker, in order (``NotebookScheduling``), the notebooks first.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import subprocess
import sys
import tomllib
import venv
from dataclasses import dataclass
from pathlib import Path

import nbval.kernel
import pytest
import yaml
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbval.kernel import RunningKernel
from nbval.plugin import IPyNbCell, IPyNbFile

ROOT = Path(__file__).resolve().parents[1]
BINDER_ENV = ROOT / ".venv-binder"

# Glued figures are stored as application/papermill.record/image/png and would be compared
# byte for byte; nbval already skips plain image/png for the same reason (nbval #185).
# Every text output, glued or printed, is still compared.
GLUED_IMAGES = ("application/papermill.record/image/png",)

X86 = platform.machine().lower() in ("x86_64", "amd64")

# numpy 2.4's dispatch targets above its X86_V2 baseline, newest last.
_NPY_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"


@dataclass(frozen=True)
class Cpu:
    """Another CPU's numeric kernels, and the environment the kernel runs in."""

    xla_max_isa: str  # XLA's --xla_cpu_max_isa
    npy_disable: str  # NPY_DISABLE_CPU_FEATURES
    binder: bool = False  # run in .venv-binder instead of pytest's environment
    about: str = ""


CPUS = {
    "avx2": Cpu("AVX2", _NPY_AVX512, about="an AVX2 machine: most laptops, many CI runners"),
    "avx": Cpu("AVX", "X86_V3 " + _NPY_AVX512, about="an AVX-only machine: no AVX2, no FMA"),
    "binder-avx2": Cpu("AVX2", _NPY_AVX512, binder=True,
                       about="an AVX2 machine, in the environment Binder builds"),
}


def pytest_addoption(parser):
    group = parser.getgroup("nbval")
    group.addoption(
        "--other-cpus", default="", metavar="NAME,...",
        help=f"with --nbval, also run every notebook under these CPUs' kernels: {', '.join(CPUS)}")
    group.addoption(
        "--other-cpus-only", action="store_true",
        help="with --other-cpus, leave out nbval's own run of every notebook in this machine's "
             "kernels (the other-CPU runs compare the same stored outputs)")


def other_cpus(config) -> list[str]:
    names = [n for n in config.getoption("other_cpus").split(",") if n]
    unknown = set(names) - set(CPUS)
    if unknown:
        raise pytest.UsageError(f"--other-cpus: unknown {sorted(unknown)}; known: {list(CPUS)}")
    if config.getoption("other_cpus_only") and not names:
        raise pytest.UsageError("--other-cpus-only needs --other-cpus=NAME,...")
    return names


KERNEL_START_ATTEMPTS = 3
"""How often a kernel that dies before it replies is started again (see :func:`retrying`)."""


def retrying(start):
    """``start``, tried up to :data:`KERNEL_START_ATTEMPTS` times while the kernel dies before
    replying to kernel_info.

    jupyter_client picks a kernel's five TCP ports by binding and releasing them; under xdist,
    with the browser tests' server and Chromium beside it, another process can take one
    before the kernel binds it, and the kernel dies at start (seen once in a fresh clone). A
    kernel that dies for a real reason (a broken environment) dies every time and still fails.
    """
    def start_with_retries(*args, **kwargs):
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                return start(*args, **kwargs)
            except RuntimeError as exc:
                if "died before replying" not in str(exc) or attempt == KERNEL_START_ATTEMPTS:
                    raise
    start_with_retries.retries = True
    return start_with_retries


def pytest_configure(config):
    # nbval's own kernels (the native run) start through nbval.kernel.start_new_kernel.
    if not getattr(nbval.kernel.start_new_kernel, "retries", False):
        nbval.kernel.start_new_kernel = retrying(nbval.kernel.start_new_kernel)
    if config.option.nbval or config.option.nbval_lax:
        for name in other_cpus(config):
            config.pluginmanager.register(_Collector(name), f"bnpaper-other-cpu-{name}")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(NotebookScheduling(), "bnpaper-notebook-scheduling")


class _Collector:
    """Collects each notebook once more, to run under one other CPU's kernels."""

    def __init__(self, name: str):
        self.name = name

    def pytest_collect_file(self, file_path, parent):
        if file_path.suffix == ".ipynb":
            rel = os.path.relpath(file_path, parent.config.rootpath)
            return OtherCpuNotebook.from_parent(
                parent, path=file_path, name=f"{file_path.name}[{self.name}]",
                nodeid=f"{rel}[{self.name}]", cpu=self.name)
        return None


class OtherCpuNotebook(IPyNbFile):
    """nbval's notebook collector, with its kernel started under another CPU's kernels."""

    def __init__(self, *args, cpu: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.cpu = cpu

    def setup(self):
        cpu = CPUS[self.cpu]
        python = binder_python() if cpu.binder else Path(sys.executable)
        self.kernel = start_kernel(python, kernel_env(cpu, python), cwd=self.path.parent,
                                   timeout=self.config.option.nbval_kernel_startup_timeout)
        self.setup_sanitize_files()


def kernel_env(cpu: Cpu, python: Path) -> dict[str, str]:
    """The environment of a kernel under ``cpu``'s numeric kernels, run by ``python``."""
    env = dict(os.environ)
    if cpu.binder:  # nothing of pytest's environment may leak into Binder's
        env = {k: v for k, v in env.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
        env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    if X86:  # elsewhere the machine's own kernels already differ from the executing one's
        env["XLA_FLAGS"] = f"--xla_cpu_max_isa={cpu.xla_max_isa}"
        env["NPY_DISABLE_CPU_FEATURES"] = cpu.npy_disable
    env["BNPAPER_JAX_CACHE"] = ""  # bnpaper's switch (src/bnpaper/autodiff.py) ...
    env["JAX_ENABLE_COMPILATION_CACHE"] = "false"  # ... and JAX's own, whatever else is set
    env.pop("JAX_COMPILATION_CACHE_DIR", None)
    return env


class _OneKernelSpec(KernelSpecManager):
    def __init__(self, spec: KernelSpec):
        super().__init__()
        self.spec = spec

    def get_kernel_spec(self, kernel_name):
        return self.spec


@retrying
def start_kernel(python: Path, env: dict[str, str], cwd: Path, timeout: float) -> RunningKernel:
    """An IPython kernel run by ``python`` with exactly ``env``, as nbval's RunningKernel."""
    spec = KernelSpec(argv=[str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name=f"Python ({python})", language="python")
    km = KernelManager(kernel_name="bnpaper-other-cpu", kernel_spec_manager=_OneKernelSpec(spec))
    with open(os.devnull, "w") as devnull:
        km.start_kernel(env=env, cwd=str(cwd), stderr=devnull)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
    except RuntimeError:
        kc.stop_channels()
        km.shutdown_kernel()
        raise
    kernel = RunningKernel.__new__(RunningKernel)  # nbval's class, minus how it starts
    kernel.km, kernel.kc = km, kc
    kernel._ensure_iopub_up()
    return kernel


# --- The Binder environment ---------------------------------------------------------------

def binder_requirements() -> list[str]:
    """environment.yml's pip pins: all that Binder installs besides Python itself."""
    spec = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = [d for d in spec["dependencies"] if isinstance(d, dict) and "pip" in d]
    if len(pip) != 1:
        raise ValueError("environment.yml needs exactly one pip: section")
    return pip[0]["pip"]


def declarations_hash() -> str:
    """What .venv-binder is made from: environment.yml and the package's own declaration
    (pyproject.toml's [project] and [build-system], less the extras and the tool settings,
    which Binder does not install)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package = {k: pyproject[k] for k in ("project", "build-system")}
    package["project"] = {k: v for k, v in package["project"].items()
                          if k != "optional-dependencies"}
    text = (ROOT / "environment.yml").read_text() + json.dumps(package, sort_keys=True)
    text += str(ROOT)  # where the editable install points
    return hashlib.sha256(text.encode()).hexdigest()


def binder_python() -> Path:
    """The Python of .venv-binder, (re)built when environment.yml or pyproject.toml changed.

    A fresh virtual environment with environment.yml's pip pins, then
    ``pip install --no-deps -e .`` as ``postBuild`` does: no pytest, nbval or jupyter-book.
    A file lock lets several pytest-xdist workers ask at once.
    """
    python = BINDER_ENV / "bin" / "python"
    stamp = BINDER_ENV / ".declarations"
    lock_path = ROOT / "_build" / ".venv-binder.lock"  # _build is ignored by git
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (python.exists() and stamp.exists() and stamp.read_text() == declarations_hash()):
            venv.EnvBuilder(clear=True, with_pip=True).create(BINDER_ENV)
            pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            subprocess.run([*pip, *binder_requirements()], check=True)
            subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)  # as postBuild
            stamp.write_text(declarations_hash())
    return python


# --- nbval's comparison, and scheduling under pytest-xdist ---------------------------------

def pytest_collectstart(collector):
    if isinstance(collector, IPyNbFile):
        collector.skip_compare += GLUED_IMAGES


def pytest_collection_modifyitems(config, items):
    """The notebooks first, the other-CPU runs (no JAX cache, so the longest) before the rest;
    with ``--other-cpus-only`` nbval's own (native) runs are deselected.

    Under pytest-xdist, starting the longest units of work first keeps both workers busy until
    the end, the short unit tests filling the gaps (see ``NotebookScheduling``).
    """
    notebooks = [item for item in items if isinstance(item, IPyNbCell)]
    rest = [item for item in items if not isinstance(item, IPyNbCell)]
    if config.getoption("other_cpus_only", False) and other_cpus(config):
        native = [i for i in notebooks if not isinstance(i.parent, OtherCpuNotebook)]
        notebooks = [i for i in notebooks if isinstance(i.parent, OtherCpuNotebook)]
        config.hook.pytest_deselected(items=native)
    items[:] = sorted(notebooks, key=lambda i: _cost_rank(i.parent)) + rest


def _cost_rank(notebook) -> tuple[int, str]:
    return (0 if isinstance(notebook, OtherCpuNotebook) else 1, notebook.nodeid)


class NotebookScheduling:
    """pytest-xdist's ``load``, except that a notebook's cells go to one worker, in order.

    nbval runs a notebook's cells in one kernel, one after the other; xdist's default would
    spread them over the workers. Every other test is its own unit of work, and the units go
    out in collection order (see ``pytest_collection_modifyitems``). xdist's ``loadgroup``
    would do this with marks, but xdist 3.8 cannot rename pytest 9.2's items.
    """

    @staticmethod
    def scope(nodeid: str) -> str:
        head = nodeid.split("::", 1)[0]
        return head if head.endswith(".ipynb") or ".ipynb[" in head else nodeid

    def pytest_xdist_make_scheduler(self, config, log):
        from xdist.scheduler import LoadScopeScheduling

        if config.getvalue("dist") != "load":
            return None

        class Scheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                return NotebookScheduling.scope(nodeid)

        config.option.loadscopereorder = False  # keep the order set above
        return Scheduling(config, log)
