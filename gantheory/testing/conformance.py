r"""Check your own GAN or VAE loss against gantheory's reference, property by property.

Other projects write their own losses, and the common bugs are well known: a gradient penalty
with one norm (or one interpolation coefficient) for the whole batch, ``log(sigmoid(1 -
logit))`` for :math:`\log(1 - D)`, a KL averaged over latent dimensions, a sum where a mean
was meant, a loss on clamped probabilities instead of logits. Each function here runs a user's
loss on inputs whose exact answer the numeric core knows, and returns a
:class:`ConformanceReport` naming every property, whether it held, and by how much it missed::

    from gantheory.testing.conformance import check_loss

    report = check_loss(my_d_loss, "minimax_d")
    print(report)            # one line per property: PASS/FAIL, error, tolerance, detail
    report.assert_conforms()  # AssertionError listing the failures, for a test suite

==========================  =====================================================================
kind                        the user's function and the properties checked
==========================  =====================================================================
``"minimax_d"``             ``fn(real_logits, fake_logits)``: value at :math:`D^*` (= log 4 - 2
                            JSD), fixed point (:math:`D = 1/2` is optimal when :math:`p_g =
                            p_\text{data}`), saturation and stability, reduction (batch mean)
``"minimax_g"``             ``fn(fake_logits)`` for :math:`\mathbb E_g[\log(1 - D)]`: value at
                            :math:`D^*`, generator gradient (= :math:`\nabla 2\,\mathrm{JSD}`),
                            fixed point, saturation (its gradient must vanish for rejected
                            samples), reduction
``"non_saturating_g"``      ``fn(fake_logits)`` for :math:`-\mathbb E_g[\log D]`: as above; its
                            gradient must *not* vanish
``"gradient_penalty"``      ``fn(critic, real, fake)`` (WGAN-GP): per-sample gradient norm
                            (optionally one-sided), one interpolation coefficient per sample,
                            differentiable in the critic, reduction
``"gaussian_kl_standard"``  ``fn(mu, logvar)``: value, reduction (sum over latent dimensions,
                            mean over the batch), gradients (:math:`\mu`, :math:`\tfrac12(e^s -
                            1)`), fixed point, unclamped gradient at large log-variance
                            (optional)
==========================  =====================================================================

Expectations over the toy densities use deterministic *quantile nodes*: the midpoint rule
:math:`x_i = F^{-1}((i + \tfrac12)/n)`, :math:`i < n`, an equal-weight rule, so a loss that
averages over its batch computes the expectation on them with no Monte Carlo noise. The rule's
own error (about :math:`10^{-6}` at the default :math:`n = 2^{17}`) is measured independently of
any torch loss, in numpy/scipy on the same nodes (``scipy.special.log_expit`` and the core's
densities and scores), and allowed on top of the tolerance. The
exact values come from the numeric core (:func:`gantheory.jsd`, its quadrature, and
:func:`gantheory.theorems.gradients.pathwise_gradients`). Losses are called in float64 on CPU.

This module imports torch (the numeric core does not).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from scipy import special

from gantheory import losses as _losses
from gantheory.discriminator import optimal_discriminator
from gantheory.distributions import Gaussian, GaussianMixture
from gantheory.divergences import jsd
from gantheory.divergences.numerical import integrate
from gantheory.generator_gradients import pathwise_gradients
from gantheory.vae_kl import gaussian_kl_standard as _core_kl

__all__ = [
    "KINDS",
    "ConformanceReport",
    "PropertyResult",
    "check_gan_loss",
    "check_gradient_penalty",
    "check_loss",
    "check_vae_kl",
    "quantile_nodes",
]

_LOG2 = math.log(2.0)
_LOG4 = math.log(4.0)
_DTYPE = torch.float64


# -- reports -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PropertyResult:
    """One property of a loss: whether it held and by how much it missed.

    Attributes
    ----------
    name : str
        The property, e.g. ``"value at D*"``.
    error : float
        The size of the violation (``inf`` if the loss raised or returned NaN).
    tolerance : float
        The largest error accepted.
    detail : str
        What was compared, with the numbers.
    """

    name: str
    error: float
    tolerance: float
    detail: str

    @property
    def passed(self) -> bool:
        """``error <= tolerance`` (a NaN error fails)."""
        return bool(self.error <= self.tolerance)


@dataclass(frozen=True)
class ConformanceReport:
    """The properties checked of one loss, in order.

    ``str(report)`` is a table; ``report.passed`` is True when every property held;
    ``report["value at D*"]`` gives one :class:`PropertyResult`; :meth:`assert_conforms` raises
    AssertionError listing the failures.
    """

    kind: str
    function: str
    results: tuple[PropertyResult, ...]

    @property
    def passed(self) -> bool:
        """Whether every property held."""
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[str, ...]:
        """Names of the properties that failed."""
        return tuple(r.name for r in self.results if not r.passed)

    def __getitem__(self, name: str) -> PropertyResult:
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(f"no property {name!r}; checked: {[r.name for r in self.results]}")

    def __str__(self) -> str:
        lines = [f"conformance of {self.function} as {self.kind!r}: "
                 f"{'PASS' if self.passed else 'FAIL ' + ', '.join(self.failures)}"]
        for r in self.results:
            lines.append(f"  {'PASS' if r.passed else 'FAIL'}  {r.name:<28} error {r.error:.3g}"
                         f" (tolerance {r.tolerance:.3g}): {r.detail}")
        return "\n".join(lines)

    def assert_conforms(self) -> None:
        """Raise AssertionError with the report if any property failed."""
        if not self.passed:
            raise AssertionError(str(self))


class _Checker:
    """Runs property functions, turning exceptions and NaN into failed properties."""

    def __init__(self) -> None:
        self.results: list[PropertyResult] = []

    def run(self, name: str, tolerance: float,
            fn: Callable[[], tuple[float, str]]) -> None:
        try:
            error, detail = fn()
            error = float(error)
            if math.isnan(error):
                error, detail = math.inf, "NaN: " + detail
        except Exception as exc:  # noqa: BLE001 - a user's loss may fail in any way
            error, detail = math.inf, f"raised {type(exc).__name__}: {exc}"
        self.results.append(PropertyResult(name, error, tolerance, detail))


def _scalar(value: Any, what: str = "the loss") -> float:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{what} returned {type(value).__name__}, not a torch.Tensor")
    if value.ndim != 0:
        raise ValueError(f"{what} returned shape {tuple(value.shape)}, not a scalar")
    return float(value.detach())


def _t(a: Any, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=_DTYPE,
                        requires_grad=requires_grad)


# -- quantile nodes --------------------------------------------------------------------------------
def quantile_nodes(dist: Any, n: int) -> np.ndarray:
    r"""Midpoint quantiles :math:`F^{-1}((i + \tfrac12)/n)`, :math:`i = 0..n-1`, of a 1-D law.

    An equal-weight rule: :math:`\tfrac1n \sum_i h(x_i) \approx \mathbb E[h(X)]`, exact for
    monotone steps and accurate to about :math:`1/n` for the losses' integrands. Gaussians use
    :func:`scipy.special.ndtri`; mixtures invert their ``cdf`` by vectorised bisection.

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> quantile_nodes(Gaussian(0.0, 1.0), 2).round(6).tolist()  # Phi^-1(1/4), Phi^-1(3/4)
    [-0.67449, 0.67449]
    """
    u = (np.arange(n) + 0.5) / n
    if not isinstance(dist, GaussianMixture) or dist.dim != 1:
        raise ValueError(f"quantile nodes need a 1-D Gaussian or GaussianMixture; got {dist!r}")
    means, stds = dist.means[:, 0], np.sqrt(dist.covs[:, 0, 0])
    if dist.n_components == 1:
        return means[0] + stds[0] * special.ndtri(u)
    lo = np.full(n, float(np.min(means - 40 * stds)))
    hi = np.full(n, float(np.max(means + 40 * stds)))
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        below = dist.cdf(mid) < u
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def _torch_logpdf(dist: GaussianMixture, x: torch.Tensor) -> torch.Tensor:
    """The log density of a 1-D mixture in torch, differentiable in ``x``."""
    w, mu, var = _t(dist.weights), _t(dist.means[:, 0]), _t(dist.covs[:, 0, 0])
    comp = torch.log(w) - 0.5 * torch.log(2 * math.pi * var) - (x[:, None] - mu) ** 2 / (2 * var)
    return torch.logsumexp(comp, dim=1)


# -- GAN losses -----------------------------------------------------------------------------------
#: The GAN kinds and gantheory's losses for them. The nodes' own error is *not* measured with
#: these (see :func:`_node_value`), so a wrong entry here cannot hide a wrong loss.
_REFERENCE: dict[str, Callable[..., torch.Tensor]] = {
    "minimax_d": _losses.minimax_d_loss,
    "minimax_g": _losses.minimax_g_loss,
    "non_saturating_g": _losses.non_saturating_g_loss,
}
_GAN_KINDS = tuple(_REFERENCE)


def _node_value(kind: str, real: np.ndarray, fake: np.ndarray) -> float:
    """The objective of ``kind`` as an equal-weight mean over the logit nodes, in numpy."""
    if kind == "minimax_d":  # -E_data[log D] - E_g[log(1 - D)]
        return float(np.mean(-special.log_expit(real)) + np.mean(-special.log_expit(-fake)))
    if kind == "minimax_g":  # E_g[log(1 - D)]
        return float(np.mean(special.log_expit(-fake)))
    return float(np.mean(-special.log_expit(fake)))  # non-saturating: -E_g[log D]


def _node_gradient(kind: str, p_data: Any, p_g: Any, loc: float, scale: float,
                   z: np.ndarray) -> float:
    """d/dtheta of the generator objective on the nodes x = theta + scale z, in numpy.

    The logit is log p_data(x) - log p_g(x) with p_g held at theta = loc, so its derivative is
    the difference of the core's scores; h'(l) is -sigmoid(l) for E[log(1 - D)] and
    -sigmoid(-l) for -E[log D].
    """
    x = loc + scale * z
    logit = p_data.logpdf(x) - p_g.logpdf(x)
    slope = np.reshape(p_data.score(x) - p_g.score(x), x.shape)
    dh = -special.expit(logit) if kind == "minimax_g" else -special.expit(-logit)
    return float(np.mean(dh * slope))


def _expectation_under(p_data: Any, p_g: Any, h: Callable[[np.ndarray], np.ndarray],
                       which: str) -> float:
    """E_{p_g}[h(logit*)] (``which="g"``) by the core's quadrature, numpy path."""
    d_star = optimal_discriminator(p_data, p_g)

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        return np.exp(lq if which == "g" else lp) * h(d_star.logit(x))

    return integrate(p_data, p_g, integrand, method="quadrature").value


