r"""Toy densities whose exact pdf we know.

Four families cover the theory:

* :class:`GaussianMixture` -- :math:`p(x) = \sum_k w_k\, \mathcal N(x; \mu_k, \Sigma_k)` in any
  dimension, with full or diagonal covariances;
* :class:`Gaussian` -- the one-component mixture, which has the registered closed forms;
* :class:`Uniform` -- the uniform density on an axis-aligned box (an interval in 1-D), the
  simplest distribution with a bounded support, used for disjoint supports;
* :class:`LineUniform` -- the uniform distribution on a segment in :math:`\mathbb R^d`,
  :math:`d \ge 2`: a distribution on a low-dimensional manifold. It has **no density** with
  respect to Lebesgue measure, and it does not pretend to: ``logpdf`` raises
  :class:`NoDensityError`, and the divergences treat it exactly (it is mutually singular with
  every absolutely continuous distribution).

Conventions
-----------
Points carry their coordinates on the last axis: ``x`` has shape ``(..., d)`` and ``logpdf(x)``
has shape ``(...)``. In 1-D the coordinate axis may be left out, so ``p.logpdf(0.5)`` and
``p.logpdf(np.linspace(-1, 1, 5))`` work. ``sample(n, seed)`` always returns shape ``(n, d)``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np
from scipy import special

from gantheory import _validation as val

_LOG_2PI = np.log(2.0 * np.pi)
#: Points per chunk when evaluating mixtures, to bound memory at (chunk, K, d) floats.
_CHUNK = 1 << 15
#: Offsets, in component standard deviations, at which quadrature panels start. The outer
#: value bounds the integration domain: a Gaussian puts mass below 1e-88 beyond 20 std.
QUADRATURE_OFFSETS = (-20.0, -6.0, -2.0, 0.0, 2.0, 6.0, 20.0)


class NoDensityError(TypeError):
    """Raised when a density is asked of a distribution that has none (e.g. on a line in 2-D)."""


class Distribution(ABC):
    r"""A probability distribution on :math:`\mathbb R^d` that can be sampled.

    Subclasses with a Lebesgue density derive from :class:`AbsolutelyContinuous`.
    """

    #: Dimension ``d`` of the ambient space.
    dim: int

    @property
    def has_density(self) -> bool:
        """Whether the distribution has a density with respect to Lebesgue measure."""
        return False

    @property
    @abstractmethod
    def mean(self) -> np.ndarray:
        """Mean vector, shape ``(d,)``."""

    @property
    @abstractmethod
    def cov(self) -> np.ndarray:
        """Covariance matrix, shape ``(d, d)``."""

    @abstractmethod
    def sample(self, n: int, seed: Any = None) -> np.ndarray:
        """Draw ``n`` independent samples, shape ``(n, d)``.

        ``seed`` is an integer >= 0, a :class:`numpy.random.Generator` (used as it is), or
        None for fresh entropy.
        """

    def logpdf(self, x: Any) -> np.ndarray:
        """Log density; distributions without a density raise :class:`NoDensityError`."""
        raise NoDensityError(
            f"{type(self).__name__} has no density with respect to Lebesgue measure in "
            f"{self.dim}-D (it lives on a lower-dimensional set)"
        )

    def pdf(self, x: Any) -> np.ndarray:
        r"""Density :math:`p(x) = \exp \log p(x)`."""
        return np.exp(self.logpdf(x))

    def support_box(self) -> tuple[np.ndarray, np.ndarray]:
        """Smallest axis-aligned box holding the support, as ``(low, high)`` (may be infinite)."""
        return np.full(self.dim, -np.inf), np.full(self.dim, np.inf)

    @abstractmethod
    def quadrature_breakpoints(self) -> list[np.ndarray]:
        """Per axis, sorted coordinates where quadrature panels should start and end."""


class AbsolutelyContinuous(Distribution):
    """A distribution with a density :math:`p` with respect to Lebesgue measure."""

    @property
    def has_density(self) -> bool:  # noqa: D102
        return True

    @abstractmethod
    def logpdf(self, x: Any) -> np.ndarray:
        r"""Log density :math:`\log p(x)`, shape ``x.shape[:-1]`` (``-inf`` off the support)."""


def _logsumexp_last(a: np.ndarray) -> np.ndarray:
    """``log(sum(exp(a), axis=-1))``, max-shifted; rows of ``-inf`` give ``-inf``."""
    top = a.max(axis=-1)
    shift = np.where(np.isfinite(top), top, 0.0)
    return np.log(np.exp(a - shift[..., None]).sum(axis=-1)) + shift


def _point_pair(a: Any, b: Any, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Two points of R^d (scalars allowed in 1-D) as 1-D float arrays of the same length."""
    first = np.atleast_1d(val.as_float_array(a, names[0]))
    second = np.atleast_1d(val.as_float_array(b, names[1]))
    if first.ndim != 1 or first.shape != second.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must be 1-D arrays of the same length; got shapes "
            f"{first.shape} and {second.shape}"
        )
    return first, second


