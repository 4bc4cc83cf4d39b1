import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate

from gantheory import dirac
from gantheory.theorems import catalogue
from gantheory.theorems import dirac as dirac_theorems

E = math.e
SMOOTH = ("gan", "wgan", "instance-noise", "r1", "consensus")
finite = st.floats(-3.0, 3.0, allow_nan=False)


# -- theorems --------------------------------------------------------------------------------
@pytest.mark.parametrize("theorem", dirac_theorems.THEOREMS, ids=lambda t: t.key)
def test_theorem_passes(theorem):
    result = theorem.run()
    assert result.n_comparisons > 0
    assert result.passed, result.as_dict()


def test_theorems_are_in_the_catalogue():
    keys = [t.key for t in catalogue.CATALOGUE]
    assert "dirac-eigenvalues" in keys and "dirac-dynamics" in keys


def test_theorem_module_imports_without_torch():
    code = "import sys, gantheory.theorems.dirac; assert 'torch' not in sys.modules"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_a_wrong_expectation_fails():
    """The dynamics check can fail: claim GAN simultaneous steps converge."""
    config = dirac_theorems._dynamics("wrong", "gan", "simultaneous", 0.5, 400, "converges")
    # Classes compare as their index in CLASSES: converges 0 against diverges 2.
    assert max(c.error for c in dirac_theorems._check_dynamics(config)) == 2.0


def _failing(theorem, names=None):
    """Labels of the comparisons above the tolerance, over the named configurations."""
    configs = [c for c in theorem.configurations if names is None or c.name in names]
    return [f"[{c.name}] {x.label}" for c in configs for x in theorem.check(c)
            if not x.error <= theorem.tolerance]


def test_every_dirac_comparison_is_independent_but_the_clip_projection():
    for theorem in dirac_theorems.THEOREMS:
        for config in theorem.configurations:
            for c in theorem.check(config):
                assert c.independent == (c.label != "max |psi_k| <= clip"), c.label


def test_a_wrong_f_prime_in_the_closed_forms_fails(monkeypatch):
    # The closed forms (jacobian, eigenvalues, update_matrix) read a = f'(0); the field does
    # not. With a = 0.6 they disagree with the complex-step Jacobian and the simulator.
    monkeypatch.setattr(dirac, "_FP0", 0.6)
    eig = _failing(dirac_theorems.EIGENVALUES, {"GAN", "R1 gamma=2 (real pair)"})
    assert any("complex-step J of the field vs closed-form J[0,1]" in f for f in eig)
    assert any("Im eig(complex-step J)" in f or "Re eig(complex-step J)" in f for f in eig)
    dyn = _failing(dirac_theorems.DYNAMICS, {"GAN alternating h=0.5"})
    assert any("Jacobian of one simulated alternating step" in f for f in dyn)


def test_a_transposed_closed_form_jacobian_fails(monkeypatch):
    real = dirac.jacobian
    monkeypatch.setattr(dirac, "jacobian", lambda method, **params: real(method, **params).T)
    eig = _failing(dirac_theorems.EIGENVALUES, {"WGAN"})
    assert eig == [f"[WGAN] complex-step J of the field vs closed-form J[{i},{j}]"
                   for i, j in ((0, 1), (1, 0))]


def test_a_simulator_that_ignores_alternation_fails(monkeypatch):
    real = dirac.simulate

    def simultaneous_only(method, theta0, psi0, step, n_steps, update="simultaneous", **params):
        return real(method, theta0, psi0, step, n_steps, "simultaneous", **params)

    monkeypatch.setattr(dirac, "simulate", simultaneous_only)
    dyn = _failing(dirac_theorems.DYNAMICS, {"GAN alternating h=0.5"})
    assert any("Jacobian of one simulated alternating step" in f for f in dyn)
    # Simultaneous GAN steps diverge where alternating ones are predicted to cycle.
    assert any("class of simulated start" in f for f in dyn)


