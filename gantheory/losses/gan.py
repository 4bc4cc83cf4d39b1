r"""GAN losses on discriminator logits, each named for the objective it is.

With :math:`D = \sigma(\ell)` for the logit :math:`\ell`, the identities

.. math::

    -\log \sigma(\ell) = \operatorname{softplus}(-\ell), \qquad
    -\log(1 - \sigma(\ell)) = \operatorname{softplus}(\ell)

give forms that are exact and finite for every logit (the common bug, ``log(sigmoid(1 -
logit))`` for :math:`\log(1 - D)`, is not one of them). Every loss takes **logits, never
probabilities**; half-precision logits (bfloat16 autocast) are upcast to float32.

**Reduction**: every loss returns the **mean over the batch** (of each batch: real and fake
separately for discriminator losses). ``reduction="sum"`` sums over the batch instead (over each
batch, then adds them), as torch's losses do. ``reduction="none"`` returns the per-sample terms,
a tensor of shape ``(N,)`` for a one-batch loss and a :class:`LossTerms` pair ``(real, fake)``
for a two-batch loss, whose means add up to the reduced loss; a weighted sum of them with
quadrature weights is how the tests take the expectation exactly.

**Non-finite inputs** raise ValueError unless ``check_finite=False`` (the policy of
:mod:`gantheory.losses`): every loss checks each input tensor once and names the tensor and the
first bad index. A loss of finite inputs may still be infinite where its formula is (the f-GAN
rows whose :math:`f^*(g_f(v))` grows like :math:`e^{|v|}`).

==================================  ============================================================
:func:`minimax_d_loss`              :math:`-\mathbb E_\text{data}[\log D] - \mathbb E_g[\log(1 -
                                    D)] = -V(G, D)` (Goodfellow et al. 2014)
:func:`minimax_g_loss`              :math:`\mathbb E_g[\log(1 - D)]`, saturating
:func:`non_saturating_g_loss`       :math:`-\mathbb E_g[\log D]` (Goodfellow et al. 2014, Sec. 3)
:func:`bce_d_loss`                  binary cross-entropy with soft or flipped targets
:func:`lsgan_d_loss`,               least squares (Mao et al. 2017)
:func:`lsgan_g_loss`
:func:`hinge_d_loss`,               hinge (Lim and Ye 2017; Miyato et al. 2018)
:func:`hinge_g_loss`
:func:`wasserstein_critic_loss`,    WGAN (Arjovsky, Chintala and Bottou 2017)
:func:`wasserstein_g_loss`
:func:`fgan_d_loss`,                f-GAN (Nowozin, Cseke and Tomioka 2016), one for every row
:func:`fgan_minimax_g_loss`,        of the numeric core's table
:func:`fgan_non_saturating_g_loss`  :data:`gantheory.divergences.fdiv.TABLE`
==================================  ============================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import torch
import torch.nn.functional as F

from gantheory.divergences.fdiv import TABLE
from gantheory.losses import _checks

_LOG2 = math.log(2.0)


def _softplus(x: torch.Tensor) -> torch.Tensor:
    r""":math:`\log(1 + e^x) = -\log\sigma(-x)`, exact to rounding for every :math:`x`.

    ``torch.nn.functional.softplus`` returns :math:`x` itself above its threshold 20, an
    absolute error up to :math:`e^{-20} = 2\times10^{-9}`; ``logsigmoid`` has none.
    """
    return -F.logsigmoid(-x)


class LossTerms(NamedTuple):
    """Per-sample terms of a two-batch loss (``reduction="none"``).

    The reduced loss is ``real.mean() + fake.mean()``.

    Attributes
    ----------
    real : torch.Tensor, shape (N,)
        The terms of the real (data) samples.
    fake : torch.Tensor, shape (N,)
        The terms of the generated samples.
    """

    real: torch.Tensor
    fake: torch.Tensor


def _pair(real_logits: object, fake_logits: object, check_finite: object,
          names: tuple[str, str] = ("real_logits", "fake_logits")
          ) -> tuple[torch.Tensor, torch.Tensor]:
    """Two batches of logits, ``(N,)`` each: types, shapes and devices first, then values."""
    real = _checks.upcast(_checks.per_sample(real_logits, names[0]))
    fake = _checks.upcast(_checks.per_sample(fake_logits, names[1]))
    _checks.same_batch(real, fake, names)
    if _checks.flag(check_finite, "check_finite"):
        _checks.require_finite(real_logits, names[0])
        _checks.require_finite(fake_logits, names[1])
    return real, fake


def _one(fake_logits: object, check_finite: object, name: str = "fake_logits") -> torch.Tensor:
    finite = _checks.flag(check_finite, "check_finite")
    return _checks.upcast(_checks.per_sample(fake_logits, name, finite=finite))


def _reduce_pair(real_terms: torch.Tensor, fake_terms: torch.Tensor,
                 reduction: str) -> torch.Tensor | LossTerms:
    if _checks.reduction(reduction) == "none":
        return LossTerms(real_terms, fake_terms)
    return _checks.reduce(real_terms, reduction) + _checks.reduce(fake_terms, reduction)


# -- the minimax game ---------------------------------------------------------------------------
def minimax_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, *,
                   reduction: str = "mean", check_finite: bool = True
                   ) -> torch.Tensor | LossTerms:
    r"""Discriminator loss of the minimax game, :math:`-V(G, D)`.

    .. math::

        L_D = \frac1N \sum_i \operatorname{softplus}(-\ell^\text{real}_i)
            + \frac1N \sum_i \operatorname{softplus}(\ell^\text{fake}_i)
            = -\mathbb E_\text{data}[\log D] - \mathbb E_g[\log(1 - D)].

    Parameters
    ----------
    real_logits, fake_logits : torch.Tensor, shape (N,) or (N, 1)
        Discriminator logits :math:`\ell = \sigma^{-1}(D)` of real and generated samples (one
        batch size).
    reduction : {"mean", "sum", "none"}
        ``"mean"`` (default): the mean over each batch, summed. ``"sum"``: the sum over each
        batch, summed. ``"none"``: the per-sample terms as :class:`LossTerms`.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`).

    Returns
    -------
    torch.Tensor or LossTerms
        A scalar (float32 for half-precision logits).

    Notes
    -----
    At the optimal discriminator :math:`\ell^* = \log p_\text{data} - \log p_g` it equals
    :math:`\log 4 - 2\,\mathrm{JSD}(p_\text{data}\|p_g) = -C(G)` (Goodfellow et al. 2014,
    Proposition 1 and Theorem 1); the tests take this expectation with the numeric core's
    quadrature.

    Examples
    --------
    >>> import torch
    >>> round(float(minimax_d_loss(torch.zeros(4), torch.zeros(4))), 6)  # D = 1/2: log 4
    1.386294
    >>> round(float(minimax_d_loss(torch.tensor([800.0]), torch.tensor([-800.0]))), 6)
    0.0
    >>> round(float(minimax_d_loss(torch.zeros(4), torch.zeros(4), reduction="sum")), 6)  # 8 log 2
    5.545177
    >>> minimax_d_loss(torch.zeros(4), torch.tensor([0.0, 1.0, 2.0, float("nan")]))
    Traceback (most recent call last):
    ValueError: fake_logits is not finite: it contains NaN at index 3
    """
    real, fake = _pair(real_logits, fake_logits, check_finite)
    return _reduce_pair(_softplus(-real), _softplus(fake), reduction)


def minimax_g_loss(fake_logits: torch.Tensor, *, reduction: str = "mean",
                   check_finite: bool = True) -> torch.Tensor:
    r"""The saturating generator objective :math:`\mathbb E_g[\log(1 - D)]` (to minimise).

    .. math:: L_G = \frac1N \sum_i \log(1 - \sigma(\ell_i)) = -\frac1N \sum_i
        \operatorname{softplus}(\ell_i)

    Parameters
    ----------
    fake_logits : torch.Tensor, shape (N,) or (N, 1)
        Discriminator logits of generated samples.
    reduction : {"mean", "sum", "none"}
        Mean over the batch (default), the sum over the batch, or the ``(N,)`` per-sample
        terms.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`).

    Returns
    -------
    torch.Tensor

    Notes
    -----
    Its gradient :math:`\partial L_G/\partial\ell = -\sigma(\ell)/N \to 0` vanishes where the
    discriminator rejects the samples confidently (:math:`\ell \to -\infty`): the saturation of
    Goodfellow et al. 2014, Sec. 3, and Arjovsky and Bottou 2017, Theorem 2.4. Against the
    optimal discriminator its expected gradient is :math:`\nabla_\theta\, 2\,\mathrm{JSD}`.

    Examples
    --------
    >>> import torch
    >>> round(float(minimax_g_loss(torch.zeros(2))), 6)  # log(1/2)
    -0.693147
    >>> x = torch.tensor([-30.0], requires_grad=True)
    >>> minimax_g_loss(x).backward()
    >>> float(x.grad) > -1e-12  # -sigmoid(-30): saturated
    True
    """
    return _checks.reduce(-_softplus(_one(fake_logits, check_finite)), reduction)


def non_saturating_g_loss(fake_logits: torch.Tensor, *, reduction: str = "mean",
                          check_finite: bool = True) -> torch.Tensor:
    r"""The non-saturating generator objective :math:`-\mathbb E_g[\log D]`.

    .. math:: L_G = -\frac1N \sum_i \log \sigma(\ell_i) = \frac1N \sum_i
        \operatorname{softplus}(-\ell_i)

    Parameters
    ----------
    fake_logits : torch.Tensor, shape (N,) or (N, 1)
        Discriminator logits of generated samples.
    reduction : {"mean", "sum", "none"}
        Mean over the batch (default), the sum over the batch, or the ``(N,)`` per-sample
        terms.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`).

    Returns
    -------
    torch.Tensor

    Notes
    -----
    Its gradient :math:`\partial L_G/\partial\ell = -\sigma(-\ell)/N \to -1/N` stays large where
    the discriminator rejects the samples (Goodfellow et al. 2014, Sec. 3). Against the
    optimal discriminator its expected gradient is
    :math:`\nabla_\theta[\mathrm{KL}(p_g\|p_\text{data}) - 2\,\mathrm{JSD}]` (Arjovsky and
    Bottou 2017, Theorem 2.5).

    Examples
    --------
    >>> import torch
    >>> round(float(non_saturating_g_loss(torch.tensor([-1000.0]))), 1)  # finite, = 1000
    1000.0
    """
    return _checks.reduce(_softplus(-_one(fake_logits, check_finite)), reduction)


def bce_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, *,
               real_targets: float | torch.Tensor = 1.0,
               fake_targets: float | torch.Tensor = 0.0,
               reduction: str = "mean", check_finite: bool = True
               ) -> torch.Tensor | LossTerms:
    r"""Discriminator cross-entropy with soft or flipped targets, on logits.

    .. math::

        L_D = \frac1N \sum_i \mathrm{BCE}(\ell^\text{real}_i, y^\text{real}_i)
            + \frac1N \sum_i \mathrm{BCE}(\ell^\text{fake}_i, y^\text{fake}_i), \qquad
        \mathrm{BCE}(\ell, y) = y \operatorname{softplus}(-\ell) + (1 - y)
            \operatorname{softplus}(\ell).

    With targets 1 and 0 it is :func:`minimax_d_loss`. One-sided label smoothing (Salimans
    et al. 2016) sets ``real_targets=0.9`` and leaves the fakes at 0: the optimal discriminator
    becomes :math:`D = \alpha\, p_\text{data}/(p_\text{data} + p_g)` with :math:`\alpha = 0.9`
    (smoothing the fake targets too would put mass where :math:`p_\text{data} = 0`). Per-sample
    targets come from :func:`~gantheory.losses.penalties.smooth_labels` and
    :func:`~gantheory.losses.penalties.flip_labels`.

    Parameters
    ----------
    real_logits, fake_logits : torch.Tensor, shape (N,) or (N, 1)
        Discriminator logits.
    real_targets, fake_targets : float or torch.Tensor of shape (N,) or (N, 1)
        Targets in [0, 1] (a tensor: one per sample).
    reduction : {"mean", "sum", "none"}
        Mean over each batch, summed (default), the sums over each batch, summed, or
        :class:`LossTerms`.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`).

    Returns
    -------
    torch.Tensor or LossTerms

    Examples
    --------
    >>> import torch
    >>> r, f = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    >>> bool(torch.isclose(bce_d_loss(r, f), minimax_d_loss(r, f)))
    True
    >>> round(float(bce_d_loss(torch.zeros(1), torch.zeros(1), real_targets=0.9)), 6)  # log 4
    1.386294
    """
    real, fake = _pair(real_logits, fake_logits, check_finite)
    terms = []
    for logit, target, name in ((real, real_targets, "real_targets"),
                                (fake, fake_targets, "fake_targets")):
        if isinstance(target, torch.Tensor):
            target = _checks.per_sample(target, name, what="targets", finite=check_finite)
            _checks.same_batch(logit, target, (name.replace("targets", "logits"), name))
            target = target.to(logit.dtype)
            bad = bool(((target < 0) | (target > 1)).any())
        else:
            target = _checks.number(target, name)
            bad = not 0.0 <= target <= 1.0
        if bad:
            raise ValueError(f"{name} must lie in [0, 1] (probabilities of 'real')")
        terms.append(target * _softplus(-logit) + (1 - target) * _softplus(logit))
    return _reduce_pair(terms[0], terms[1], reduction)


# -- least squares, hinge, Wasserstein -------------------------------------------------------
def lsgan_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, *,
                 reduction: str = "mean", check_finite: bool = True
                 ) -> torch.Tensor | LossTerms:
    r"""Least-squares discriminator loss with targets 1 (real) and 0 (fake), on raw outputs.

    .. math:: L_D = \tfrac12 \mathbb E_\text{data}[(\ell - 1)^2] + \tfrac12 \mathbb E_g[\ell^2]

    Mao et al. 2017, eq. (2) with :math:`a = 0, b = 1` (no sigmoid: :math:`\ell` is the
    discriminator's raw output). Mean over each batch (``reduction="sum"``: the sums;
    ``"none"``: :class:`LossTerms`). Non-finite inputs raise ValueError unless
    ``check_finite=False``. Its optimum is :math:`\ell^* = p_\text{data}/(p_\text{data} +
    p_g) = D^*`.

    Examples
    --------
    >>> import torch
    >>> float(lsgan_d_loss(torch.tensor([1.0]), torch.tensor([0.0])))
    0.0
    """
    real, fake = _pair(real_logits, fake_logits, check_finite)
    return _reduce_pair(0.5 * (real - 1.0).pow(2), 0.5 * fake.pow(2), reduction)


def lsgan_g_loss(fake_logits: torch.Tensor, *, reduction: str = "mean",
                 check_finite: bool = True) -> torch.Tensor:
    r"""Least-squares generator loss :math:`\tfrac12 \mathbb E_g[(\ell - 1)^2]`.

    Mean over the batch (``reduction="sum"``: the sum; ``"none"``: the ``(N,)`` terms).
    Non-finite inputs raise ValueError unless ``check_finite=False``.

    Mao et al. 2017, eq. (2) with :math:`c = 1`.

    Examples
    --------
    >>> import torch
    >>> float(lsgan_g_loss(torch.tensor([0.0, 2.0])))
    0.5
    """
    return _checks.reduce(0.5 * (_one(fake_logits, check_finite) - 1.0).pow(2), reduction)


def hinge_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, *,
                 reduction: str = "mean", check_finite: bool = True
                 ) -> torch.Tensor | LossTerms:
    r"""Hinge discriminator loss, mean over each batch.

    .. math:: L_D = \mathbb E_\text{data}[\max(0, 1 - \ell)] + \mathbb E_g[\max(0, 1 + \ell)]

    Lim and Ye 2017 (Geometric GAN); Miyato et al. 2018, eq. (16). ``reduction="sum"``: the
    sums over each batch; ``"none"``: :class:`LossTerms`. Non-finite inputs raise ValueError
    unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> float(hinge_d_loss(torch.tensor([2.0, 0.0]), torch.tensor([-2.0, 0.0])))  # 1/2 + 1/2
    1.0
    """
    real, fake = _pair(real_logits, fake_logits, check_finite)
    return _reduce_pair(F.relu(1.0 - real), F.relu(1.0 + fake), reduction)


def hinge_g_loss(fake_logits: torch.Tensor, *, reduction: str = "mean",
                 check_finite: bool = True) -> torch.Tensor:
    r"""Hinge generator loss :math:`-\mathbb E_g[\ell]`, mean over the batch (Miyato et al.).

    ``reduction="sum"``: the sum over the batch; ``"none"``: the ``(N,)`` terms. Non-finite
    inputs raise ValueError unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> float(hinge_g_loss(torch.tensor([1.0, 3.0])))
    -2.0
    """
    return _checks.reduce(-_one(fake_logits, check_finite), reduction)


def wasserstein_critic_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor, *,
                            reduction: str = "mean", check_finite: bool = True
                            ) -> torch.Tensor | LossTerms:
    r"""WGAN critic loss :math:`\mathbb E_g[f] - \mathbb E_\text{data}[f]` (no sigmoid, no log).

    Minimising it maximises the Kantorovich-Rubinstein dual
    :math:`\mathbb E_\text{data}[f] - \mathbb E_g[f]` over (approximately) 1-Lipschitz
    critics (Arjovsky, Chintala and Bottou 2017, eq. (3)); keep the critic Lipschitz with
    :func:`~gantheory.losses.penalties.gradient_penalty` or
    :func:`~gantheory.losses.penalties.clip_weights`. Mean over each batch
    (``reduction="sum"``: the sums; ``"none"``: :class:`LossTerms`). Non-finite inputs raise
    ValueError unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> float(wasserstein_critic_loss(torch.tensor([3.0]), torch.tensor([1.0])))
    -2.0
    """
    real, fake = _pair(real_scores, fake_scores, check_finite, ("real_scores", "fake_scores"))
    return _reduce_pair(-real, fake, reduction)


def wasserstein_g_loss(fake_scores: torch.Tensor, *, reduction: str = "mean",
                       check_finite: bool = True) -> torch.Tensor:
    r"""WGAN generator loss :math:`-\mathbb E_g[f]`, mean over the batch (Arjovsky et al.).

    ``reduction="sum"``: the sum over the batch; ``"none"``: the ``(N,)`` terms. Non-finite
    inputs raise ValueError unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> float(wasserstein_g_loss(torch.tensor([1.0, 3.0])))
    -2.0
    """
    return _checks.reduce(-_one(fake_scores, check_finite, "fake_scores"), reduction)


# -- f-GAN ---------------------------------------------------------------------------------------
def _log_lambertw_exp(y: torch.Tensor) -> torch.Tensor:
    r""":math:`\log W(e^y)` (principal branch), differentiable in :math:`y`.

    Newton's method on :math:`u + e^u = y` for :math:`u = \log W` (monotone from the start
    :math:`u_0 = \log y` for :math:`y > 1`, else :math:`y`, both right of the root), without
    a graph; then one more Newton step with the graph, whose derivative at the root is exactly
    :math:`du/dy = 1/(1 + W)`. Returns :math:`u = \log W(e^y)`, finite where :math:`W`
    itself underflows (:math:`y \to -\infty`).
    """
    with torch.no_grad():
        u = torch.where(y > 1, torch.log(y.clamp(min=1.0)), y)
        for _ in range(60):
            step = (u + torch.exp(u) - y) / (1.0 + torch.exp(u))
            u = u - step
    return u - (u + torch.exp(u) - y) / (1.0 + torch.exp(u))


def _jeffrey_conjugate(t: torch.Tensor) -> torch.Tensor:
    log_w = _log_lambertw_exp(1.0 - t)  # W + 1/W from log W: inf, not NaN, when W underflows
    return torch.exp(log_w) + torch.exp(-log_w) + t - 2.0


@dataclass(frozen=True)
class _Row:
    """Torch forms of one row of the f-GAN table: g_f, f* and the stable composition f*(g_f)."""

    activation: Callable[[torch.Tensor], torch.Tensor]
    conjugate: Callable[[torch.Tensor], torch.Tensor]
    conjugate_of_activation: Callable[[torch.Tensor], torch.Tensor]


def _tv_conjugate(t: torch.Tensor) -> torch.Tensor:
    return torch.where(t.abs() <= 0.5, t, torch.full_like(t, math.inf))


#: Torch translations of :data:`gantheory.divergences.fdiv.TABLE`, row by row (same names).
#: ``conjugate_of_activation`` is :math:`f^*(g_f(v))` simplified by hand so that it stays exact
#: for large :math:`|v|`; the tests compare all three with the numpy table.
_ROWS: dict[str, _Row] = {
    "total_variation": _Row(lambda v: 0.5 * torch.tanh(v), _tv_conjugate,
                            lambda v: 0.5 * torch.tanh(v)),
    "kl": _Row(lambda v: v, lambda t: torch.exp(t - 1.0), lambda v: torch.exp(v - 1.0)),
    "reverse_kl": _Row(lambda v: -torch.exp(-v), lambda t: -1.0 - torch.log(-t),
                       lambda v: v - 1.0),
    "pearson": _Row(lambda v: v, lambda t: 0.25 * t * t + t, lambda v: 0.25 * v * v + v),
    "neyman": _Row(lambda v: -torch.expm1(-v), lambda t: 2.0 - 2.0 * torch.sqrt(1.0 - t),
                   lambda v: 2.0 - 2.0 * torch.exp(-0.5 * v)),
    "squared_hellinger": _Row(lambda v: -torch.expm1(-v), lambda t: t / (1.0 - t), torch.expm1),
    "jeffrey": _Row(lambda v: v, _jeffrey_conjugate, _jeffrey_conjugate),
    "jensen_shannon": _Row(lambda v: _LOG2 + F.logsigmoid(v),
                           lambda t: -torch.log(2.0 - torch.exp(t)),
                           lambda v: _softplus(v) - _LOG2),
    "gan": _Row(F.logsigmoid, lambda t: -torch.log(-torch.expm1(t)), _softplus),
}
if set(_ROWS) != set(TABLE):  # pragma: no cover - a new row in the core needs its torch form
    raise ImportError(f"gantheory.losses.gan lacks torch forms of {set(TABLE) ^ set(_ROWS)}")

#: The divergences with f-GAN losses: the names of the numeric core's table.
F_DIVERGENCES: tuple[str, ...] = tuple(TABLE)


def _row(divergence: object) -> _Row:
    if not isinstance(divergence, str) or divergence not in _ROWS:
        raise ValueError(f"divergence must be one of {F_DIVERGENCES}; got {divergence!r}")
    return _ROWS[divergence]


def fgan_activation(v: torch.Tensor, divergence: str, *,
                    check_finite: bool = True) -> torch.Tensor:
    r"""The output activation :math:`T = g_f(v)` of the f-GAN table (Nowozin et al., Table 2).

    Maps any real network output into the domain of :math:`f^*`; elementwise. Non-finite
    inputs raise ValueError unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> fgan_activation(torch.tensor([0.0]), "reverse_kl").tolist()  # -exp(-v)
    [-1.0]
    """
    v = _checks.tensor(v, "v", min_ndim=0, finite=_checks.flag(check_finite, "check_finite"))
    return _row(divergence).activation(_checks.upcast(v))


def fgan_conjugate(t: torch.Tensor, divergence: str, *,
                   check_finite: bool = True) -> torch.Tensor:
    r"""The convex conjugate :math:`f^*(t) = \sup_u \{ut - f(u)\}` of the table's generator.

    Elementwise; ``inf`` or NaN outside the domain of :math:`f^*` (the table's ``domain``).
    Non-finite inputs raise ValueError unless ``check_finite=False``.

    Examples
    --------
    >>> import torch
    >>> fgan_conjugate(torch.tensor([1.0]), "kl").tolist()  # exp(t - 1)
    [1.0]
    """
    t = _checks.tensor(t, "t", min_ndim=0, finite=_checks.flag(check_finite, "check_finite"))
    return _row(divergence).conjugate(_checks.upcast(t))


def fgan_d_loss(real_outputs: torch.Tensor, fake_outputs: torch.Tensor, divergence: str, *,
                reduction: str = "mean", check_finite: bool = True
                ) -> torch.Tensor | LossTerms:
    r"""f-GAN discriminator (variational function) loss: minus the variational bound.

    .. math::

        L_T = -\Bigl(\frac1N \sum_i g_f(v^\text{real}_i)
              - \frac1N \sum_i f^*\bigl(g_f(v^\text{fake}_i)\bigr)\Bigr),
        \qquad -L_T \le D_f(P_\text{data} \| P_g) \text{ in expectation},

    with equality at :math:`T^* = g_f(v^*) = f'(p_\text{data}/p_g)` (Nowozin, Cseke and
    Tomioka 2016, eqs. (4)-(6)). :math:`f^*(g_f(v))` is computed in a simplified form that is
    exact for large :math:`|v|` (e.g. :math:`\operatorname{softplus}(v)` for the GAN row, for
    which this loss is :func:`minimax_d_loss`).

    Parameters
    ----------
    real_outputs, fake_outputs : torch.Tensor, shape (N,) or (N, 1)
        Raw network outputs :math:`v` (before the activation :math:`g_f`).
    divergence : str
        A row of :data:`gantheory.divergences.fdiv.TABLE` (:data:`F_DIVERGENCES`):
        ``"total_variation"``, ``"kl"``, ``"reverse_kl"``, ``"pearson"``, ``"neyman"``,
        ``"squared_hellinger"``, ``"jeffrey"``, ``"jensen_shannon"``, ``"gan"``. The rows keep
        the paper's generators: ``"jensen_shannon"`` estimates :math:`2\,\mathrm{JSD}` and
        ``"squared_hellinger"`` :math:`2H^2`.
    reduction : {"mean", "sum", "none"}
        Mean over each batch, summed (default), the sums over each batch, summed, or
        :class:`LossTerms`.
    check_finite : bool
        Non-finite inputs raise ValueError unless ``check_finite=False`` (see
        :mod:`gantheory.losses`).

    Returns
    -------
    torch.Tensor or LossTerms

    Examples
    --------
    >>> import torch
    >>> # KL row at equal densities: T* = f'(1) = 1, i.e. v* = 1; the bound is D_f = 0.
    >>> float(fgan_d_loss(torch.ones(3), torch.ones(3), "kl"))
    0.0
    """
    row = _row(divergence)
    real, fake = _pair(real_outputs, fake_outputs, check_finite,
                       ("real_outputs", "fake_outputs"))
    return _reduce_pair(-row.activation(real), row.conjugate_of_activation(fake), reduction)


def fgan_minimax_g_loss(fake_outputs: torch.Tensor, divergence: str, *,
                        reduction: str = "mean", check_finite: bool = True
                        ) -> torch.Tensor:
    r"""f-GAN generator loss of the saddle point: :math:`-\mathbb E_g[f^*(g_f(v))]`.

    Mean over the batch (``reduction="sum"``: the sum; ``"none"``: the ``(N,)`` terms).
    Non-finite inputs raise ValueError unless ``check_finite=False``.

    The generator minimises the bound :math:`\mathbb E_P[T] - \mathbb E_Q[f^*(T)]`; only the
    second term depends on it (Nowozin et al. 2016, eq. (6)). For the GAN row this is
    :func:`minimax_g_loss`.

    Examples
    --------
    >>> import torch
    >>> v = torch.tensor([0.3, -2.0])
    >>> bool(torch.isclose(fgan_minimax_g_loss(v, "gan"), minimax_g_loss(v)))
    True
    """
    row = _row(divergence)
    fake = _one(fake_outputs, check_finite, "fake_outputs")
    return _checks.reduce(-row.conjugate_of_activation(fake), reduction)


def fgan_non_saturating_g_loss(fake_outputs: torch.Tensor, divergence: str, *,
                               reduction: str = "mean", check_finite: bool = True
                               ) -> torch.Tensor:
    r"""f-GAN generator loss of the paper's practice: :math:`-\mathbb E_g[g_f(v)]`.

    Mean over the batch (``reduction="sum"``: the sum; ``"none"``: the ``(N,)`` terms).
    Non-finite inputs raise ValueError unless ``check_finite=False``.

    Nowozin et al. 2016, Sec. 3.2: maximise :math:`\mathbb E_Q[g_f(V(G(z)))]` instead, which has
    the same fixed point and does not saturate. For the GAN row this is
    :func:`non_saturating_g_loss`.

    Examples
    --------
    >>> import torch
    >>> v = torch.tensor([0.3, -2.0])
    >>> bool(torch.isclose(fgan_non_saturating_g_loss(v, "gan"), non_saturating_g_loss(v)))
    True
    """
    row = _row(divergence)
    return _checks.reduce(-row.activation(_one(fake_outputs, check_finite, "fake_outputs")),
                          reduction)
