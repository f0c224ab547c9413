"""The deep-network experiment (chapter *Deep and non-linear networks*): train the standard
network to W*, separate the output layer (v, b) from the hidden weights there, check W*
to second order, flag degenerate runs, train the BN network from W₀ = W*, summarize.

The mathematics is in :mod:`~bnpaper.topics.deep.network`, :mod:`~bnpaper.topics.deep.solver`
and :mod:`~bnpaper.topics.deep.analysis`; this module runs it over a grid of learning sets,
widths, depths, activations and seeds, each learning set in one compiled, vectorized call,
and summarizes the runs per configuration (:class:`GridCell`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bnpaper.core.data import LearningSet
from bnpaper.core.statistics import CONFIDENCE, wilson_interval
from bnpaper.topics.deep import analysis
from bnpaper.topics.deep.network import Architecture, init_weights
from bnpaper.topics.deep.solver import Optimizer, train_many

PROFILE_TOL = 1e-6
"""‖∇_θ P̂‖ above this counts as a non-zero profile gradient (the training tolerance)."""

NOISE_BOUND = 1e-8
"""A profile gradient below this is reported as rounding noise (``< 1e-8``); so is a loss
C(W*) below it (the network interpolates the labels)."""

AFFINE_TOL = 1e-6
"""C(W*) counts as above the best affine fit C_LS when C(W*) − C_LS > AFFINE_TOL·max(1, C_LS)
(training stops at ‖∇C‖ < 1e-8, so C(W*) is far closer to a stationary value than this)."""


@dataclass(frozen=True)
class Run:
    """One learning set, architecture and seed: W* trained from W₀ = :func:`init_weights`."""

    data: str
    width: int
    depth: int
    activation: str
    seed: int
    c_star: float
    """C(W*)."""
    grad_c: float
    """‖∇C(W*)‖."""
    status: str
    """How training ended (:func:`bnpaper.topics.deep.analysis.end_status`)."""
    degenerate: str
    """:func:`bnpaper.topics.deep.analysis.degeneracy` at W* ("" if not degenerate)."""
    second_order: bool
    """∇²C(W*) ⪰ 0 up to rounding (:func:`bnpaper.topics.deep.analysis.second_order_ok`)."""
    hessian_min: float
    """λ_min(∇²C(W*))."""
    raw: float
    """‖∇Ĉ(W*)‖, all parameters, at W*'s own (v, b)."""
    raw_hidden: float
    """‖∇_θ Ĉ(W*)‖, the hidden part of the raw gradient."""
    raw_v: float
    """‖∂Ĉ/∂v (W*)‖."""
    raw_b: float
    """|∂Ĉ/∂b (W*)|."""
    profile: float
    """‖∇_θ P̂(θ*)‖, the profile gradient: hidden weights, (v, b) at their best for θ*."""
    profile_gap: float
    """P̂(θ*) − C(W*): the BN network with W*'s hidden weights and its best (v, b), against
    the standard network at W*."""
    w_star: np.ndarray
    w0: np.ndarray
    bn_kink: bool
    """ReLU only: some BN output of the BN network at W* is 0 up to
    :data:`bnpaper.topics.deep.analysis.KINK_TOL`, where Ĉ may not be differentiable
    (:func:`bnpaper.topics.deep.analysis.bn_kink`)."""
    c_affine: float = float("nan")
    """C_LS, the loss of the best affine fit of the learning set (least squares with
    intercept, :func:`bnpaper.topics.deep.analysis.least_squares_with_intercept`)."""

    @property
    def above_affine(self) -> bool:
        """C(W*) is above the best affine fit C_LS (by more than :data:`AFFINE_TOL`, relative).

        For the identity every network is affine in x̄, so C ≥ C_LS and C(W*) = C_LS is a
        global minimum; C(W*) < :data:`NOISE_BOUND` (interpolation) is one for every
        activation. A W* above C_LS has only passed the necessary conditions of a local
        minimum."""
        return bool(self.c_star - self.c_affine > AFFINE_TOL * max(1.0, self.c_affine))

    @property
    def interpolates(self) -> bool:
        """C(W*) < :data:`NOISE_BOUND`: W* fits every label, a global minimum of C ≥ 0."""
        return self.c_star < NOISE_BOUND

    @property
    def usable(self) -> bool:
        """W* is stationary, passes the second-order check, is not degenerate, and Ĉ is
        differentiable there (no ReLU kink in the BN network)."""
        return (self.status == "stationary" and self.second_order and not self.degenerate
                and not self.bn_kink)


