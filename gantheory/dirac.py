r"""The Dirac-GAN: the smallest GAN whose training dynamics can be solved by hand.

Mescheder, Geiger and Nowozin (2018), "Which training methods for GANs do actually
converge?", Sections 2-3. The data distribution is :math:`\delta_0`, the generator
:math:`\delta_\theta`, the discriminator linear, :math:`D_\psi(x) = \psi x`, and

.. math::

    L(\theta, \psi) = f(\psi\theta) + f(0),

which the generator minimises over :math:`\theta` and the discriminator maximises over
:math:`\psi`. The unique equilibrium is :math:`(\theta, \psi) = (0, 0)`. Gradient descent
on both players follows the **gradient vector field**

.. math::

    v(\theta, \psi) = \begin{pmatrix} -\partial_\theta L \\ \partial_\psi L \end{pmatrix}
    = \begin{pmatrix} -\psi f'(\psi\theta) \\ \theta f'(\psi\theta) \end{pmatrix},
    \qquad
    J = v'(0, 0) = \begin{pmatrix} 0 & -f'(0) \\ f'(0) & 0 \end{pmatrix},

whose eigenvalues :math:`\pm i f'(0)` are purely imaginary: the continuous dynamics
circle the equilibrium (:math:`z \cdot v(z) = 0`, so :math:`|z|` is conserved), simultaneous
gradient steps spiral outwards and alternating steps cycle.

Methods (:data:`METHODS`, with their parameters and defaults in :data:`DEFAULTS`), each with
the eigenvalues of its Jacobian at the equilibrium, :math:`a = f'(0)`, :math:`b = f''(0)`:

* ``"gan"``: :math:`f(t) = -\log(1 + e^{-t})`, :math:`a = \tfrac12`, :math:`b = -\tfrac14`;
  :math:`\pm i a`.
* ``"wgan"``: :math:`f(t) = t`, the discriminator clipped to :math:`|\psi| \le c`
  (``clip``); :math:`\pm i`.
* ``"wgan-gp"``: :math:`f(t) = t`, the discriminator also subtracts
  :math:`\tfrac\gamma2(|\psi| - g_0)^2` (:math:`|\nabla_x D| = |\psi|` at every
  interpolate); the field jumps across :math:`\psi = 0`, so there is no Jacobian.
* ``"instance-noise"``: the GAN's :math:`f`, noise :math:`\mathcal N(0, \sigma^2)` added to
  data and generator samples; :math:`b\sigma^2 \pm \sqrt{b^2\sigma^4 - a^2}`.
* ``"r1"``: the GAN's :math:`f`, the discriminator also subtracts
  :math:`\tfrac\gamma2\psi^2` (its gradient at the data, squared);
  :math:`-\tfrac\gamma2 \pm \sqrt{\tfrac{\gamma^2}4 - a^2}`.
* ``"consensus"``: :math:`w = v - \gamma\nabla\tfrac12\|v\|^2` with :math:`v` the GAN field
  (Mescheder, Nowozin and Geiger 2017); :math:`-\gamma a^2 \pm i a`.

The public functions:

* :func:`vector_field` evaluates the field on arrays of points;
* :func:`jacobian` is the closed-form Jacobian at the equilibrium,
  :func:`numerical_jacobian` the complex-step Jacobian at any point (exact to rounding,
  since every field but WGAN-GP's is analytic), :func:`eigenvalues` either's eigenvalues;
* :func:`update_matrix` and :func:`update_eigenvalues` linearise one simultaneous or
  alternating gradient step, and :func:`predict` turns their spectral radius into a class;
* :func:`simulate` runs the steps (vectorised over initial points) and :func:`classify`
  names what a trajectory does: ``"converges"``, ``"cycles"`` or ``"diverges"``;
* :func:`behaviour_table` puts every method's eigenvalues, predictions and simulated
  classes in one table.

Examples
--------
>>> from gantheory import dirac
>>> dirac.eigenvalues("gan")
array([0.-0.5j, 0.+0.5j])
>>> dirac.eigenvalues("r1", gamma=2.0)
array([-1.8660254+0.j, -0.1339746+0.j])
>>> dirac.predict("gan", 0.1, "simultaneous"), dirac.predict("gan", 0.1, "alternating")
('diverges', 'cycles')
>>> path = dirac.simulate("r1", 1.0, 1.0, step=0.1, n_steps=2000, gamma=1.0)
>>> path.shape, dirac.classify(path)
((2001, 2), 'converges')

Notes
-----
Part of the numeric core: numpy and scipy only, no torch. :func:`behaviour_table` collects
the predictions and simulations that ``gantheory toy dirac`` writes.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from scipy.special import expit

from gantheory._validation import as_float_array, check_choice, check_int, check_tolerance

__all__ = [
    "CLASSES",
    "DEFAULTS",
    "METHODS",
    "behaviour_table",
    "classify",
    "eigenvalues",
    "jacobian",
    "numerical_jacobian",
    "predict",
    "simulate",
    "spectral_radius",
    "update_eigenvalues",
    "update_matrix",
    "vector_field",
]

#: The regularisation methods, in the order of the paper.
METHODS: tuple[str, ...] = ("gan", "wgan", "wgan-gp", "instance-noise", "r1", "consensus")
#: The parameters each method takes and their defaults. ``clip=None`` is WGAN unclipped.
DEFAULTS: dict[str, dict[str, Any]] = {
    "gan": {},
    "wgan": {"clip": 1.0},
    "wgan-gp": {"gamma": 1.0, "g0": 1.0},
    "instance-noise": {"sigma": 1.0},
    "r1": {"gamma": 1.0},
    "consensus": {"gamma": 1.0},
}
#: What :func:`classify` and :func:`predict` return.
CLASSES: tuple[str, ...] = ("converges", "cycles", "diverges")
UPDATES: tuple[str, ...] = ("simultaneous", "alternating")

#: f'(0) and f''(0) of the GAN's f(t) = -log(1 + e^-t): sigma(0) = 1/2 and -sigma(0)^2.
_FP0, _FPP0 = 0.5, -0.25

#: Gauss-Hermite rules for the instance-noise expectations, (largest sigma |psi|, nodes).
#: The integrand 1/(1 + e^{psi (theta + sqrt(2) sigma u)}) has poles at imaginary distance
#: pi / (sqrt(2) sigma |psi|) from the real u axis, so the error grows with sigma |psi|.
#: Measured against a 350-node rule: 80 nodes are exact to rounding for sigma |psi| <= 1,
#: 160 nodes to 1e-13 for sigma |psi| <= 2.5, 320 nodes to 6e-13 for sigma |psi| <= 4.
#: Beyond 4 the 320-node error grows (3e-11 at 5 is a rough guide).
_GH_RULES = tuple(
    (bound, *np.polynomial.hermite.hermgauss(n)) for bound, n in ((1.0, 80), (2.5, 160),
                                                                   (np.inf, 320))
)

#: Complex step: J_ij = Im v_i(z + i h e_j) / h, with no subtraction, exact to rounding.
_COMPLEX_STEP = 1e-30


# -- argument checks -----------------------------------------------------------------------
def _params(method: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The method's parameters: defaults updated by ``params``, each one checked."""
    check_choice(method, "method", METHODS)
    out = dict(DEFAULTS[method])
    for name, value in params.items():
        if name not in out:
            known = ", ".join(DEFAULTS[method]) or "none"
            raise TypeError(
                f"method {method!r} takes no parameter {name!r}; its parameters: {known}"
            )
        out[name] = value
    for name, value in out.items():
        if name == "clip" and value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number; got {value!r}")
        if not np.isfinite(value):
            raise ValueError(f"{name} must be finite; got {value!r}")
        if name == "clip" and value <= 0:
            raise ValueError(f"clip must be > 0 (or None for no clipping); got {value!r}")
        if value < 0:
            raise ValueError(f"{name} must be >= 0; got {value!r}")
        out[name] = float(value)
    return out


