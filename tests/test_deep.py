"""Deep and non-linear networks with stacked BN layers: definitions, reductions to the paper's
neuron, gradients, training and the chapter's claims."""

import numpy as np
import pytest

from bnpaper import counterexample, deep, exact, model
from bnpaper.autodiff import jax_x64
from bnpaper.data import counterexample_set, make_learning_set
from bnpaper.namespace import to_exact

from .helpers import central_difference

DATA = deep.make_regression_set()
PAPER = counterexample_set()


def random_w(arch, seed=0):
    return deep.init_weights(arch, seed)[0] + 0.3  # b ≠ 0 too


def reference_output(w, arch, x, bn):
    """The deep network written out with np.std, layer by layer: not bnpaper's code."""
    g = {"identity": lambda z: z, "relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}
    sizes = [arch.width * arch.d] + [arch.width**2] * (arch.depth - 1)
    h, start = x, 0
    for size in sizes:
        mat = w[start:start + size].reshape(arch.width, -1)
        start += size
        z = h @ mat.T  # (M, width)
        if bn:
            z = (z - z.mean(axis=0)) / z.std(axis=0)
        h = g[arch.activation](z)
    return h @ w[start:start + arch.width] + w[-1]


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
def test_every_bn_layer_has_zero_mean_and_unit_population_variance_per_unit(activation):
    arch = deep.Architecture(2, 4, 3, activation)
    for z in deep.hidden_pre_activations(random_w(arch), arch, DATA.x, bn=True):
        assert z.shape == (4, DATA.M)
        np.testing.assert_allclose(z.mean(axis=1), 0, atol=1e-13)
        np.testing.assert_allclose(z.var(axis=1), 1, rtol=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
@pytest.mark.parametrize("bn", [False, True])
def test_network_matches_an_independent_implementation(activation, bn):
    for depth in (1, 2, 3):
        arch = deep.Architecture(2, 4, depth, activation)
        w = random_w(arch, seed=depth)
        np.testing.assert_allclose(deep.network_output(w, arch, DATA.x, bn),
                                   reference_output(w, arch, DATA.x, bn), rtol=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
def test_one_unit_bn_network_is_the_papers_neuron_with_output_weight_and_bias(activation):
    # f̂ = v·g(BN(⟨w, x̄⟩)) + b; for g = identity, v and b are exactly γ and β of the neuron.
    arch = deep.Architecture(2, 1, 1, activation)
    data = PAPER.numeric()
    for w, v, b in [((1.0, 3.0), 1.0, 0.0), ((0.4, -2.0), -1.7, 0.6), ((5.0, 3.0), 2.0, -3.0)]:
        out = deep.network_output(np.array([*w, v, b]), arch, data.x, bn=True)
        neuron = model.bn_output(np.array(w), data, activation=activation)
        np.testing.assert_allclose(out, v * neuron + b, rtol=1e-13, atol=1e-13)
        if activation == "identity":
            np.testing.assert_allclose(out, model.bn_output(np.array(w), data, gamma=v, beta=b),
                                       rtol=1e-13, atol=1e-13)


def test_one_unit_networks_reproduce_the_papers_losses_exactly():
    arch = deep.Architecture(2, 1, 1, "identity")
    for w in [(1, 3), (5, 3), (2, -7)]:
        params = to_exact([*w, 1, 0])
        assert deep.bn_loss(params, arch, PAPER) == model.bn_loss(to_exact(w), PAPER)
        assert deep.standard_loss(params, arch, PAPER) == model.standard_loss(to_exact(w), PAPER)


def test_one_unit_bn_gradient_at_w_star_is_the_papers_gradient():
    arch = deep.Architecture(2, 1, 1, "identity")
    w_star = counterexample.standard_optimum(PAPER)
    paper_grad = exact.to_floats(counterexample.bn_gradient_at(PAPER, w_star))
    grad = deep.gradients(arch, PAPER, np.array([*exact.to_floats(w_star), 1.0, 0.0]), bn=True)
    np.testing.assert_allclose(grad[:2], paper_grad, rtol=1e-12)
    # ∂Ĉ/∂v = Σ BN(z)(BN(z) − y) and ∂Ĉ/∂b = Σ 2(BN(z) − y) = −2 Σ y: not zero either
    assert grad[3] == pytest.approx(-2 * float(np.sum(PAPER.numeric().y)), rel=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
@pytest.mark.parametrize("bn", [False, True])
def test_jax_gradients_match_central_differences(activation, bn):
    arch = deep.Architecture(2, 4, 2, activation)
    w = random_w(arch, seed=5)
    grad = deep.gradients(arch, DATA, w, bn)
    fd = central_difference(lambda v: deep.loss(v, arch, DATA, bn), w, h=1e-6)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("bn", [False, True])
def test_the_compiled_solver_computes_the_same_loss_and_gradient(depth, bn):
    # the solver runs every depth <= 3 through one padded network; it must agree exactly
    jax_x64()
    for activation in model.ACTIVATIONS:
        arch = deep.Architecture(2, 4, depth, activation)
        w = deep.init_weights(arch, 3, n=2)
        res = deep.train(arch, DATA, w, bn, deep.Optimizer(steps=0))
        for i in range(2):
            assert res.loss[i] == pytest.approx(deep.loss(w[i], arch, DATA, bn), rel=1e-12)
            assert res.grad_norm[i] == pytest.approx(
                np.linalg.norm(deep.gradients(arch, DATA, w[i], bn)), rel=1e-10)


def test_embedding_into_the_solvers_depth_and_back_is_the_identity():
    arch = deep.Architecture(2, 4, 1, "tanh")
    big = deep._padded(arch)
    w = deep.init_weights(arch, 0, n=3) + 0.1
    np.testing.assert_array_equal(deep._extract(deep._embed(w, arch, big), arch, big), w)


@pytest.mark.parametrize("activation", ["identity", "tanh"])
def test_trained_w_star_is_a_stationary_point_of_c(activation):
    arch = deep.Architecture(2, 4, 3, activation)
    res = deep.train(arch, DATA, deep.init_weights(arch, 1))
    assert res.grad_norm[0] < deep.Optimizer().tol
    assert np.linalg.norm(deep.gradients(arch, DATA, res.w[0], bn=False)) < deep.Optimizer().tol
    start = np.linalg.norm(deep.gradients(arch, DATA, deep.init_weights(arch, 1)[0], False))
    assert start > 1.0  # training did something


def test_identity_networks_train_to_the_least_squares_fit_with_intercept():
    _, _, c_ls = deep.least_squares_with_intercept(DATA)
    design = np.column_stack([DATA.x, np.ones(DATA.M)])
    r = design @ np.linalg.solve(design.T @ design, design.T @ DATA.y) - DATA.y
    assert c_ls == pytest.approx(r @ r, rel=1e-12)  # normal equations, independently
    for depth in (1, 2, 3):
        arch = deep.Architecture(2, 4, depth, "identity")
        for bn in (False, True):
            res = deep.train(arch, DATA, deep.init_weights(arch, 0), bn)
            assert res.loss[0] == pytest.approx(c_ls, rel=1e-9)


def test_closed_form_linear_optimum_is_stationary_for_c_but_not_for_c_hat():
    arch = deep.Architecture(2, 4, 2, "identity")
    w_star = deep.linear_optimum(arch, DATA, deep.init_weights(arch, 0)[0])
    assert np.linalg.norm(deep.gradients(arch, DATA, w_star, bn=False)) < 1e-9
    assert np.linalg.norm(deep.gradients(arch, DATA, w_star, bn=True)) > 1.0
    with pytest.raises(ValueError, match="needs 'identity'"):
        deep.linear_optimum(deep.Architecture(2, 4, 2, "tanh"), DATA, w_star)


def test_training_is_deterministic_for_a_fixed_seed():
    arch = deep.Architecture(2, 4, 2, "tanh")
    first = deep.run_architecture(arch, DATA, (0, 1))
    assert first == deep.run_architecture(arch, DATA, (0, 1))
    np.testing.assert_array_equal(deep.init_weights(arch, 7), deep.init_weights(arch, 7))
    assert not np.array_equal(deep.init_weights(arch, 7), deep.init_weights(arch, 8))
    np.testing.assert_array_equal(deep.make_regression_set(seed=3).x,
                                  deep.make_regression_set(seed=3).x)


def test_bn_loss_is_invariant_to_rescaling_each_hidden_unit():
    arch = deep.Architecture(2, 4, 3, "tanh")
    w = random_w(arch)
    scaled = w.copy()
    c = np.random.default_rng(0).uniform(0.1, 10, size=4 * arch.depth)
    for k, sl in enumerate(arch.hidden_row_slices()):
        rows = scaled[sl].reshape(arch.shapes[k])
        scaled[sl] = (rows * c[4 * k:4 * k + 4, None]).ravel()
    assert deep.bn_loss(scaled, arch, DATA) == pytest.approx(deep.bn_loss(w, arch, DATA),
                                                             rel=1e-12)
    assert deep.scale_orbit_distance_sq(scaled, w, arch) == pytest.approx(0, abs=1e-12)


def test_scale_orbit_distance_is_the_minimum_over_positive_rescalings():
    arch = deep.Architecture(2, 2, 1, "identity")  # rows (2,), (2,); then v (2,), b
    rng = np.random.default_rng(1)
    w0, w_hat = rng.normal(size=7), rng.normal(size=7)
    w_hat[:2] = -w0[:2] + 0.1 * rng.normal(size=2)  # first row nearly opposite: c → 0
    cs = np.linspace(1e-6, 5, 20001)
    brute = 0.0
    for k in range(2):
        r0, r = w0[2 * k:2 * k + 2], w_hat[2 * k:2 * k + 2]
        brute += np.min(np.sum((cs[:, None] * r - r0) ** 2, axis=1))
    brute += np.sum((w0[4:] - w_hat[4:]) ** 2)
    assert deep.scale_orbit_distance_sq(w0, w_hat, arch) == pytest.approx(brute, abs=1e-5)
    assert deep.scale_orbit_distance_sq(w0, w_hat, arch) <= np.sum((w0 - w_hat) ** 2)


def test_end_status_detects_a_relu_kink():
    arch = deep.Architecture(2, 1, 1, "relu")
    x1 = DATA.x[0]
    w = np.array([x1[1], -x1[0], 1.0, 0.0])  # ⟨w, x̄⁽¹⁾⟩ = 0 exactly
    assert deep.end_status(arch, DATA, w, 0.5, False, 1e-6) == "kink"
    assert deep.end_status(arch, DATA, w, 1e-9, False, 1e-6) == "stationary"
    tanh = deep.Architecture(2, 1, 1, "tanh")
    assert deep.end_status(tanh, DATA, w, 0.5, False, 1e-6) == "not stationary"


@pytest.mark.parametrize("kwargs, match", [
    (dict(d=2, width=4, depth=0), "depth = 0"),
    (dict(d=2, width=0, depth=1), "width = 0"),
    (dict(d=2, width=4, depth=1.5), "depth = 1.5"),
    (dict(d=2, width=4, depth=2, activation="sigmoid"), "unknown activation 'sigmoid'"),
])
def test_bad_architectures_raise_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        deep.Architecture(**kwargs)


def test_bn_network_rejects_a_batch_of_one_sample():
    arch = deep.Architecture(2, 4, 2, "relu")
    w = random_w(arch)
    deep.network_output(w, arch, DATA.x[:1], bn=False)  # the standard network is fine
    with pytest.raises(ValueError, match="M = 1 sample"):
        deep.network_output(w, arch, DATA.x[:1], bn=True)
    with pytest.raises(ValueError, match="M >= 2"):
        deep.make_regression_set(M=1)


def test_bad_weights_and_inputs_raise_clear_errors():
    arch = deep.Architecture(2, 4, 2, "tanh")
    w = random_w(arch)
    with pytest.raises(ValueError, match=r"W has shape \(5,\)"):
        deep.network_output(np.ones(5), arch, DATA.x)
    with pytest.raises(ValueError, match="non-finite"):
        deep.network_output(np.where(np.arange(w.size) == 3, np.nan, w), arch, DATA.x)
    with pytest.raises(ValueError, match=r"x has shape \(16, 3\)"):
        deep.network_output(w, arch, np.ones((16, 3)))
    three_d = make_learning_set(np.ones((4, 3)) + np.eye(4, 3), np.arange(4.0))
    with pytest.raises(ValueError, match="d = 3"):
        deep.train(arch, three_d, w)
    with pytest.raises(ValueError, match="steps >= 0"):
        deep.Optimizer(steps=-1)


def test_sigma_zero_in_a_bn_layer_names_the_layer():
    arch = deep.Architecture(2, 4, 2, "tanh")
    w = random_w(arch)
    start = arch.hidden_row_slices()[1].start
    w[start:start + 4] = 0.0  # the first unit of layer 2 gets z ≡ 0
    with pytest.raises(ValueError, match=r"hidden layer 2: σ\(w\) = 0"):
        deep.bn_loss(w, arch, DATA)
    assert np.isfinite(deep.standard_loss(w, arch, DATA))


def test_grid_summary_and_tables_are_consistent():
    runs = deep.run_architecture(deep.Architecture(2, 4, 1, "identity"), DATA, (0, 1))
    s = deep.summarize(runs)
    assert s.n_runs == 2 and s.n_stationary_star == 2 and s.without_stationary_star == ()
    assert s.min_grad_bn > 1.0 > 1e-6 > s.max_grad_c
    assert sum(s.status_counts.values()) == 3 * len(runs)
    for table in (deep.format_table_ab(runs), deep.format_table_c(runs)):
        lines = table.splitlines()
        assert len(lines) == len(runs) + 2
    for r in runs:  # W* and the BN end point trained from it describe the same function class
        assert r.c_hat_from_star == pytest.approx(r.c_star, rel=1e-9)
        assert 0 < r.move_orbit <= r.move


def test_claims_hold():
    claims = deep.claims()
    assert [c.key for c in claims] == ["book-deep-1", "book-deep-2"]
    assert all(c.holds for c in claims)


def test_summary_names_the_architectures_without_a_stationary_w_star():
    # tanh with one hidden layer drifts (‖v‖ grows) instead of converging on this set
    runs = (deep.run_architecture(deep.Architecture(2, 4, 1, "identity"), DATA, (0,))
            + deep.run_architecture(deep.Architecture(2, 4, 1, "tanh"), DATA, (0, 1)))
    assert deep.summarize(runs).without_stationary_star == ((1, "tanh"),)
    growth = deep.output_weight_growth(deep.Architecture(2, 4, 1, "tanh"), DATA,
                                       deep.init_weights(deep.Architecture(2, 4, 1), 0)[0],
                                       True, (300, 3000))
    assert growth[1][1] < growth[0][1] and growth[1][3] > growth[0][3] + 1
