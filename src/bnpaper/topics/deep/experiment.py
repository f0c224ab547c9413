"""The deep-network experiment (chapter *Deep and non-linear networks*): train the standard
network to W*, separate the output layer (v, b) from the hidden weights there, check W*
to second order, flag degenerate runs, train the BN network from W₀ = W*, summarize.

The mathematics (networks, training, the profile gradient, the Hessian, degeneracy) is in
:mod:`bnpaper.deep`; this module runs it over a grid of learning sets, widths, depths,
activations and seeds, each learning set in one compiled, vectorized call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bnpaper.core.data import LearningSet
from bnpaper.core.statistics import CONFIDENCE, wilson_interval
from bnpaper.paper import lemma
from bnpaper.topics import deep
from bnpaper.topics.deep import Architecture, Optimizer

PROFILE_TOL = 1e-6
"""‖∇_θ P̂‖ above this counts as a non-zero profile gradient (the training tolerance)."""

NOISE_BOUND = 1e-8
"""A profile gradient below this is reported as rounding noise (``< 1e-8``)."""


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
    """How training ended (:func:`bnpaper.deep.end_status`)."""
    degenerate: str
    """:func:`bnpaper.deep.degeneracy` at W* ("" if not degenerate)."""
    second_order: bool
    """∇²C(W*) ⪰ 0 up to rounding (:func:`bnpaper.deep.second_order_ok`)."""
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
    :data:`bnpaper.deep.KINK_TOL`, where Ĉ may not be differentiable."""

    @property
    def usable(self) -> bool:
        """W* is stationary, passes the second-order check, is not degenerate, and Ĉ is
        differentiable there (no ReLU kink in the BN network)."""
        return (self.status == "stationary" and self.second_order and not self.degenerate
                and not self.bn_kink)


def bn_kink(w: np.ndarray, arch: Architecture, data: LearningSet, degenerate: str) -> bool:
    """Whether the BN network at W has a ReLU kink: a BN output within KINK_TOL of 0
    (False for other activations and for degenerate W, where BN may be undefined)."""
    if arch.activation != "relu" or degenerate:
        return False
    zs = deep.hidden_pre_activations(w, arch, data.x, bn=True)
    return min(float(np.min(np.abs(z))) for z in zs) < deep.KINK_TOL


def run_grid(sets: dict[str, LearningSet], widths: tuple[int, ...], depths: tuple[int, ...],
             activations: tuple[str, ...], seeds: tuple[int, ...],
             opt: Optimizer | None = None) -> list[Run]:
    """Every learning set × width × depth × activation × seed, in that order (default
    optimizer: ``Optimizer()``)."""
    opt = opt or Optimizer()
    runs: list[Run] = []
    for name, data in sets.items():
        data = data.numeric()
        keys = [(w, d, a, s) for w in widths for d in depths for a in activations
                for s in seeds]
        archs = [Architecture(data.d, w, d, a) for w, d, a, _ in keys]
        w0 = [deep.init_weights(arch, k[3])[0] for arch, k in zip(archs, keys, strict=True)]
        std = deep.train_many(archs, data, w0, bn=False, opt=opt)
        w_star = [r.w[0] for r in std]
        split = deep.split_output_many(archs, data, w_star)
        for k, arch, w, res, sp, start in zip(keys, archs, w_star, std, split, w0,
                                              strict=True):
            ev = sp.hessian_eigenvalues()
            degenerate = deep.degeneracy(w, arch, data)
            runs.append(Run(
                name, *k, float(res.loss[0]), float(res.grad_norm[0]),
                deep.end_status(arch, data, w, float(res.grad_norm[0]), False, opt.tol),
                degenerate, bool(deep.second_order_ok(ev)[0]),
                float(ev[0, 0]),
                float(np.linalg.norm(sp.grad_bn[0])), float(sp.grad_bn_hidden[0]),
                float(sp.grad_bn_v[0]), float(abs(sp.grad_bn_b[0])),
                float(sp.profile_norm[0]), float(sp.profile_loss[0] - res.loss[0]), w, start,
                bn_kink(w, arch, data, degenerate)))
    return runs


