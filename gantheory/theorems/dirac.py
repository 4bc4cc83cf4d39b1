r"""The Dirac-GAN: which training methods converge (Mescheder, Geiger and Nowozin 2018).

Data :math:`\delta_0`, generator :math:`\delta_\theta`, discriminator
:math:`D_\psi(x) = \psi x`, objective :math:`L(\theta, \psi) = f(\psi\theta) + f(0)`,
gradient vector field :math:`v = (-\partial_\theta L, \partial_\psi L)` and equilibrium
:math:`(0, 0)`; the code under test is :mod:`gantheory.dirac`.

The closed forms live once, in :mod:`gantheory.dirac` (:func:`~gantheory.dirac.jacobian`,
:func:`~gantheory.dirac.eigenvalues`, :func:`~gantheory.dirac.update_matrix`); every
comparison here sets one of them against a computation that does not use it: the field
differentiated by the complex step, or the simulator itself. The derivation of the closed
forms, with the literal derivatives of the GAN's :math:`f(t) = -\log(1 + e^{-t})`:

.. math::

    f'(t) = \frac{e^{-t}}{1 + e^{-t}} \Rightarrow a := f'(0) = \tfrac12, \qquad
    f''(t) = -\frac{e^{-t}}{(1 + e^{-t})^2} \Rightarrow b := f''(0) = -\tfrac14.

``dirac-eigenvalues``
    The Jacobian of the field at the equilibrium, computed by the complex step from the
    field itself (:func:`~gantheory.dirac.numerical_jacobian`), and its eigenvalues
    (``numpy.linalg.eigvals``), equal the paper's closed forms (Sec. 2-3; consensus from
    Mescheder et al. 2017, :math:`J - \gamma J^\top J` with :math:`J^\top J = a^2 I`):

    * GAN: :math:`J = [[0, -a], [a, 0]]`, eigenvalues :math:`\pm i a`;
    * WGAN: :math:`J = [[0, -1], [1, 0]]`, eigenvalues :math:`\pm i`;
    * R1: :math:`J = [[0, -a], [a, -\gamma]]`, eigenvalues
      :math:`-\frac\gamma2 \pm \sqrt{\frac{\gamma^2}4 - a^2}`;
    * instance noise: :math:`J = [[0, -a], [a, 2b\sigma^2]]`, eigenvalues
      :math:`b\sigma^2 \pm \sqrt{b^2\sigma^4 - a^2}`;
    * consensus: :math:`J = [[-\gamma a^2, -a], [a, -\gamma a^2]]`, eigenvalues
      :math:`-\gamma a^2 \pm i a`.

    (The instance-noise entry: :math:`\partial_\psi v_\psi = \mathbb E[x_g^2 f''(\psi x_g)]
    + \mathbb E[x_d^2 f''(-\psi x_d)] \to 2 b \sigma^2` at :math:`(0, 0)`, both samples
    having variance :math:`\sigma^2`.) For WGAN-GP the statement is the paper's negative
    one: :math:`v_\psi = \theta - \gamma(|\psi| - g_0)\operatorname{sign}\psi` jumps by
    :math:`2\gamma(g_0 - \delta)` between :math:`\psi = \pm\delta`, measured on
    :func:`~gantheory.dirac.vector_field` at :math:`\delta = 10^{-3}` and :math:`10^{-6}`:
    the jump does not shrink with :math:`\delta`, so there is no Jacobian (that
    :func:`~gantheory.dirac.jacobian` refuses one is a unit test, not a comparison). The
    configurations avoid the critically damped :math:`\gamma = 2a` (a double, defective
    eigenvalue, which rounding perturbs by :math:`\sqrt{\epsilon}`). Tolerance
    :math:`10^{-10}`; the complex step is exact to rounding, and the measured errors are a
    few :math:`10^{-16}`.

``dirac-dynamics``
    Gradient steps of size :math:`h` linearise to the update matrix :math:`M`: simultaneous
    steps have eigenvalues :math:`1 + h\lambda`; alternating steps (generator first) have,
    when :math:`J_{11} = 0` (GAN, WGAN, R1, instance noise),

    .. math::

        M = \begin{pmatrix} 1 & h J_{12} \\ h J_{21} & 1 + h J_{22} + h^2 J_{12} J_{21}
            \end{pmatrix}, \qquad \det M = 1 + h J_{22},

    so with complex eigenvalues (:math:`(\operatorname{tr} M)^2 < 4 \det M`, true for every
    configuration here) :math:`\rho = \sqrt{1 + hJ_{22}}`: 1 for GAN and WGAN,
    :math:`\sqrt{1 - h\gamma}` for R1, :math:`\sqrt{1 + 2hb\sigma^2}` for instance noise.
    Consensus has :math:`J_{11} = J_{22} = -g`, :math:`g = \gamma a^2`, so
    :math:`\det M = (1 - hg)^2` and :math:`\rho = 1 - hg`. In particular simultaneous GAN
    steps have :math:`\rho = |1 \pm iha| = \sqrt{1 + h^2/4} > 1` (they diverge) and
    alternating ones :math:`\rho = 1` (they cycle), while R1, instance noise and consensus
    have :math:`\rho < 1` (they converge). The check compares

    * the Jacobian of one step of :func:`~gantheory.dirac.simulate` (the simulator's own
      update, by central differences with a Richardson step at :math:`d = 2\cdot 10^{-4}`)
      with :func:`~gantheory.dirac.update_matrix` (the closed form :math:`I + hJ` or
      :math:`F_2'F_1'`): this is where an update rule that steps in the wrong order, or a
      wrong closed form, shows;
    * :func:`~gantheory.dirac.spectral_radius` (eigenvalues of the closed-form update matrix)
      with the formulas for :math:`\rho` above, evaluated on the complex-step Jacobian of
      the field;
    * the class that :func:`~gantheory.dirac.classify` gives to trajectories from
      :func:`~gantheory.dirac.simulate` started near the equilibrium with the class that
      :func:`~gantheory.dirac.predict` derives from the eigenvalues, and that prediction with
      the paper's class; classes compare as their index in
      :data:`~gantheory.dirac.CLASSES` (converges 0, cycles 1, diverges 2), so a mismatch
      is an error of 1 or 2;
    * for WGAN without clipping, whose field is linear, the exact growth of simultaneous
      steps, :math:`\|z_n\|^2 = (1 + h^2)^n \|z_0\|^2` (as :math:`M^\top M = (1 + h^2)I`);
    * for WGAN with clipping, :math:`|\psi_k| \le c` along the run, an identity (the
      simulator projects :math:`\psi`): clipping bounds the discriminator but, as the
      classes show, does not bring back convergence;
    * for WGAN-GP, which has no linearisation, the simulated class with the paper's
      (Sec. 3: the iterates are pushed to :math:`|\psi| \approx g_0` and leave every small
      neighbourhood, so they do not converge).

    The classes are local, as the statements are: starts :math:`0.05` from the equilibrium,
    and ``"diverges"`` means the last quarter of the run stays more than 10 times farther
    out. Clipped WGAN and WGAN-GP do so on bounded orbits of size about :math:`c` and
    :math:`g_0` (measured tail distances 14-41 times the start; converging runs end
    below :math:`10^{-6}` of it, cycling ones within 0.88-1.13 of it).

    Tolerance :math:`10^{-10}`: class indices are exact, the radii agree to rounding, the
    simulated step Jacobians to :math:`10^{-13}` (instance noise; :math:`10^{-15}` for the
    others); the WGAN growth law is a relative error of a product of 1000 factors, measured
    :math:`\sim 10^{-14}`.

Notes
-----
:mod:`gantheory.dirac` is part of the numeric core: neither importing the catalogue nor
``gantheory verify`` imports torch (a test checks it).
"""

