r"""The public divergence functions.

All of them go through one dispatcher: a registered closed form if there is one for the
pair of types (``method="auto"`` or ``"closed_form"``), an exact support rule where a
divergence is infinite, and otherwise quadrature (1-D, 2-D) or Monte Carlo (any dimension).
Each returns a :class:`~gantheory.divergences.numerical.DivergenceResult`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gantheory import _validation as val
from gantheory.distributions import Gaussian, GaussianMixture
from gantheory.divergences import closed_form  # noqa: F401  (registers the closed forms)
from gantheory.divergences.fdiv import FGenerator, get_generator
from gantheory.divergences.numerical import (
    DEFAULT_ATOL,
    DivergenceResult,
    check_method,
    integrate,
)
from gantheory.divergences.registry import lookup
from gantheory.divergences.sections import tv_by_sections

_LOG2 = np.log(2.0)


def _contains(outer: Any, inner: Any) -> bool:
    """Whether the support of ``inner`` lies inside that of ``outer``.

    Exact for gantheory's absolutely continuous families, whose density is positive on the
    whole of their support box (a Gaussian mixture on all of R^d, a Uniform on its box).
    """
    lo_o, hi_o = outer.support_box()
    lo_i, hi_i = inner.support_box()
    return bool(np.all(lo_o <= lo_i) and np.all(hi_i <= hi_o))


def _closed_form(name: str, p: Any, q: Any, method: str) -> DivergenceResult | None:
    if method not in ("auto", "closed_form"):
        return None
    fn = lookup(name, p, q)
    if fn is not None:
        value, error = fn(p, q)
        return DivergenceResult(value, error, "closed_form")
    if method == "closed_form":
        raise ValueError(
            f"method='closed_form': no closed form of {name!r} is registered for "
            f"({type(p).__name__}, {type(q).__name__})"
        )
    return None


def _require_densities(p: Any, q: Any, what: str) -> None:
    for name, d in (("p", p), ("q", q)):
        if not d.has_density:
            raise ValueError(
                f"{name} ({type(d).__name__}) has no density, and {what} has no registered "
                f"closed form for ({type(p).__name__}, {type(q).__name__})"
            )


def f_divergence(
    p: Any,
    q: Any,
    f: str | FGenerator,
    *,
    method: str = "auto",
    atol: float | None = None,
    n_samples: int | None = None,
    seed: Any = 0,
) -> DivergenceResult:
    r"""The f-divergence :math:`D_f(P\|Q) = \int q\, f(p/q)\, dx` for an f of the f-GAN table.

    Parameters
    ----------
    p, q : Distribution
        Distributions of the same dimension.
    f : str or FGenerator
        A name from :data:`gantheory.divergences.fdiv.TABLE` (``"total_variation"``,
        ``"kl"``, ``"reverse_kl"``, ``"pearson"``, ``"neyman"``, ``"squared_hellinger"``,
        ``"jeffrey"``, ``"jensen_shannon"``, ``"gan"``) or an :class:`FGenerator`.
    method : {"auto", "closed_form", "quadrature", "monte_carlo"}
        ``"auto"`` takes a registered closed form if one exists, otherwise quadrature in 1-D
        and 2-D and Monte Carlo beyond.
    atol : float, optional
        Quadrature tolerance; default 1e-10 in 1-D and 1e-8 in 2-D.
    n_samples : int, optional
        Monte Carlo sample size (half from each distribution); default 200,000.
    seed : int or Generator, optional
        Monte Carlo seed.

    Returns
    -------
    DivergenceResult
        ``value`` in nats and ``error``: for closed forms a bound on their rounding (0 where
        the value is exact: identical distributions, infinite divergences, support rules), a
        bound from quadrature (rounding included), one standard error from Monte Carlo.

    Notes
    -----
    Where :math:`P` is not absolutely continuous with respect to :math:`Q` and
    :math:`f'(\infty) = \lim_{u\to\infty} f(u)/u = \infty` (or the reverse with
    :math:`f(0) = \infty`) the divergence is :math:`+\infty`; this is decided exactly from
    the supports before any integral is taken. The table keeps Nowozin et al.'s generators:
    ``"jensen_shannon"`` gives :math:`2\,\mathrm{JSD}` and ``"squared_hellinger"`` gives
    :math:`2H^2`.

    Examples
    --------
    >>> from gantheory import Gaussian, f_divergence
    >>> r = f_divergence(Gaussian(0.0, 1.0), Gaussian(1.0, 1.0), "kl")
    >>> r.value, r.method
    (0.5, 'closed_form')
    >>> round(f_divergence(Gaussian(0.0, 1.0), Gaussian(1.0, 1.0), "pearson").value, 10)
    1.7182818285
    """
    val.check_same_dim(p, q)
    method = check_method(method)
    gen = get_generator(f)
    known = _closed_form(gen.name, p, q, method)
    if known is not None:
        return known
    _require_densities(p, q, f"the {gen.name!r} divergence")
    if (gen.slope_at_infinity == np.inf and not _contains(q, p)) or (
        gen.f_at_zero == np.inf and not _contains(p, q)
    ):
        return DivergenceResult(np.inf, 0.0, "support_rule")

    if gen.name == "total_variation" and p.dim == 2 and method in ("auto", "quadrature"):
        return _tv_2d(p, q, atol)

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        return gen.perspective(lp, lq)

    return integrate(
        p,
        q,
        integrand,
        method=method,
        atol=atol,
        n_samples=n_samples,
        seed=seed,
        kink_where_equal=gen.name == "total_variation",
    )


def _tv_2d(p: Any, q: Any, atol: float | None) -> DivergenceResult:
    """TV in 2-D by sections (:mod:`.sections`).

    The kink of ``|p - q|`` along the curve ``p = q`` defeats the cubature's error estimate
    (it was measured to understate the error threefold), so 2-D TV is only integrated where
    the inner integrals are exact.
    """
    if not (isinstance(p, GaussianMixture) and isinstance(q, GaussianMixture)):
        raise ValueError(
            "total variation by quadrature in 2-D is implemented for Gaussian mixtures "
            f"(exact sections); got ({type(p).__name__}, {type(q).__name__}): use "
            "method='monte_carlo'"
        )
    atol = DEFAULT_ATOL[2] if atol is None else val.check_tolerance(atol, "atol")
    r = tv_by_sections(p, q, atol=atol)
    return DivergenceResult(r.value, r.error, "quadrature", r.n_evaluations)


def kl(p: Any, q: Any, **options: Any) -> DivergenceResult:
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(P\|Q) = \int p \log \frac pq\, dx` (nats).

    Gibbs' inequality: :math:`\mathrm{KL} \ge 0` with equality iff :math:`P = Q`. It is
    infinite when :math:`P` puts mass where :math:`Q` has none. Options as in
    :func:`f_divergence`.

    Examples
    --------
    >>> from gantheory import Gaussian, kl
    >>> kl(Gaussian(0.0, 1.0), Gaussian(0.0, 4.0)).value  # log 2 + 1/8 - 1/2
    0.3181471805599453
    """
    return f_divergence(p, q, "kl", **options)