def check_gan_loss(
    fn: Callable[..., torch.Tensor],
    kind: str,
    *,
    p_data: Any = None,
    p_g: Any = None,
    n_nodes: int = 2**17,
    tolerance: float = 1e-8,
) -> ConformanceReport:
    r"""Check a GAN loss on logits against the reference of ``kind``.

    Parameters
    ----------
    fn : callable
        ``fn(real_logits, fake_logits)`` for ``"minimax_d"``, ``fn(fake_logits)`` for
        ``"minimax_g"`` (:math:`\mathbb E_g[\log(1 - D)]`, to be minimised) and
        ``"non_saturating_g"`` (:math:`-\mathbb E_g[\log D]`). Logits have shape ``(N,)``,
        float64.
    kind : {"minimax_d", "minimax_g", "non_saturating_g"}
        The objective the loss claims to be.
    p_data, p_g : GaussianMixture, optional
        1-D toy pair (default :math:`\mathcal N(0, 1)` and :math:`\mathcal N(1.5, 0.8^2)`).
        ``p_g`` must be a :class:`~gantheory.Gaussian` for the generator gradient.
    n_nodes : int
        Quantile nodes per distribution.
    tolerance : float
        Tolerance of the value and gradient properties, on top of the quantile nodes' own
        error (measured in numpy/scipy on the same nodes, independently of any torch loss:
        1.4e-6 for the value and 2.2e-7 for the gradient on the default pair at
        :math:`n = 2^{17}`). The ``"fixed point"`` property, which has no node error, uses
        ``tolerance / 10`` (1e-9 by default; raise ``tolerance`` for a float32 loss).

    Returns
    -------
    ConformanceReport
        Properties ``"value at D*"``, ``"generator gradient"`` (generator kinds),
        ``"fixed point"``, ``"saturation"``, ``"stability"``, ``"reduction"``.

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> def bug(fake_logits):  # the DCGAN bug: log sigmoid(1 - l) for log(1 - D)
    ...     return F.logsigmoid(1 - fake_logits).mean()
    >>> check_gan_loss(bug, "minimax_g").failures
    ('value at D*', 'generator gradient', 'fixed point')
    """
    if kind not in _GAN_KINDS:
        raise ValueError(f"kind must be one of {_GAN_KINDS}; got {kind!r}")
    p_data = Gaussian(0.0, 1.0) if p_data is None else p_data
    p_g = Gaussian(1.5, 0.8**2) if p_g is None else p_g
    check = _Checker()
    d_star = optimal_discriminator(p_data, p_g)
    x_data, x_g = quantile_nodes(p_data, n_nodes), quantile_nodes(p_g, n_nodes)
    real, fake = _t(d_star.logit(x_data)), _t(d_star.logit(x_g))
    is_d = kind == "minimax_d"

    def call(r: torch.Tensor, f: torch.Tensor) -> torch.Tensor:
        return fn(r, f) if is_d else fn(f)

    # -- value at D* --
    if is_d:
        exact, what = _LOG4 - 2 * jsd(p_data, p_g).value, "log 4 - 2 JSD"
    elif kind == "minimax_g":
        exact = _expectation_under(p_data, p_g, lambda ell: special.log_expit(-ell), "g")
        what = "E_g[log(1 - D*)]"
    else:
        exact = _expectation_under(p_data, p_g, lambda ell: -special.log_expit(ell), "g")
        what = "E_g[-log D*]"
    # The nodes' own error is allowed on top of tolerance. It is measured in numpy/scipy on the
    # same nodes, independently of any torch loss (gantheory's own included): were it measured
    # with the loss under test, that loss's error would always equal it and could never fail.
    rule_error = abs(_node_value(kind, real.numpy(), fake.numpy()) - exact)

    def value() -> tuple[float, str]:
        got = _scalar(call(real, fake))
        return abs(got - exact), (f"{got:.10g} at D*'s logits vs {what} = {exact:.10g} "
                                  f"(the {n_nodes} quantile nodes' own error: {rule_error:.2g})")

    check.run("value at D*", tolerance + rule_error, value)

    # -- generator gradient --
    if not is_d:
        if not (isinstance(p_g, Gaussian) and p_g.dim == 1):
            raise ValueError("p_g must be a 1-D Gaussian (the generator x = loc + scale z)")
        loc, scale = float(p_g.mean[0]), float(np.sqrt(p_g.cov[0, 0]))
        ns, mm = pathwise_gradients(p_data, loc, scale)
        exact_grad = mm if kind == "minimax_g" else ns
        what_grad = "grad 2 JSD" if kind == "minimax_g" else "grad [KL(p_g||p_data) - 2 JSD]"
        z = _t(special.ndtri((np.arange(n_nodes) + 0.5) / n_nodes))

        def generator_gradient(loss: Callable[..., torch.Tensor]) -> float:
            theta = _t(loc, requires_grad=True)
            x = theta + scale * z  # the generator x = theta + s z; D* of theta0 held fixed
            logit = _torch_logpdf(p_data, x) - _torch_logpdf(p_g, x)
            (grad,) = torch.autograd.grad(loss(logit), theta)
            return float(grad)

        grad_rule_error = abs(_node_gradient(kind, p_data, p_g, loc, scale,
                                             z.numpy()) - exact_grad)

        def gradient() -> tuple[float, str]:
            got = generator_gradient(fn)
            return abs(got - exact_grad), (
                f"d/dtheta {got:.10g} vs {what_grad} = {exact_grad:.10g} (generator theta + "
                f"{scale:g} z at theta = {loc:g}; nodes' own error {grad_rule_error:.2g})")

        check.run("generator gradient", tolerance + grad_rule_error, gradient)

    # -- fixed point: p_g = p_data, D* = 1/2, logit 0 --
    def fixed_point() -> tuple[float, str]:
        zeros = torch.zeros(8, dtype=_DTYPE)
        got = _scalar(call(zeros, zeros))
        ref = {"minimax_d": _LOG4, "minimax_g": -_LOG2, "non_saturating_g": _LOG2}[kind]
        detail = f"value {got:.10g} at D = 1/2 vs {ref:.10g}"
        error = abs(got - ref)
        if is_d:  # D = 1/2 is the discriminator's optimum: no first-order change in a shift
            c = torch.zeros((), dtype=_DTYPE, requires_grad=True)
            (slope,) = torch.autograd.grad(call(zeros + c, zeros + c), c)
            error = max(error, abs(float(slope)))
            detail += f"; d/dc L(c, c) at c = 0 is {float(slope):.3g} (0 at the optimum)"
        return error, detail

    check.run("fixed point", tolerance / 10, fixed_point)

    # -- saturation --
    def saturation() -> tuple[float, str]:
        n = 8
        if is_d:  # confidently right: the loss and its gradient vanish
            r = torch.full((n,), 30.0, dtype=_DTYPE, requires_grad=True)
            f = torch.full((n,), -30.0, dtype=_DTYPE, requires_grad=True)
            out = call(r, f)
            gr, gf = torch.autograd.grad(out, (r, f))
            error = max(_scalar(out), float(gr.abs().max()) * n, float(gf.abs().max()) * n)
            return error, (f"confidently right (+-30): loss {_scalar(out):.3g}, "
                           f"N x gradient {float(gr.abs().max()) * n:.3g} (both ~1e-13)")
        f = torch.full((n,), -30.0, dtype=_DTYPE, requires_grad=True)
        (grad,) = torch.autograd.grad(call(f, f), f)
        per_sample = float(grad[0]) * n
        if kind == "minimax_g":
            return abs(per_sample), (f"rejected samples (logit -30): N x dL/dlogit = "
                                     f"{per_sample:.3g}, must vanish (-sigmoid(-30))")
        return abs(per_sample + 1.0), (f"rejected samples (logit -30): N x dL/dlogit = "
                                       f"{per_sample:.6g}, must stay -1 (non-saturating)")

    check.run("saturation", 1e-9, saturation)

    # -- stability --
    def stability() -> tuple[float, str]:
        def at(a: float) -> tuple[float, bool]:
            big = _t([a, -a, 50.0, -50.0], requires_grad=True)
            out = call(big, big.flip(0))
            (grad,) = torch.autograd.grad(out, big)
            return _scalar(out), bool(torch.isfinite(grad).all())

        (v1, ok1), (v2, ok2) = at(1e4), at(2e4)
        slope = (v2 - v1) / 1e4
        # Logits (a, -a, 50, -50), fakes reversed: one real and one fake sample are
        # confidently wrong by a, so the loss grows like a/4 per batch of 4 (times the sign).
        ref = {"minimax_d": 0.5, "minimax_g": -0.25, "non_saturating_g": 0.25}[kind]
        finite = ok1 and ok2 and math.isfinite(v1) and math.isfinite(v2)
        error = abs(slope - ref) if finite else math.inf
        return error, (f"logits +-1e4 and +-2e4: values {v1:.8g}, {v2:.8g}, finite gradients: "
                       f"{ok1 and ok2}; growth {slope:.6g} per unit of a confidently wrong logit "
                       f"vs {ref:g} (linear, as from logits; clamped probabilities give 0)")

    check.run("stability", 1e-9, stability)

    # -- reduction: the mean over the batch --
    def reduction() -> tuple[float, str]:
        r, f = real[::4096], fake[::4096]
        one = _scalar(call(r, f))
        two = _scalar(call(r.repeat(2), f.repeat(2)))
        perm = torch.randperm(len(r), generator=torch.Generator().manual_seed(0))
        shuffled = _scalar(call(r[perm], f[perm.flip(0)]))
        error = max(abs(two - one), abs(shuffled - one)) / max(1.0, abs(one))
        return error, (f"batch repeated twice {two:.10g} vs once {one:.10g} (a mean is "
                       f"unchanged, a sum doubles); shuffled {shuffled:.10g}")

    check.run("reduction", tolerance / 10, reduction)  # a sum would be off by 100 %
    return ConformanceReport(kind, _name(fn), tuple(check.results))


