"""Which numeric kernels the notebooks are checked under, and the command that runs each pass.

    .venv/bin/python -m tests.portability                    # this host, and what runs
    .venv/bin/python -m tests.portability run PASS [PYTEST ARGUMENTS...]

The chapters are committed executed on one machine. Another machine computes the last bits
of a float differently, so a chapter that shows those bits passes nbval where it was executed
and fails everywhere else. ``make test`` makes that failure happen on every machine: it runs
each notebook through nbval under the numeric kernels of CPUs *older than this host*, which
this host would never pick by itself:

- XLA (JAX's compiler) generates code for at most that instruction set
  (``XLA_FLAGS=--xla_cpu_max_isa=...``);
- numpy leaves out its newer SIMD targets (``NPY_DISABLE_CPU_FEATURES``; numpy 2.4
  dispatches on X86_V3 (AVX2, FMA), X86_V4 (AVX-512), AVX512_ICL and AVX512_SPR above its
  X86_V2 (SSE4.2) baseline, which cannot be left out);
- JAX's persistent compilation cache is one of the check's own (``BNPAPER_JAX_CACHE``,
  :func:`jax_cache_dir`): a directory per pass, level and host CPU, never the chapters'
  ``~/.cache/bnpaper-jax``, so no code compiled for another target is reused. JAX keys
  each entry on the program, the compile options, ``XLA_FLAGS`` and the jax and jaxlib
  versions: a hit is the code XLA would compile again for that level, so the numbers a
  pass checks are the same, and a second run skips the compiling (about 20 CPU-s a pass).
  ``BNPAPER_CHECK_CACHE=`` turns it off (every program compiled afresh).

The levels, newest first: AVX-512, AVX2 (with FMA), AVX, SSE4.2. The host's level comes
from its CPU flags (``/proc/cpuinfo``); ``BNPAPER_HOST_LEVEL=avx2`` (or ``avx``,
``sse4_2``) makes this machine act as an older host for a whole run: every process of the
run gets that level's kernels, and the passes go below it. The passes (:func:`passes`):

- ``binder``: nbval with the kernel of ``.venv-binder``, the environment Binder builds
  (environment.yml's Python and pins, then ``pip install --no-deps -e .`` as postBuild
  does), under the nearest older level;
- ``other``: nbval in ``.venv``, under the level below that. A host with only one older
  level (AVX) runs ``binder`` alone; a host with none (SSE4.2, or not x86-64: aarch64,
  Apple silicon) runs ``binder`` in its own kernels, so every notebook is still compared
  with its stored outputs once;
- ``units``: the unit tests, in this host's kernels (a simulated host's, under the lever);
- ``native``: nbval in ``.venv`` in this host's kernels (not part of ``make test``: the
  stored outputs are what those kernels computed, ``make execute``).

Each pass is an ordinary pytest run (``--nbval`` with ``--nbval-current-env``, or
``--nbval-kernel-name bnpaper-binder``, the kernelspec ipykernel installs into
.venv-binder); the kernel inherits the variables above from pytest's environment.
OpenBLAS's kernels are left as the machine chooses (``OPENBLAS_CORETYPE`` and
``OPENBLAS_L2_SIZE`` untouched: some processors need them set for correctness).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BINDER_ENV = ROOT / ".venv-binder"
BINDER_KERNEL = "bnpaper-binder"  # the kernelspec .venv-binder's ipykernel installs
LEVER = "BNPAPER_HOST_LEVEL"

X86 = platform.machine().lower() in ("x86_64", "amd64")

_NPY_AVX512 = ("X86_V4", "AVX512_ICL", "AVX512_SPR")


@dataclass(frozen=True)
class Level:
    """One x86-64 level's numeric kernels."""

    name: str
    label: str  # as the README says it
    xla_isa: str  # XLA's --xla_cpu_max_isa
    npy_disable: tuple[str, ...]  # numpy 2.4's dispatch targets above this level
    cpu_flags: frozenset[str]  # /proc/cpuinfo flags a CPU of this level has (at least)
    about: str