# ---------------------------------------------------------------- summaries


@dataclass(frozen=True)
class Cell:
    """The runs of one learning set, width, depth and activation, summarized."""

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


def _stats(v: list[float]) -> tuple[float, float, float] | None:
    return (float(np.median(v)), float(np.min(v)), float(np.max(v))) if v else None


def cells(runs: list[Run]) -> list[Cell]:
    """One :class:`Cell` per (learning set, width, depth, activation), in the runs' order."""
    groups: dict[tuple, list[Run]] = {}
    for r in runs:
        groups.setdefault((r.data, r.width, r.depth, r.activation), []).append(r)
    out = []
    for key, rs in groups.items():
        ok = [r for r in rs if r.usable]
        out.append(Cell(*key, len(rs), len(ok), sum(bool(r.degenerate) for r in rs),
                        sum(r.status == "stationary" and not r.degenerate
                            and not r.second_order for r in rs),
                        _stats([r.raw for r in ok]),
                        float(np.median([r.raw_b / r.raw for r in ok])) if ok else None,
                        _stats([r.profile for r in ok]),
                        sum(r.profile > PROFILE_TOL for r in ok)))
    return out


def run_counts(runs: list[Run], cs: list[Cell]) -> dict[str, int]:
    """How the runs ended, counted: all, usable, degenerate (ReLU with a constant layer
    among them), by end status, tanh of width 2 on the regression set ending stationary,
    stationary but failing the second-order check, and with a ReLU kink in the BN network.
    Keyed by the names the chapter glues."""
    return {
        "n_runs": len(runs),
        "n_usable": sum(r.usable for r in runs),
        "n_degenerate": sum(bool(r.degenerate) for r in runs),
        "n_const_layer_relu": sum(r.degenerate.startswith("constant layer")
                                  and r.activation == "relu" for r in runs),
        "n_tanh2_stat": sum(r.status == "stationary" for r in runs
                            if r.data == "regression" and r.activation == "tanh"
                            and r.width == 2),
        "n_not_stationary": sum(r.status == "not stationary" for r in runs),
        "n_kink": sum(r.status == "kink" for r in runs),
        "n_stationary": sum(r.status == "stationary" for r in runs),
        "n_saddle": sum(c.n_saddle for c in cs),
        "n_bn_kink": sum(r.bn_kink for r in runs),
    }


def _g(v: float) -> str:
    # two significant digits; rounding noise as a bound
    return f"<{NOISE_BOUND:.0e}" if v < NOISE_BOUND else f"{v:.2g}"