def jsd(p: Any, q: Any, *, base: float | None = None, **options: Any) -> DivergenceResult:
    r"""Jensen-Shannon divergence (not the JS *distance*, its square root).

    .. math::

        \mathrm{JSD}(P\|Q) = \tfrac12 \mathrm{KL}(P\|M) + \tfrac12 \mathrm{KL}(Q\|M),
        \qquad M = \tfrac12 (P + Q),

    with :math:`0 \le \mathrm{JSD} \le \log 2`: 0 iff :math:`P = Q`, and :math:`\log 2` iff
    the two are mutually singular (disjoint supports, or a low-dimensional manifold against
    a density). In nats by default; ``base=2`` gives bits (then the bound is 1).

    Examples
    --------
    >>> from gantheory import Uniform, jsd
    >>> jsd(Uniform(0.0, 1.0), Uniform(2.0, 3.0)).value  # disjoint supports: log 2
    0.6931471805599453
    >>> jsd(Uniform(0.0, 1.0), Uniform(2.0, 3.0), base=2).value
    1.0
    """
    result = f_divergence(p, q, "jensen_shannon", **options).scaled(0.5)
    if base is None:
        return result
    base = val.check_tolerance(base, "base")
    if base == 1:
        raise ValueError("base must differ from 1")
    return result.scaled(1.0 / np.log(base))


