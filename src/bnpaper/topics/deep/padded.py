"""The padded, masked network that the compiled solver and analyser run (chapter *Deep and
non-linear networks*).

Compiling a JAX function, not running it, is what costs time. So every network of depth
≤ :data:`SOLVER_DEPTH` and width ≤ :data:`SOLVER_WIDTH` on one learning set is run as one
larger network ``big``: its weights are embedded in big's (:func:`embed`, :func:`extract`),
and the activation, BN on/off, the depth and the width are *traced* arguments
(:func:`traced_stack`), so one compiled function serves all of them. Which layers are real
is passed to :func:`bnpaper.topics.deep.network.layer_stack` explicitly, by layer number.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bnpaper.core import checks, model
from bnpaper.core.autodiff import jax_x64
from bnpaper.core.data import LearningSet
from bnpaper.topics.deep.network import Architecture, layer_stack

SOLVER_DEPTH = 3
SOLVER_WIDTH = 4
"""Networks of depth ≤ SOLVER_DEPTH and width ≤ SOLVER_WIDTH on the same learning set share
one compiled solver (see :func:`traced_stack`): compiling, not running, is what costs time."""

COMPILE_OPTIONS = {"xla_backend_optimization_level": 1}
"""XLA's options for the solver and the analyser. Compiling them, not running them, is most of
their cost on a fresh machine (a reader's first run, Binder, the other-CPU checks): LLVM's
optimization level 1 instead of XLA's default halves the compile time and leaves the run
time as it was (measured on the deep-networks chapter's grid)."""

ROW_BUCKET = 16
"""Batches of points are padded to a multiple of this many rows (repeating the last row):
a compiled function is specialized to its batch size, so this bounds how often it
recompiles. Rows are independent (vmap), so padding changes no result."""


def padded_architecture(arch: Architecture) -> Architecture:
    """The architecture the solver is compiled for: the same d, width ≥ SOLVER_WIDTH and
    depth ≥ SOLVER_DEPTH."""
    return Architecture(arch.d, max(arch.width, SOLVER_WIDTH), max(arch.depth, SOLVER_DEPTH))


def slot_indices(arch: Architecture, big: Architecture) -> np.ndarray:
    """For each entry of W (P,) of ``arch``, its index in the parameters of ``big``: W_l sits
    in the top-left block of big's W_l, v in the first ``width`` entries of big's v."""
    large = big.slices()
    idx = []
    for k, shape in enumerate(arch.shapes):
        big_l = k if k < arch.depth else len(large) - (len(arch.shapes) - k)
        start, big_shape = large[big_l].start, big.shapes[big_l]
        if len(shape) == 2:
            rows, cols = np.meshgrid(np.arange(shape[0]), np.arange(shape[1]), indexing="ij")
            idx.append((start + rows * big_shape[1] + cols).ravel())
        else:
            idx.append(start + np.arange(math.prod(shape)))
    return np.concatenate(idx)


def embed(w: np.ndarray, arch: Architecture, big: Architecture) -> np.ndarray:
    """W (n, P) of ``arch`` as parameters of the larger ``big`` (zeros elsewhere; the solver
    masks those slots). → (n, P_big)."""
    out = np.zeros((len(w), big.n_params))
    out[:, slot_indices(arch, big)] = w
    return out


def extract(w: np.ndarray, arch: Architecture, big: Architecture) -> np.ndarray:
    """The inverse of :func:`embed`. (n, P_big) → (n, P)."""
    return w[:, slot_indices(arch, big)]


def _slot_layout(big: Architecture) -> tuple[np.ndarray, ...]:
    """For each parameter of ``big``: (its layer (1 … L; 0 for v and b), its row unit, its
    column unit (0 for W_1's input columns and for b))."""
    units = np.arange(big.width)
    layer_of, row_of, col_of = [], [], []
    for k, shape in enumerate(big.shapes):
        size = math.prod(shape)
        layer_of.append(np.full(size, k + 1 if k < big.depth else 0))
        if len(shape) == 2:
            row_of.append(np.repeat(units, shape[1]))
            col_of.append(np.tile(np.arange(shape[1]), shape[0]) if k > 0
                          else np.zeros(size, dtype=int))
        else:
            row_of.append(units if shape else np.zeros(1, dtype=int))
            col_of.append(np.zeros(size, dtype=int))
    return tuple(np.concatenate(a) for a in (layer_of, row_of, col_of))


def traced_stack(w: Any, big: Architecture, x: Any, act: Any, bn: Any, depth: Any,
                 width: Any) -> tuple[Any, Any]:
    """(h_L (big.width, M), f or f̂ (M,)) through
    :func:`~bnpaper.topics.deep.network.layer_stack`, with the activation (an index into
    ``model.ACTIVATIONS``), BN on/off, the depth L ≤ big.depth and the width n ≤ big.width
    as traced arguments, so one compiled function serves every such network.

    The network is embedded exactly: weights outside the n × n (n × d) blocks and v_j for
    j > n are masked to 0, so units j > n carry h ≡ 0; layers l > L are skipped: their
    weights are set to the identity and both BN and g are switched off there (h_l = h_{l−1}),
    told by the layer number l that ``layer_stack`` passes. Every branch is computed and the
    one taken is selected with ``where``; so that an unselected BN cannot make NaN (σ = 0
    for a masked unit, or in the standard network), BN is applied to a copy of z made
    non-constant where σ = 0, and its result is replaced by z − μ there. Where σ = 0 in a
    *selected* BN the result is meaningless: such points are flagged by
    :func:`bnpaper.topics.deep.analysis.degeneracy` and excluded.
    """
    jnp = jax_x64().numpy
    layer_of, row_of, col_of = _slot_layout(big)
    skipped = (layer_of > depth) & (layer_of > 0)
    identity = (row_of == col_of) & (layer_of > 1)
    w = jnp.where(skipped, jnp.where(identity, 1.0, 0.0),
                  jnp.where((row_of < width) & (col_of < width), w, 0.0))
    ramp = jnp.arange(x.shape[0], dtype=float)

    def normalize(layer: int, z: Any) -> Any:
        c = z - jnp.mean(z, axis=-1, keepdims=True)
        ok = jnp.mean(c * c, axis=-1, keepdims=True) > 0
        safe = model.batch_normalize(jnp.where(ok, z, ramp), jnp)
        return jnp.where((layer <= depth) & bn, jnp.where(ok, safe, c), z)

    def g(layer: int, z: Any) -> Any:
        out = [model.activate(z, a, jnp) for a in model.ACTIVATIONS]
        return jnp.where(layer <= depth, jnp.select([act == i for i in range(len(out))], out),
                         z)

    return layer_stack(w, big, x, normalize, g)[1:]


def traced_network(w: Any, big: Architecture, x: Any, act: Any, bn: Any, depth: Any,
                   width: Any) -> Any:
    """f or f̂ (M,) of :func:`traced_stack`."""
    return traced_stack(w, big, x, act, bn, depth, width)[1]


def traced_loss(w: Any, big: Architecture, x: Any, y: Any, *flags: Any) -> Any:
    """C or Ĉ of :func:`traced_network`; ``flags`` = (act, bn, depth, width)."""
    return model.squared_error(traced_network(w, big, x, *flags), y, jax_x64().numpy)


def arch_flags(archs: list[Architecture]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The traced arguments of :func:`traced_stack` naming each architecture, one row per
    point: (activation index, L, n), each (n_points,)."""
    return (np.array([model.ACTIVATIONS.index(a.activation) for a in archs]),
            np.array([a.depth for a in archs]), np.array([a.width for a in archs]))


def _common_big(archs: list[Architecture], data: LearningSet) -> Architecture:
    if not archs:
        raise ValueError("no architectures given; expected at least one")
    if any(a.d != data.d for a in archs):
        raise ValueError(f"the learning set has d = {data.d}; an architecture expects "
                         f"{sorted({a.d for a in archs})}")
    return Architecture(data.d, max(padded_architecture(a).width for a in archs),
                        max(padded_architecture(a).depth for a in archs))


def check_points(arch: Architecture, data: LearningSet, w: Any, name: str) -> np.ndarray:
    """W as a finite (n, P) array of points of ``arch``, for a learning set of the same d."""
    w = checks.finite_array(np.atleast_2d(w), name)
    checks.check_weights_shape(w, arch.n_params, name)
    if np.ndim(w) != 2:
        raise ValueError(f"{name} has shape {np.shape(w)}; expected (n, {arch.n_params})")
    if data.d != arch.d:
        raise ValueError(f"the learning set has d = {data.d}; the architecture expects {arch.d}")
    return w


def stacked(archs: list[Architecture], data: LearningSet, points: list[Any],
            name: str) -> tuple[Architecture, np.ndarray]:
    """The common padded architecture of ``archs`` and their points (one row each, checked
    and embedded in it), for one vectorized call over all networks."""
    if len(archs) != len(points):
        raise ValueError(f"{len(archs)} architectures but {len(points)} values of {name}")
    big = _common_big(archs, data)
    rows = [embed(check_points(a, data, w, name), a, big)
            for a, w in zip(archs, points, strict=True)]
    return big, np.concatenate(rows)


def pad_rows(*arrays: np.ndarray) -> list[np.ndarray]:
    """Each array with its last row repeated up to a multiple of :data:`ROW_BUCKET` rows."""
    n = len(arrays[0])
    extra = -n % ROW_BUCKET
    return [np.concatenate([a, np.repeat(a[-1:], extra, axis=0)]) for a in arrays]
