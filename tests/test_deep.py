"""Deep and non-linear networks with stacked BN layers (:mod:`bnpaper.topics.deep`):
definitions, reductions to the paper's neuron, gradients, training, the experiment's
summaries, its tables and figure, and the chapter's claims."""

import re
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest

from bnpaper.core import autodiff, exact, least_squares, model
from bnpaper.core.data import make_learning_set
from bnpaper.core.namespace import to_exact
from bnpaper.paper import counterexample
from bnpaper.paper.counterexample import counterexample_set
from bnpaper.presentation import plots
from bnpaper.presentation.figures import deep as figures
from bnpaper.presentation.reports import deep as reports
from bnpaper.topics import deep
from bnpaper.topics.deep import analysis, experiment, network, padded

from .helpers import central_difference


@pytest.fixture(scope="module")
def regression():
    """The chapter's regression set (M = 16, d = 2)."""
    return deep.make_regression_set()


@pytest.fixture(scope="module")
def paper():
    """The paper's learning set (exact)."""
    return counterexample_set()


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
def test_every_bn_layer_has_zero_mean_and_unit_population_variance_per_unit(activation, regression):
    arch = deep.Architecture(2, 4, 3, activation)
    for z in network.hidden_pre_activations(random_w(arch), arch, regression.x, bn=True):
        assert z.shape == (4, regression.M)
        np.testing.assert_allclose(z.mean(axis=1), 0, atol=1e-13)
        np.testing.assert_allclose(z.var(axis=1), 1, rtol=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
@pytest.mark.parametrize("bn", [False, True])
def test_network_matches_an_independent_implementation(activation, bn, regression):
    for depth in (1, 2, 3):
        arch = deep.Architecture(2, 4, depth, activation)
        w = random_w(arch, seed=depth)
        np.testing.assert_allclose(deep.network_output(w, arch, regression.x, bn),
                                   reference_output(w, arch, regression.x, bn), rtol=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
def test_one_unit_bn_network_is_the_papers_neuron_with_output_weight_and_bias(activation, paper):
    # f̂ = v·g(BN(⟨w, x̄⟩)) + b; for g = identity, v and b are exactly γ and β of the neuron.
    arch = deep.Architecture(2, 1, 1, activation)
    data = paper.numeric()
    for w, v, b in [((1.0, 3.0), 1.0, 0.0), ((0.4, -2.0), -1.7, 0.6), ((5.0, 3.0), 2.0, -3.0)]:
        out = deep.network_output(np.array([*w, v, b]), arch, data.x, bn=True)
        neuron = model.bn_output(np.array(w), data, activation=activation)
        np.testing.assert_allclose(out, v * neuron + b, rtol=1e-13, atol=1e-13)
        if activation == "identity":
            np.testing.assert_allclose(out, model.bn_output(np.array(w), data, gamma=v, beta=b),
                                       rtol=1e-13, atol=1e-13)


def test_one_unit_networks_reproduce_the_papers_losses_exactly(paper):
    arch = deep.Architecture(2, 1, 1, "identity")
    for w in [(1, 3), (5, 3), (2, -7)]:
        params = to_exact([*w, 1, 0])
        assert deep.loss(params, arch, paper, bn=True) == model.bn_loss(to_exact(w), paper)
        assert deep.loss(params, arch, paper) == model.standard_loss(to_exact(w), paper)


def test_one_unit_bn_gradient_at_w_star_is_the_papers_gradient(paper):
    arch = deep.Architecture(2, 1, 1, "identity")
    w_star = least_squares.standard_optimum(paper)
    paper_grad = exact.to_floats(counterexample.bn_gradient_at(paper, w_star))
    grad = analysis.gradients(arch, paper, np.array([*exact.to_floats(w_star), 1.0, 0.0]), bn=True)
    np.testing.assert_allclose(grad[:2], paper_grad, rtol=1e-12)
    # ∂Ĉ/∂v = Σ BN(z)(BN(z) − y) and ∂Ĉ/∂b = Σ 2(BN(z) − y) = −2 Σ y: not zero either
    assert grad[3] == pytest.approx(-2 * float(np.sum(paper.numeric().y)), rel=1e-12)


@pytest.mark.parametrize("activation", model.ACTIVATIONS)
@pytest.mark.parametrize("bn", [False, True])
def test_jax_gradients_match_central_differences(activation, bn, regression):
    arch = deep.Architecture(2, 4, 2, activation)
    w = random_w(arch, seed=5)
    grad = analysis.gradients(arch, regression, w, bn)
    fd = central_difference(lambda v: deep.loss(v, arch, regression, bn), w, h=1e-6)
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("bn", [False, True])
def test_the_compiled_solver_computes_the_same_loss_and_gradient(depth, bn, regression):
    # the solver runs every depth <= 3 through one padded network; it must agree exactly
    for activation, width in zip(model.ACTIVATIONS, (4, 2, 3), strict=True):
        arch = deep.Architecture(2, width, depth, activation)  # widths < 4 are embedded too
        w = deep.init_weights(arch, 3, n=2)
        res = deep.train(arch, regression, w, bn, deep.Optimizer(steps=0))
        for i in range(2):
            assert res.loss[i] == pytest.approx(deep.loss(w[i], arch, regression, bn), rel=1e-12)
            assert res.grad_norm[i] == pytest.approx(
                np.linalg.norm(analysis.gradients(arch, regression, w[i], bn)), rel=1e-10)


@pytest.mark.parametrize("width", [1, 2, 4])
def test_embedding_into_the_solvers_network_and_back_is_the_identity(width):
    arch = deep.Architecture(2, width, 1, "tanh")
    big = padded.padded_architecture(arch)
    w = deep.init_weights(arch, 0, n=3) + 0.1
    np.testing.assert_array_equal(padded.extract(padded.embed(w, arch, big), arch, big), w)


@pytest.mark.parametrize("activation", ["identity", "tanh"])
def test_trained_w_star_is_a_stationary_point_of_c(activation, regression):
    arch = deep.Architecture(2, 4, 3, activation)
    res = deep.train(arch, regression, deep.init_weights(arch, 1))
    assert res.grad_norm[0] < deep.Optimizer().tol
    tol = deep.Optimizer().tol
    assert np.linalg.norm(analysis.gradients(arch, regression, res.w[0], bn=False)) < tol
    w0 = deep.init_weights(arch, 1)[0]
    start = np.linalg.norm(analysis.gradients(arch, regression, w0, False))
    assert start > 1.0  # training did something


def test_identity_networks_train_to_the_least_squares_fit_with_intercept(regression):
    _, _, c_ls = analysis.least_squares_with_intercept(regression)
    design = np.column_stack([regression.x, np.ones(regression.M)])
    r = design @ np.linalg.solve(design.T @ design, design.T @ regression.y) - regression.y
    assert c_ls == pytest.approx(r @ r, rel=1e-12)  # normal equations, independently
    for depth in (1, 2, 3):
        arch = deep.Architecture(2, 4, depth, "identity")
        for bn in (False, True):
            res = deep.train(arch, regression, deep.init_weights(arch, 0), bn)
            assert res.loss[0] == pytest.approx(c_ls, rel=1e-9)


def test_closed_form_linear_optimum_is_stationary_for_c_but_not_for_c_hat(regression):
    arch = deep.Architecture(2, 4, 2, "identity")
    w_star = analysis.linear_optimum(arch, regression, deep.init_weights(arch, 0)[0])
    assert np.linalg.norm(analysis.gradients(arch, regression, w_star, bn=False)) < 1e-9
    assert np.linalg.norm(analysis.gradients(arch, regression, w_star, bn=True)) > 1.0
    with pytest.raises(ValueError, match="needs 'identity'"):
        analysis.linear_optimum(deep.Architecture(2, 4, 2, "tanh"), regression, w_star)


def test_bn_loss_is_invariant_to_rescaling_each_hidden_unit(regression):
    arch = deep.Architecture(2, 4, 3, "tanh")
    w = random_w(arch)
    scaled = w.copy()
    c = np.random.default_rng(0).uniform(0.1, 10, size=4 * arch.depth)
    for k, sl in enumerate(arch.hidden_row_slices()):
        rows = scaled[sl].reshape(arch.shapes[k])
        scaled[sl] = (rows * c[4 * k:4 * k + 4, None]).ravel()
    assert deep.loss(scaled, arch, regression, bn=True) == pytest.approx(
        deep.loss(w, arch, regression, bn=True), rel=1e-12)
    assert analysis.scale_orbit_distance_sq(scaled, w, arch) == pytest.approx(0, abs=1e-12)


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
    assert analysis.scale_orbit_distance_sq(w0, w_hat, arch) == pytest.approx(brute, abs=1e-5)
    assert analysis.scale_orbit_distance_sq(w0, w_hat, arch) <= np.sum((w0 - w_hat) ** 2)


def test_end_status_detects_a_relu_kink(regression):
    arch = deep.Architecture(2, 1, 1, "relu")
    x1 = regression.x[0]
    w = np.array([x1[1], -x1[0], 1.0, 0.0])  # ⟨w, x̄⁽¹⁾⟩ = 0 exactly
    assert analysis.end_status(arch, regression, w, 0.5, False, 1e-6) == "kink"
    assert analysis.end_status(arch, regression, w, 1e-9, False, 1e-6) == "stationary"
    tanh = deep.Architecture(2, 1, 1, "tanh")
    assert analysis.end_status(tanh, regression, w, 0.5, False, 1e-6) == "not stationary"


@pytest.mark.parametrize("kwargs, match", [
    (dict(d=2, width=4, depth=0), "depth = 0"),
    (dict(d=2, width=0, depth=1), "width = 0"),
    (dict(d=2, width=4, depth=1.5), "depth = 1.5"),
    (dict(d=2, width=4, depth=2, activation="sigmoid"), "unknown activation 'sigmoid'"),
])
def test_bad_architectures_raise_clear_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        deep.Architecture(**kwargs)


def test_the_flat_parameter_vector_holds_the_hidden_weights_then_v_then_b():
    arch = deep.Architecture(2, 3, 2, "tanh")
    assert arch.n_hidden == 3 * 2 + 3 * 3 and arch.n_params == arch.n_hidden + 3 + 1
    w = np.arange(float(arch.n_params))
    mats, v, b = arch.unpack(w)
    np.testing.assert_array_equal(np.concatenate([m.ravel() for m in mats]), w[:arch.n_hidden])
    np.testing.assert_array_equal(v, w[arch.n_hidden:-1])
    assert b == w[-1]


def test_bn_network_rejects_a_batch_of_one_sample(regression):
    arch = deep.Architecture(2, 4, 2, "relu")
    w = random_w(arch)
    deep.network_output(w, arch, regression.x[:1], bn=False)  # the standard network is fine
    with pytest.raises(ValueError, match="M = 1 sample"):
        deep.network_output(w, arch, regression.x[:1], bn=True)
    with pytest.raises(ValueError, match="M >= 2"):
        deep.make_regression_set(M=1)


def test_bad_weights_and_inputs_raise_clear_errors(regression):
    arch = deep.Architecture(2, 4, 2, "tanh")
    w = random_w(arch)
    with pytest.raises(ValueError, match=r"W has shape \(5,\)"):
        deep.network_output(np.ones(5), arch, regression.x)
    with pytest.raises(ValueError, match="non-finite"):
        deep.network_output(np.where(np.arange(w.size) == 3, np.nan, w), arch, regression.x)
    with pytest.raises(ValueError, match=r"x has shape \(16, 3\)"):
        deep.network_output(w, arch, np.ones((16, 3)))
    three_d = make_learning_set(np.ones((4, 3)) + np.eye(4, 3), np.arange(4.0))
    with pytest.raises(ValueError, match="d = 3"):
        deep.train(arch, three_d, w)
    with pytest.raises(ValueError, match="steps >= 0"):
        deep.Optimizer(steps=-1)


def test_sigma_zero_in_a_bn_layer_names_the_layer(regression):
    arch = deep.Architecture(2, 4, 2, "tanh")
    w = random_w(arch)
    start = arch.hidden_row_slices()[1].start
    w[start:start + 4] = 0.0  # the first unit of layer 2 gets z ≡ 0
    with pytest.raises(ValueError, match=r"hidden layer 2: σ\(w\) = 0"):
        deep.loss(w, arch, regression, bn=True)
    assert np.isfinite(deep.loss(w, arch, regression))




def test_training_is_deterministic_and_rows_are_independent(regression):
    archs = [deep.Architecture(2, 4, 2, "tanh"), deep.Architecture(2, 2, 3, "relu")]
    w0 = [deep.init_weights(a, 7)[0] for a in archs]
    together = deep.train_many(archs, regression, w0)
    for arch, w, res in zip(archs, w0, together, strict=True):
        alone = deep.train(arch, regression, w[None])
        np.testing.assert_allclose(alone.w, res.w, rtol=1e-6, atol=1e-8)
    again = deep.train_many(archs, regression, w0)
    for a, b in zip(together, again, strict=True):
        np.testing.assert_array_equal(a.w, b.w)
    assert not np.array_equal(deep.init_weights(archs[0], 7), deep.init_weights(archs[0], 8))


def test_forward_takes_weights_per_layer_and_matches_the_flat_network(regression):
    arch = deep.Architecture(2, 3, 3, "relu")
    w = random_w(arch, seed=2)
    mats, v, b = arch.unpack(w)
    for bn in (False, True):
        np.testing.assert_array_equal(deep.forward(regression.x, mats, v, b, "relu", bn),
                                      deep.network_output(w, arch, regression.x, bn))
        np.testing.assert_allclose(deep.forward(regression.x, mats, v, b, "relu", bn),
                                   reference_output(w, arch, regression.x, bn), rtol=1e-12)
    with pytest.raises(ValueError, match=r"W_2 has shape \(2, 3\)"):
        deep.forward(regression.x, [mats[0], mats[1][:2]], v, b)


# ------------------------------------------------------- output layer, profile gradient


def numpy_profile_loss(theta, arch, data):
    """P̂(θ) written out: the BN network's last hidden layer, then the normal equations of
    the affine fit (np.linalg.solve on the Gram matrix, not lstsq): not bnpaper's code."""
    w = np.concatenate([theta, np.zeros(arch.width + 1)])
    h = reference_features(w, arch, data.x)
    design = np.column_stack([h, np.ones(data.M)])
    coef = np.linalg.solve(design.T @ design, design.T @ data.y)
    r = design @ coef - data.y
    return r @ r


def reference_features(w, arch, x):
    g = {"identity": lambda z: z, "relu": lambda z: np.maximum(z, 0), "tanh": np.tanh}
    h, start = x, 0
    for size in [arch.width * arch.d] + [arch.width**2] * (arch.depth - 1):
        z = h @ w[start:start + size].reshape(arch.width, -1).T
        start += size
        h = g[arch.activation]((z - z.mean(axis=0)) / z.std(axis=0))
    return h


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_profile_gradient_equals_finite_differences_of_an_independent_profile_loss(
        activation, regression):
    arch = deep.Architecture(2, 3, 2, activation)
    w = random_w(arch, seed=4)
    n_hidden = arch.slices()[-2].start
    split = deep.split_output(arch, regression, w)
    fd = central_difference(lambda t: numpy_profile_loss(t, arch, regression), w[:n_hidden], h=1e-6)
    np.testing.assert_allclose(split.grad_profile[0], fd, rtol=1e-5, atol=1e-6)
    assert split.profile_norm[0] > 0.1  # a case where it is not zero
    independent = numpy_profile_loss(w[:n_hidden], arch, regression)
    assert split.best_output_loss[0] == pytest.approx(independent, rel=1e-10)
    assert analysis.best_output_loss(w, arch, regression) == pytest.approx(independent,
                                                                           rel=1e-10)
    np.testing.assert_allclose(split.grad_output_at_fit, 0, atol=1e-9)  # normal equations


def test_profile_gradient_ignores_the_points_own_output_layer(regression):
    arch = deep.Architecture(2, 4, 2, "tanh")
    w = random_w(arch, seed=1)
    other = w.copy()
    other[arch.slices()[-2].start:] = np.arange(5.0)
    a, b = deep.split_output(arch, regression, np.stack([w, other])).grad_profile
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    fitted = analysis.with_best_output(w, arch, regression)
    n_hidden = arch.slices()[-2].start
    np.testing.assert_allclose(analysis.gradients(arch, regression, fitted, bn=True)[:n_hidden], a,
                               rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("width", [2, 4])
def test_identity_networks_of_width_at_least_d_have_zero_profile_gradient(width, regression):
    # h_L spans the centred inputs, so the best (v, b) give the least-squares fit itself
    arch = deep.Architecture(2, width, 3, "identity")
    split = deep.split_output(arch, regression, deep.init_weights(arch, 0, n=3))
    assert np.all(split.profile_norm < 1e-9)
    c_ls = analysis.least_squares_with_intercept(regression)[2]
    np.testing.assert_allclose(split.best_output_loss, c_ls, rtol=1e-10)
    # a single unit (width 1 < d) is the paper's neuron with learned γ = v, β = b: not zero
    one = deep.Architecture(2, 1, 1, "identity")
    assert deep.split_output(one, regression, deep.init_weights(one, 0)).profile_norm[0] > 0.1


def test_bias_gradient_of_identity_bn_networks_is_2m_times_the_bias_gap(regression):
    # Σₘ f̂ = M·b (each BN output has mean 0), so ∂Ĉ/∂b = 2M(b − mean(ȳ)) at every W
    for depth in (1, 3):
        arch = deep.Architecture(2, 4, depth, "identity")
        for w in deep.init_weights(arch, depth, n=3) + 0.4:
            grad = analysis.gradients(arch, regression, w, bn=True)
            gap = w[-1] - regression.y.mean()
            assert grad[-1] == pytest.approx(2 * regression.M * gap, rel=1e-10)
        w_star = analysis.linear_optimum(arch, regression, deep.init_weights(arch, 0)[0])
        assert analysis.bias_gap_bound(w_star, arch, regression) == pytest.approx(
            (w_star[-1] - regression.y.mean()) ** 2)
        assert analysis.bias_gap_bound(w_star, arch, regression) > 1.0
        trained = deep.train(arch, regression, w_star[None], bn=True)
        assert trained.grad_norm[0] < 1e-6
        assert trained.w[0, -1] == pytest.approx(regression.y.mean())


# ------------------------------------------------------- second order, degenerate runs


def test_second_order_check_detects_a_saddle(regression):
    # W = 0 hidden, v = 0, b = mean(ȳ): ∇C = 0, but C has a saddle (the W_1–v cross terms)
    arch = deep.Architecture(2, 2, 1, "identity")
    w = np.zeros(arch.n_params)
    w[-1] = regression.y.mean()
    split = deep.split_output(arch, regression, w)
    assert np.linalg.norm(split.grad_c[0]) < 1e-12
    ev = split.hessian_eigenvalues()
    assert ev[0, 0] < -1.0 and not analysis.second_order_ok(ev)[0]
    # an exact global minimum passes; synthetic spectra
    w_star = analysis.linear_optimum(arch, regression, deep.init_weights(arch, 0)[0])
    ev_star = deep.split_output(arch, regression, w_star).hessian_eigenvalues()
    assert analysis.second_order_ok(ev_star)[0]
    np.testing.assert_array_equal(
        analysis.second_order_ok([[-1e-12, 0.0, 5.0], [-1e-3, 0.0, 5.0]]), [True, False])


def test_hessian_matches_finite_differences_of_the_gradient(regression):
    arch = deep.Architecture(2, 2, 2, "tanh")
    w = random_w(arch, seed=3)
    hess = deep.split_output(arch, regression, w).hessian_c[0]
    grad = autodiff.gradient_of(deep.loss, arch, regression, False)
    fd = np.array([central_difference(lambda v, i=i: grad(v)[i], w, h=1e-5)
                   for i in range(w.size)])
    np.testing.assert_allclose(hess, fd, rtol=1e-5, atol=1e-5)


def test_degeneracy_detects_dead_layers_constant_networks_and_undefined_bn(regression):
    arch = deep.Architecture(2, 3, 2, "relu")
    w = random_w(arch, seed=0)
    assert analysis.degeneracy(w, arch, regression) == ""
    dead = w.copy()
    sl = arch.slices()[1]
    dead[sl] = -1.0  # h_1 >= 0, so every unit of layer 2 has z <= 0: a dead ReLU layer
    assert analysis.degeneracy(dead, arch, regression) == "constant layer 2"
    flat = w.copy()
    flat[arch.slices()[-2]] = 0.0  # v = 0
    assert analysis.degeneracy(flat, arch, regression) == "constant network"
    zero_row = w.copy()
    zero_row[:2] = 0.0  # unit 1 of layer 1 has z ≡ 0: BN divides by σ = 0
    assert analysis.degeneracy(zero_row, arch, regression).startswith("constant layer") is False
    assert analysis.degeneracy(zero_row, arch, regression) == "BN undefined in layer 1"


def test_bn_kink_detects_a_bn_output_exactly_at_zero(regression):
    arch = deep.Architecture(2, 3, 1, "relu")
    w = random_w(arch, seed=0)
    assert not analysis.bn_kink(w, arch, regression, "")
    u = regression.x[0] - regression.x.mean(axis=0)
    w[:2] = (u[1], -u[0])  # unit 1: ⟨w, x̄⁽¹⁾ − mean⟩ = 0, so its BN output at sample 1 is 0
    assert analysis.bn_kink(w, arch, regression, "")
    assert not analysis.bn_kink(w, arch, regression, "constant network")  # BN may be undefined
    assert not analysis.bn_kink(w, deep.Architecture(2, 3, 1, "tanh"), regression, "")


# ------------------------------------------------------- the layer stack, explicitly coupled


def test_the_layer_stack_tells_each_map_its_layer_number_in_order(regression):
    arch = deep.Architecture(2, 3, 3, "tanh")
    seen = []

    def normalize(layer, z):
        seen.append(("N", layer))
        return z

    def g(layer, z):
        seen.append(("g", layer))
        return np.tanh(z)

    _, _, f = network.layer_stack(random_w(arch), arch, regression.x, normalize, g)
    assert seen == [("N", 1), ("g", 1), ("N", 2), ("g", 2), ("N", 3), ("g", 3)]
    np.testing.assert_allclose(f, deep.network_output(random_w(arch), arch, regression.x),
                               rtol=1e-13)


def test_the_padded_network_switches_layers_off_by_their_number(regression):
    # a depth-1 tanh network run as the padded depth-3 one: layers 2 and 3 pass h through
    arch = deep.Architecture(2, 2, 1, "tanh")
    big = padded.padded_architecture(arch)
    assert (big.depth, big.width) == (padded.SOLVER_DEPTH, padded.SOLVER_WIDTH)
    w = random_w(arch, seed=6)
    flags = (model.ACTIVATIONS.index("tanh"), True, arch.depth, arch.width)
    f = padded.traced_network(padded.embed(w[None], arch, big)[0], big, regression.x, *flags)
    np.testing.assert_allclose(np.asarray(f), deep.network_output(w, arch, regression.x, True),
                               rtol=1e-12)


def test_bn_input_deviations_are_the_batch_deviations_of_each_layers_input(regression):
    arch = deep.Architecture(2, 3, 2, "relu")
    w = random_w(arch, seed=2)
    mats, _, _ = arch.unpack(w)
    z1 = mats[0] @ regression.x.T
    sig1, sig2 = analysis.bn_input_deviations(w, arch, regression.x)
    np.testing.assert_allclose(sig1, z1.std(axis=1), rtol=1e-13)
    h1 = np.maximum((z1 - z1.mean(axis=1, keepdims=True)) / z1.std(axis=1, keepdims=True), 0)
    np.testing.assert_allclose(sig2, (mats[1] @ h1).std(axis=1), rtol=1e-12)


# ------------------------------------------------------- the experiment's summaries


def _run(status="stationary", degenerate="", usable=True, bn_kink=False, data="regression",
         activation="tanh", width=2, depth=1, c_star=0.0, c_affine=1.0, **rest):
    return SimpleNamespace(status=status, degenerate=degenerate, usable=usable,
                           bn_kink=bn_kink, data=data, activation=activation, width=width,
                           depth=depth, c_star=c_star, interpolates=c_star < 1e-8,
                           above_affine=c_star > c_affine, **rest)


def test_run_counts_counts_each_kind_of_end_once():
    runs = [_run(),
            _run(status="kink", usable=False, activation="relu"),
            _run(degenerate="constant layer 1", usable=False, activation="relu"),
            _run(status="not stationary", usable=False, data="paper"),
            _run(bn_kink=True, usable=False, width=4)]
    counts = experiment.run_counts(runs, [SimpleNamespace(n_saddle=2),
                                          SimpleNamespace(n_saddle=1)])
    assert counts == {"n_runs": 5, "n_usable": 1, "n_degenerate": 1, "n_const_layer_relu": 1,
                      "n_not_stationary": 1, "n_kink": 1, "n_stationary": 3, "n_saddle": 3,
                      "n_bn_kink": 1, "n_tanh": 3, "n_tanh_not_stationary": 1,
                      "n_tanh_never_cells": 1, "n_tanh_never_runs": 1,
                      "n_usable_tanh_not_interpolating": 0, "n_usable_relu": 0,
                      "n_usable_relu_not_interpolating": 0, "n_usable_relu_above_affine": 0}


def _ended(status, activation="tanh", data="regression", width=2, depth=1, c_star=1.0):
    return experiment.Run(data, width, depth, activation, 0, c_star, 0.0, status, "", True,
                          0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, np.zeros(1), np.zeros(1),
                          False, 1.0)


def test_tanh_runs_that_never_ended_stationary_are_counted_over_every_configuration():
    # width 2 depth 1: none stationary (2 runs); width 4 depth 1: none (1 run); width 4
    # depth 2: one of two stationary; a ReLU configuration with none stationary is not tanh
    runs = [_ended("not stationary"), _ended("not stationary"),
            _ended("not stationary", width=4), _ended("stationary", width=4, depth=2),
            _ended("not stationary", width=4, depth=2), _ended("kink", activation="relu")]
    assert experiment.tanh_never_stationary(runs) == [("regression", 2, 1),
                                                      ("regression", 4, 1)]
    counts = experiment.run_counts(runs, [])
    assert (counts["n_tanh"], counts["n_tanh_not_stationary"]) == (5, 4)
    assert (counts["n_tanh_never_cells"], counts["n_tanh_never_runs"]) == (2, 3)


def test_c_star_above_the_best_affine_fit_and_interpolation_are_told_apart():
    at_fit = _ended("stationary", activation="relu", c_star=1.0 + 1e-12)
    above = _ended("stationary", activation="relu", c_star=3.0)
    zero = _ended("stationary", c_star=1e-29)
    assert not at_fit.above_affine and above.above_affine and not zero.above_affine
    assert zero.interpolates and not at_fit.interpolates
    counts = experiment.run_counts([at_fit, above, zero], [])
    assert counts["n_usable_relu"] == 2 and counts["n_usable_relu_above_affine"] == 1
    assert counts["n_usable_relu_not_interpolating"] == 2
    assert counts["n_usable_tanh_not_interpolating"] == 0
    cell, = experiment.cells([at_fit, above])
    assert cell.c_star == (2.0 + 5e-13, 1.0 + 1e-12, 3.0) and cell.n_above_affine == 1


def test_run_grid_records_the_best_affine_fit_of_each_learning_set(regression):
    runs = experiment.run_grid({"regression": regression}, widths=(2,), depths=(1,),
                               activations=("identity",), seeds=(0,))
    c_ls = analysis.least_squares_with_intercept(regression)[2]
    assert runs[0].c_affine == c_ls
    # an identity network is affine in x: its trained loss is the best affine fit's
    assert runs[0].c_star == pytest.approx(c_ls, rel=1e-9) and not runs[0].above_affine


def test_grid_cells_summarize_the_usable_runs_of_each_configuration():
    def run(seed, usable=True, raw=10.0, raw_b=5.0, profile=1e-3, **kw):
        return _run(usable=usable, seed=seed, raw=raw, raw_b=raw_b,
                    profile=profile, second_order=True, **kw)

    runs = [run(0), run(1, raw=30.0, raw_b=3.0, profile=1e-9),
            run(2, usable=False, degenerate="constant network"),
            run(3, width=4, usable=False, status="not stationary")]
    first, second = experiment.cells(runs)
    assert isinstance(first, experiment.GridCell)
    assert (first.width, first.n, first.n_usable, first.n_degenerate) == (2, 3, 2, 1)
    assert first.raw == (20.0, 10.0, 30.0) and first.raw_b_share == pytest.approx(0.3)
    assert first.profile == (pytest.approx(5e-4), 1e-9, 1e-3) and first.n_profile_nonzero == 1
    assert (second.width, second.n_usable, second.raw, second.profile) == (4, 0, None, None)
    assert experiment.profile_share(runs, "regression", ("tanh",)).k == 1
    assert experiment.profile_share(runs, "regression", ("tanh",)).n == 2


def test_settings_differ_counts_relative_moves_apart_among_runs_stationary_under_both():
    def move(moves, stationary):
        n = len(moves)
        return experiment.Move("s", np.array(moves), np.zeros(n), np.array(stationary),
                               np.zeros(n))

    a = move([1.0, 1.0, 1.0, 5.0], [True, True, True, False])
    b = move([1.05, 2.0, 1.0, 1.0], [True, True, True, True])
    sh = experiment.settings_differ(a, b)
    assert (sh.k, sh.n) == (1, 3)
    assert sh.low < 1 / 3 < sh.high


# ------------------------------------------------------- the chapter's tables and figure


def _cell(data="paper", width=2, depth=1, activation="relu", usable=True):
    stats = (1e-9, 1e-10, 2.0) if usable else None
    return experiment.GridCell(data, width, depth, activation, 10, 7 if usable else 0, 1, 0,
                               (123.0, 45.6, 789.0) if usable else None,
                               0.5 if usable else None, stats, 3,
                               (2.3565, 1e-30, 9.44) if usable else None, 2)


def test_the_cells_table_has_one_row_per_configuration_two_significant_digits():
    lines = reports.format_cells([_cell(), _cell(depth=2, usable=False)]).splitlines()
    assert len(lines) == 4 and lines[1] == "|---" * 9 + "|"
    cells = [c.strip() for c in lines[2].strip("|").split("|")]
    assert cells == ["paper, 2, 1", "relu", "7/10 (1)", "1.2e+02 [46, 7.9e+02]", "0.50",
                     "<1e-08 [<1e-08, 2]", "3", "2.4 [<1e-08, 9.4]", "2"]
    assert [c.strip() for c in lines[3].strip("|").split("|")][3:] == ["–"] * 6
    # accessibility: every header cell has words, not only maths
    header = lines[0].strip("|").split("|")
    assert all(re.search(r"[A-Za-z]", re.sub(r"\$[^$]*\$", "", c)) for c in header)


def test_the_moves_table_has_one_row_per_setting():
    m = experiment.Move("LM, 100 steps", np.array([0.1, 0.25, 9.0]), np.zeros(3),
                        np.array([True, True, False]), np.zeros(3))
    assert reports.format_moves([m, m]).splitlines()[2:] == [
        "| LM, 100 steps | 2 of 3 | 0.17 [0.1, 0.25] |"] * 2


def test_the_profile_figure_has_one_panel_per_learning_set_and_width():
    cs = [_cell(), _cell(activation="tanh"), _cell(data="regression", width=4),
          _cell(data="regression", width=4, depth=3, usable=False)]
    fig = figures.profile_figure(cs)
    try:
        titles = [ax.get_title() for ax in fig.axes]
        assert titles == ["paper set, width 2", "regression set, width 4"]
        # per usable cell: raw and profile, each a bar and a marker; the noise line; the
        # last panel holds the legend's handles (3 activations, raw, profile)
        assert [len(ax.lines) for ax in fig.axes] == [2 * 4 + 1, 4 + 1]
        # one legend under the panels: 3 activations, raw, profile, the noise line
        assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 6
        # drawn at the column's width, two panels a row (each at least MIN_PANEL_PX)
        assert tuple(fig.get_size_inches())[0] == plots.figure_size()[0]
        floor = experiment.NOISE_BOUND / 10  # the profile bar [1e-10, 2] is drawn from here
        np.testing.assert_array_equal(fig.axes[0].lines[2].get_ydata(), [floor, 2.0])
    finally:
        plt.close(fig)


# ------------------------------------------------------- the chapter's claims


def test_the_chapters_claims_hold(every_claim):
    claims = {c.key: c for c in every_claim if c.key.startswith("book-deep-")}
    assert list(claims) == [f"book-deep-{i}" for i in (1, 2, 3, 4)]
    assert all(c.holds for c in claims.values()), [k for k, c in claims.items() if not c.holds]