def format_cells(cs: list[Cell]) -> str:
    """The per-configuration table, fixed formats, two significant digits."""
    head = (f"{'set':<10} {'n':>1} {'L':>1} {'g':<8} | {'ok':>5} {'deg':>3} | "
            f"{'raw |dC^(W*)| med [min, max]':<28} {'b-share':>7} | "
            f"{'profile med [min, max]':<28} {'>1e-6':>5}")
    lines = [head, "-" * len(head)]
    for c in cs:
        ok = f"{c.n_usable}/{c.n}"
        raw = (f"{_g(c.raw[0])} [{_g(c.raw[1])}, {_g(c.raw[2])}]" if c.raw else "-")
        share = f"{c.raw_b_share:.2f}" if c.raw_b_share is not None else "-"
        prof = (f"{_g(c.profile[0])} [{_g(c.profile[1])}, {_g(c.profile[2])}]"
                if c.profile else "-")
        lines.append(f"{c.data:<10} {c.width:>1} {c.depth:>1} {c.activation:<8} | {ok:>5} "
                     f"{c.n_degenerate:>3} | {raw:<28} {share:>7} | {prof:<28} "
                     f"{c.n_profile_nonzero if c.profile else '-':>5}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Share:
    """k of n runs, with the Wilson interval at :data:`bnpaper.statistics.CONFIDENCE`."""

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
    rescalings of Ŵ* (:func:`bnpaper.deep.scale_orbit_distance_sq`), (n,)."""


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
            res = deep.train_many(archs, data, [r.w_star for r in rs], bn=True, opt=opt)
            for r, arch, t in zip(rs, archs, res, strict=True):
                if not r.usable:
                    continue
                w_hat = t.w[0]
                moves.append(np.linalg.norm(w_hat - r.w_star) / np.linalg.norm(r.w_star))
                b_moves.append(abs(w_hat[-1] - r.w_star[-1]))
                stat.append(t.grad_norm[0] < opt.tol)
                lhs.append(float(deep.scale_orbit_distance_sq(r.w_star, w_hat, arch)))
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


def format_moves(moves: list[Move]) -> str:
    """One line per optimizer setting: runs, stationary end points, relative move
    (median [min, max], two significant digits)."""
    lines = []
    for m in moves:
        s = m.moves[m.stationary]
        lines.append(f"{m.setting}: {int(m.stationary.sum())} of {len(m.moves)} end points "
                     f"stationary; |W^-W*|/|W*| median {np.median(s):.2g} "
                     f"[{np.min(s):.2g}, {np.max(s):.2g}]")
    return "\n".join(lines)


# ---------------------------------------------------------------- figure

_MARKERS = {"identity": "o", "relu": "s", "tanh": "^"}


def profile_figure(cs: list[Cell]) -> Any:
    """Raw ‖∇Ĉ(W*)‖ (filled) and profile ‖∇_θ P̂(θ*)‖ (open) per depth and activation: one
    panel per learning set and width; markers at the median over usable runs, bars from min
    to max. Profile gradients below :data:`NOISE_BOUND` are drawn on the dotted line."""
    import matplotlib.pyplot as plt

    from bnpaper.presentation.plots import OKABE_ITO

    colours = dict(zip(deep.model.ACTIVATIONS, (OKABE_ITO["blue"], OKABE_ITO["vermillion"],
                                                OKABE_ITO["green"]), strict=True))
    panels = list(dict.fromkeys((c.data, c.width) for c in cs))
    fig, axes = plt.subplots(1, len(panels), figsize=(3.4 * len(panels), 4.4), sharey=True,
                             squeeze=False, layout="constrained")
    floor = NOISE_BOUND / 10
    for ax, (data, width) in zip(axes[0], panels, strict=True):
        for c in (c for c in cs if (c.data, c.width) == (data, width) and c.raw):
            x = c.depth + 0.22 * (deep.model.ACTIVATIONS.index(c.activation) - 1)
            col, mk = colours[c.activation], _MARKERS[c.activation]
            for stats, fill, dx in ((c.raw, col, -0.05), (c.profile, "white", 0.05)):
                med, lo, hi = (max(v, floor) for v in stats)
                ax.plot([x + dx] * 2, [lo, hi], color=col, lw=1.2)
                ax.plot(x + dx, med, mk, color=col, mfc=fill, ms=7)
        ax.axhline(NOISE_BOUND, color="grey", ls=":", lw=1)
        ax.set(yscale="log", xticks=[1, 2, 3], xlim=(0.5, 3.5), xlabel="hidden layers $L$",
               title=f"{data} set, width {width}")
    axes[0, 0].set_ylabel(r"gradient norm at $W^*$")
    axes[0, 0].text(0.55, NOISE_BOUND * 2, f"rounding noise (< {NOISE_BOUND:.0e})",
                    color="grey", fontsize=8)
    for act in deep.model.ACTIVATIONS:
        axes[0, -1].plot([], [], _MARKERS[act], color=colours[act], label=act)
    axes[0, -1].plot([], [], "o", color="grey", label=r"raw $\|\nabla\hat C(W^*)\|$")
    axes[0, -1].plot([], [], "o", color="grey", mfc="white",
                     label=r"profile $\|\nabla_\theta \hat P(\theta^*)\|$")
    axes[0, -1].legend(loc="center right", fontsize=8)
    fig.suptitle(r"Raw BN gradient at $W^*$ against the profile gradient (output layer refitted)")
    return fig


def rhs_at_w_star(w_star: Any) -> float:
    """Lemma 4.5's right-hand side at W₀ = W*: 0 for every W* ≠ 0."""
    return float(lemma.lemma_rhs(w_star, w_star))