# -- the fields ----------------------------------------------------------------------------
def _sigmoid(t):
    r""":math:`1/(1 + e^{-t})` for real or complex ``t``, never exponentiating a large number."""
    if not np.iscomplexobj(t):
        return expit(t)
    neg = np.real(t) < 0
    e = np.exp(np.where(neg, t, -t))  # |e| <= 1
    return np.where(neg, e / (1.0 + e), 1.0 / (1.0 + e))


def _gan_fp(t):
    r""":math:`f'(t) = \sigma(-t)` of :math:`f(t) = \log\sigma(t) = -\log(1 + e^{-t})`."""
    return _sigmoid(-t)


def _gan_fpp(t):
    r""":math:`f''(t) = -\sigma(t)\sigma(-t)`."""
    return -_sigmoid(t) * _sigmoid(-t)


def _field(method: str, theta, psi, p: dict[str, Any]):
    """The field on arrays that may be complex (for the complex step); no checks."""
    if method == "gan":
        a = _gan_fp(psi * theta)
        return -psi * a, theta * a
    if method == "wgan":
        return -psi + 0.0 * theta, theta + 0.0 * psi
    if method == "wgan-gp":
        # d/dpsi of -gamma/2 (|psi| - g0)^2 = -gamma (|psi| - g0) sign(psi); sign(0) = 0.
        # |psi| = psi sign(Re psi) keeps the expression analytic away from psi = 0.
        sign = np.sign(np.real(psi))
        return -psi + 0.0 * theta, theta - p["gamma"] * (psi * sign - p["g0"]) * sign
    if method == "r1":
        a = _gan_fp(psi * theta)
        return -psi * a, theta * a - p["gamma"] * psi
    if method == "consensus":
        # 1/2 |v|^2 = 1/2 a^2 (theta^2 + psi^2) with a = f'(psi theta), b = f''(psi theta):
        # its gradient is (a^2 theta + a b psi r^2, a^2 psi + a b theta r^2), r^2 = |z|^2.
        s = psi * theta
        a, b = _gan_fp(s), _gan_fpp(s)
        r2 = theta * theta + psi * psi  # no conjugate: analytic for the complex step
        g_theta = a * a * theta + a * b * psi * r2
        g_psi = a * a * psi + a * b * theta * r2
        return -psi * a - p["gamma"] * g_theta, theta * a - p["gamma"] * g_psi
    if method == "instance-noise":
        # x_g = theta + eps, x_d = eps', eps ~ N(0, sigma^2); with eps = sqrt(2) sigma u,
        # E[g(eps)] = sum_i w_i g(sqrt(2) sigma u_i) / sqrt(pi) (Gauss-Hermite).
        theta, psi = np.asarray(theta)[..., None], np.asarray(psi)[..., None]
        reach = p["sigma"] * float(np.max(np.abs(psi), initial=0.0))
        u, w = next((u, w) for bound, u, w in _GH_RULES if reach <= bound)
        w = w / np.sqrt(np.pi)  # (n,): weights of E[g(Z)]
        eps = np.sqrt(2.0) * p["sigma"] * u  # (n,)
        x_g = theta + eps  # (..., n)
        a_g = _gan_fp(psi * x_g)
        a_d = _gan_fp(-psi * eps)
        v_theta = -(psi[..., 0]) * (a_g @ w)
        v_psi = (x_g * a_g) @ w - (eps * a_d) @ w
        return v_theta, v_psi
    raise AssertionError(method)  # pragma: no cover  (methods are checked by _params)


