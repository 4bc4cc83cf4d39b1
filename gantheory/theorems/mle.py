r"""Maximum likelihood is KL minimisation, and over Gaussians it is moment matching.

For a data distribution :math:`P` with density :math:`p` and a model :math:`q_\theta`,

.. math::

    \mathbb E_p[\log q_\theta] = \int p \log q_\theta
    = \int p \log p - \int p \log \frac{p}{q_\theta}
    = -H(P) - \mathrm{KL}(P \,\|\, Q_\theta).

:math:`H(P)` does not depend on :math:`\theta`, so the population maximum-likelihood
parameter is the KL minimiser, :math:`\arg\max_\theta \mathbb E_p[\log q_\theta] =
\arg\min_\theta \mathrm{KL}(P\|Q_\theta)`. For the Gaussian family
:math:`q_\theta = \mathcal N(m, S)` the expected log-likelihood depends on :math:`p` only
through its mean :math:`\mu` and covariance :math:`\Sigma`,

.. math::

    \mathbb E_p[\log \mathcal N(x; m, S)] = -\tfrac12 \log\det(2\pi S)
    - \tfrac12 \operatorname{tr}\bigl(S^{-1}[\Sigma + (\mu - m)(\mu - m)^\top]\bigr),

which is maximal at :math:`m = \mu`, :math:`S = \Sigma`: the maximum-likelihood Gaussian
matches the moments (the "M-projection"). It also satisfies a Pythagorean identity (the
Gaussians are an exponential family and :math:`q^*` matches their sufficient statistics):

.. math::

    \mathrm{KL}(P\|Q) = \mathrm{KL}(P\|Q^*) + \mathrm{KL}(Q^*\|Q)
    \quad\text{for every Gaussian } Q,

so :math:`q^*` is the global minimiser. With samples, the sample mean and the biased
(:math:`1/n`) sample covariance are the maximum-likelihood estimate, and they approach the
moments at the rate :math:`n^{-1/2}`; the excess :math:`\mathrm{KL}(P\|\hat Q_n) -
\mathrm{KL}(P\|Q^*) = \mathrm{KL}(Q^*\|\hat Q_n)` falls like :math:`1/n`.

The check :data:`KL_MLE` compares, on a 1-D and a 2-D mixture,

(i) :math:`\mathbb E_p[\log q] = -H(P, Q)` by quadrature with :math:`-H(P) -
    \mathrm{KL}(P\|Q)` (two other quadratures) and with the moment formula above, for a set of
    Gaussians :math:`q`, and the Pythagorean identity for each;
(ii) the maximiser of :math:`\mathbb E_p[\log q_\theta]` found by BFGS over all Gaussians
     (expectations by Gauss-Hermite quadrature on the components of :math:`p`, no moment
     used) with ``p.mean`` and ``p.cov``, its maximum with :math:`-H(P) -
     \mathrm{KL}(P\|Q^*)`, and in 1-D the finite-difference gradient of
     :math:`\theta \mapsto \mathrm{KL}(P\|Q_\theta)` (quadrature) at :math:`q^*` with 0;
(iii) in 1-D, for :math:`n = 10^2, \dots, 10^5` samples with a fixed seed,
      :math:`|\bar x - \mu| \le 4\sqrt{v/n}`, :math:`|\hat v - v| \le 4\sqrt{(\mu_4 -
      v^2)/n} + v/n`, and :math:`0 \le \mathrm{KL}(P\|\hat Q_n) - \mathrm{KL}(P\|Q^*) \le
      25\, c/n`, where :math:`c = \tfrac12 + \tfrac{\kappa - 1}{4}` (:math:`\kappa` the
      kurtosis) is the limit of :math:`n\,\mathbb E\,\mathrm{KL}(Q^*\|\hat Q_n)`.

Sources: Goodfellow, Bengio and Courville, *Deep Learning* (2016), §5.5; Bishop, *Pattern
Recognition and Machine Learning* (2006), §10.7 (moment matching); Amari, *Information
Geometry and Its Applications* (2016), Ch. 1 (the generalized Pythagorean theorem). The
identity is also a one-line computation: :math:`\log q^* - \log q` is a quadratic, so its
means under :math:`p` and :math:`q^*` (equal first two moments) agree, and
:math:`\mathrm{KL}(P\|Q) - \mathrm{KL}(P\|Q^*) = \mathbb E_p[\log q^* - \log q] =
\mathbb E_{q^*}[\log q^* - \log q] = \mathrm{KL}(Q^*\|Q)`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import optimize

from gantheory.distributions import Gaussian, GaussianMixture
from gantheory.divergences import cross_entropy, entropy, kl
from gantheory.theorems._numerics import derivative
from gantheory.theorems.base import Comparison, Configuration, Theorem

__all__ = ["KL_MLE", "THEOREMS"]

_LOG_2PI = float(np.log(2.0 * np.pi))
#: Gauss-Hermite nodes per axis of the population log-likelihood (exact for polynomials of
#: degree up to 2 * 12 - 1 in each coordinate; log q is a quadratic).
_GH_NODES = 12
#: Standard errors allowed between a sample moment and the population moment.
_N_SE = 4.0
#: Allowed multiple of the asymptotic mean excess KL, E[n KL(q* || q_hat)] -> c.
_EXCESS_FACTOR = 25.0


# -- helpers ----------------------------------------------------------------------------------
def _mixture_rule(p: GaussianMixture) -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes and weights of Gauss-Hermite quadrature against :math:`p`, one rule per component.

    .. math::

        \mathbb E_p[h] = \sum_k w_k\, \mathbb E[h(\mu_k + L_k Z)]
        \approx \sum_k w_k \sum_i \omega_i\, h(\mu_k + L_k z_i),
        \qquad Z \sim \mathcal N(0, I),\ L_k L_k^\top = \Sigma_k,

    with the tensor-product probabilists' Hermite rule
    (:func:`numpy.polynomial.hermite_e.hermegauss`, weights normalised to sum to one). It is
    exact for polynomials of degree below :math:`2 \cdot` ``_GH_NODES`` in each coordinate,
    so for :math:`h = \log q_\theta` with Gaussian :math:`q_\theta` (a quadratic) and for
    moments up to order 4. It uses the components of :math:`p`, never its
    :attr:`~GaussianMixture.mean` or :attr:`~GaussianMixture.cov`.

    Returns
    -------
    x : ndarray, shape (K * m, d)
        Nodes, ``m = _GH_NODES ** d`` per component.
    weights : ndarray, shape (K * m,)
        Weights summing to one.
    """
    z1, w1 = np.polynomial.hermite_e.hermegauss(_GH_NODES)
    w1 = w1 / w1.sum()
    d = p.dim
    grid = np.stack(np.meshgrid(*([z1] * d), indexing="ij"), axis=-1).reshape(-1, d)  # (m, d)
    wz = np.prod(np.stack(np.meshgrid(*([w1] * d), indexing="ij"), axis=-1).reshape(-1, d), 1)
    chol = np.linalg.cholesky(p.covs)  # (K, d, d)
    x = p.means[:, None, :] + np.einsum("kij,mj->kmi", chol, grid)  # (K, m, d)
    return x.reshape(-1, d), (p.weights[:, None] * wz[None, :]).ravel()