from __future__ import annotations

import math

import numpy as np

from gantheory import dirac
from gantheory.theorems.base import Comparison, Configuration, Theorem

#: Distances from psi = 0 at which WGAN-GP's jump is measured: it does not shrink with them.
_JUMP_AT = (1e-3, 1e-6)


def _entries(label: str, got: np.ndarray, want: np.ndarray) -> list[Comparison]:
    """One comparison per entry of two matrices of the same shape."""
    return [Comparison(f"{label}[{i},{j}]", float(got[i, j]), float(want[i, j]))
            for i, j in np.ndindex(*got.shape)]


def _check_eigenvalues(config: Configuration) -> list[Comparison]:
    method, params = config["method"], dict(config["params"])
    if method == "wgan-gp":
        gamma, g0 = params["gamma"], params["g0"]
        out = []
        for delta in _JUMP_AT:
            _, above = dirac.vector_field(method, 0.0, delta, **params)
            _, below = dirac.vector_field(method, 0.0, -delta, **params)
            out.append(Comparison(f"v_psi(0, +d) - v_psi(0, -d) = 2 gamma (g0 - d), d = {delta:g}",
                                  float(above - below), 2.0 * gamma * (g0 - delta)))
        return out
    # The field differentiated by the complex step, against the paper's closed forms.
    numeric_j = dirac.numerical_jacobian(method, 0.0, 0.0, **params)
    out = _entries("complex-step J of the field vs closed-form J", numeric_j,
                   dirac.jacobian(method, **params))
    closed = dirac.eigenvalues(method, **params)
    for k, (got, want) in enumerate(zip(np.sort_complex(np.linalg.eigvals(numeric_j)),
                                        np.sort_complex(closed), strict=True)):
        out.append(Comparison(f"Re eig(complex-step J) {k} vs closed-form eigenvalue", got.real,
                              want.real))
        out.append(Comparison(f"Im eig(complex-step J) {k} vs closed-form eigenvalue", got.imag,
                              want.imag))
    return out