def vector_field(method: str, theta: Any, psi: Any, **params: Any) -> tuple[np.ndarray, ...]:
    r"""The gradient vector field :math:`v = (-\partial_\theta L, \partial_\psi L)`.

    .. math::

        v_\text{gan}(\theta, \psi) = \bigl(-\psi f'(\psi\theta),\ \theta f'(\psi\theta)\bigr),
        \qquad f'(t) = \frac{1}{1 + e^{t}},

    :math:`v_\text{wgan} = (-\psi, \theta)` (clipping is a projection in :func:`simulate`,
    not part of the field), :math:`v_\text{wgan-gp} = (-\psi, \theta - \gamma(|\psi| -
    g_0)\operatorname{sign}\psi)`, :math:`v_\text{r1} = v_\text{gan} - (0, \gamma\psi)`,
    :math:`v_\text{consensus} = v_\text{gan} - \gamma \nabla \tfrac12 \|v_\text{gan}\|^2`
    and, with :math:`\epsilon, \epsilon' \sim \mathcal N(0, \sigma^2)`,

    .. math::

        v_\text{instance-noise} = \Bigl(-\psi\,\mathbb E f'(\psi(\theta + \epsilon)),\
            \mathbb E\bigl[(\theta + \epsilon) f'(\psi(\theta + \epsilon))\bigr]
            - \mathbb E\bigl[\epsilon' f'(-\psi\epsilon')\bigr]\Bigr),

    the field of :math:`L = \mathbb E f(\psi(\theta + \epsilon)) + \mathbb E f(-\psi\epsilon')`,
    by Gauss-Hermite quadrature with 80, 160 or 320 nodes as :math:`\sigma|\psi|` grows:
    error below :math:`10^{-13}` for :math:`\sigma|\psi| \le 2.5`, below
    :math:`10^{-12}` up to :math:`\sigma|\psi| = 4`.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    theta, psi : array_like
        Generator and discriminator parameters; they broadcast against each other.
    **params
        The method's parameters (:data:`DEFAULTS`): ``clip``, ``gamma``, ``g0``, ``sigma``.

    Returns
    -------
    v_theta, v_psi : ndarray
        The two components, of the broadcast shape of ``theta`` and ``psi``.

    Examples
    --------
    >>> vector_field("gan", 0.0, 1.0)
    (array(-0.5), array(0.))
    >>> vector_field("r1", [1.0, 0.0], [0.0, 2.0], gamma=0.5)
    (array([ 0., -1.]), array([ 0.5, -1. ]))
    >>> vector_field("wgan-gp", 0.5, 0.25, gamma=2.0)
    (array(-0.25), array(2.))
    """
    p = _params(method, params)
    theta = as_float_array(theta, "theta")
    psi = as_float_array(psi, "psi")
    try:
        theta, psi = np.broadcast_arrays(theta, psi)
    except ValueError:
        raise ValueError(
            f"theta and psi must broadcast; got shapes {theta.shape} and {psi.shape}"
        ) from None
    v_theta, v_psi = _field(method, theta, psi, p)
    # + 0.0 turns the -0.0 of -psi f' at psi = 0 into 0.0
    return np.asarray(np.real(v_theta) + 0.0), np.asarray(np.real(v_psi) + 0.0)