def run_grid(sets: dict[str, LearningSet], widths: tuple[int, ...], depths: tuple[int, ...],
             activations: tuple[str, ...], seeds: tuple[int, ...],
             opt: Optimizer | None = None) -> list[Run]:
    """Every learning set × width × depth × activation × seed, in that order (default
    optimizer: ``Optimizer()``)."""
    opt = opt or Optimizer()
    runs: list[Run] = []
    for name, data in sets.items():
        data = data.numeric()
        c_affine = analysis.least_squares_with_intercept(data)[2]
        keys = [(w, d, a, s) for w in widths for d in depths for a in activations
                for s in seeds]
        archs = [Architecture(data.d, w, d, a) for w, d, a, _ in keys]
        w0 = [init_weights(arch, k[3])[0] for arch, k in zip(archs, keys, strict=True)]
        std = train_many(archs, data, w0, bn=False, opt=opt)
        w_star = [r.w[0] for r in std]
        split = analysis.split_output_many(archs, data, w_star)
        for k, arch, w, res, sp, start in zip(keys, archs, w_star, std, split, w0,
                                              strict=True):
            ev = sp.hessian_eigenvalues()
            degenerate = analysis.degeneracy(w, arch, data)
            runs.append(Run(
                name, *k, float(res.loss[0]), float(res.grad_norm[0]),
                analysis.end_status(arch, data, w, float(res.grad_norm[0]), False, opt.tol),
                degenerate, bool(analysis.second_order_ok(ev)[0]),
                float(ev[0, 0]),
                float(np.linalg.norm(sp.grad_bn[0])), float(sp.grad_bn_hidden[0]),
                float(sp.grad_bn_v[0]), float(abs(sp.grad_bn_b[0])),
                float(sp.profile_norm[0]), float(sp.best_output_loss[0] - res.loss[0]), w,
                start, analysis.bn_kink(w, arch, data, degenerate), c_affine))
    return runs


# ---------------------------------------------------------------- summaries


@dataclass(frozen=True)
class GridCell:
    """The runs of one configuration of the grid (learning set, width, depth, activation),
    summarized over its seeds. (Not the random-sets chapter's ``Cell``, a cell of its table
    of random learning sets.)"""

    data: str
    width: int
    depth: int
    activation: str
    n: int
    """Runs (seeds)."""
    n_usable: int
    n_degenerate: int
    n_saddle: int
    """Stationary, non-degenerate W* that fail the second-order check."""
    raw: tuple[float, float, float] | None
    """(median, min, max) of ‖∇Ĉ(W*)‖ over usable runs."""
    raw_b_share: float | None
    """median of |∂Ĉ/∂b|/‖∇Ĉ‖ over usable runs."""
    profile: tuple[float, float, float] | None
    """(median, min, max) of the profile gradient over usable runs."""
    n_profile_nonzero: int
    """Usable runs with profile gradient > PROFILE_TOL."""
    c_star: tuple[float, float, float] | None = None
    """(median, min, max) of C(W*) over usable runs."""
    n_above_affine: int = 0
    """Usable runs whose C(W*) is above the best affine fit (:attr:`Run.above_affine`)."""


def _stats(v: list[float]) -> tuple[float, float, float] | None:
    return (float(np.median(v)), float(np.min(v)), float(np.max(v))) if v else None


def cells(runs: list[Run]) -> list[GridCell]:
    """One :class:`GridCell` per (learning set, width, depth, activation), in the runs'
    order."""
    groups: dict[tuple, list[Run]] = {}
    for r in runs:
        groups.setdefault((r.data, r.width, r.depth, r.activation), []).append(r)
    out = []
    for key, rs in groups.items():
        ok = [r for r in rs if r.usable]
        out.append(GridCell(*key, len(rs), len(ok), sum(bool(r.degenerate) for r in rs),
                            sum(r.status == "stationary" and not r.degenerate
                                and not r.second_order for r in rs),
                            _stats([r.raw for r in ok]),
                            float(np.median([r.raw_b / r.raw for r in ok])) if ok else None,
                            _stats([r.profile for r in ok]),
                            sum(r.profile > PROFILE_TOL for r in ok),
                            _stats([r.c_star for r in ok]),
                            sum(r.above_affine for r in ok)))
    return out