def test_a_wrong_prediction_fails(monkeypatch):
    monkeypatch.setattr(dirac, "predict", lambda *args, **kwargs: "cycles")
    dyn = _failing(dirac_theorems.DYNAMICS, {"R1 gamma=0.3 simultaneous h=0.5"})
    assert len([f for f in dyn if "class" in f]) == 3  # two simulated starts, the paper's


def test_a_field_without_the_noise_term_fails(monkeypatch):
    # Instance noise with a spurious + sigma^2 psi / 4 in v_psi (half its damping undone): the
    # field's complex-step Jacobian no longer has the closed form's J[1,1] = 2 b sigma^2.
    real = dirac._field

    def broken(method, theta, psi, p):
        v_theta, v_psi = real(method, theta, psi, p)
        return v_theta, (v_psi + psi / 4.0 * p.get("sigma", 0.0) ** 2
                         if method == "instance-noise" else v_psi)

    monkeypatch.setattr(dirac, "_field", broken)
    eig = _failing(dirac_theorems.EIGENVALUES, {"instance noise sigma=0.5"})
    assert "[instance noise sigma=0.5] complex-step J of the field vs closed-form J[1,1]" in eig


# -- the field at hand-derived points --------------------------------------------------------
def test_gan_field_by_hand():
    # f'(t) = 1 / (1 + e^t): f'(1) = 1/(1+e), f'(-1) = e/(1+e).
    vt, vp = dirac.vector_field("gan", [1.0, 2.0], [1.0, -0.5])
    np.testing.assert_allclose(vt, [-1 / (1 + E), 0.5 * E / (1 + E)], rtol=1e-15)
    np.testing.assert_allclose(vp, [1 / (1 + E), 2 * E / (1 + E)], rtol=1e-15)


def test_gan_field_is_the_gradient_of_the_objective():
    def objective(theta, psi):  # f(psi theta) + f(0), f(t) = -log(1 + e^-t)
        return -np.logaddexp(0.0, -psi * theta) - math.log(2.0)

    theta, psi, h = 0.7, -1.3, 1e-5
    d_theta = (objective(theta + h, psi) - objective(theta - h, psi)) / (2 * h)
    d_psi = (objective(theta, psi + h) - objective(theta, psi - h)) / (2 * h)
    vt, vp = dirac.vector_field("gan", theta, psi)
    assert vt == pytest.approx(-d_theta, abs=1e-9)
    assert vp == pytest.approx(d_psi, abs=1e-9)


def test_gan_field_is_stable_far_out():
    vt, vp = dirac.vector_field("gan", [1e3, -1e3], [1e3, 1e3])
    assert np.all(np.isfinite(vt)) and np.all(np.isfinite(vp))
    np.testing.assert_allclose(vt, [0.0, -1e3])
    np.testing.assert_allclose(vp, [0.0, -1e3])


def test_wgan_and_wgan_gp_fields_by_hand():
    vt, vp = dirac.vector_field("wgan", [1.0, -2.0], [3.0, 0.5])
    np.testing.assert_array_equal(vt, [-3.0, -0.5])
    np.testing.assert_array_equal(vp, [1.0, -2.0])
    # v_psi = theta - gamma (|psi| - g0) sign(psi): 0.5 - 2 (0.25 - 1) (+-1), and 0 at psi = 0.
    _, vp = dirac.vector_field("wgan-gp", 0.5, [0.25, -0.25, 0.0], gamma=2.0, g0=1.0)
    np.testing.assert_allclose(vp, [2.0, -1.0, 0.5], rtol=1e-15)


def test_r1_field_by_hand():
    vt, vp = dirac.vector_field("r1", 1.0, 1.0, gamma=0.5)
    assert vt == pytest.approx(-1 / (1 + E), rel=1e-15)
    assert vp == pytest.approx(1 / (1 + E) - 0.5, rel=1e-15)