# -- linearisation -------------------------------------------------------------------------
def jacobian(method: str, **params: Any) -> np.ndarray:
    r"""The closed-form Jacobian :math:`J = v'(0, 0)` of the field at the equilibrium.

    With :math:`a = f'(0) = \tfrac12` and :math:`b = f''(0) = -\tfrac14` for the GAN's f
    (Mescheder et al. 2018, Sec. 2-3; Mescheder et al. 2017 for consensus):

    .. math::

        J_\text{gan} = \begin{pmatrix} 0 & -a \\ a & 0 \end{pmatrix},\
        J_\text{wgan} = \begin{pmatrix} 0 & -1 \\ 1 & 0 \end{pmatrix},\
        J_\text{r1} = \begin{pmatrix} 0 & -a \\ a & -\gamma \end{pmatrix},\
        J_\text{in} = \begin{pmatrix} 0 & -a \\ a & 2b\sigma^2 \end{pmatrix},\
        J_\text{cons} = \begin{pmatrix} -\gamma a^2 & -a \\ a & -\gamma a^2 \end{pmatrix}.

    The instance-noise entry: :math:`\partial_\psi v_\psi = \mathbb E[(\theta+\epsilon)^2
    f''] + \mathbb E[\epsilon'^2 f''] = 2 f''(0)\sigma^2` at :math:`(0, 0)`. Consensus:
    :math:`J - \gamma J^\top J` with :math:`J^\top J = a^2 I`.

    Raises
    ------
    ValueError
        For ``"wgan-gp"``: its field jumps by :math:`2\gamma g_0` across :math:`\psi = 0`,
        so it has no Jacobian at the equilibrium (the paper's point).

    Examples
    --------
    >>> jacobian("gan")
    array([[ 0. , -0.5],
           [ 0.5,  0. ]])
    >>> jacobian("consensus", gamma=2.0)
    array([[-0.5, -0.5],
           [ 0.5, -0.5]])
    """
    p = _params(method, params)
    a, b = _FP0, _FPP0
    if method == "gan":
        return np.array([[0.0, -a], [a, 0.0]])
    if method == "wgan":
        return np.array([[0.0, -1.0], [1.0, 0.0]])
    if method == "r1":
        return np.array([[0.0, -a], [a, -p["gamma"]]])
    if method == "instance-noise":
        return np.array([[0.0, -a], [a, 2.0 * b * p["sigma"] ** 2]])
    if method == "consensus":
        g = p["gamma"] * a * a
        return np.array([[-g, -a], [a, -g]])
    raise ValueError(
        "method 'wgan-gp' has no Jacobian at the equilibrium: the penalty's gradient "
        "gamma (|psi| - g0) sign(psi) jumps by 2 gamma g0 across psi = 0"
    )