EIGENVALUES = Theorem(
    key="dirac-eigenvalues",
    title="Dirac-GAN: Jacobian eigenvalues at the equilibrium for each training method",
    statement=(
        r"\lambda_\text{GAN} = \pm i f'(0),\ \lambda_\text{WGAN} = \pm i,\ "
        r"\lambda_\text{R1} = -\tfrac\gamma2 \pm \sqrt{\tfrac{\gamma^2}4 - f'(0)^2},\ "
        r"\lambda_\text{IN} = f''(0)\sigma^2 \pm \sqrt{f''(0)^2\sigma^4 - f'(0)^2},\ "
        r"\lambda_\text{cons} = -\gamma f'(0)^2 \pm i f'(0);\ v_\text{WGAN-GP}"
        r"\text{ discontinuous at } \psi = 0"
    ),
    source=(
        "Mescheder, Geiger & Nowozin 2018, Sec. 2-3; "
        "Mescheder, Nowozin & Geiger 2017 (consensus optimisation)"
    ),
    tolerance=1e-10,
    configurations=(
        Configuration("GAN", {"method": "gan", "params": {}}),
        Configuration("WGAN", {"method": "wgan", "params": {}}),
        Configuration("WGAN-GP gamma=1, g0=1", {"method": "wgan-gp",
                                                "params": {"gamma": 1.0, "g0": 1.0}}),
        Configuration("WGAN-GP gamma=10, g0=0.5", {"method": "wgan-gp",
                                                   "params": {"gamma": 10.0, "g0": 0.5}}),
        Configuration("R1 gamma=0.3 (complex pair)", {"method": "r1",
                                                      "params": {"gamma": 0.3}}),
        Configuration("R1 gamma=2 (real pair)", {"method": "r1", "params": {"gamma": 2.0}}),
        Configuration("instance noise sigma=0.5", {"method": "instance-noise",
                                                   "params": {"sigma": 0.5}}),
        Configuration("instance noise sigma=2 (real pair)", {"method": "instance-noise",
                                                             "params": {"sigma": 2.0}}),
        Configuration("consensus gamma=1", {"method": "consensus", "params": {"gamma": 1.0}}),
        Configuration("consensus gamma=0.1", {"method": "consensus",
                                              "params": {"gamma": 0.1}}),
    ),
    check=_check_eigenvalues,
)