def test_consensus_field_is_v_minus_gamma_grad_half_norm_squared():
    gamma, theta, psi, h = 0.7, 0.4, -0.9, 1e-5

    def half_norm2(t, p):
        vt, vp = dirac.vector_field("gan", t, p)
        return 0.5 * (vt**2 + vp**2)

    grad = (
        (half_norm2(theta + h, psi) - half_norm2(theta - h, psi)) / (2 * h),
        (half_norm2(theta, psi + h) - half_norm2(theta, psi - h)) / (2 * h),
    )
    v = dirac.vector_field("gan", theta, psi)
    w = dirac.vector_field("consensus", theta, psi, gamma=gamma)
    for k in range(2):
        assert w[k] == pytest.approx(v[k] - gamma * grad[k], abs=1e-9)


def _instance_noise_by_quad(theta, psi, sigma):
    def expect(g):
        def integrand(e):
            return g(e) * math.exp(-e * e / (2 * sigma**2)) / (math.sqrt(2 * math.pi) * sigma)

        # the Gaussian weight is below 1e-80 beyond 20 sigma
        return integrate.quad(integrand, -20 * sigma, 20 * sigma, epsabs=1e-14, epsrel=1e-13,
                              limit=400)[0]

    def fp(t):  # f'(t) = 1 / (1 + e^t), stable
        return math.exp(-t) / (1 + math.exp(-t)) if t > 0 else 1 / (1 + math.exp(t))

    vt = -psi * expect(lambda e: fp(psi * (theta + e)))
    vp = expect(lambda e: (theta + e) * fp(psi * (theta + e))) - expect(lambda e: e * fp(-psi * e))
    return vt, vp


@pytest.mark.parametrize("sigma", [0.3, 1.0, 2.0])
@pytest.mark.parametrize(("theta", "psi"), [(0.3, 0.2), (-1.0, 1.1), (1.5, -1.2)])
def test_instance_noise_field_against_adaptive_quadrature(theta, psi, sigma):
    assert sigma * abs(psi) <= 2.5  # where the Gauss-Hermite rule promises 1e-13
    got = dirac.vector_field("instance-noise", theta, psi, sigma=sigma)
    want = _instance_noise_by_quad(theta, psi, sigma)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_instance_noise_special_cases():
    # theta = 0: E f'(psi eps) = 1/2 by the symmetry f'(t) + f'(-t) = 1.
    vt, _ = dirac.vector_field("instance-noise", 0.0, [0.4, -1.7], sigma=1.3)
    np.testing.assert_allclose(vt, [-0.2, 0.85], rtol=1e-14)
    # sigma = 0 is the plain GAN.
    got = dirac.vector_field("instance-noise", [0.3, -1.0], [0.7, 2.0], sigma=0.0)
    want = dirac.vector_field("gan", [0.3, -1.0], [0.7, 2.0])
    np.testing.assert_allclose(got, want, rtol=1e-15)


def test_field_broadcasts():
    vt, vp = dirac.vector_field("r1", np.zeros((3, 1)), np.ones(4))
    assert vt.shape == vp.shape == (3, 4)


# -- Jacobians and eigenvalues ---------------------------------------------------------------
PARAMS = [
    ("gan", {}),
    ("wgan", {}),
    ("r1", {"gamma": 0.3}),
    ("r1", {"gamma": 5.0}),
    ("instance-noise", {"sigma": 0.4}),
    ("instance-noise", {"sigma": 3.0}),
    ("consensus", {"gamma": 0.5}),
]


@pytest.mark.parametrize(("method", "params"), PARAMS)
def test_closed_form_jacobian_equals_complex_step(method, params):
    np.testing.assert_allclose(dirac.numerical_jacobian(method, **params),
                               dirac.jacobian(method, **params), rtol=0, atol=1e-14)


@pytest.mark.parametrize(("method", "params"), PARAMS)
def test_closed_form_eigenvalues_equal_numerical(method, params):
    np.testing.assert_allclose(dirac.eigenvalues(method, numerical=True, **params),
                               dirac.eigenvalues(method, **params), rtol=0, atol=1e-12)


@pytest.mark.parametrize("method", ["gan", "r1", "consensus"])
def test_complex_step_equals_central_differences_off_equilibrium(method):
    theta, psi, h = 0.6, -0.8, 1e-5

    def column(dt, dp):
        plus = dirac.vector_field(method, theta + dt, psi + dp)
        minus = dirac.vector_field(method, theta - dt, psi - dp)
        return [(a - b) / (2 * h) for a, b in zip(plus, minus, strict=True)]

    central = np.array([column(h, 0.0), column(0.0, h)]).T
    np.testing.assert_allclose(dirac.numerical_jacobian(method, theta, psi), central, atol=1e-9)