def _mixture_expectation(p: GaussianMixture, h: Callable[[np.ndarray], np.ndarray]) -> float:
    r""":math:`\mathbb E_p[h(X)]` by the Gauss-Hermite rule of :func:`_mixture_rule`.

    ``h`` maps points ``(n, d)`` to values ``(n,)``.
    """
    x, weights = _mixture_rule(p)
    return float(weights @ np.asarray(h(x), dtype=float))


def _cholesky_from_params(theta: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Mean and Cholesky factor of unconstrained parameters :math:`\theta = (m, a)`.

    The covariance is :math:`S = L L^\top` with :math:`L` lower triangular, its diagonal
    :math:`e^{a_{ii}}` (so in 1-D :math:`\theta = (m, \log s)`) and its entries below the
    diagonal :math:`a_{ij}`.
    """
    low = np.zeros((dim, dim))
    low[np.tril_indices(dim)] = theta[dim:]
    low[np.diag_indices(dim)] = np.exp(np.diag(low))
    return theta[:dim], low


def _maximum_likelihood_gaussian(p: GaussianMixture) -> tuple[Gaussian, float]:
    r"""Maximise the population log-likelihood :math:`\ell(\theta) = \mathbb E_p[\log
    q_\theta]` numerically over all Gaussians :math:`q_\theta = \mathcal N(m, LL^\top)`.

    .. math::

        \log q_\theta(x) = -\tfrac12 \|L^{-1}(x - m)\|^2 - \sum_i \log L_{ii}
        - \tfrac d2 \log 2\pi

    is averaged over the Gauss-Hermite rule of :func:`_mixture_rule` and :math:`\ell` is
    maximised by BFGS with central finite-difference gradients, from the standard normal.
    Nothing here uses the moments of :math:`p`.

    Returns
    -------
    Gaussian, float
        The maximiser and the maximum :math:`\ell(\hat\theta)`.
    """
    dim = p.dim
    n_chol = dim * (dim + 1) // 2
    x, weights = _mixture_rule(p)

    def negative_ll(theta: np.ndarray) -> float:
        mean, low = _cholesky_from_params(theta, dim)
        z = np.linalg.solve(low, (x - mean).T)  # (d, n)
        log_q = -0.5 * np.sum(z * z, axis=0) - np.sum(np.log(np.diag(low))) - 0.5 * dim * _LOG_2PI
        return -float(weights @ log_q)

    res = optimize.minimize(
        negative_ll,
        np.zeros(dim + n_chol),
        method="BFGS",
        jac="3-point",
        options={"gtol": 1e-10, "maxiter": 500},
    )
    mean, low = _cholesky_from_params(res.x, dim)
    return Gaussian(mean, low @ low.T), -float(res.fun)


def _expected_log_gaussian_from_moments(
    mean_p: np.ndarray, cov_p: np.ndarray, q: Gaussian
) -> float:
    r""":math:`\mathbb E_p[\log \mathcal N(x; m, S)] = -\tfrac12\log\det(2\pi S)
    - \tfrac12\operatorname{tr}(S^{-1}[\Sigma + (\mu - m)(\mu - m)^\top])` from the moments.
    """
    s = q.cov
    diff = mean_p - q.mean
    second = cov_p + np.outer(diff, diff)
    _, logdet = np.linalg.slogdet(s)
    return float(-0.5 * (q.dim * _LOG_2PI + logdet) - 0.5 * np.trace(np.linalg.solve(s, second)))


def _fmt(q: Gaussian) -> str:
    mean = np.round(q.mean, 3).tolist()
    cov = np.round(q.cov, 3).tolist()
    if q.dim == 1:
        return f"N({mean[0]:g}, {cov[0][0]:g})"
    return f"N({mean}, {cov})"


# -- the check --------------------------------------------------------------------------------
def _check_kl_mle(config: Configuration) -> list[Comparison]:
    return _kl_mle_comparisons(config)


def _kl_mle_comparisons(config: Configuration) -> list[Comparison]:
    p = config["p"]
    others = tuple(config.params.get("others", ()))
    mean_p, cov_p = np.asarray(p.mean), np.asarray(p.cov)
    q_star = Gaussian(mean_p, cov_p)
    minus_h = -entropy(p).value
    kl_star = kl(p, q_star).value
    out: list[Comparison] = []

    # (i) E_p[log q] = -H(p) - KL(p || q) for each q of the set, and the two routes to E_p[log q].
    for q in (q_star, *others):
        name = "q* = N(mean p, cov p)" if q is q_star else _fmt(q)
        ll = -cross_entropy(p, q).value
        kl_q = kl_star if q is q_star else kl(p, q).value
        out.append(Comparison(f"E_p[log q] vs -H(p) - KL(p || q), q = {name}", ll, minus_h - kl_q))
        out.append(
            Comparison(
                f"E_p[log q] by quadrature vs from the mean and covariance of p, q = {name}",
                ll,
                _expected_log_gaussian_from_moments(mean_p, cov_p, q),
            )
        )
        if q is not q_star:
            out.append(Comparison(f"KL(p || q*) <= KL(p || q), q = {name}", kl_star, kl_q, "<="))
            out.append(
                Comparison(
                    f"KL(p || q) = KL(p || q*) + KL(q* || q) (Pythagoras), q = {name}",
                    kl_q,
                    kl_star + kl(q_star, q).value,
                )
            )

    # (ii) The maximiser of the population likelihood is the moment-matched Gaussian.
    q_ml, ll_max = _maximum_likelihood_gaussian(p)
    for i in range(p.dim):
        out.append(Comparison(f"argmax E_p[log q]: mean[{i}] vs E_p[x_{i}]", q_ml.mean[i],
                              mean_p[i]))
    for i, j in zip(*np.tril_indices(p.dim), strict=True):
        out.append(Comparison(f"argmax E_p[log q]: cov[{i},{j}] vs Cov_p[x_{i}, x_{j}]",
                              q_ml.cov[i, j], cov_p[i, j]))
    out.append(Comparison("max E_p[log q] (Gauss-Hermite) vs -H(p) - KL(p || q*) (quadrature)",
                          ll_max, minus_h - kl_star))
    if p.dim == 1:
        # q* is a stationary point of theta -> KL(p || q_theta), with KL by quadrature.
        m0, log_s0 = float(mean_p[0]), 0.5 * float(np.log(cov_p[0, 0]))

        def kl_at(m: float, log_s: float) -> float:
            return kl(p, Gaussian(m, np.exp(2.0 * log_s))).value

        out.append(Comparison("d KL(p || q) / d mean at q* (finite differences)",
                              derivative(lambda t: kl_at(m0 + t, log_s0), 0.0, 1e-2), 0.0))
        out.append(Comparison("d KL(p || q) / d log std at q* (finite differences)",
                              derivative(lambda t: kl_at(m0, log_s0 + t), 0.0, 1e-2), 0.0))

    # (iii) The sample MLE (sample mean, biased variance) approaches the moments.
    sizes = tuple(config.params.get("sample_sizes", ()))
    if sizes:
        out += _sample_mle_comparisons(p, q_star, kl_star, sizes, config.params.get("seed", 0))
    return out


def _sample_mle_comparisons(
    p: GaussianMixture, q_star: Gaussian, kl_star: float, sizes: tuple[int, ...], seed: int
) -> list[Comparison]:
    r"""Sample MLE in 1-D against the moments, with standard errors from the population.

    :math:`\operatorname{se}(\bar x) = \sqrt{v/n}`,
    :math:`\operatorname{se}(\hat v) \approx \sqrt{(\mu_4 - v^2)/n}` and the bias of the
    :math:`1/n` variance is :math:`-v/n`. The excess KL is
    :math:`\mathrm{KL}(Q^*\|\hat Q) \approx \frac{(\bar x - m)^2}{2v} + \frac{(\hat v -
    v)^2}{4v^2}`, whose mean is :math:`c/n` with :math:`c = \tfrac12 + \tfrac{\kappa - 1}{4}`,
    :math:`\kappa = \mu_4 / v^2` (the kurtosis).
    """
    if p.dim != 1:
        raise ValueError("the sample-MLE comparisons are implemented in 1-D")
    m, v = float(p.mean[0]), float(p.cov[0, 0])
    mu4 = _mixture_expectation(p, lambda x: (x[:, 0] - m) ** 4)
    c = 0.5 + 0.25 * (mu4 / v**2 - 1.0)
    out = []
    for n in sizes:
        x = p.sample(n, seed=seed)[:, 0]
        m_hat, v_hat = float(x.mean()), float(x.var())  # ddof = 0: the maximum-likelihood one
        q_hat = Gaussian(m_hat, v_hat)
        kl_hat = kl(p, q_hat).value
        out += [
            Comparison(f"n = {n}: |sample mean - E_p x| <= {_N_SE:g} sqrt(var / n)",
                       abs(m_hat - m), _N_SE * np.sqrt(v / n), "<="),
            Comparison(
                f"n = {n}: |biased sample var - Var_p| <= {_N_SE:g} sqrt((mu4 - var^2) / n) "
                "+ var / n",
                abs(v_hat - v), _N_SE * np.sqrt((mu4 - v**2) / n) + v / n, "<=",
            ),
            Comparison(f"n = {n}: KL(p || q*) <= KL(p || q_hat)", kl_star, kl_hat, "<="),
            Comparison(
                f"n = {n}: KL(p || q_hat) - KL(p || q*) <= {_EXCESS_FACTOR:g} c / n, "
                f"c = {c:.3f}",
                kl_hat - kl_star, _EXCESS_FACTOR * c / n, "<=",
            ),
            Comparison(f"n = {n}: KL(p || q_hat) = KL(p || q*) + KL(q* || q_hat)",
                       kl_hat, kl_star + kl(q_star, q_hat).value),
        ]
    return out


#: Theorem 5 of the catalogue, ``gantheory verify --only kl-mle``: (i) the identity on a set
#: of Gaussians, (ii) the numerical maximum-likelihood Gaussian against the moments, (iii) the
#: sample MLE against the moments as ``n`` grows (1-D).
KL_MLE = Theorem(
    key="kl-mle",
    title="Maximum likelihood is KL minimisation; over Gaussians it matches the moments",
    statement=(
        r"\mathbb E_p[\log q_\theta] = -H(P) - \mathrm{KL}(P\|Q_\theta),\ \text{so}\ "
        r"\arg\max_\theta \mathbb E_p[\log q_\theta] = \arg\min_\theta \mathrm{KL}(P\|Q_\theta)"
        r" = \mathcal N(\mathbb E_p x, \operatorname{Cov}_p x)\ \text{over Gaussians};\ "
        r"\mathrm{KL}(P\|Q) = \mathrm{KL}(P\|Q^*) + \mathrm{KL}(Q^*\|Q);\ "
        r"(\bar x_n, \hat\Sigma_n) \to (\mathbb E_p x, \operatorname{Cov}_p x)"
    ),
    source=(
        "Goodfellow, Bengio & Courville, Deep Learning (2016), Sec. 5.5; Bishop, PRML (2006), "
        "Sec. 10.7; Amari, Information Geometry and Its Applications (2016), Ch. 1"
    ),
    tolerance=1e-6,
    configurations=(
        Configuration(
            "1-D two-component mixture, Gaussian family, n = 1e2 .. 1e5 samples",
            {
                "p": GaussianMixture([0.3, 0.7], [-1.5, 1.0], [0.6**2, 0.9**2]),
                "others": (Gaussian(0.0, 1.0), Gaussian(1.0, 0.5**2), Gaussian(-0.5, 2.0**2)),
                "sample_sizes": (100, 1_000, 10_000, 100_000),
                "seed": 0,
            },
        ),
        Configuration(
            "2-D two-component mixture, Gaussian family",
            {
                "p": GaussianMixture(
                    [0.4, 0.6],
                    [[-1.0, 0.0], [1.0, 0.5]],
                    [[[0.6, 0.2], [0.2, 0.5]], [[0.5, -0.1], [-0.1, 0.7]]],
                ),
                "others": (Gaussian([0.3, 0.0], [[1.5, 0.2], [0.2, 1.0]]),),
            },
        ),
    ),
    check=_check_kl_mle,
)

#: The theorems of this module, for :mod:`gantheory.theorems.catalogue`.
THEOREMS: tuple[Theorem, ...] = (KL_MLE,)