# -- gradient penalty ----------------------------------------------------------------------------
class _Quadratic:
    """f(x) = 1/2 |x_i|^2 per sample (gradient x_i); remembers its inputs."""

    def __init__(self) -> None:
        self.seen: list[torch.Tensor] = []

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append(x.detach().clone())
        return 0.5 * x.reshape(x.shape[0], -1).pow(2).sum(dim=1)


def check_gradient_penalty(
    fn: Callable[..., torch.Tensor],
    *,
    weight: float | None = None,
    target: float = 1.0,
    batch: int = 64,
    tolerance: float = 1e-9,
    one_sided: bool = False,
) -> ConformanceReport:
    r"""Check a WGAN-GP penalty ``fn(critic, real, fake)`` against the per-sample definition.

    .. math:: \lambda\,\frac1N\sum_i(\|\nabla f(\hat x_i)\| - k)^2, \quad \hat x_i =
        \epsilon_i x_i + (1 - \epsilon_i)\tilde x_i

    or, with ``one_sided=True``, :math:`\lambda\,\frac1N\sum_i\max(0, \|\nabla f(\hat
    x_i)\| - k)^2` (Petzka et al. 2018).

    Parameters
    ----------
    fn : callable
        ``fn(critic, real, fake) -> scalar``; ``critic`` maps ``(N, ...)`` to ``(N,)``.
    weight : float, optional
        :math:`\lambda`; by default measured from ``fn`` on a batch of one with a linear critic
        of gradient norm :math:`k + 1` (where any formula gives :math:`\lambda`).
    target : float
        The target norm :math:`k` that ``fn`` uses.
    batch : int
        Batch size of the checks.
    tolerance : float
        Relative tolerance of the exact properties.
    one_sided : bool
        Check the one-sided penalty, which penalises only norms above :math:`k` (as
        ``gantheory.losses.gradient_penalty(..., one_sided=True)``). Some of the check's
        samples have gradient norms below :math:`k`, so the two variants are told apart.

    Returns
    -------
    ConformanceReport
        Properties ``"per-sample gradient norm"``, ``"one epsilon per sample"``,
        ``"differentiable in the critic"``, ``"reduction"``.

    Examples
    --------
    >>> from gantheory.losses import gradient_penalty
    >>> check_gradient_penalty(gradient_penalty).passed
    True
    >>> from functools import partial
    >>> check_gradient_penalty(partial(gradient_penalty, one_sided=True), one_sided=True).passed
    True
    """
    check = _Checker()
    gen = torch.Generator().manual_seed(0)
    real = torch.randn(batch, 2, 3, generator=gen, dtype=_DTYPE) * 1.5
    fake = torch.randn(batch, 2, 3, generator=gen, dtype=_DTYPE) * 1.5 + 0.5

    lam = weight
    if lam is None:
        w = torch.zeros(3, dtype=_DTYPE)
        w[0] = target + 1.0
        lam = _scalar(fn(lambda x: x.reshape(x.shape[0], -1)[:, :3] @ w, real[:1], fake[:1]),
                      "the penalty")
    lam = float(lam)

    def per_sample() -> tuple[float, str]:
        # real = fake: every interpolate is x_i whatever the epsilons; gradient x_i.
        got = _scalar(fn(_Quadratic(), real, real), "the penalty")
        norms = real.reshape(batch, -1).norm(dim=1)
        gap = (norms - target).clamp(min=0) if one_sided else norms - target
        ref = lam * float((gap**2).mean())
        whole_gap = real.norm() - target
        whole = lam * float((whole_gap.clamp(min=0) if one_sided else whole_gap) ** 2)
        formula = "max(0, |grad f(x_i)| - k)^2" if one_sided else "(|grad f(x_i)| - k)^2"
        below = int((norms < target).sum())
        return abs(got - ref) / max(abs(ref), 1e-300), (
            f"{got:.10g} vs lambda mean_i {formula} = {ref:.10g} "
            f"(a whole-batch norm gives {whole:.6g}; {below} of {batch} norms below k); "
            f"lambda = {lam:g}")

    check.run("per-sample gradient norm", tolerance, per_sample)

    def epsilons() -> tuple[float, str]:
        critic = _Quadratic()
        fn(critic, real, fake)
        if not critic.seen:
            raise ValueError("the penalty never called the critic")
        x_hat = critic.seen[-1].reshape(batch, -1)
        span = (real - fake).reshape(batch, -1)
        diff = x_hat - fake.reshape(batch, -1)
        eps = (diff * span).sum(1) / (span * span).sum(1)  # least squares, per sample
        off_segment = float((diff - eps[:, None] * span).abs().max())
        outside = float(torch.clamp(eps - 1, min=0).max() + torch.clamp(-eps, min=0).max())
        spread = float(eps.std())
        error = off_segment + outside + (0.0 if spread > 0.05 else 1.0)
        return error, (f"interpolates off the real-fake segments by {off_segment:.3g}, epsilon "
                       f"outside [0, 1] by {outside:.3g}, spread of epsilon over the batch "
                       f"{spread:.3g} (one epsilon per batch, or points all real, give 0)")

    check.run("one epsilon per sample", 1e-9, epsilons)

    def differentiable() -> tuple[float, str]:
        w = torch.tensor([0.6, 0.0, 1.2], dtype=_DTYPE, requires_grad=True)
        out = fn(lambda x: x.reshape(x.shape[0], -1)[:, :3] @ w, real, fake)
        grad = torch.autograd.grad(out, w, allow_unused=True)[0] if out.requires_grad else None
        if grad is None:
            raise ValueError("the penalty has no gradient in the critic's parameters "
                             "(autograd.grad without create_graph=True?)")
        norm = w.detach().norm()
        ref = 2 * lam * (norm - target) * w.detach() / norm
        error = float((grad - ref).abs().max()) / float(ref.abs().max())
        return error, (f"d penalty / d w = {grad.tolist()} vs 2 lambda (|w| - k) w/|w| = "
                       f"{ref.tolist()} for a linear critic")

    check.run("differentiable in the critic", 1e-9, differentiable)

    def reduction() -> tuple[float, str]:
        one = _scalar(fn(_Quadratic(), real, real), "the penalty")
        two = _scalar(fn(_Quadratic(), real.repeat(2, 1, 1), real.repeat(2, 1, 1)), "the penalty")
        return abs(two - one) / max(abs(one), 1e-300), (
            f"batch repeated twice {two:.10g} vs once {one:.10g} (mean over the batch)")

    check.run("reduction", tolerance, reduction)
    return ConformanceReport("gradient_penalty", _name(fn), tuple(check.results))