def _rng(seed: Any) -> np.random.Generator:
    return val.check_seed(seed)


def _parse_mixture_covs(covs: np.ndarray, n_components: int, dim: int) -> np.ndarray:
    """Bring covariances in any accepted layout to shape ``(K, d, d)``."""
    k, d = n_components, dim
    if covs.ndim == 0:
        full = np.broadcast_to(covs * np.eye(d), (k, d, d))
    elif covs.shape == (k,):
        full = covs[:, None, None] * np.eye(d)
    elif covs.shape == (k, d):
        full = covs[:, :, None] * np.eye(d)
    elif covs.shape == (k, d, d):
        full = covs
    else:
        raise ValueError(
            f"covs must have shape (), ({k},), ({k}, {d}) or ({k}, {d}, {d}) for {k} "
            f"components in {d}-D; got shape {covs.shape}"
        )
    return np.array(full, dtype=np.float64)


class GaussianMixture(AbsolutelyContinuous):
    r"""A finite mixture of Gaussians in any dimension.

    .. math::

        p(x) = \sum_{k=1}^K w_k\, \mathcal N(x;\, \mu_k, \Sigma_k), \qquad
        \log p(x) = \operatorname{logsumexp}_k \bigl(\log w_k + \log \mathcal N(x; \mu_k,
        \Sigma_k)\bigr).

    Parameters
    ----------
    weights : array_like, shape (K,)
        Non-negative mixture weights summing to one.
    means : array_like, shape (K, d) or (K,)
        Component means. A 1-D mixture takes a list of scalars or of 1-element arrays.
    covs : array_like
        Component covariances: shape ``(K, d, d)`` (full), ``(K, d)`` (diagonal), ``(K,)``
        (one variance per component, times the identity; in 1-D simply the variances) or a
        scalar (one variance shared by all components).

    Notes
    -----
    The log density is evaluated by log-sum-exp over the components, so it is accurate far
    in the tails where every component density underflows. The moments of the mixture are

    .. math::

        \mathbb E[x] = \sum_k w_k \mu_k, \qquad
        \operatorname{Cov}[x] = \sum_k w_k (\Sigma_k + \mu_k \mu_k^\top) - \mathbb E[x]
        \mathbb E[x]^\top .

    Examples
    --------
    >>> import numpy as np
    >>> from gantheory import GaussianMixture
    >>> p = GaussianMixture([0.5, 0.5], [-1.0, 1.0], [0.25, 0.25])
    >>> p.dim
    1
    >>> float(p.mean[0]), float(p.cov[0, 0])  # 0.25 + 1
    (0.0, 1.25)
    >>> float(p.logpdf(-2000.0))  # -2 * 1999^2 + log(1/2) - log(2 pi / 4) / 2
    -7992002.918938533
    """

    def __init__(self, weights: Any, means: Any, covs: Any):
        self.weights = val.check_weights(weights, "weights")
        k = self.weights.size
        mu = val.as_float_array(means, "means")
        if mu.ndim == 1 and mu.size == k:
            mu = mu[:, None]
        if mu.ndim != 2 or mu.shape[0] != k or mu.shape[1] == 0:
            raise ValueError(
                f"means must have shape ({k}, d) with d >= 1, or ({k},), to match {k} weights; "
                f"got {mu.shape}"
            )
        self.means = mu
        self.dim = int(mu.shape[1])
        c = _parse_mixture_covs(val.as_float_array(covs, "covs"), k, self.dim)
        self.covs = c
        self._chol = np.empty_like(c)
        for i in range(k):
            self._chol[i] = val.check_spd(c[i], f"covs[{i}]")
        self._diagonal = bool(np.all(c * (1 - np.eye(self.dim)) == 0))
        self._chol_inv = np.linalg.inv(self._chol)  # (K, d, d)
        log_det = 2.0 * np.log(np.diagonal(self._chol, axis1=1, axis2=2)).sum(axis=1)
        with np.errstate(divide="ignore"):
            log_w = np.log(self.weights)
        self._log_norm = log_w - 0.5 * (self.dim * _LOG_2PI + log_det)  # (K,)
        self._std = np.sqrt(np.diagonal(c, axis1=1, axis2=2))  # (K, d)
        self._inv_std = 1.0 / self._std

    @property
    def n_components(self) -> int:
        """Number of mixture components ``K``."""
        return int(self.weights.size)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(K={self.n_components}, dim={self.dim})"

    # -- densities -----------------------------------------------------------------------
    def _standardize(self, x: np.ndarray) -> np.ndarray:
        r"""Whitened residuals :math:`L_k^{-1}(x - \mu_k)`, shape ``(n, K, d)``."""
        diff = x[:, None, :] - self.means[None, :, :]  # (n, K, d)
        if self._diagonal:
            diff *= self._inv_std[None]
            return diff
        return np.einsum("kij,nkj->nki", self._chol_inv, diff)

    def component_logpdf(self, x: Any) -> np.ndarray:
        r"""Weighted component log densities :math:`\log w_k + \log \mathcal N(x; \mu_k,
        \Sigma_k)`, shape ``(..., K)``.
        """
        pts, batch = val.check_points(x, self.dim)
        out = np.empty((pts.shape[0], self.n_components))
        for start in range(0, pts.shape[0], _CHUNK):
            z = self._standardize(pts[start : start + _CHUNK])
            z *= z
            out[start : start + _CHUNK] = -0.5 * z.sum(axis=-1) + self._log_norm
        return out.reshape(*batch, self.n_components)

    def logpdf(self, x: Any) -> np.ndarray:
        """Log density by log-sum-exp over the components, shape ``x.shape[:-1]``."""
        components = self.component_logpdf(x)
        if self.n_components == 1:
            return components[..., 0]
        return _logsumexp_last(components)

    def score(self, x: Any) -> np.ndarray:
        r"""Score :math:`\nabla_x \log p(x) = -\sum_k r_k(x)\, \Sigma_k^{-1}(x - \mu_k)`.

        :math:`r_k(x)` are the posterior responsibilities of the components. The result has
        the shape of the points, ``(..., d)`` (in 1-D also without the last axis if ``x``
        had none).
        """
        pts, batch = val.check_points(x, self.dim)
        out = np.empty_like(pts)
        for start in range(0, pts.shape[0], _CHUNK):
            chunk = pts[start : start + _CHUNK]
            z = self._standardize(chunk)  # (n, K, d)
            log_r = -0.5 * np.einsum("nkd,nkd->nk", z, z) + self._log_norm
            r = special.softmax(log_r, axis=1)  # (n, K)
            # Sigma^{-1}(x - mu) = L^{-T} L^{-1}(x - mu)
            if self._diagonal:
                grad = -z / self._std[None]
            else:
                grad = -np.einsum("kji,nkj->nki", self._chol_inv, z)
            out[start : start + _CHUNK] = np.einsum("nk,nkd->nd", r, grad)
        x_shape = np.shape(x)
        if self.dim == 1 and (len(x_shape) == 0 or x_shape[-1] != 1):
            return out.reshape(batch)
        return out.reshape(*batch, self.dim)

    def cdf(self, x: Any) -> np.ndarray:
        r"""Cumulative distribution function (1-D only): :math:`F(x) = \sum_k w_k
        \Phi((x - \mu_k)/\sigma_k)`.
        """
        if self.dim != 1:
            raise ValueError(f"cdf is defined for 1-D distributions; this one is {self.dim}-D")
        pts, batch = val.check_points(x, 1)
        z = (pts - self.means[:, 0][None]) / self._std[:, 0][None]  # (n, K)
        return (special.ndtr(z) @ self.weights).reshape(batch)

    # -- moments and sampling -------------------------------------------------------------
    @property
    def mean(self) -> np.ndarray:  # noqa: D102
        return self.weights @ self.means

    @property
    def cov(self) -> np.ndarray:  # noqa: D102
        m = self.mean
        second = np.einsum("k,kij->ij", self.weights, self.covs) + np.einsum(
            "k,ki,kj->ij", self.weights, self.means, self.means
        )
        return second - np.outer(m, m)

    def sample(self, n: int, seed: Any = None) -> np.ndarray:  # noqa: D102
        n = val.check_int(n, "n", minimum=0)
        rng = _rng(seed)
        k = rng.choice(self.n_components, size=n, p=self.weights)
        z = rng.standard_normal((n, self.dim))
        return self.means[k] + np.einsum("nij,nj->ni", self._chol[k], z)

    def quadrature_breakpoints(self) -> list[np.ndarray]:  # noqa: D102
        offsets = np.asarray(QUADRATURE_OFFSETS)
        return [
            np.unique(self.means[:, j, None] + offsets[None, :] * self._std[:, j, None])
            for j in range(self.dim)
        ]