def numerical_jacobian(method: str, theta: float = 0.0, psi: float = 0.0,
                       **params: Any) -> np.ndarray:
    r"""The Jacobian of :func:`vector_field` at :math:`(\theta, \psi)` by the complex step.

    .. math::

        J_{ij} = \frac{\operatorname{Im} v_i(z + i h e_j)}{h}, \qquad h = 10^{-30}:

    for an analytic field this has truncation error :math:`O(h^2)` and no cancellation, so
    it is exact to rounding (:math:`\sim 10^{-16}`). Every field is analytic near the
    point except WGAN-GP's at :math:`\psi = 0`, which raises ValueError.

    Examples
    --------
    >>> numerical_jacobian("r1", gamma=1.0)
    array([[ 0. , -0.5],
           [ 0.5, -1. ]])
    """
    p = _params(method, params)
    theta = float(as_float_array(theta, "theta"))
    psi = float(as_float_array(psi, "psi"))
    if method == "wgan-gp" and psi == 0.0:
        jacobian(method)  # raises, with the reason
    h = _COMPLEX_STEP
    columns = [
        _field(method, np.complex128(theta + 1j * h), np.complex128(psi), p),
        _field(method, np.complex128(theta), np.complex128(psi + 1j * h), p),
    ]
    return np.array([[np.imag(col[i]) / h for col in columns] for i in range(2)]) + 0.0


def _sorted(values: np.ndarray) -> np.ndarray:
    """Eigenvalues in a fixed order: by imaginary part, then by real part."""
    values = np.asarray(values, dtype=complex)
    return values[np.lexsort((values.real, values.imag))]


def eigenvalues(method: str, numerical: bool = False, **params: Any) -> np.ndarray:
    r"""Eigenvalues of the Jacobian at the equilibrium, sorted by imaginary then real part.

    ``numerical=False`` evaluates the paper's formulas (Mescheder et al. 2018, Sec. 2-3;
    :math:`a = f'(0)`, :math:`b = f''(0)`):

    .. math::

        \lambda_\text{gan} = \pm i a,\quad \lambda_\text{wgan} = \pm i,\quad
        \lambda_\text{r1} = -\tfrac\gamma2 \pm \sqrt{\tfrac{\gamma^2}4 - a^2},\quad
        \lambda_\text{in} = b\sigma^2 \pm \sqrt{b^2\sigma^4 - a^2},\quad
        \lambda_\text{cons} = -\gamma a^2 \pm i a;

    ``numerical=True`` takes the eigenvalues of :func:`numerical_jacobian` at ``(0, 0)``.

    Examples
    --------
    >>> eigenvalues("wgan")
    array([0.-1.j, 0.+1.j])
    >>> eigenvalues("instance-noise", sigma=2.0)
    array([-1.8660254+0.j, -0.1339746+0.j])
    >>> eigenvalues("consensus", numerical=True)
    array([-0.25-0.5j, -0.25+0.5j])
    """
    p = _params(method, params)
    if numerical:
        return _sorted(np.linalg.eigvals(numerical_jacobian(method, 0.0, 0.0, **params)))
    a, b = _FP0, _FPP0
    if method == "gan":
        centre, disc = 0.0, -(a**2)
    elif method == "wgan":
        centre, disc = 0.0, -1.0
    elif method == "r1":
        centre, disc = -p["gamma"] / 2.0, p["gamma"] ** 2 / 4.0 - a**2
    elif method == "instance-noise":
        centre = b * p["sigma"] ** 2
        disc = centre**2 - a**2
    elif method == "consensus":
        centre, disc = -p["gamma"] * a**2, -(a**2)
    else:
        jacobian(method)  # raises, with the reason
    root = np.sqrt(complex(disc))
    return _sorted(np.array([centre - root, centre + root]))


def _check_update(step: Any, update: Any) -> float:
    check_choice(update, "update", UPDATES)
    return check_tolerance(step, "step")


