"""The claims of the chapter *Deep and non-linear networks*: on an exact optimum W* of a deep
linear network (no training), W* is not stationary for Ĉ, Lemma 4.5 fails at W₀ = W* (lhs
bounded below by the output-bias gap), and the profile gradient vanishes; on trained
non-linear networks the profile gradient does not vanish (a share over seeds, with its
Wilson interval).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bnpaper.claims.registry import Claim, Derivation, Evidence, derives
from bnpaper.core.data import LearningSet
from bnpaper.paper import lemma
from bnpaper.topics.deep import analysis, experiment
from bnpaper.topics.deep.network import Architecture, init_weights, make_regression_set
from bnpaper.topics.deep.solver import Optimizer

CLAIM_ARCH = Architecture(2, 4, 2, "identity")
"""The network of claims book-deep-1 to -3 (an exact optimum W*, no training)."""

CLAIM_NONLINEAR: tuple[str, ...] = ("relu", "tanh")
"""The activations of claim book-deep-4 (trained W*, width 4, depth 2, 10 seeds)."""


@dataclass(frozen=True)
class Inputs:
    """What the claims are derived from; a test passes a faulty one to break a claim."""

    data: LearningSet
    """The learning set (the chapter's regression set)."""
    arch: Architecture = CLAIM_ARCH
    """The deep linear network of book-deep-1 to -3."""
    nonlinear: tuple[str, ...] = CLAIM_NONLINEAR
    """The activations of book-deep-4."""
    seeds: tuple[int, ...] = tuple(range(10))
    """The seeds of W₀ in book-deep-4."""
    optimizer: Optimizer = Optimizer()
    """The training of book-deep-4, and its tolerance for ‖∇C(W*)‖ in book-deep-1."""
    linear_optimum: Callable[..., np.ndarray] = analysis.linear_optimum
    """(arch, data, W₀) ↦ a global minimum W* of C (identity activation)."""
    gradients: Callable[..., np.ndarray] = analysis.gradients
    """(arch, data, W, bn) ↦ ∇C(W) or ∇Ĉ(W)."""
    with_best_output: Callable[..., np.ndarray] = analysis.with_best_output
    """(W, arch, data) ↦ W with (v, b) at their best for its hidden weights."""


def default_inputs() -> Inputs:
    """The book's own inputs: the chapter's regression set and the package's derivations."""
    return Inputs(make_regression_set())


class _Deep(Derivation[Inputs]):
    """The chapter's claims from one ``Inputs``: W* and ∇Ĉ(W*) are shared by book-deep-1 to
    -3 and computed once; only book-deep-4 trains networks."""

    source = "book, Deep and non-linear networks"

    @cached_property
    def w_star(self) -> np.ndarray:
        """An exact global minimum W* of C for :data:`CLAIM_ARCH` (no training)."""
        inputs = self.inputs
        return inputs.linear_optimum(inputs.arch, inputs.data, init_weights(inputs.arch, 0)[0])

    @cached_property
    def g_full(self) -> np.ndarray:
        """∇Ĉ(W*), every weight (the output bias b last)."""
        return self.inputs.gradients(self.inputs.arch, self.inputs.data, self.w_star, bn=True)

    @cached_property
    def g_bn(self) -> float:
        """‖∇Ĉ(W*)‖."""
        return float(np.linalg.norm(self.g_full))

    @derives("book-deep-1")
    def not_stationary(self) -> Claim:
        """W* is stationary for C (to the optimizer's tolerance) but not for Ĉ."""
        inputs = self.inputs
        g_std = float(np.linalg.norm(inputs.gradients(inputs.arch, inputs.data, self.w_star,
                                                      bn=False)))
        tol = inputs.optimizer.tol
        return Claim("book-deep-1", "a global minimum W* of C for a network with 2 hidden "
                     "layers of width 4 (identity, BN after each) is not a stationary point of "
                     "Ĉ", self.source, "—",
                     # ‖∇C(W*)‖ is rounding noise: report the bound it meets, not its digits
                     f"‖∇C(W*)‖ < {tol:.0e}, ‖∇Ĉ(W*)‖ = {self.g_bn:.2f}",
                     "closed-form W* (least squares with intercept), JAX autodiff",
                     {"‖∇C(W*)‖ < tol": g_std < tol,
                      "‖∇Ĉ(W*)‖ > 10⁶ tol": self.g_bn > 1e6 * tol},
                     Evidence.BOUND)

    @derives("book-deep-2")
    def lemma_fails(self) -> Claim:
        """lhs ≥ (b* − mean(ȳ))² > 0 = rhs at W₀ = W*, with ∂Ĉ/∂b = 2M(b − mean(ȳ))."""
        data, w_star = self.inputs.data, self.w_star
        rhs = float(lemma.lemma_rhs(w_star, w_star))
        bound = analysis.bias_gap_bound(w_star, self.inputs.arch, data)
        db = 2 * data.M * (w_star[-1] - float(np.mean(data.y)))  # ∂Ĉ/∂b by the derivation
        return Claim("book-deep-2", "Lemma 4.5 fails at W₀ = W* for that network: every "
                     "optimum Ŵ* of Ĉ has b = mean(ȳ), so lhs ≥ (b* − mean(ȳ))² > 0 = rhs",
                     self.source, "—", f"lhs ≥ {bound:.4f} > rhs = {rhs:.1f}",
                     "∂Ĉ/∂b = 2M(b − mean(ȳ)) derived, checked against JAX autodiff",
                     {"(b* − mean(ȳ))² > rhs": bool(bound > max(rhs, 0.0)),
                      "∂Ĉ/∂b = 2M(b − mean(ȳ))": bool(abs(self.g_full[-1] - db)
                                                       < 1e-9 * max(1.0, abs(db)))},
                     Evidence.BOUND)

    @derives("book-deep-3")
    def profile_vanishes(self) -> Claim:
        """‖∇_θ P̂(θ*)‖ < noise: with (v, b) refitted for W*'s hidden weights θ*."""
        inputs = self.inputs
        arch, data = inputs.arch, inputs.data
        profile = float(np.linalg.norm(inputs.gradients(
            arch, data, inputs.with_best_output(self.w_star, arch, data),
            bn=True)[:arch.n_hidden]))
        noise = experiment.NOISE_BOUND
        return Claim("book-deep-3", "for that network the profile gradient vanishes: with "
                     "(v, b) at their best for W*'s hidden weights, ∇_θ Ĉ = 0 (the raw "
                     "gradient comes from the output layer alone)", self.source, "—",
                     f"‖∇_θ P̂(θ*)‖ < {noise:.0e}, raw ‖∇Ĉ(W*)‖ = {self.g_bn:.2f}",
                     "least-squares (v, b) with numpy, JAX autodiff",
                     {"‖∇_θ P̂(θ*)‖ < noise": profile < noise}, Evidence.BOUND)

    @derives("book-deep-4")
    def trained_nonlinear(self) -> Claim:
        """The share of trained non-linear runs whose profile gradient is not zero."""
        inputs = self.inputs
        runs = experiment.run_grid({"regression": inputs.data}, (4,), (2,), inputs.nonlinear,
                                   inputs.seeds, inputs.optimizer)
        # a share over no usable runs raises (no Wilson interval): it cannot be a failed part
        sh = experiment.profile_share(runs, "regression", inputs.nonlinear)
        return Claim("book-deep-4", "for trained ReLU and tanh networks (width 4, depth 2) on "
                     "the regression set, the profile gradient at W* is not zero in most runs "
                     "(share > 1/2)", self.source, "—",
                     f"{sh.k} of {sh.n} usable runs > {experiment.PROFILE_TOL:.0e}; 95 % Wilson "
                     f"[{sh.low:.2f}, {sh.high:.2f}]",
                     "Levenberg–Marquardt training (10 seeds), second-order check, JAX autodiff",
                     {"Wilson lower bound > 1/2": sh.low > 0.5}, Evidence.SAMPLED)


def claims(inputs: Inputs | None = None, keys: Collection[str] | None = None) -> list[Claim]:
    """Derive the chapter's claims named in ``keys`` (default: all) from ``inputs`` (default:
    :func:`default_inputs`); only book-deep-4 trains networks."""
    return _Deep(inputs or default_inputs()).derive(keys)