class Gaussian(GaussianMixture):
    r"""A multivariate normal :math:`\mathcal N(\mu, \Sigma)` in any dimension.

    .. math::

        \log p(x) = -\tfrac12 (x - \mu)^\top \Sigma^{-1} (x - \mu)
                    - \tfrac12 \log \det (2 \pi \Sigma).

    Parameters
    ----------
    mean : array_like, shape (d,) or scalar
        A scalar mean gives a 1-D Gaussian.
    cov : array_like, shape (d, d), (d,) or scalar
        Full covariance, its diagonal, or one variance times the identity.

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> p = Gaussian(0.0, 4.0)  # variance 4, standard deviation 2
    >>> float(p.pdf(0.0))  # 1 / (2 sqrt(2 pi))
    0.199471140200716
    >>> Gaussian([0.0, 1.0], [1.0, 2.0]).cov.tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """

    def __init__(self, mean: Any, cov: Any):
        mu = np.atleast_1d(val.as_float_array(mean, "mean"))
        if mu.ndim != 1 or mu.size == 0:
            raise ValueError(f"mean must be a scalar or a non-empty 1-D array; got shape "
                             f"{mu.shape}")
        d = mu.size
        c = val.as_float_array(cov, "cov")
        if c.ndim == 0:
            full = c * np.eye(d)
        elif c.shape == (d,):
            full = np.diag(c)
        elif c.shape == (d, d):
            full = c
        else:
            raise ValueError(
                f"cov must be a scalar or have shape ({d},) or ({d}, {d}) for a {d}-D mean; "
                f"got shape {c.shape}"
            )
        if d == 1 and full[0, 0] <= 0:
            raise ValueError(f"cov must be a strictly positive variance; got {full[0, 0]:g}")
        val.check_spd(full, "cov")  # named as the caller named it, before the mixture checks
        super().__init__([1.0], mu[None, :], full[None, :, :])

    def __repr__(self) -> str:
        return f"Gaussian(mean={self.means[0].tolist()}, cov={self.covs[0].tolist()})"

    @property
    def mean(self) -> np.ndarray:  # noqa: D102
        return self.means[0].copy()

    @property
    def cov(self) -> np.ndarray:  # noqa: D102
        return self.covs[0].copy()