# -- dirac-dynamics ------------------------------------------------------------------------
def _paper_radius(update: str, h: float, j: np.ndarray) -> float:
    r"""The spectral radius of one step by the formulas of the module docstring.

    Simultaneous: :math:`\max |1 + h\lambda|` over the eigenvalues of ``j``. Alternating:
    :math:`1 - hg` when :math:`J_{11} = J_{22} = -g \ne 0` (consensus), else
    :math:`\sqrt{1 + hJ_{22}}` (:math:`J_{11} = 0`, complex eigenvalues of the step).
    """
    if update == "simultaneous":
        return float(np.max(np.abs(1.0 + h * np.linalg.eigvals(j))))
    if j[0, 0] != 0.0:
        return 1.0 + h * j[0, 0]
    return math.sqrt(1.0 + h * j[1, 1])


#: Half-width of the central differences of the simulated one-step map, and its half.
_STEP_FD = 2e-4


def _simulated_step_jacobian(method: str, h: float, update: str, params: dict) -> np.ndarray:
    r"""The Jacobian at (0, 0) of one step of :func:`gantheory.dirac.simulate`, by central
    differences of the simulator itself with one Richardson step.

    The fields are odd, :math:`v(-z) = -v(z)`, so the one-step map :math:`F` is odd and the
    central difference :math:`D(d) = (F(d e_j) - F(-d e_j)) / 2d` has error
    :math:`c_2 d^2 + c_4 d^4`; :math:`(4 D(d/2) - D(d)) / 3` leaves :math:`O(d^4)`, about
    :math:`10^{-15}` at :math:`d = 2\cdot 10^{-4}`. Rounding, amplified by :math:`1/d`,
    stays near :math:`10^{-12}` even for instance noise, whose field is a difference of two
    Gauss-Hermite sums of order :math:`\sigma^2`. All eight starts run in one call.
    """
    d = np.array([_STEP_FD, -_STEP_FD, _STEP_FD / 2, -_STEP_FD / 2])
    zero = np.zeros(4)
    after = dirac.simulate(method, np.concatenate([d, zero]), np.concatenate([zero, d]), h, 1,
                           update, **params)[1].reshape(2, 4, 2)  # (column j, start, 2)
    wide = (after[:, 0] - after[:, 1]) / (2 * _STEP_FD)  # (2, 2): D(d), row j = column j of M
    narrow = (after[:, 2] - after[:, 3]) / _STEP_FD  # D(d / 2)
    return ((4.0 * narrow - wide) / 3.0).T


#: Starts near the equilibrium (the statements are local), two at once.
_STARTS = ([0.05, -0.02], [0.05, 0.04])


def _class_index(name: str) -> float:
    """Position of a class in :data:`gantheory.dirac.CLASSES`: classes compare as numbers."""
    return float(dirac.CLASSES.index(name))


def _check_dynamics(config: Configuration) -> list[Comparison]:
    method, update, params = config["method"], config["update"], dict(config["params"])
    h, n = config["step"], config["n_steps"]
    expected = config["expected"]
    path = dirac.simulate(method, *_STARTS, h, n, update, **params)  # (n + 1, 2, 2)
    classes = [str(c) for c in dirac.classify(path)]
    if method == "wgan-gp":  # no linearisation: the simulated class against the paper's
        return [Comparison(f"class of simulated start {k} ({c}) vs the paper's ({expected}), "
                           "index in CLASSES", _class_index(c), _class_index(expected))
                for k, c in enumerate(classes)]
    predicted = dirac.predict(method, h, update, **params)
    out = [Comparison(f"class of simulated start {k} ({c}) vs predicted from the eigenvalues "
                      f"({predicted}), index in CLASSES", _class_index(c), _class_index(predicted))
           for k, c in enumerate(classes)]
    out.append(Comparison(f"predicted class ({predicted}) vs the paper's ({expected}), index in "
                          "CLASSES", _class_index(predicted), _class_index(expected)))
    out += _entries(f"Jacobian of one simulated {update} step vs update_matrix",
                    _simulated_step_jacobian(method, h, update, params),
                    dirac.update_matrix(method, h, update, **params))
    out.append(Comparison(f"spectral radius of the {update} step vs the paper's formula on the "
                          "complex-step J", dirac.spectral_radius(method, h, update, **params),
                          _paper_radius(update, h, dirac.numerical_jacobian(method, **params))))
    if method == "wgan" and params.get("clip", 1.0) is None and update == "simultaneous":
        r = np.hypot(path[..., 0], path[..., 1])  # (n + 1, 2)
        for k in range(r.shape[1]):
            out.append(Comparison(f"log(|z_n| / |z_0|) = n/2 log(1 + h^2), start {k}",
                                  math.log(r[-1, k] / r[0, k]), 0.5 * n * math.log1p(h * h)))
    if method == "wgan" and params.get("clip", 1.0) is not None:
        clip = params.get("clip", 1.0)
        # simulate projects psi onto [-clip, clip] after every step: true by construction.
        out.append(Comparison("max |psi_k| <= clip", float(np.max(np.abs(path[..., 1]))), clip,
                              "<=", kind="identity"))
    return out