def update_matrix(method: str, step: float, update: str = "simultaneous",
                  **params: Any) -> np.ndarray:
    r"""The Jacobian at the equilibrium of one gradient step of size :math:`h`.

    Simultaneous steps :math:`z \mapsto z + h v(z)` have :math:`I + hJ`. Alternating steps
    move the generator first, :math:`F_1(\theta, \psi) = (\theta + h v_\theta, \psi)`, then
    the discriminator at the new :math:`\theta`, :math:`F_2(\theta, \psi) = (\theta, \psi + h
    v_\psi)`, so their Jacobian is

    .. math::

        F_2' F_1' = \begin{pmatrix} 1 & 0 \\ h J_{21} & 1 + h J_{22} \end{pmatrix}
                    \begin{pmatrix} 1 + h J_{11} & h J_{12} \\ 0 & 1 \end{pmatrix}.

    Examples
    --------
    >>> update_matrix("wgan", 0.5, "alternating")
    array([[ 1.  , -0.5 ],
           [ 0.5 ,  0.75]])
    """
    h = _check_update(step, update)
    j = jacobian(method, **params)
    if update == "simultaneous":
        return np.eye(2) + h * j
    f1 = np.array([[1.0 + h * j[0, 0], h * j[0, 1]], [0.0, 1.0]])
    f2 = np.array([[1.0, 0.0], [h * j[1, 0], 1.0 + h * j[1, 1]]])
    return f2 @ f1


def update_eigenvalues(method: str, step: float, update: str = "simultaneous",
                       **params: Any) -> np.ndarray:
    r"""Eigenvalues of :func:`update_matrix`, sorted by imaginary then real part.

    For simultaneous steps these are :math:`1 + h\lambda`; for the GAN
    :math:`1 \pm i h f'(0)`, of modulus :math:`\sqrt{1 + h^2/4} > 1`.

    Examples
    --------
    >>> update_eigenvalues("gan", 0.2)
    array([1.-0.1j, 1.+0.1j])
    """
    return _sorted(np.linalg.eigvals(update_matrix(method, step, update, **params)))


def spectral_radius(method: str, step: float, update: str = "simultaneous",
                    **params: Any) -> float:
    """Largest modulus of :func:`update_eigenvalues`.

    Examples
    --------
    >>> round(spectral_radius("gan", 0.2), 12) == round((1 + 0.2**2 / 4) ** 0.5, 12)
    True
    """
    return float(np.max(np.abs(update_eigenvalues(method, step, update, **params))))


#: |rho - 1| below this counts as modulus one. Alternating steps of a field with a zero
#: trace Jacobian have det = 1 exactly, up to a rounding of a few 1e-16.
_RHO_TOL = 1e-9


def predict(method: str, step: float, update: str = "simultaneous", **params: Any) -> str:
    r"""The class that the linearisation at the equilibrium predicts for gradient steps.

    With :math:`\rho` the spectral radius of :func:`update_matrix`:
    :math:`\rho < 1` predicts ``"converges"`` (locally, at the linear rate :math:`\rho`),
    :math:`\rho = 1` (within :math:`10^{-9}`) ``"cycles"`` and :math:`\rho > 1`
    ``"diverges"`` (Mescheder et al. 2018, Sec. 2.2).

    The prediction is local: ``"diverges"`` means the iterates leave every small
    neighbourhood of the equilibrium. Where the nonlinearity saturates they may still stay
    bounded (WGAN's clipping keeps :math:`|\psi| \le c` and the orbit settles on a cycle of
    size about :math:`c`; the GAN's :math:`f'` vanishes where :math:`\psi\theta \gg 0`), as
    :func:`classify` sees from a start well inside that size. WGAN-GP has no linearisation
    and raises ValueError.

    Examples
    --------
    >>> predict("r1", 0.1, gamma=1.0), predict("wgan", 0.1, clip=None)
    ('converges', 'diverges')
    """
    rho = spectral_radius(method, step, update, **params)
    if rho < 1.0 - _RHO_TOL:
        return "converges"
    if rho <= 1.0 + _RHO_TOL:
        return "cycles"
    return "diverges"