# Newest first. numpy cannot go below its X86_V2 baseline: AVX and SSE4.2 differ in XLA only.
LEVELS = (
    Level("avx512", "AVX-512", "AVX512", (), frozenset(
        {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}),
        "AVX-512: most servers, recent AMD desktops"),
    Level("avx2", "AVX2", "AVX2", _NPY_AVX512, frozenset({"avx2", "fma", "bmi1", "bmi2", "f16c"}),
          "AVX2 and FMA, no AVX-512: most laptops, many CI runners and Binder nodes"),
    Level("avx", "AVX", "AVX", ("X86_V3", *_NPY_AVX512), frozenset({"avx"}),
          "AVX, no AVX2 or FMA: CPUs of about 2011-2013"),
    Level("sse4_2", "SSE4.2", "SSE4_2", ("X86_V3", *_NPY_AVX512), frozenset({"sse4_2", "popcnt"}),
          "SSE4.2 (x86-64-v2): numpy 2.4's baseline"),
)
BY_NAME = {level.name: level for level in LEVELS}


def level_of(flags: set[str] | frozenset[str]) -> Level | None:
    """The newest level whose CPU flags are all in ``flags`` (None below SSE4.2)."""
    return next((level for level in LEVELS if level.cpu_flags <= flags), None)


def cpu_flags() -> frozenset[str] | None:
    """This CPU's flags from /proc/cpuinfo; None where there is none (not Linux)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return None
    line = re.search(r"^flags\s*:(.*)$", text, flags=re.M)
    return frozenset(line.group(1).split()) if line else None


def detected_level() -> Level | None:
    """This machine's level, None if it is not x86-64 (or its flags cannot be read)."""
    if not X86:
        return None
    flags = cpu_flags()
    return level_of(flags) if flags is not None else None


def host_level(environ=os.environ) -> tuple[Level | None, bool]:
    """The level this run acts as, and whether it is simulated (``BNPAPER_HOST_LEVEL``)."""
    real = detected_level()
    wanted = environ.get(LEVER, "")
    if not wanted:
        return real, False
    if wanted not in BY_NAME:
        raise SystemExit(f"{LEVER}={wanted}: not a level; known: {', '.join(BY_NAME)}")
    if real is None or LEVELS.index(BY_NAME[wanted]) < LEVELS.index(real):
        raise SystemExit(f"{LEVER}={wanted}: this machine cannot act as it (it is "
                         f"{real.name if real else 'not a known x86-64 level'})")
    return BY_NAME[wanted], BY_NAME[wanted] != real


@dataclass(frozen=True)
class Pass:
    """One nbval run over the notebooks."""

    name: str  # "binder" or "other"
    level: Level | None  # None: the host's own kernels
    binder: bool

    def describe(self) -> str:
        where = "the Binder environment (.venv-binder)" if self.binder else ".venv"
        kernels = (f"an {self.level.label} machine's kernels ({self.level.about})"
                   if self.level else "this host's own kernels (no older level to go to)")
        return f"nbval in {where}, under {kernels}"


def passes(host: Level | None) -> list[Pass]:
    """The notebook passes of ``make test`` on a host of level ``host`` (None: not x86-64).

    Each uses kernels the host would not pick by itself: the two nearest older levels, the
    Binder environment under the nearest. With one older level, one pass; with none, the
    Binder pass in the host's own kernels, so every notebook still runs once."""
    older = list(LEVELS[LEVELS.index(host) + 1:]) if host else []
    if not older:
        return [Pass("binder", None, binder=True)]
    return [Pass("binder", older[0], binder=True)] + [Pass("other", lv, False) for lv in older[1:2]]


def cpu_fingerprint() -> str:
    """A short digest of this CPU's model and flags: a cache directory written on one CPU is
    never read on another (a home directory shared between machines)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        text = platform.processor() or platform.machine()
    model = re.search(r"^model name\s*:(.*)$", text, flags=re.M)
    key = (model.group(1).strip() if model else "") + " ".join(sorted(cpu_flags() or ()))
    return hashlib.sha256((key or text).encode()).hexdigest()[:10]


def jax_cache_dir(kind: str, level: Level | None, environ=os.environ) -> str:
    """JAX's persistent cache for one kind of run (``binder``, ``other``, ``units``) under
    ``level``'s kernels (None: the host's own) on this CPU; "" (no cache) where
    ``BNPAPER_CHECK_CACHE`` is set empty. Never the chapters' own ``~/.cache/bnpaper-jax``."""
    root = environ.get("BNPAPER_CHECK_CACHE",
                       str(Path.home() / ".cache" / "bnpaper-jax-checks"))
    if not root:
        return ""
    return str(Path(root) / f"{kind}-{level.name if level else 'host'}-{cpu_fingerprint()}")