# -- VAE KL ---------------------------------------------------------------------------------------
def check_vae_kl(fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], *,
                 tolerance: float = 1e-10,
                 require_unclamped: bool = True) -> ConformanceReport:
    r"""Check ``fn(mu, logvar)`` as :math:`\mathrm{KL}(\mathcal N(\mu, e^s)\|\mathcal N(0, I))`,
    **summed over latent dimensions and averaged over the batch**.

    Parameters
    ----------
    fn : callable
        ``fn(mu, logvar) -> scalar`` for tensors of shape ``(N, J)``.
    tolerance : float
        Relative tolerance.
    require_unclamped : bool
        Check ``"unclamped gradient at large log-variance"`` (default True): at log-variances
        :math:`\pm 40` the KL and its gradient are finite and :math:`\partial/\partial s`
        keeps growing like :math:`e^s/(2N)` at :math:`s = 40`. A KL that clamps the
        log-variance (e.g. to :math:`[-30, 20]`, a common practice) is otherwise correct but
        fails it; pass ``require_unclamped=False`` to leave the property out.

    Returns
    -------
    ConformanceReport
        Properties ``"value"``, ``"reduction"``, ``"gradient"``, ``"fixed point"`` and, if
        ``require_unclamped``, ``"unclamped gradient at large log-variance"``.

    Examples
    --------
    >>> def per_dim_mean(mu, logvar):  # averaged over latents: a different objective
    ...     return (0.5 * (mu**2 + logvar.exp() - 1 - logvar)).mean()
    >>> check_vae_kl(per_dim_mean).failures
    ('value', 'reduction', 'gradient')
    """
    check = _Checker()
    rng = np.random.default_rng(0)
    n, j = 8, 5
    mu_np, lv_np = rng.normal(size=(n, j)), 0.8 * rng.normal(size=(n, j))
    mu, lv = _t(mu_np), _t(lv_np)
    ref = float(_core_kl(mu_np, lv_np).mean())

    def value() -> tuple[float, str]:
        got = _scalar(fn(mu, lv))
        return abs(got - ref) / abs(ref), (
            f"{got:.10g} vs the closed form summed over {j} latents, mean over {n} samples: "
            f"{ref:.10g} (mean over latents would be {ref / j:.6g})")

    check.run("value", tolerance, value)

    def reduction() -> tuple[float, str]:
        one = _scalar(fn(mu, lv))
        wide = _scalar(fn(torch.cat([mu, mu], 1), torch.cat([lv, lv], 1)))
        tall = _scalar(fn(torch.cat([mu, mu]), torch.cat([lv, lv])))
        error = max(abs(wide - 2 * one), abs(tall - one)) / abs(one)
        return error, (f"latents doubled: {wide:.10g} (must double {one:.10g}); batch doubled: "
                       f"{tall:.10g} (must not change)")

    check.run("reduction", tolerance, reduction)

    def gradient() -> tuple[float, str]:
        m, s = _t(mu_np, True), _t(lv_np, True)
        d_mu, d_s = torch.autograd.grad(fn(m, s), (m, s))
        ref_mu, ref_s = mu_np / n, 0.5 * np.expm1(lv_np) / n
        error = max(np.abs(d_mu.numpy() - ref_mu).max() / np.abs(ref_mu).max(),
                    np.abs(d_s.numpy() - ref_s).max() / np.abs(ref_s).max())
        return error, "autograd vs (mu, (e^s - 1)/2) / N per sample"

    check.run("gradient", tolerance, gradient)

    def fixed_point() -> tuple[float, str]:
        z = torch.zeros(n, j, dtype=_DTYPE, requires_grad=True)
        out = fn(z, z)
        (grad,) = torch.autograd.grad(out, z)
        return max(abs(_scalar(out)), float(grad.abs().max())), (
            f"q = prior: KL {_scalar(out):.3g} and its gradient must vanish")

    check.run("fixed point", 1e-14, fixed_point)

    def unclamped() -> tuple[float, str]:
        m = torch.zeros(2, 2, dtype=_DTYPE, requires_grad=True)
        s = torch.tensor([[-40.0, 40.0], [0.0, 0.0]], dtype=_DTYPE, requires_grad=True)
        out = fn(m, s)
        d_m, d_s = torch.autograd.grad(out, (m, s))
        finite = bool(torch.isfinite(out)) and bool(torch.isfinite(d_s).all())
        # d KL / d s = (e^s - 1) / (2N): about e^40 / 4 at s = 40, -1/4 at s = -40.
        growing = finite and float(d_s[0, 1]) > 1e16 and float(d_s[0, 0]) < 0
        return (0.0 if growing else math.inf), (
            f"log-variances +-40: KL {_scalar(out):.6g}, finite: {finite}, d/ds at +40 "
            f"{float(d_s[0, 1]):.3g} (not clamped: e^40/4 = {math.exp(40) / 4:.3g}; "
            f"require_unclamped=False leaves this property out)")

    if require_unclamped:
        check.run("unclamped gradient at large log-variance", 0.0, unclamped)
    return ConformanceReport("gaussian_kl_standard", _name(fn), tuple(check.results))


# -- dispatch --------------------------------------------------------------------------------------
#: The kinds :func:`check_loss` knows.
KINDS = (*_GAN_KINDS, "gradient_penalty", "gaussian_kl_standard")


def check_loss(fn: Callable[..., torch.Tensor], kind: str, **options: Any) -> ConformanceReport:
    """Check ``fn`` as the loss ``kind`` (one of :data:`KINDS`); options go to the checker.

    Examples
    --------
    >>> from gantheory.losses import minimax_d_loss
    >>> print(check_loss(minimax_d_loss, "minimax_d"))  # doctest: +ELLIPSIS
    conformance of minimax_d_loss as 'minimax_d': PASS
      PASS  value at D*   ...
    """
    if kind in _GAN_KINDS:
        return check_gan_loss(fn, kind, **options)
    if kind == "gradient_penalty":
        return check_gradient_penalty(fn, **options)
    if kind == "gaussian_kl_standard":
        return check_vae_kl(fn, **options)
    raise ValueError(f"kind must be one of {KINDS}; got {kind!r}")


def _name(fn: Any) -> str:
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)