# -- simulation ----------------------------------------------------------------------------
def simulate(method: str, theta0: Any, psi0: Any, step: float, n_steps: int,
             update: str = "simultaneous", **params: Any) -> np.ndarray:
    r"""Run ``n_steps`` gradient steps of size ``step`` from :math:`(\theta_0, \psi_0)`.

    * ``"simultaneous"``: :math:`z_{k+1} = z_k + h\, v(z_k)`;
    * ``"alternating"``: :math:`\theta_{k+1} = \theta_k + h\, v_\theta(\theta_k, \psi_k)`,
      then :math:`\psi_{k+1} = \psi_k + h\, v_\psi(\theta_{k+1}, \psi_k)` (generator first).

    For ``"wgan"`` with ``clip=c``, :math:`\psi` is projected onto :math:`[-c, c]` after
    each discriminator update.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    theta0, psi0 : array_like
        Initial points; they broadcast, and every point is run at once.
    step : float
        Step size :math:`h > 0`.
    n_steps : int
        Number of steps, at least 1.
    update : {"simultaneous", "alternating"}
    **params
        The method's parameters (:data:`DEFAULTS`).

    Returns
    -------
    ndarray, shape (n_steps + 1, \*batch, 2)
        The trajectory, ``[..., 0]`` is :math:`\theta` and ``[..., 1]`` is :math:`\psi`;
        row 0 is the initial point.

    Examples
    --------
    >>> simulate("wgan", 1.0, 0.0, step=0.5, n_steps=2, update="alternating", clip=None)
    array([[1.   , 0.   ],
           [1.   , 0.5  ],
           [0.75 , 0.875]])
    """
    p = _params(method, params)
    h = _check_update(step, update)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    theta = as_float_array(theta0, "theta0")
    psi = as_float_array(psi0, "psi0")
    try:
        theta, psi = (np.array(x, dtype=float) for x in np.broadcast_arrays(theta, psi))
    except ValueError:
        raise ValueError(
            f"theta0 and psi0 must broadcast; got shapes {theta.shape} and {psi.shape}"
        ) from None
    clip = p.get("clip")
    out = np.empty((n_steps + 1, *theta.shape, 2))  # (n_steps + 1, *batch, 2)
    out[0, ..., 0], out[0, ..., 1] = theta, psi
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, n_steps + 1):
            if update == "simultaneous":
                v_theta, v_psi = _field(method, theta, psi, p)
                theta, psi = theta + h * v_theta, psi + h * v_psi
            else:
                theta = theta + h * _field(method, theta, psi, p)[0]
                psi = psi + h * _field(method, theta, psi, p)[1]
            if clip is not None:
                psi = np.clip(psi, -clip, clip)
            out[k, ..., 0], out[k, ..., 1] = theta, psi
    return out