def _dynamics(name, method, update, step, n_steps, expected, **params) -> Configuration:
    return Configuration(name, {"method": method, "update": update, "step": step,
                                "n_steps": n_steps, "expected": expected, "params": params})


DYNAMICS = Theorem(
    key="dirac-dynamics",
    title="Dirac-GAN: simulated gradient steps behave as the update map's eigenvalues say",
    statement=(
        r"\rho(I + hJ_\text{GAN}) = \sqrt{1 + h^2 f'(0)^2} > 1 \text{ (diverges)},\ "
        r"\rho(F_2'F_1') = 1 \text{ (cycles)};\ \rho < 1 \text{ for R1, instance noise, "
        r"consensus (converge)};\ \text{WGAN (clipped) and WGAN-GP do not converge}"
    ),
    source="Mescheder, Geiger & Nowozin 2018, Sec. 2.2 and 3",
    tolerance=1e-10,
    configurations=(
        _dynamics("GAN simultaneous h=0.5", "gan", "simultaneous", 0.5, 400, "diverges"),
        _dynamics("GAN alternating h=0.5", "gan", "alternating", 0.5, 400, "cycles"),
        _dynamics("WGAN unclipped simultaneous h=0.1", "wgan", "simultaneous", 0.1, 1000,
                  "diverges", clip=None),
        _dynamics("WGAN clip=1 simultaneous h=0.2", "wgan", "simultaneous", 0.2, 1000,
                  "diverges", clip=1.0),
        _dynamics("WGAN clip=1 alternating h=0.2", "wgan", "alternating", 0.2, 1000,
                  "cycles", clip=1.0),
        _dynamics("WGAN-GP simultaneous h=0.2", "wgan-gp", "simultaneous", 0.2, 1000,
                  "diverges", gamma=1.0, g0=1.0),
        _dynamics("WGAN-GP alternating h=0.2", "wgan-gp", "alternating", 0.2, 1000,
                  "diverges", gamma=1.0, g0=1.0),
        _dynamics("R1 gamma=0.3 simultaneous h=0.5", "r1", "simultaneous", 0.5, 400,
                  "converges", gamma=0.3),
        _dynamics("R1 gamma=0.3 alternating h=0.5", "r1", "alternating", 0.5, 400,
                  "converges", gamma=0.3),
        _dynamics("instance noise sigma=1 simultaneous h=0.5", "instance-noise",
                  "simultaneous", 0.5, 300, "converges", sigma=1.0),
        _dynamics("instance noise sigma=1 alternating h=0.5", "instance-noise",
                  "alternating", 0.5, 300, "converges", sigma=1.0),
        _dynamics("consensus gamma=1 simultaneous h=0.5", "consensus", "simultaneous", 0.5,
                  300, "converges", gamma=1.0),
        _dynamics("consensus gamma=1 alternating h=0.5", "consensus", "alternating", 0.5,
                  300, "converges", gamma=1.0),
    ),
    check=_check_dynamics,
)

THEOREMS = (EIGENVALUES, DYNAMICS)