class Uniform(AbsolutelyContinuous):
    r"""The uniform density on the box :math:`[a_1, b_1] \times \dots \times [a_d, b_d]`.

    .. math::

        p(x) = \frac{1}{\prod_j (b_j - a_j)} \mathbf 1\{a \le x \le b\}.

    Parameters
    ----------
    low, high : array_like, shape (d,) or scalar
        Corners of the box, ``low < high`` in every coordinate.

    Examples
    --------
    >>> from gantheory import Uniform
    >>> u = Uniform(0.0, 2.0)
    >>> u.pdf([-1.0, 1.0]).tolist()
    [0.0, 0.5]
    """

    def __init__(self, low: Any, high: Any):
        lo, hi = _point_pair(low, high, ("low", "high"))
        if np.any(hi <= lo):
            raise ValueError(f"high must exceed low in every coordinate; got low={lo}, high={hi}")
        self.low, self.high = lo, hi
        self.dim = int(lo.size)
        self.volume = float(np.prod(hi - lo))

    def __repr__(self) -> str:
        return f"Uniform(low={self.low.tolist()}, high={self.high.tolist()})"

    def logpdf(self, x: Any) -> np.ndarray:  # noqa: D102
        pts, batch = val.check_points(x, self.dim)
        inside = np.all((pts >= self.low) & (pts <= self.high), axis=1)
        return np.where(inside, -np.log(self.volume), -np.inf).reshape(batch)

    def cdf(self, x: Any) -> np.ndarray:
        """Cumulative distribution function (1-D only)."""
        if self.dim != 1:
            raise ValueError(f"cdf is defined for 1-D distributions; this one is {self.dim}-D")
        pts, batch = val.check_points(x, 1)
        return np.clip((pts[:, 0] - self.low[0]) / (self.high[0] - self.low[0]), 0, 1).reshape(
            batch
        )

    @property
    def mean(self) -> np.ndarray:  # noqa: D102
        return 0.5 * (self.low + self.high)

    @property
    def cov(self) -> np.ndarray:  # noqa: D102
        return np.diag((self.high - self.low) ** 2 / 12.0)

    def sample(self, n: int, seed: Any = None) -> np.ndarray:  # noqa: D102
        n = val.check_int(n, "n", minimum=0)
        return _rng(seed).uniform(self.low, self.high, size=(n, self.dim))

    def support_box(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: D102
        return self.low.copy(), self.high.copy()

    def quadrature_breakpoints(self) -> list[np.ndarray]:  # noqa: D102
        return [np.linspace(self.low[j], self.high[j], 5) for j in range(self.dim)]


class LineUniform(Distribution):
    r"""The uniform distribution on the segment from ``start`` to ``end`` in :math:`\mathbb R^d`.

    .. math::

        X = a + U (b - a), \qquad U \sim \mathcal U[0, 1].

    For :math:`d \ge 2` the segment has Lebesgue measure zero, so this distribution has no
    density: it is the simplest "low-dimensional manifold" of Arjovsky and Bottou (2017). It
    is mutually singular with every absolutely continuous distribution, which the divergences
    use exactly (JSD = log 2, KL infinite, TV = 1).

    Parameters
    ----------
    start, end : array_like, shape (d,), d >= 2
        End points of the segment; they must differ.

    Examples
    --------
    >>> from gantheory import LineUniform
    >>> line = LineUniform([0.0, 0.0], [0.0, 1.0])
    >>> line.mean.tolist()
    [0.0, 0.5]
    """

    def __init__(self, start: Any, end: Any):
        a, b = _point_pair(start, end, ("start", "end"))
        if a.size < 2:
            raise ValueError(
                "start must have at least 2 coordinates: a segment in 1-D is an interval with a "
                "density, use Uniform instead"
            )
        if np.allclose(a, b, rtol=0, atol=0):
            raise ValueError(f"start and end must differ; both are {a.tolist()}")
        self.start, self.end = a, b
        self.dim = int(a.size)

    def __repr__(self) -> str:
        return f"LineUniform(start={self.start.tolist()}, end={self.end.tolist()})"

    @property
    def mean(self) -> np.ndarray:  # noqa: D102
        return 0.5 * (self.start + self.end)

    @property
    def cov(self) -> np.ndarray:  # noqa: D102
        direction = self.end - self.start
        return np.outer(direction, direction) / 12.0

    def sample(self, n: int, seed: Any = None) -> np.ndarray:  # noqa: D102
        n = val.check_int(n, "n", minimum=0)
        u = _rng(seed).uniform(size=(n, 1))
        return self.start + u * (self.end - self.start)

    def support_box(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: D102
        return np.minimum(self.start, self.end), np.maximum(self.start, self.end)

    def quadrature_breakpoints(self) -> list[np.ndarray]:  # noqa: D102
        raise NoDensityError(
            "LineUniform has no density, so it cannot be integrated by quadrature in "
            f"{self.dim}-D"
        )