def test_eigenvalues_by_hand():
    np.testing.assert_allclose(dirac.eigenvalues("gan"), [-0.5j, 0.5j])
    # R1, gamma = 2: -1 +- sqrt(1 - 1/4).
    np.testing.assert_allclose(dirac.eigenvalues("r1", gamma=2.0),
                               [-1 - math.sqrt(0.75), -1 + math.sqrt(0.75)], rtol=1e-15)
    # Instance noise sigma = 1: -1/4 +- i sqrt(1/4 - 1/16).
    s = math.sqrt(3.0) / 4
    np.testing.assert_allclose(dirac.eigenvalues("instance-noise", sigma=1.0),
                               [-0.25 - 1j * s, -0.25 + 1j * s], rtol=1e-15)
    np.testing.assert_allclose(dirac.eigenvalues("consensus", gamma=2.0),
                               [-0.5 - 0.5j, -0.5 + 0.5j])


def test_wgan_gp_has_no_jacobian_at_the_equilibrium():
    with pytest.raises(ValueError, match="wgan-gp"):
        dirac.jacobian("wgan-gp")
    with pytest.raises(ValueError, match="wgan-gp"):
        dirac.eigenvalues("wgan-gp")
    with pytest.raises(ValueError, match="wgan-gp"):
        dirac.numerical_jacobian("wgan-gp")
    # Away from psi = 0 the field is smooth: d v_psi / d psi = -gamma.
    np.testing.assert_allclose(dirac.numerical_jacobian("wgan-gp", 0.0, 0.5, gamma=3.0),
                               [[0.0, -1.0], [1.0, -3.0]], atol=1e-15)


# -- update maps -----------------------------------------------------------------------------
@given(st.floats(1e-3, 1.0))
def test_simultaneous_gan_steps_have_modulus_above_one(h):
    lam = dirac.update_eigenvalues("gan", h, "simultaneous")
    np.testing.assert_allclose(lam, [1 - 0.5j * h, 1 + 0.5j * h], rtol=1e-15)
    assert np.all(np.abs(lam) > 1.0)
    assert dirac.spectral_radius("gan", h) == pytest.approx(math.sqrt(1 + h * h / 4), rel=1e-14)
    assert dirac.predict("gan", h, "simultaneous") == "diverges"


@given(st.floats(1e-3, 3.9))
def test_alternating_gan_steps_have_modulus_one(h):
    m = dirac.update_matrix("gan", h, "alternating")
    assert np.linalg.det(m) == pytest.approx(1.0, abs=1e-14)
    np.testing.assert_allclose(np.abs(dirac.update_eigenvalues("gan", h, "alternating")), 1.0,
                               atol=1e-9)
    assert dirac.predict("gan", h, "alternating") == "cycles"


@pytest.mark.parametrize("update", dirac.UPDATES)
def test_update_matrix_is_the_jacobian_of_one_simulated_step(update):
    # Central differences of the one-step map near the equilibrium, on R1 (nonlinear).
    h, d = 0.3, 1e-6

    def step(theta, psi):
        return dirac.simulate("r1", theta, psi, h, 1, update, gamma=0.7)[1]

    columns = [(step(d, 0.0) - step(-d, 0.0)) / (2 * d), (step(0.0, d) - step(0.0, -d)) / (2 * d)]
    np.testing.assert_allclose(np.array(columns).T, dirac.update_matrix("r1", h, update, gamma=0.7),
                               atol=1e-9)