def classify(trajectory: Any, converge_ratio: float = 1e-3, diverge_ratio: float = 10.0,
             trend_ratio: float = 2.0) -> str | np.ndarray:
    r"""Name what a trajectory does: ``"converges"``, ``"cycles"`` or ``"diverges"``.

    With :math:`r_k = \|z_k\|` the distance to the equilibrium :math:`(0, 0)`, :math:`r_0`
    the initial one, :math:`R` the values of :math:`r_k` over the last quarter of the steps
    and :math:`\bar r_\text{first}`, :math:`\bar r_\text{last}` the means of :math:`r_k`
    over the first and the last quarter:

    * ``"diverges"`` if some :math:`r_k` is not finite, or :math:`\min R >`
      ``diverge_ratio`` :math:`\cdot\, r_0` (it has left, for good, the neighbourhood it
      started in), or :math:`\bar r_\text{last} >` ``trend_ratio`` :math:`\cdot\,
      \bar r_\text{first}` (it is still moving out);
    * ``"converges"`` if :math:`\max R \le` ``converge_ratio`` :math:`\cdot\, r_0`;
    * ``"cycles"`` otherwise: it neither approaches the equilibrium nor runs away
      (an orbit, or a drift too slow for the run).

    The classes are about the neighbourhood of the start, so for the local statements of
    the theory start close to the equilibrium, where the linearisation holds: far out the
    GAN's :math:`f'` saturates and simultaneous steps nearly stall, and clipping or a
    gradient penalty bounds the orbit. Convergence must show as a drop by
    ``1 / converge_ratio``, so run long enough for the linear rate :math:`\rho^n` to
    reach it. The quarter means of an orbit agree when each quarter spans a few of its
    periods. A trajectory that starts at the equilibrium and stays converges.

    Parameters
    ----------
    trajectory : array_like, shape (n_steps + 1, \*batch, 2)
        As returned by :func:`simulate`, at least 4 points.
    converge_ratio, diverge_ratio, trend_ratio : float
        The thresholds, ``0 < converge_ratio < 1 < diverge_ratio`` and ``trend_ratio > 1``.

    Returns
    -------
    str or ndarray of str
        One class, or an array of shape ``batch``.

    Examples
    --------
    >>> classify([[1.0, 0.0], [0.5, 0.0], [1e-3, 0.0], [1e-4, 0.0]])
    'converges'
    >>> classify(simulate("gan", [0.5, 1.0], 0.5, 0.1, 4000, update="alternating"))
    array(['cycles', 'cycles'], dtype='<U9')
    >>> classify(simulate("gan", 0.05, 0.05, 0.1, 2000, update="simultaneous"))
    'diverges'
    """
    z = np.asarray(trajectory, dtype=float)
    if z.ndim < 2 or z.shape[-1] != 2 or z.shape[0] < 4:
        raise ValueError(
            f"trajectory must have shape (n_steps + 1, *batch, 2) with at least 4 points; "
            f"got shape {z.shape}"
        )
    converge_ratio = check_tolerance(converge_ratio, "converge_ratio")
    diverge_ratio = check_tolerance(diverge_ratio, "diverge_ratio")
    trend_ratio = check_tolerance(trend_ratio, "trend_ratio")
    if not converge_ratio < 1.0 < diverge_ratio:
        raise ValueError(
            "converge_ratio and diverge_ratio must satisfy 0 < converge_ratio < 1 < "
            f"diverge_ratio; got {converge_ratio!r} and {diverge_ratio!r}"
        )
    if trend_ratio <= 1.0:
        raise ValueError(f"trend_ratio must be > 1; got {trend_ratio!r}")
    with np.errstate(over="ignore", invalid="ignore"):
        r = np.hypot(z[..., 0], z[..., 1])  # (n_steps + 1, *batch)
    quarter = len(r) // 4
    finite = np.all(np.isfinite(r), axis=0)
    r = np.where(np.isfinite(r), r, 0.0)  # non-finite runs diverge whatever follows
    r0, head, tail = r[0], r[:quarter], r[-quarter:]
    diverges = (
        ~finite
        | (np.min(tail, axis=0) > diverge_ratio * r0)
        | (np.mean(tail, axis=0) > trend_ratio * np.mean(head, axis=0))
    )
    converges = finite & (np.max(tail, axis=0) <= converge_ratio * r0)
    out = np.where(diverges, "diverges", np.where(converges, "converges", "cycles"))
    return str(out) if out.ndim == 0 else out


def behaviour_table(step: float = 0.1, n_steps: int = 4000,
                    start: tuple[float, float] = (0.1, 0.1)) -> list[dict[str, object]]:
    r"""Per method, the Jacobian's eigenvalues at the equilibrium and what the steps do.

    One row per method of :data:`METHODS`, at its :data:`DEFAULTS`: the closed-form
    eigenvalues (:func:`eigenvalues`), the complex-step ones and their largest difference
    ``max_difference``, and for each update rule of ``UPDATES`` the class :func:`predict`
    gives (from the spectral radius of the linearised step) beside the class
    :func:`classify` gives to ``n_steps`` steps of size ``step`` from ``start``. WGAN-GP's
    field jumps across :math:`\psi = 0`: it has neither eigenvalues nor a prediction.

    Examples
    --------
    >>> rows = behaviour_table(n_steps=400)
    >>> [(r["method"], r["simultaneous_predicted"], r["alternating_predicted"]) for r in rows[:2]]
    [('gan', 'diverges', 'cycles'), ('wgan', 'diverges', 'cycles')]
    """
    rows = []
    for method in METHODS:
        row: dict[str, object] = {"method": method}
        if method == "wgan-gp":
            row["eigenvalues"] = "none (penalty not differentiable at psi = 0)"
            row["numerical"] = ""
        else:
            closed = eigenvalues(method)
            numeric = eigenvalues(method, numerical=True)
            row["eigenvalues"] = " ".join(f"{e:.6g}" for e in closed)
            row["numerical"] = " ".join(f"{e:.6g}" for e in numeric)
            row["max_difference"] = float(np.max(np.abs(closed - numeric)))
        for update in UPDATES:
            trajectory = simulate(method, start[0], start[1], step, n_steps, update)
            row[f"{update}_simulated"] = classify(trajectory)
            row[f"{update}_predicted"] = ("n/a" if method == "wgan-gp"
                                          else predict(method, step, update))
        rows.append(row)
    return rows