def level_env(level: Level | None, environ, cache: str = "") -> dict[str, str]:
    """``environ`` with ``level``'s numeric kernels (the host's own if None) and JAX's
    persistent compilation cache in ``cache`` (none if "")."""
    env = dict(environ)
    if level is not None:
        xla = re.sub(r"--xla_cpu_max_isa=\S*", "", env.get("XLA_FLAGS", "")).split()
        env["XLA_FLAGS"] = " ".join([*xla, f"--xla_cpu_max_isa={level.xla_isa}"])
        if level.npy_disable:
            env["NPY_DISABLE_CPU_FEATURES"] = " ".join(level.npy_disable)
        else:
            env.pop("NPY_DISABLE_CPU_FEATURES", None)
    env["BNPAPER_JAX_CACHE"] = cache  # bnpaper's switch (src/bnpaper) ...
    env["JAX_ENABLE_COMPILATION_CACHE"] = "true" if cache else "false"  # ... and JAX's own
    env.pop("JAX_COMPILATION_CACHE_DIR", None)  # whatever else is set: only ``cache``
    return env


def host_env(environ=os.environ) -> dict[str, str]:
    """The environment of this run's own processes: unchanged on a real host; a simulated
    host's kernels (and no JAX cache) under ``BNPAPER_HOST_LEVEL``."""
    level, simulated = host_level(environ)
    return level_env(level, environ) if simulated else dict(environ)


UNITS_CACHE = "BNPAPER_TEST_JAX_CACHE"
"""Where the unit tests' session keeps JAX's compiled programs (tests/conftest.py); set by
the ``units`` pass to :func:`jax_cache_dir`, otherwise each session has its own."""


def notice(*lines: str) -> None:
    """A message no one can miss in make's output."""
    bar = "#" * 88
    print("\n".join([bar, *(f"#  {line}" for line in lines), bar]), file=sys.stderr, flush=True)


# --- The Binder environment ---------------------------------------------------------------

def binder_spec() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def binder_requirements() -> list[str]:
    """environment.yml's pip pins: all that Binder installs besides Python itself."""
    pip = [d for d in binder_spec()["dependencies"] if isinstance(d, dict) and "pip" in d]
    if len(pip) != 1:
        raise ValueError("environment.yml needs exactly one pip: section")
    return pip[0]["pip"]


def binder_python_version() -> str:
    """The Python version environment.yml pins (``python=3.11`` -> ``3.11``)."""
    for dep in binder_spec()["dependencies"]:
        if isinstance(dep, str) and re.fullmatch(r"python\s*=+\s*[\d.]+", dep):
            return re.split(r"=+", dep)[-1].strip()
    raise ValueError("environment.yml pins no python=X.Y")


def version_of(python: str) -> str | None:
    """``X.Y`` of the interpreter ``python``, None if it does not run."""
    try:
        out = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def binder_base_python() -> tuple[str, str]:
    """The interpreter to build .venv-binder from, and its version: ``pythonX.Y`` on PATH for
    environment.yml's X.Y; failing that this one, with a loud notice."""
    wanted = binder_python_version()
    found = shutil.which(f"python{wanted}")
    if found and version_of(found) == wanted:
        return found, wanted
    used = "{}.{}".format(*sys.version_info[:2])
    notice(f"THE BINDER CHECK DOES NOT RUN BINDER'S PYTHON: environment.yml pins "
           f"python={wanted},", f"but no python{wanted} is on PATH. .venv-binder is built "
           f"from Python {used} ({sys.executable}) instead.",
           f"Install Python {wanted} (e.g. apt-get install python{wanted} python{wanted}-venv, "
           "or pyenv) and run make test again.")
    return sys.executable, used