# -- simulation and classification -----------------------------------------------------------
def test_simultaneous_wgan_is_the_matrix_power():
    h, n = 0.3, 25
    path = dirac.simulate("wgan", 0.4, -0.2, h, n, clip=None)
    m = np.array([[1.0, -h], [h, 1.0]])
    np.testing.assert_allclose(path[-1], np.linalg.matrix_power(m, n) @ [0.4, -0.2], rtol=1e-13)
    # |z_k|^2 = (1 + h^2)^k |z_0|^2
    r2 = np.sum(path**2, axis=-1)
    np.testing.assert_allclose(r2, 0.2 * (1 + h * h) ** np.arange(n + 1), rtol=1e-13)


def test_clipping_bounds_psi():
    path = dirac.simulate("wgan", 0.01, 0.0, 0.2, 500, clip=0.5)
    assert np.max(np.abs(path[:, 1])) == 0.5
    assert dirac.classify(path) == "diverges"  # it leaves the neighbourhood, bounded


def test_simulate_is_vectorised_over_starts():
    starts = np.array([[0.1, 0.2], [-0.3, 0.05], [0.0, 0.4]])
    batch = dirac.simulate("consensus", starts[:, 0], starts[:, 1], 0.2, 50, "alternating")
    assert batch.shape == (51, 3, 2)
    for k, (theta, psi) in enumerate(starts):
        single = dirac.simulate("consensus", theta, psi, 0.2, 50, "alternating")
        np.testing.assert_allclose(batch[:, k], single, rtol=1e-15)


EXPECTED = [
    ("gan", "simultaneous", {}, "diverges"),
    ("gan", "alternating", {}, "cycles"),
    ("wgan", "simultaneous", {"clip": None}, "diverges"),
    ("wgan", "alternating", {"clip": 1.0}, "cycles"),
    ("wgan-gp", "simultaneous", {"gamma": 0.5, "g0": 1.0}, "diverges"),
    ("wgan-gp", "alternating", {"gamma": 0.5, "g0": 1.0}, "diverges"),
    ("instance-noise", "simultaneous", {"sigma": 0.7}, "converges"),
    ("instance-noise", "alternating", {"sigma": 0.7}, "converges"),
    ("r1", "simultaneous", {"gamma": 1.5}, "converges"),
    ("r1", "alternating", {"gamma": 1.5}, "converges"),
    ("consensus", "simultaneous", {"gamma": 0.5}, "converges"),
    ("consensus", "alternating", {"gamma": 0.5}, "converges"),
]


@pytest.mark.parametrize(("method", "update", "params", "expected"), EXPECTED)
def test_classification_of_each_method(method, update, params, expected):
    path = dirac.simulate(method, [0.02, -0.03], [0.01, 0.02], 0.3, 1500, update, **params)
    assert list(dirac.classify(path)) == [expected, expected]
    if method != "wgan-gp":
        assert dirac.predict(method, 0.3, update, **params) == expected


def test_classify_by_hand():
    k = np.arange(100)
    circle = np.stack([np.cos(0.1 * k), np.sin(0.1 * k)], axis=-1)
    assert dirac.classify(circle) == "cycles"
    assert dirac.classify(circle * 0.9 ** k[:, None]) == "converges"
    assert dirac.classify(circle * 1.1 ** k[:, None]) == "diverges"
    # slow growth: x3 over the run, never 10 times the start, but still moving out
    assert dirac.classify(circle * 3.0 ** (k[:, None] / 99)) == "diverges"
    assert dirac.classify(circle * 1.5 ** (k[:, None] / 99)) == "cycles"
    blown = circle.copy()
    blown[50:] = np.inf
    assert dirac.classify(blown) == "diverges"
    assert dirac.classify(np.zeros((10, 2))) == "converges"
    both = np.stack([circle, circle * 1.1 ** k[:, None]], axis=1)
    assert list(dirac.classify(both)) == ["cycles", "diverges"]


@given(finite, finite)
def test_gan_field_is_orthogonal_to_z(theta, psi):
    # z . v = -theta psi f' + psi theta f' = 0: the continuous dynamics keep |z|, and a
    # simultaneous step has |z + h v|^2 = |z|^2 + h^2 |v|^2 >= |z|^2.
    vt, vp = dirac.vector_field("gan", theta, psi)
    assert abs(theta * vt + psi * vp) <= 1e-15 * (1 + theta**2 + psi**2)
    step = dirac.simulate("gan", theta, psi, 0.1, 1)[1]
    assert step @ step >= (theta**2 + psi**2) * (1 - 1e-15)