def run_counts(runs: list[Run], cs: list[GridCell]) -> dict[str, int]:
    """How the runs ended, counted: all, usable, degenerate (ReLU with a constant layer
    among them), by end status, stationary but failing the second-order check, with a ReLU
    kink in the BN network; the tanh runs not ending stationary (over every configuration)
    and the tanh configurations none of whose runs ended stationary; the usable runs by
    what C(W*) certifies (interpolation, above the best affine fit). Keyed by the names the
    chapter glues."""
    tanh = [r for r in runs if r.activation == "tanh"]
    never = tanh_never_stationary(runs)
    usable = [r for r in runs if r.usable]
    return {
        "n_runs": len(runs),
        "n_usable": len(usable),
        "n_degenerate": sum(bool(r.degenerate) for r in runs),
        "n_const_layer_relu": sum(r.degenerate.startswith("constant layer")
                                  and r.activation == "relu" for r in runs),
        "n_not_stationary": sum(r.status == "not stationary" for r in runs),
        "n_kink": sum(r.status == "kink" for r in runs),
        "n_stationary": sum(r.status == "stationary" for r in runs),
        "n_saddle": sum(c.n_saddle for c in cs),
        "n_bn_kink": sum(r.bn_kink for r in runs),
        "n_tanh": len(tanh),
        "n_tanh_not_stationary": sum(r.status != "stationary" for r in tanh),
        "n_tanh_never_cells": len(never),
        "n_tanh_never_runs": sum((r.data, r.width, r.depth) in never for r in tanh),
        "n_usable_tanh_not_interpolating": sum(not r.interpolates for r in usable
                                               if r.activation == "tanh"),
        "n_usable_relu": sum(r.activation == "relu" for r in usable),
        "n_usable_relu_not_interpolating": sum(not r.interpolates for r in usable
                                               if r.activation == "relu"),
        "n_usable_relu_above_affine": sum(r.above_affine for r in usable
                                          if r.activation == "relu"),
    }


def tanh_never_stationary(runs: list[Run]) -> list[tuple[str, int, int]]:
    """The tanh configurations (learning set, width, depth) none of whose runs ended
    stationary, in the runs' order."""
    groups: dict[tuple[str, int, int], list[Run]] = {}
    for r in runs:
        if r.activation == "tanh":
            groups.setdefault((r.data, r.width, r.depth), []).append(r)
    return [k for k, rs in groups.items() if not any(r.status == "stationary" for r in rs)]


@dataclass(frozen=True)
class Share:
    """k of n runs, with the Wilson interval at :data:`bnpaper.core.statistics.CONFIDENCE`."""

    k: int
    n: int
    low: float
    high: float


def share(k: int, n: int) -> Share:
    """:class:`Share` of k successes in n runs."""
    low, high = wilson_interval(k, n, CONFIDENCE)
    return Share(k, n, low, high)


def profile_share(runs: list[Run], data: str, activations: tuple[str, ...]) -> Share:
    """Usable runs on ``data`` with one of ``activations`` whose profile gradient exceeds
    :data:`PROFILE_TOL`."""
    ok = [r for r in runs if r.usable and r.data == data and r.activation in activations]
    return share(sum(r.profile > PROFILE_TOL for r in ok), len(ok))


# ---------------------------------------------------------------- training from W₀ = W*


@dataclass(frozen=True)
class Move:
    """BN training from W₀ = W* with one optimizer setting, per usable run."""

    setting: str
    moves: np.ndarray
    """‖Ŵ* − W*‖ / ‖W*‖, (n,)."""
    b_moves: np.ndarray
    """|b̂* − b*|, the move of the output bias alone, (n,)."""
    stationary: np.ndarray
    """The BN end point Ŵ* is stationary (‖∇Ĉ‖ < tol), (n,) bool."""
    lhs: np.ndarray
    """Lemma 4.5's left-hand side at W₀ = W*, bounded by the squared distance to the
    rescalings of Ŵ* (:func:`bnpaper.topics.deep.analysis.scale_orbit_distance_sq`), (n,)."""


def train_from_w_star(runs: list[Run], sets: dict[str, LearningSet],
                      opts: tuple[Optimizer, ...]) -> list[Move]:
    """For each optimizer setting: train the BN network from W₀ = W* of every run (all of
    them, so the compiled batch is the grid's), and keep the usable runs."""
    out = []
    for opt in opts:
        moves, b_moves, stat, lhs = [], [], [], []
        for name, data in sets.items():
            rs = [r for r in runs if r.data == name]
            archs = [Architecture(data.d, r.width, r.depth, r.activation) for r in rs]
            res = train_many(archs, data, [r.w_star for r in rs], bn=True, opt=opt)
            for r, arch, t in zip(rs, archs, res, strict=True):
                if not r.usable:
                    continue
                w_hat = t.w[0]
                moves.append(np.linalg.norm(w_hat - r.w_star) / np.linalg.norm(r.w_star))
                b_moves.append(abs(w_hat[-1] - r.w_star[-1]))
                stat.append(t.grad_norm[0] < opt.tol)
                lhs.append(float(analysis.scale_orbit_distance_sq(r.w_star, w_hat, arch)))
        out.append(Move(opt.describe(), np.array(moves), np.array(b_moves), np.array(stat),
                        np.array(lhs)))
    return out


def settings_differ(a: Move, b: Move, rel: float = 0.1) -> Share:
    """Runs whose relative moves under the two settings differ by more than ``rel`` (relative
    to the larger), among runs whose BN end point is stationary under both."""
    both = a.stationary & b.stationary
    hi = np.maximum(a.moves, b.moves)[both]
    k = int(np.sum(np.abs(a.moves - b.moves)[both] > rel * hi))
    return share(k, int(both.sum()))
