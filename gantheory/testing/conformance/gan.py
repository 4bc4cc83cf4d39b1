r"""Conformance of GAN losses on discriminator outputs: the minimax family, LSGAN, hinge, WGAN.

Every kind is checked at the optimal discriminator of a 1-D toy pair, :math:`D^* =
p_\text{data}/(p_\text{data} + p_g)`, on *quantile nodes* (:func:`quantile_nodes`): the loss
receives the logits :math:`\ell^*(x) = \log p_\text{data}(x) - \log p_g(x)` (LSGAN: the outputs
:math:`D^*(x)`, its optimum) at the nodes of each distribution. The exact objective comes from
the numeric core (a closed form where one exists, else its adaptive quadrature); the same
objective evaluated in numpy/scipy on the same nodes is the reference the loss is compared
with, after checking that it agrees with the exact value (the rule's own error, about
:math:`10^{-6}` at the default :math:`n = 2^{17}`, bounded by ``1e-4 (1 + |exact|)``).
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
from gantheory.distributions import Gaussian
from gantheory.divergences import jsd, kl
from gantheory.divergences.numerical import integrate
from gantheory.generator_gradients import pathwise_gradients
from gantheory.testing.conformance._core import (
    PROBE_DTYPE,
    Call,
    Checker,
    ConformanceReport,
    as_tensor,
    check_sample_shape,
    convention_hint,
    function_name,
    quantile_nodes,
    rounding_allowance,
    scalar,
)

_LOG2 = math.log(2.0)
_LOG4 = math.log(4.0)
Terms = Callable[[np.ndarray], np.ndarray]


def _relu(a: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0.0)


@dataclass(frozen=True)
class GanKind:
    r"""One GAN objective: its per-sample terms as functions of the logit :math:`\ell^*`.

    ``real_term`` is None for a generator loss. ``outputs`` says what the loss receives at
    :math:`D^*`: its ``"logits"`` or, for LSGAN, the ``"probabilities"`` :math:`D^*(x)`.
    ``own_property`` names the kind's own behavioural property.
    """

    objective: str
    real_term: Terms | None
    fake_term: Terms
    outputs: str
    own_property: str

    @property
    def two_batches(self) -> bool:
        """Whether the loss takes ``(real, fake)``."""
        return self.real_term is not None


def _sq(a: np.ndarray) -> np.ndarray:
    return 0.5 * a * a


#: The GAN kinds: objective, per-sample terms in numpy (of the logit at D*), property names.
GAN_KINDS: dict[str, GanKind] = {
    "minimax_d": GanKind("-E_data[log D] - E_g[log(1 - D)]", lambda ell: -special.log_expit(ell),
                         lambda ell: -special.log_expit(-ell), "logits", "fixed point"),
    "minimax_g": GanKind("E_g[log(1 - D)]", None, lambda ell: special.log_expit(-ell), "logits",
                         "fixed point"),
    "non_saturating_g": GanKind("-E_g[log D]", None, lambda ell: -special.log_expit(ell),
                                "logits", "fixed point"),
    "lsgan_d": GanKind("1/2 E_data[(D - 1)^2] + 1/2 E_g[D^2]",
                       lambda ell: _sq(special.expit(ell) - 1), lambda ell: _sq(special.expit(ell)),
                       "probabilities", "targets"),
    "lsgan_g": GanKind("1/2 E_g[(D - 1)^2]", None, lambda ell: _sq(special.expit(ell) - 1),
                       "probabilities", "targets"),
    "hinge_d": GanKind("E_data[max(0, 1 - l)] + E_g[max(0, 1 + l)]", lambda ell: _relu(1 - ell),
                       lambda ell: _relu(1 + ell), "logits", "margin"),
    "hinge_g": GanKind("-E_g[l]", None, lambda ell: -ell, "logits", "direction"),
    "wasserstein_critic": GanKind("E_g[f] - E_data[f]", lambda ell: -ell, lambda ell: ell,
                                  "logits", "direction"),
    "wasserstein_g": GanKind("-E_g[f]", None, lambda ell: -ell, "logits", "direction"),
}

#: gantheory's loss for each GAN kind (the tests check that each conforms). The checks never
#: compute an expected value with these: a wrong entry here cannot hide a wrong loss.
REFERENCE: dict[str, Callable[..., torch.Tensor]] = {
    "minimax_d": _losses.minimax_d_loss,
    "minimax_g": _losses.minimax_g_loss,
    "non_saturating_g": _losses.non_saturating_g_loss,
    "lsgan_d": _losses.lsgan_d_loss,
    "lsgan_g": _losses.lsgan_g_loss,
    "hinge_d": _losses.hinge_d_loss,
    "hinge_g": _losses.hinge_g_loss,
    "wasserstein_critic": _losses.wasserstein_critic_loss,
    "wasserstein_g": _losses.wasserstein_g_loss,
}


def node_value(kind: str, real_logits: np.ndarray, fake_logits: np.ndarray) -> float:
    """The objective of ``kind`` as an equal-weight mean over the logit nodes, in numpy."""
    spec = GAN_KINDS[kind]
    value = float(np.mean(spec.fake_term(fake_logits)))
    if spec.real_term is not None:
        value += float(np.mean(spec.real_term(real_logits)))
    return value


def _expectation(p_data: Any, p_g: Any, h: Terms, under: str) -> float:
    r""":math:`\mathbb E[h(\ell^*(X))]`, X from ``p_g`` (``under="g"``) or ``p_data``, by
    the core's quadrature.
    """
    d_star = optimal_discriminator(p_data, p_g)

    def integrand(x: np.ndarray, lp: np.ndarray, lq: np.ndarray) -> np.ndarray:
        return np.exp(lq if under == "g" else lp) * h(d_star.logit(x))

    return integrate(p_data, p_g, integrand, method="quadrature").value


def exact_value(kind: str, p_data: Any, p_g: Any) -> tuple[float, str]:
    r"""The objective of ``kind`` at :math:`D^*`, from the numeric core, and what it is.

    Closed forms: :math:`\log 4 - 2\,\mathrm{JSD}` (minimax D), :math:`-\mathrm{KL}(p_g \|
    p_\text{data}) - \mathrm{KL}(p_\text{data} \| p_g)` (Wasserstein critic at
    :math:`f = \ell^*`), :math:`\mathrm{KL}(p_g \| p_\text{data})` (:math:`-\mathbb E_g[\ell^*]`);
    the others by quadrature of their terms.
    """
    if kind == "minimax_d":
        return _LOG4 - 2 * jsd(p_data, p_g).value, "log 4 - 2 JSD"
    if kind == "wasserstein_critic":
        return (-kl(p_g, p_data).value - kl(p_data, p_g).value,
                "-KL(p_g||p_data) - KL(p_data||p_g) at f = log p_data/p_g")
    if kind in ("hinge_g", "wasserstein_g"):
        return kl(p_g, p_data).value, "KL(p_g||p_data) at f = log p_data/p_g"
    spec = GAN_KINDS[kind]
    value = _expectation(p_data, p_g, spec.fake_term, "g")
    if spec.real_term is not None:
        value += _expectation(p_data, p_g, spec.real_term, "data")
    return value, f"{spec.objective} at D* (quadrature)"


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


def _torch_logpdf(dist: Any, x: torch.Tensor) -> torch.Tensor:
    """The log density of a 1-D mixture in torch, differentiable in ``x``."""
    w, mu, var = as_tensor(dist.weights), as_tensor(dist.means[:, 0]), as_tensor(dist.covs[:, 0, 0])
    comp = torch.log(w) - 0.5 * torch.log(2 * math.pi * var) - (x[:, None] - mu) ** 2 / (2 * var)
    return torch.logsumexp(comp, dim=1)


def _rule_checked(node: float, exact: float, what: str) -> float:
    """``node`` after checking the quantile rule against the exact value (a checker error)."""
    if abs(node - exact) > 1e-4 * (1 + abs(exact)):
        raise RuntimeError(f"the quantile rule misses {what} = {exact:.10g} by "
                           f"{abs(node - exact):.3g} on this pair: pass a larger n_nodes")
    return node


def check_gan_loss(
    fn: Callable[..., torch.Tensor],
    kind: str,
    *,
    p_data: Any = None,
    p_g: Any = None,
    n_nodes: int = 2**17,
    tolerance: float = 1e-8,
    scale: float = 1.0,
    reduction: str = "mean",
    sample_shape: tuple[int, ...] | None = None,
    name: str | None = None,
) -> ConformanceReport:
    r"""Check a GAN loss on discriminator outputs against the reference of ``kind``.

    Parameters
    ----------
    fn : callable
        ``fn(real, fake)`` for the two-batch kinds (``"minimax_d"``, ``"lsgan_d"``,
        ``"hinge_d"``, ``"wasserstein_critic"``), ``fn(fake)`` for the generator kinds. The
        outputs have shape ``(N,)`` (``(N, *sample_shape)`` if given), float64: logits, or
        for LSGAN the raw outputs, whose optimum :math:`D^*(x)` the check feeds in.
    kind : str
        One of :data:`GAN_KINDS`.
    p_data, p_g : GaussianMixture, optional
        1-D toy pair (default :math:`\mathcal N(0, 1)` and :math:`\mathcal N(1.5, 0.8^2)`).
        ``p_g`` must be a :class:`~gantheory.Gaussian` for the generator gradient.
    n_nodes : int
        Quantile nodes per distribution.
    tolerance : float
        Absolute tolerance of the value, gradient and fixed-point properties (the fixed point
        and the relative reduction use ``tolerance / 10``), plus the rounding allowance of the
        dtype ``fn`` returns (:func:`~gantheory.testing.conformance.rounding_allowance`). The
        loss is compared with the objective on the same nodes, whose own error against the
        exact value is checked separately, so it needs no allowance.
    scale : float
        A declared constant factor: ``fn`` computes ``scale`` times the reference (0.5 for a
        halved BCE, 2 for an MSE without the 1/2, -1 for a sign-flipped critic).
    reduction : {"mean", "sum"}
        ``"sum"`` declares a sum over the batch (``N`` times the batch mean).
    sample_shape : tuple of int, optional
        The shape of one output: ``(1,)`` feeds logits of shape ``(N, 1)``.
    name : str, optional
        The function's name in the report (default: its qualified name).

    Returns
    -------
    ConformanceReport
        Properties ``"value at D*"``, ``"generator gradient"`` (minimax and non-saturating
        generators), the kind's own property (``"fixed point"``, ``"targets"``, ``"margin"``
        or ``"direction"``), ``"saturation"`` and ``"stability"`` (the minimax family) and
        ``"reduction"``.

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> def bug(fake_logits):  # the DCGAN bug: log sigmoid(1 - l) for log(1 - D)
    ...     return F.logsigmoid(1 - fake_logits).mean()
    >>> check_gan_loss(bug, "minimax_g").failures
    ('value at D*', 'generator gradient', 'fixed point')
    >>> def halved(real_logits, fake_logits):  # a BCE with the two terms averaged
    ...     return 0.5 * (F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean())
    >>> print(check_gan_loss(halved, "minimax_d")["value at D*"].detail)  # doctest: +ELLIPSIS
    0.43... your value is exactly 0.5x the reference: pass scale=0.5 if that is intended
    >>> check_gan_loss(halved, "minimax_d", scale=0.5).passed
    True
    """
    if kind not in GAN_KINDS:
        raise ValueError(f"kind must be one of {tuple(GAN_KINDS)}; got {kind!r}")
    spec = GAN_KINDS[kind]
    if sample_shape is not None:
        sample_shape = check_sample_shape(sample_shape)
        if math.prod(sample_shape) != 1:
            raise ValueError(f"sample_shape of a GAN loss holds one output per sample, () or "
                             f"(1,); got {sample_shape}")
    p_data = Gaussian(0.0, 1.0) if p_data is None else p_data
    p_g = Gaussian(1.5, 0.8**2) if p_g is None else p_g
    call = Call(fn, scale, reduction, sample_shape)
    check = Checker(call)
    d_star = optimal_discriminator(p_data, p_g)
    logit_data, logit_g = d_star.logit(quantile_nodes(p_data, n_nodes)), d_star.logit(
        quantile_nodes(p_g, n_nodes))
    to_output = special.expit if spec.outputs == "probabilities" else np.asarray
    real, fake = as_tensor(to_output(logit_data)), as_tensor(to_output(logit_g))

    def in_kind(loss: Callable[..., torch.Tensor]) -> Callable[..., torch.Tensor]:
        return (lambda r, f: loss(r, f)) if spec.two_batches else (lambda r, f: loss(f))

    run = in_kind(call)

    # -- value at D* --
    exact, what = exact_value(kind, p_data, p_g)
    node = node_value(kind, logit_data, logit_g)
    size = abs(node) + float(fake.abs().mean() + real.abs().mean())

    def value() -> tuple[float, str]:
        reference = _rule_checked(node, exact, what)
        got = scalar(_called(fn, spec, call, real, fake))
        error = abs(got - reference)
        detail = (f"{got:.10g} at D*'s {spec.outputs} vs {what} = {exact:.10g} (on the "
                  f"{n_nodes} quantile nodes: {reference:.10g})")
        accepted = tolerance + rounding_allowance(call.dtype, size, n_nodes)
        if error > accepted:
            detail += _value_hints(fn, kind, call, real, fake, reference, got, n_nodes,
                                   accepted)
        return error, detail

    check.run("value at D*", tolerance, value, magnitude=size, count=n_nodes)

    if kind in ("minimax_g", "non_saturating_g"):
        _generator_gradient(check, run, kind, p_data, p_g, n_nodes, tolerance)

    {"fixed point": _fixed_point, "targets": _targets, "margin": _margin,
     "direction": _direction}[spec.own_property](check, run, kind, tolerance)

    if kind in ("minimax_d", "minimax_g", "non_saturating_g"):
        _saturation_and_stability(check, run, kind)

    # -- reduction: the mean over the batch --
    def batch_mean() -> tuple[float, str]:
        r, f = real[::4096], fake[::4096]
        one = scalar(run(r, f))
        two = scalar(run(r.repeat(2), f.repeat(2)))
        perm = torch.randperm(len(r), generator=torch.Generator().manual_seed(0))
        shuffled = scalar(run(r[perm], f[perm.flip(0)]))
        error = max(abs(two - one), abs(shuffled - one)) / max(1.0, abs(one))
        return error, (f"batch repeated twice {two:.10g} vs once {one:.10g} (after the declared "
                       f"{call.declared()}: a mean is unchanged, a sum doubles); shuffled "
                       f"{shuffled:.10g}")

    check.run("reduction", tolerance / 10, batch_mean, count=2 * len(real[::4096]))
    return ConformanceReport(kind, function_name(fn, name), tuple(check.results))


def _called(fn: Callable[..., torch.Tensor], spec: GanKind, call: Call, real: torch.Tensor,
            fake: torch.Tensor) -> torch.Tensor:
    """The loss at (real, fake); if it raises at ``(N,)`` outputs but runs at ``(N, 1)``, an
    error that says so.
    """
    args = (real, fake) if spec.two_batches else (fake,)
    try:
        return call(*args)
    except Exception as exc:
        if call.sample_shape is not None:
            raise
        try:
            Call(fn, call.scale, call.reduction, (1,))(*args)
        except Exception:  # noqa: BLE001 - the first error is the one to report
            raise exc from None
        raise ValueError(f"{exc}; it works with logits of shape (N, 1): pass "
                         f"sample_shape=(1,)") from exc


def _value_hints(fn: Callable[..., torch.Tensor], kind: str, call: Call, real: torch.Tensor,
                 fake: torch.Tensor, reference: float, got: float, n_nodes: int,
                 tolerance: float) -> str:
    """Why a value may miss: a convention, swapped arguments, (N, 1) logits."""
    hint = convention_hint(got, reference, n_nodes, call)
    if hint:
        return hint
    spec = GAN_KINDS[kind]
    if spec.two_batches and abs(scalar(call(fake, real)) - reference) <= tolerance:
        return ("; it matches with the arguments swapped: your function takes (fake, real), "
                "the checker calls fn(real, fake)")
    if call.sample_shape is None:
        column = Call(fn, call.scale, call.reduction, (1,))
        args = (real, fake) if spec.two_batches else (fake,)
        if abs(scalar(column(*args)) - reference) <= tolerance:
            return ("; it matches with logits of shape (N, 1): pass sample_shape=(1,) (with (N,) "
                    "logits your loss broadcasts against (N, 1) targets?)")
    return ""


def _generator_gradient(check: Checker, run: Callable[..., torch.Tensor], kind: str,
                        p_data: Any, p_g: Any, n_nodes: int, tolerance: float) -> None:
    """d/dtheta of the loss through the generator x = theta + s z, vs the core's pathwise
    gradient (:func:`~gantheory.generator_gradients.pathwise_gradients`).
    """
    if not (isinstance(p_g, Gaussian) and p_g.dim == 1):
        raise ValueError("p_g must be a 1-D Gaussian (the generator x = loc + scale z)")
    loc, scale = float(p_g.mean[0]), float(np.sqrt(p_g.cov[0, 0]))
    ns, mm = pathwise_gradients(p_data, loc, scale)
    exact = mm if kind == "minimax_g" else ns
    what = "grad 2 JSD" if kind == "minimax_g" else "grad [KL(p_g||p_data) - 2 JSD]"
    z = as_tensor(special.ndtri((np.arange(n_nodes) + 0.5) / n_nodes))
    node = _node_gradient(kind, p_data, p_g, loc, scale, z.numpy())

    def gradient() -> tuple[float, str]:
        reference = _rule_checked(node, exact, what)
        theta = as_tensor(loc, requires_grad=True)
        x = theta + scale * z  # the generator x = theta + s z; D* of theta0 held fixed
        logit = _torch_logpdf(p_data, x) - _torch_logpdf(p_g, x)
        (grad,) = torch.autograd.grad(run(logit, logit), theta)
        got = float(grad)
        return abs(got - reference), (
            f"d/dtheta {got:.10g} vs {what} = {exact:.10g} (generator theta + {scale:g} z at "
            f"theta = {loc:g}; on the quantile nodes: {reference:.10g})")

    check.run("generator gradient", tolerance, gradient, magnitude=abs(node) + 1, count=n_nodes)


def _fixed_point(check: Checker, run: Callable[..., torch.Tensor], kind: str,
                 tolerance: float) -> None:
    """p_g = p_data: D* = 1/2, logit 0; for D also no first-order change in a shift."""
    ref = {"minimax_d": _LOG4, "minimax_g": -_LOG2, "non_saturating_g": _LOG2}[kind]

    def fixed_point() -> tuple[float, str]:
        zeros = torch.zeros(8, dtype=PROBE_DTYPE)
        got = scalar(run(zeros, zeros))
        detail = f"value {got:.10g} at D = 1/2 vs {ref:.10g}"
        error = abs(got - ref)
        if kind == "minimax_d":  # D = 1/2 is optimal: no first-order change in a shift
            c = torch.zeros((), dtype=PROBE_DTYPE, requires_grad=True)
            (slope,) = torch.autograd.grad(run(zeros + c, zeros + c), c)
            error = max(error, abs(float(slope)))
            detail += f"; d/dc L(c, c) at c = 0 is {float(slope):.3g} (0 at the optimum)"
        return error, detail

    check.run("fixed point", tolerance / 10, fixed_point, magnitude=abs(ref) + 1, count=8)


def _gradients(run: Callable[..., torch.Tensor], real: float | torch.Tensor,
               fake: float | torch.Tensor, n: int = 8) -> tuple[float, torch.Tensor, torch.Tensor]:
    """The loss at constant (or given) outputs and N times its gradients in them."""
    r = torch.as_tensor(real, dtype=PROBE_DTYPE).expand(n).clone().requires_grad_(True)
    f = torch.as_tensor(fake, dtype=PROBE_DTYPE).expand(n).clone().requires_grad_(True)
    out = run(r, f)
    grads = torch.autograd.grad(out, (r, f), allow_unused=True)
    gr, gf = (torch.zeros(n, dtype=PROBE_DTYPE) if g is None else g.detach() * n for g in grads)
    return scalar(out), gr, gf


def _targets(check: Checker, run: Callable[..., torch.Tensor], kind: str,
             tolerance: float) -> None:
    """LSGAN: zero loss and gradient at the targets (real 1, fake 0; the generator's 1)."""
    is_d = kind == "lsgan_d"

    def targets() -> tuple[float, str]:
        if is_d:
            at, gr, gf = _gradients(run, 1.0, 0.0)
            swapped = _gradients(run, 0.0, 1.0)[0]
            error = max(abs(at), float(gr.abs().max()), float(gf.abs().max()))
            detail = (f"at the targets (real 1, fake 0): loss {at:.3g}, N x gradient "
                      f"{max(float(gr.abs().max()), float(gf.abs().max())):.3g} (both 0); at "
                      f"swapped targets (real 0, fake 1): {swapped:.6g} (1)")
            if abs(swapped) <= tolerance < error:
                detail += " -- your targets are swapped: real must go to 1, fake to 0"
            return error, detail
        at, _, gf = _gradients(run, 1.0, 1.0)
        at_zero = _gradients(run, 0.0, 0.0)[0]
        error = max(abs(at), float(gf.abs().max()))
        detail = (f"fake outputs at the target 1: loss {at:.3g}, N x gradient "
                  f"{float(gf.abs().max()):.3g} (both 0); at 0: {at_zero:.6g} (0.5)")
        if abs(at_zero) <= tolerance < error:
            detail += (" -- your generator's target is 0, the discriminator's fake label: it "
                       "must be the real label 1")
        return error, detail

    check.run("targets", tolerance / 10, targets, magnitude=2, count=16)


def _margin(check: Checker, run: Callable[..., torch.Tensor], kind: str,
            tolerance: float) -> None:
    """Hinge D: inside the margin the loss is 1 - l per sample, beyond it exactly 0."""

    def margin() -> tuple[float, str]:
        inside, gr, gf = _gradients(run, 0.5, -0.5)
        beyond, br, bf = _gradients(run, 2.0, -2.0)
        error = max(abs(inside - 1.0), float((gr + 1).abs().max()), float((gf - 1).abs().max()),
                    abs(beyond), float(br.abs().max()), float(bf.abs().max()))
        detail = (f"inside the margin (real 0.5, fake -0.5): loss {inside:.6g} (1), N x gradients "
                  f"{float(gr[0]):.3g}, {float(gf[0]):.3g} (-1, 1); beyond it (real 2, fake -2): "
                  f"loss {beyond:.6g}, N x gradients {float(br[0]):.3g}, {float(bf[0]):.3g} "
                  f"(all 0)")
        if abs(inside) <= tolerance:
            detail += " -- no margin: max(0, -l) where max(0, 1 - l) was meant"
        elif beyond < -tolerance:
            detail += (" -- no hinge: the loss keeps falling beyond the margin (a Wasserstein "
                       "critic loss?)")
        return error, detail

    check.run("margin", tolerance / 10, margin, magnitude=2, count=16)


def _direction(check: Checker, run: Callable[..., torch.Tensor], kind: str,
               tolerance: float) -> None:
    """Linear losses: N dL/d(real score) = -1 (critic), N dL/d(fake score) = +1 (critic) or -1
    (generator), at every score.
    """
    is_critic = kind == "wasserstein_critic"
    scores = torch.linspace(-3.0, 3.0, 8, dtype=PROBE_DTYPE)

    def direction() -> tuple[float, str]:
        _, gr, gf = _gradients(run, scores, scores.flip(0))
        want_f = 1.0 if is_critic else -1.0
        errors = [float((gf - want_f).abs().max())]
        if is_critic:
            errors.append(float((gr + 1).abs().max()))
        detail = (f"N dL/d(fake score) {gf.tolist()} (all {want_f:g})"
                  + (f", N dL/d(real score) {gr.tolist()} (all -1)" if is_critic else "")
                  + " at scores -3..3")
        flipped = bool(torch.allclose(gf, -torch.full_like(gf, want_f))) and (
            not is_critic or bool(torch.allclose(gr, torch.ones_like(gr))))
        if flipped:
            detail += (" -- the sign is flipped: minimising it "
                       + ("makes the critic score fakes above reals" if is_critic else
                          "lowers the critic's score of the fakes")
                       + "; if your D and G losses are both flipped, pass scale=-1 to both")
        elif not is_critic and float(gf[-1]) == 0.0 and float(gf[0]) == -1.0:
            detail += (" -- the gradient vanishes at high scores: a hinge max(0, 1 - l) in the "
                       "generator, whose loss is -E_g[l]")
        return max(errors), detail

    check.run("direction", tolerance / 10, direction, magnitude=2, count=8)


def _saturation_and_stability(check: Checker, run: Callable[..., torch.Tensor],
                              kind: str) -> None:
    """The log-loss family: vanishing or non-vanishing gradients at confident logits, and
    linear growth (no clamped probabilities) at huge logits.
    """
    is_d = kind == "minimax_d"

    def saturation() -> tuple[float, str]:
        if is_d:  # confidently right: the loss and its gradient vanish
            out, gr, gf = _gradients(run, 30.0, -30.0)
            error = max(out, float(gr.abs().max()), float(gf.abs().max()))
            return error, (f"confidently right (+-30): loss {out:.3g}, N x gradient "
                           f"{float(gr.abs().max()):.3g} (both ~1e-13)")
        _, _, gf = _gradients(run, -30.0, -30.0)
        per_sample = float(gf[0])
        if kind == "minimax_g":
            return abs(per_sample), (f"rejected samples (logit -30): N x dL/dlogit = "
                                     f"{per_sample:.3g}, must vanish (-sigmoid(-30))")
        return abs(per_sample + 1.0), (f"rejected samples (logit -30): N x dL/dlogit = "
                                       f"{per_sample:.6g}, must stay -1 (non-saturating)")

    check.run("saturation", 1e-9, saturation, count=8)

    def stability() -> tuple[float, str]:
        def at(a: float) -> tuple[float, bool]:
            big = as_tensor([a, -a, 50.0, -50.0], requires_grad=True)
            out = run(big, big.flip(0))
            (grad,) = torch.autograd.grad(out, big)
            return scalar(out), bool(torch.isfinite(grad).all())

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

    # The values are about 1e4 / 4: their rounding, divided by the step 1e4, is of order 1.
    check.run("stability", 1e-9, stability, magnitude=1.0, count=4)