@given(finite, finite, st.floats(0.0, 5.0))
def test_r1_dissipates(theta, psi, gamma):
    # z . v = -gamma psi^2 <= 0.
    vt, vp = dirac.vector_field("r1", theta, psi, gamma=gamma)
    assert theta * vt + psi * vp == pytest.approx(-gamma * psi**2, abs=1e-14)


# -- bad arguments ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: dirac.vector_field("lsgan", 0.0, 0.0), ValueError, "method"),
        (lambda: dirac.vector_field("r1", 0.0, 0.0, gamma=-1.0), ValueError, "gamma"),
        (lambda: dirac.vector_field("r1", 0.0, 0.0, gamma="1"), TypeError, "gamma"),
        (lambda: dirac.vector_field("r1", 0.0, 0.0, sigma=1.0), TypeError, "sigma"),
        (lambda: dirac.vector_field("instance-noise", 0, 0, sigma=-0.1), ValueError, "sigma"),
        (lambda: dirac.vector_field("wgan", 0.0, 0.0, clip=0.0), ValueError, "clip"),
        (lambda: dirac.vector_field("wgan-gp", 0.0, 0.0, g0=np.inf), ValueError, "g0"),
        (lambda: dirac.vector_field("gan", np.nan, 0.0), ValueError, "theta"),
        (lambda: dirac.vector_field("gan", 0.0, "x"), TypeError, "psi"),
        (lambda: dirac.vector_field("gan", [0.0, 1.0], [0.0, 1.0, 2.0]), ValueError, "broadcast"),
        (lambda: dirac.simulate("gan", 0.1, 0.1, -0.1, 10), ValueError, "step"),
        (lambda: dirac.simulate("gan", 0.1, 0.1, 0.0, 10), ValueError, "step"),
        (lambda: dirac.simulate("gan", 0.1, 0.1, 0.1, 0), ValueError, "n_steps"),
        (lambda: dirac.simulate("gan", 0.1, 0.1, 0.1, 2.5), TypeError, "n_steps"),
        (lambda: dirac.simulate("gan", 0.1, 0.1, 0.1, 5, "sequential"), ValueError, "update"),
        (lambda: dirac.simulate("gan", [0.1, 0.2], [0.1, 0.2, 0.3], 0.1, 5), ValueError,
         "theta0"),
        (lambda: dirac.predict("gan", -1.0), ValueError, "step"),
        (lambda: dirac.update_matrix("gan", 0.1, "both"), ValueError, "update"),
        (lambda: dirac.predict("wgan-gp", 0.1), ValueError, "wgan-gp"),
        (lambda: dirac.classify(np.zeros((10, 3))), ValueError, "trajectory"),
        (lambda: dirac.classify(np.zeros((2, 2))), ValueError, "trajectory"),
        (lambda: dirac.classify(np.zeros((10, 2)), converge_ratio=2.0), ValueError,
         "converge_ratio"),
        (lambda: dirac.classify(np.zeros((10, 2)), diverge_ratio=-1.0), ValueError,
         "diverge_ratio"),
        (lambda: dirac.classify(np.zeros((10, 2)), trend_ratio=1.0), ValueError, "trend_ratio"),
    ],
)
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_behaviour_table_predictions_match_simulations_near_the_equilibrium():
    rows = {r["method"]: r for r in dirac.behaviour_table()}
    for method in ("gan", "instance-noise", "r1", "consensus"):
        for update in ("simultaneous", "alternating"):
            assert rows[method][f"{update}_predicted"] == rows[method][f"{update}_simulated"]
    assert rows["gan"]["simultaneous_simulated"] == "diverges"
    assert rows["gan"]["alternating_simulated"] == "cycles"
    assert rows["r1"]["simultaneous_simulated"] == "converges"
    for method in ("gan", "wgan", "instance-noise", "r1", "consensus"):
        assert rows[method]["max_difference"] < 1e-10