def tv(p: Any, q: Any, **options: Any) -> DivergenceResult:
    r"""Total variation distance :math:`\mathrm{TV}(P, Q) = \tfrac12 \int |p - q|\, dx \in [0, 1]`.

    Examples
    --------
    >>> from gantheory import Uniform, tv
    >>> tv(Uniform(0.0, 2.0), Uniform(1.0, 3.0)).value
    0.5
    """
    return f_divergence(p, q, "total_variation", **options)


def hellinger2(p: Any, q: Any, **options: Any) -> DivergenceResult:
    r"""Squared Hellinger distance :math:`H^2 = \tfrac12 \int (\sqrt p - \sqrt q)^2 = 1 - BC`.

    :math:`BC = \int \sqrt{pq}` is the Bhattacharyya coefficient, so :math:`0 \le H^2 \le 1`.
    This is half the f-GAN table's "squared Hellinger" divergence.

    Examples
    --------
    >>> from gantheory import Gaussian, hellinger2
    >>> round(hellinger2(Gaussian(0.0, 1.0), Gaussian(2.0, 1.0)).value, 12)  # 1 - exp(-1/2)
    0.393469340287
    """
    return f_divergence(p, q, "squared_hellinger", **options).scaled(0.5)


def cross_entropy(
    p: Any,
    q: Any,
    *,
    method: str = "auto",
    atol: float | None = None,
    n_samples: int | None = None,
    seed: Any = 0,
) -> DivergenceResult:
    r"""Cross-entropy :math:`H(P, Q) = -\int p \log q\, dx` (nats).

    :math:`H(P, Q) = H(P) + \mathrm{KL}(P\|Q)`, the identity behind maximum likelihood.

    Examples
    --------
    >>> from gantheory import Gaussian, cross_entropy
    >>> round(cross_entropy(Gaussian(0.0, 1.0), Gaussian(0.0, 1.0)).value, 12)  # (1+log 2pi)/2
    1.418938533205
    """
    val.check_same_dim(p, q)
    method = check_method(method)
    known = _closed_form("cross_entropy", p, q, method)
    if known is not None:
        return known
    _require_densities(p, q, "the cross-entropy")
    if not _contains(q, p):
        return DivergenceResult(np.inf, 0.0, "support_rule")

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        out = np.zeros_like(lp)
        mass = lp > -np.inf
        out[mass] = -np.exp(lp[mass]) * lq[mass]
        return out

    # Both arguments are p when this is an entropy: the integrand only needs p's domain then.
    return integrate(p, q, integrand, method=method, atol=atol, n_samples=n_samples, seed=seed)


def entropy(p: Any, **options: Any) -> DivergenceResult:
    r"""Differential entropy :math:`H(P) = -\int p \log p\, dx` (nats).

    Examples
    --------
    >>> from gantheory import Uniform, entropy
    >>> round(entropy(Uniform(0.0, 4.0)).value, 12)  # log 4
    1.386294361120
    """
    return cross_entropy(p, p, **options)


def w2_gaussian(p: Any, q: Any) -> DivergenceResult:
    r"""Wasserstein-2 distance between Gaussians, in closed form.

    .. math::

        W_2^2 = \|\mu_p - \mu_q\|^2 + \operatorname{tr}\bigl(\Sigma_p + \Sigma_q
        - 2 (\Sigma_q^{1/2} \Sigma_p \Sigma_q^{1/2})^{1/2}\bigr).

    Examples
    --------
    >>> from gantheory import Gaussian, w2_gaussian
    >>> w2_gaussian(Gaussian([0.0, 0.0], 1.0), Gaussian([3.0, 4.0], 1.0)).value
    5.0
    """
    for name, d in (("p", p), ("q", q)):
        if not isinstance(d, Gaussian):
            raise TypeError(f"{name} must be a Gaussian for w2_gaussian; got {type(d).__name__}")
    val.check_same_dim(p, q)
    return _closed_form("w2", p, q, "closed_form")