def declarations_hash(python_version: str) -> str:
    """What .venv-binder is made from: environment.yml, the Python it was built with, and
    the package's own declaration (pyproject.toml's [project] and [build-system], less the
    extras and the tool settings, which Binder does not install)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package = {k: pyproject[k] for k in ("project", "build-system")}
    package["project"] = {k: v for k, v in package["project"].items()
                          if k != "optional-dependencies"}
    text = (ROOT / "environment.yml").read_text() + json.dumps(package, sort_keys=True)
    text += str(ROOT) + python_version  # where the editable install points; which Python
    return hashlib.sha256(text.encode()).hexdigest()


def binder_python() -> Path:
    """The Python of .venv-binder, (re)built when what it is made from changed.

    A fresh virtual environment from environment.yml's Python, its pip pins, then
    ``pip install --no-deps -e .`` as ``postBuild`` does (no pytest, nbval or jupyter-book),
    and the kernelspec ``bnpaper-binder`` (ipykernel's own ``install``) that nbval is told to
    use. A file lock lets several processes ask at once.
    """
    python = BINDER_ENV / "bin" / "python"
    stamp = BINDER_ENV / ".declarations"
    lock_path = ROOT / "_build" / ".venv-binder.lock"  # _build is ignored by git
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        base, version = binder_base_python()  # says loudly if it is not environment.yml's
        if not (python.exists() and stamp.exists()
                and stamp.read_text() == declarations_hash(version)):
            print(f"building .venv-binder (Python {version}, environment.yml's pins; "
                  "under a minute)", file=sys.stderr, flush=True)
            subprocess.run([base, "-m", "venv", "--clear", str(BINDER_ENV)], check=True)
            pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            subprocess.run([*pip, *binder_requirements()], check=True)
            subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)  # as postBuild
            subprocess.run([str(python), "-m", "ipykernel", "install", "--prefix",
                            str(BINDER_ENV), "--name", BINDER_KERNEL, "--display-name",
                            "Python (bnpaper, Binder environment)"], check=True,
                           stdout=subprocess.DEVNULL)
            stamp.write_text(declarations_hash(version))
    return python


def binder_env(environ) -> dict[str, str]:
    """``environ`` for a pytest whose kernels run in .venv-binder: nothing of .venv leaks in,
    and .venv-binder's kernelspec is found first."""
    env = {k: v for k, v in environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["PATH"] = os.pathsep.join([str(BINDER_ENV / "bin"), env.get("PATH", "")])
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in [str(BINDER_ENV / "share" / "jupyter"), env.get("JUPYTER_PATH", "")] if p)
    return env


# --- The passes as commands ---------------------------------------------------------------

PASS_NAMES = ("units", "binder", "other", "native")


def command(name: str, args: list[str], environ=os.environ) -> tuple[list[str], dict] | None:
    """The pytest command line and environment of pass ``name``; None if this host has no
    such pass. Prints what runs (and, for a pass that does not run, why)."""
    host, simulated = host_level(environ)
    as_host = (f"this machine acting as an {host.label} host ({LEVER}={host.name})"
               if simulated else f"an {host.label} host" if host else
               f"a {platform.machine()} host (no x86-64 level)")
    pytest = [sys.executable, "-m", "pytest"]
    if name == "units":
        print(f"unit tests on {as_host}", file=sys.stderr, flush=True)
        return [*pytest, *args], {**host_env(environ),
                                  UNITS_CACHE: jax_cache_dir("units", host, environ)}
    if name == "native":
        print(f"nbval in .venv on {as_host}, in its own kernels", file=sys.stderr, flush=True)
        return [*pytest, "--nbval", "--nbval-current-env", *args], host_env(environ)
    chosen = {p.name: p for p in passes(host)}
    if name not in chosen:
        older = [p.level.label for p in passes(host) if p.level]
        notice(f"NOTEBOOK PASS '{name}' DOES NOT RUN on {as_host}:",
               f"its one older level, {older[0]}, is the Binder pass's (README, Tests)."
               if older else "it has no older level: the Binder pass runs every notebook once, "
               "in its own kernels (README, Tests).")
        return None
    this = chosen[name]
    print(f"{this.describe()}; on {as_host}", file=sys.stderr, flush=True)
    env = level_env(this.level, host_env(environ),
                    jax_cache_dir(this.name, this.level, environ))
    if this.binder:
        binder_python()
        return ([*pytest, "--nbval", "--nbval-kernel-name", BINDER_KERNEL, *args],
                binder_env(env))
    return [*pytest, "--nbval", "--nbval-current-env", *args], env


def main(argv: list[str]) -> int:
    if not argv:
        host, simulated = host_level()
        print(f"host level: {host.name if host else None}"
              + (f" (simulated: {LEVER})" if simulated else ""))
        for p in passes(host):
            print(f"  {p.name}: {p.describe()}")
        return 0
    if argv[0] == "levels":  # the levels this machine can act as (make test-hosts)
        real = detected_level()
        print(" ".join(lv.name for lv in LEVELS[LEVELS.index(real):]) if real else "")
        return 0
    if argv[0] != "run" or len(argv) < 2 or argv[1] not in PASS_NAMES:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        print(f"PASS: one of {', '.join(PASS_NAMES)}", file=sys.stderr)
        return 2
    found = command(argv[1], argv[2:])
    if found is None:
        return 0
    cmd, env = found
    return subprocess.run(cmd, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
