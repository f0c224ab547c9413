"""The deep network and its losses (chapter *Deep and non-linear networks*, the paper's open
questions 1 and 2).

A network with L hidden layers of ``width`` units and activation g, on inputs x̄ ∈ ℝᵈ:

    standard:  f_W(x̄) = vᵀ g(W_L ⋯ g(W_1 x̄)) + b,
    BN:        f̂_W(x̄) = vᵀ g(BN(W_L ⋯ g(BN(W_1 x̄)))) + b,

BN per hidden unit over the batch (the whole learning set), γ = 1, β = 0 fixed, using
:func:`bnpaper.core.model.batch_normalize` (the one definition of BN). Hidden layers have no
bias: in the BN network a bias before BN is cancelled by the mean subtraction, and both
networks share one parameter vector W = (W_1, …, W_L, v, b), flattened to shape (P,).
:func:`forward` is the public forward pass from the weights of each layer.

Losses are plain sums, as in the paper: C(W) = Σᵢ (f_W(x̄⁽ⁱ⁾) − ȳ⁽ⁱ⁾)², Ĉ(W) likewise with
f̂_W. The forward pass is written once, in :func:`layer_stack`, generic over numpy
(checked) and jax.numpy (training, autodiff); the compiled solver's padded network
(:mod:`bnpaper.topics.deep.padded`) runs through it too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bnpaper.core import checks, model
from bnpaper.core.data import LearningSet, make_learning_set
from bnpaper.core.namespace import convert, namespace_of


@dataclass(frozen=True)
class Architecture:
    """Layer sizes and activation: ``depth`` = L ≥ 1 hidden layers of ``width`` units on ℝᵈ."""

    d: int
    width: int
    depth: int
    activation: model.Activation = "identity"

    def __post_init__(self) -> None:
        for name in ("d", "width", "depth"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} = {value!r}; expected an integer >= 1 (a network needs"
                                 " at least one hidden layer of at least one unit on ℝᵈ, d >= 1)")
        if self.activation not in model.ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}; expected one of "
                             f"{model.ACTIVATIONS}")

    @property
    def shapes(self) -> tuple[tuple[int, ...], ...]:
        """Shapes of W_1 (width, d), W_2 … W_L (width, width), v (width,), b ()."""
        hidden = [(self.width, self.d)] + [(self.width, self.width)] * (self.depth - 1)
        return (*hidden, (self.width,), ())

    @property
    def n_params(self) -> int:
        """P, the length of the flat parameter vector W."""
        return sum(math.prod(s) for s in self.shapes)

    @property
    def n_hidden(self) -> int:
        """P_hidden, the number of hidden weights θ = (W_1, …, W_L): W[:n_hidden] is θ."""
        return self.slices()[-2].start

    def unpack(self, w: Any) -> tuple[list[Any], Any, Any]:
        """Split W of shape (P,) into ([W_1, …, W_L], v, b) (numpy or jax arrays)."""
        checks.check_weights_shape(w, self.n_params, "W")
        if np.ndim(w) != 1:
            raise ValueError(f"W has shape {np.shape(w)}; expected ({self.n_params},)")
        parts = [w[sl].reshape(shape) for sl, shape in zip(self.slices(), self.shapes,
                                                            strict=True)]
        return parts[:-2], parts[-2], parts[-1]

    def slices(self) -> list[slice]:
        """Slices of the flat W holding W_1, …, W_L, v, b, in this order."""
        ends = np.cumsum([0] + [math.prod(s) for s in self.shapes])
        return [slice(int(a), int(b)) for a, b in zip(ends[:-1], ends[1:], strict=True)]

    def hidden_row_slices(self) -> list[slice]:
        """Slices of W holding W_1, …, W_L (each reshaped to rows = one unit's weights)."""
        return self.slices()[:-2]


LayerMap = Callable[[int, Any], Any]
"""A map applied in one hidden layer: ``(l, z) ↦ …`` for the layer's number l (1 … L) and
its values z (width, M). The layer number is passed explicitly, so a map may differ per
layer (name the layer in an error, switch a padded layer off) without counting its calls."""


def layer_stack(w: Any, arch: Architecture, x: Any, normalize: LayerMap,
                g: LayerMap) -> tuple[list[Any], Any, Any]:
    """The layer stack, written once: z_l = N(l, W_l h_{l−1}), h_l = g(l, z_l), h_0 = xᵀ,
    output vᵀ h_L + b. N is BN or the identity. Returns ([z_1, …, z_L] each (width, M), h_L
    (width, M), f (M,)).

    The batch axis is the last one, the axis :func:`bnpaper.core.model.batch_normalize`
    reduces over, so BN acts per unit over the batch.
    """
    mats, v, b = arch.unpack(w)
    h, zs = x.T, []
    for layer, mat in enumerate(mats, start=1):
        z = normalize(layer, mat @ h)
        zs.append(z)
        h = g(layer, z)
    return zs, h, v @ h + b


def prepare(w: Any, arch: Architecture, x: Any, bn: bool) -> tuple[Any, Any, Any]:
    """(namespace of W, W, x converted to it), with x (M, d) checked against ``arch``, M ≥ 2
    for the BN network, and W finite on the numpy path."""
    xp = namespace_of(w)
    if np.ndim(x) != 2 or np.shape(x)[1] != arch.d:
        raise ValueError(f"x has shape {np.shape(x)}; expected (M, d) with d == {arch.d}")
    if bn and np.shape(x)[0] < 2:
        raise ValueError(f"the batch has M = {np.shape(x)[0]} sample(s); the BN network needs"
                         " M >= 2 (σ of a single sample is 0)")
    if xp is np:
        w = checks.finite_array(w, "W")
    return xp, convert(w, xp), convert(x, xp)


def _no_bn(layer: int, z: Any) -> Any:
    return z


def _bn(xp: Any) -> LayerMap:
    """BN with γ = 1, β = 0 (:func:`bnpaper.core.model.batch_normalize`), naming the layer on
    error."""
    def normalize(layer: int, z: Any) -> Any:
        try:
            return model.batch_normalize(z, xp)
        except ValueError as err:  # σ = 0 is detected on the numpy path: say which layer
            raise ValueError(f"hidden layer {layer}: {err}") from err

    return normalize


def _forward(w: Any, arch: Architecture, x: Any, bn: bool) -> tuple[list[Any], Any, Any]:
    xp, w, x = prepare(w, arch, x, bn)
    return layer_stack(w, arch, x, _bn(xp) if bn else _no_bn,
                       lambda layer, z: model.activate(z, arch.activation, xp))


def hidden_pre_activations(w: Any, arch: Architecture, x: Any, bn: bool) -> list[Any]:
    """The pre-activations of each hidden layer (after BN if ``bn``), each (width, M)."""
    return _forward(w, arch, x, bn)[0]


def hidden_outputs(w: Any, arch: Architecture, x: Any, bn: bool = False) -> Any:
    """h_L, the last hidden layer's outputs (after BN if ``bn``, and g), (width, M): the
    features the output layer (v, b) combines."""
    return _forward(w, arch, x, bn)[1]


def network_output(w: Any, arch: Architecture, x: Any, bn: bool = False) -> Any:
    """f_W(x̄⁽ᵐ⁾) (``bn=False``) or f̂_W(x̄⁽ᵐ⁾) (``bn=True``) for every row of x (M, d) → (M,)."""
    return _forward(w, arch, x, bn)[2]


def forward(x: Any, layers: Sequence[Any], v: Any, b: Any, activation: str = "identity",
            bn: bool = False) -> np.ndarray:
    """The network's outputs from its weights per layer, the public entry point:
    ``layers`` = [W_1 (n, d), W_2 (n, n), …, W_L (n, n)], output weights v (n,) and bias b,
    for every row of x (M, d) → (M,): f_W (``bn=False``) or f̂_W with BN (γ = 1, β = 0,
    batch statistics over the M rows, population variance, ε = 0) after each W_l (``bn=True``).
    numpy in, numpy out; same as :func:`network_output` on the flattened W."""
    mats = [np.asarray(m, dtype=float) for m in layers]
    if not mats or any(m.ndim != 2 for m in mats):
        raise ValueError("layers must be a non-empty list of 2-d weight matrices W_1 … W_L")
    width, d = mats[0].shape
    for k, m in enumerate(mats[1:], start=2):
        if m.shape != (width, width):
            raise ValueError(f"W_{k} has shape {m.shape}; expected ({width}, {width})")
    if np.shape(v) != (width,) or np.shape(b) != ():
        raise ValueError(f"v has shape {np.shape(v)} and b {np.shape(b)}; expected "
                         f"({width},) and ()")
    arch = Architecture(d, width, len(mats), activation)
    w = np.concatenate([m.ravel() for m in mats] + [np.asarray(v, float), [float(b)]])
    return np.asarray(network_output(w, arch, np.asarray(x, dtype=float), bn))


def loss(w: Any, arch: Architecture, data: LearningSet, bn: bool = False) -> Any:
    """C(W) (``bn=False``) or Ĉ(W) (``bn=True``, γ = 1 and β = 0 in every BN layer):
    Σᵢ (f(x̄⁽ⁱ⁾) − ȳ⁽ⁱ⁾)². W (P,) → scalar. (The losses of one neuron, of the same names
    C and Ĉ, are :func:`bnpaper.core.model.standard_loss` and ``bn_loss``.)"""
    xp = namespace_of(w)
    out = network_output(w, arch, data.x, bn)
    return model.squared_error(out, convert(data.y, xp), xp)


# ---------------------------------------------------------------- the learning set, W₀

def make_regression_set(M: int = 16, d: int = 2, seed: int = 0,  # noqa: N803 - paper's M
                        noise: float = 0.1, shift: float = 1.5) -> LearningSet:
    """A small non-linear regression set: x̄ ~ N(shift·1, I) (non-zero mean), labels
    ȳ = sin(x̄₁) + x̄₂²/4 + noise·ε (the x̄₂ term only if d ≥ 2), ε ~ N(0, 1)."""
    if M < 2:
        raise ValueError(f"M = {M}; the BN network needs a batch of M >= 2 samples")
    rng = np.random.default_rng(seed)
    x = shift + rng.normal(size=(M, d))
    y = np.sin(x[:, 0]) + (x[:, 1] ** 2 / 4 if d >= 2 else 0) + noise * rng.normal(size=M)
    return make_learning_set(x, y)


def init_weights(arch: Architecture, seed: int, n: int = 1) -> np.ndarray:
    """n initializations W₀, shape (n, P): each weight matrix N(0, 1/fan_in), v too, b = 0."""
    rng = np.random.default_rng(seed)
    parts = []
    for shape in arch.shapes:
        fan_in = shape[-1] if len(shape) == 2 else arch.width
        size = math.prod(shape)
        scale = 0.0 if shape == () else 1 / np.sqrt(fan_in)
        parts.append(scale * rng.normal(size=(n, size)))
    return np.concatenate(parts, axis=1)
