r"""Check your own GAN or VAE loss against gantheory's reference, property by property.

Other projects write their own losses, and the common bugs are well known: a gradient penalty
with one norm (or one interpolation coefficient) for the whole batch, a norm over one axis of
an image-shaped gradient, ``log(sigmoid(1 - logit))`` for :math:`\log(1 - D)`, a hinge without
its margin, a critic sign flipped in only one of D and G, LSGAN targets mixed up, R1 at the
fake points, a KL averaged over latent dimensions, a sum where a mean was meant. Each check
runs a user's loss on inputs whose exact answer the numeric core knows, and returns a
:class:`ConformanceReport` naming every property, whether it held, and by how much it missed::

    from gantheory.testing import assert_conforms, check_loss

    report = check_loss(my_d_loss, "hinge_d")
    print(report)                         # one line per property: PASS/FAIL, error, detail
    assert_conforms(my_d_loss, "hinge_d")  # in a test suite: AssertionError with the report

==========================  =====================================================================
kind                        the user's function and the properties checked
==========================  =====================================================================
``"minimax_d"``             ``fn(real_logits, fake_logits)``: value at :math:`D^*` (= log 4 - 2
                            JSD), fixed point (:math:`D = 1/2` is optimal when :math:`p_g =
                            p_\text{data}`), saturation, stability, reduction (batch mean)
``"minimax_g"``             ``fn(fake_logits)`` for :math:`\mathbb E_g[\log(1 - D)]`: value at
                            :math:`D^*`, generator gradient (= :math:`\nabla 2\,\mathrm{JSD}`),
                            fixed point, saturation (its gradient must vanish for rejected
                            samples), stability, reduction
``"non_saturating_g"``      ``fn(fake_logits)`` for :math:`-\mathbb E_g[\log D]`: as above; its
                            gradient must *not* vanish
``"lsgan_d"``               ``fn(real_out, fake_out)`` for :math:`\tfrac12\mathbb E_\text{data}
                            [(D - 1)^2] + \tfrac12\mathbb E_g[D^2]`: value at its optimum
                            :math:`D^*`, targets (real 1, fake 0), reduction
``"lsgan_g"``               ``fn(fake_out)`` for :math:`\tfrac12\mathbb E_g[(D - 1)^2]`: value,
                            targets (the generator's is 1), reduction
``"hinge_d"``               ``fn(real_logits, fake_logits)`` for :math:`\mathbb E_\text{data}
                            [\max(0, 1 - \ell)] + \mathbb E_g[\max(0, 1 + \ell)]`: value at
                            :math:`D^*`, margin, reduction
``"hinge_g"``               ``fn(fake_scores)`` for :math:`-\mathbb E_g[f]`: value (:math:`=
                            \mathrm{KL}(p_g\|p_\text{data})` at :math:`f = \ell^*`), direction
                            (:math:`N\,\partial L/\partial f_i = -1`), reduction
``"wasserstein_g"``         the same objective and properties as ``"hinge_g"``
``"wasserstein_critic"``    ``fn(real_scores, fake_scores)`` for :math:`\mathbb E_g[f] -
                            \mathbb E_\text{data}[f]`: value (minus the Jeffreys divergence at
                            :math:`f = \ell^*`), direction, reduction
``"gradient_penalty"``      ``fn(critic, real, fake)`` (WGAN-GP): per-sample gradient norm
                            (optionally one-sided), one interpolation coefficient per sample,
                            differentiable in the critic, reduction; on image-shaped and flat
                            probes
``"dragan_penalty"``        ``fn(critic, real)`` or ``fn(critic, real, fake)``: per-sample
                            norm, near the real points, differentiable, reduction
``"r1_penalty"``            ``fn(critic, real)`` or ``fn(critic, real, fake)`` for
                            :math:`\tfrac\gamma2\mathbb E\|\nabla D\|^2`: per-sample norm, at
                            the real points, differentiable, reduction
``"r2_penalty"``            ``fn(critic, fake)`` or ``fn(critic, real, fake)``: as R1, at the
                            fake points
``"gaussian_kl_standard"``  ``fn(mu, logvar)``: value, reduction (sum over latent dimensions,
                            mean over the batch), gradients (:math:`\mu`, :math:`\tfrac12(e^s -
                            1)`), fixed point, unclamped gradient at large log-variance
                            (optional)
==========================  =====================================================================

**Declared conventions.** ``scale=c`` declares a loss that computes ``c`` times the reference
(0.5 for a halved BCE, 2 for an MSE without its 1/2, -1 for a sign-flipped critic);
``reduction="sum"`` a sum over the batch. Without them a mismatch names the likely convention.
Penalties take their factor as ``weight`` (measured when omitted) instead of ``scale``.

**Quantile nodes.** Expectations over the toy densities use the deterministic midpoint rule
:math:`x_i = F^{-1}((i + \tfrac12)/n)`, :math:`i < n`, an equal-weight rule, so a loss that
averages over its batch computes the expectation on them with no Monte Carlo noise. The loss
is compared with the objective evaluated in numpy/scipy on the same nodes, which is itself
checked against the exact value from the numeric core (:func:`gantheory.jsd`,
:func:`gantheory.kl`, the core's quadrature and
:func:`gantheory.generator_gradients.pathwise_gradients`): the rule's own error (about
:math:`10^{-6}` at the default :math:`n = 2^{17}`) must stay below :math:`10^{-4}(1 +
|\text{exact}|)`, and then costs a correct loss nothing.

**Dtypes.** The probes are float64 on CPU. Every tolerance is the user's ``tolerance`` plus
:func:`rounding_allowance` of the dtype the function *returns*: :math:`8\,\varepsilon \log_2(m)
M` for :math:`m` summed terms of size :math:`M`, negligible in float64 and about
:math:`10^{-5}` for a float32 loss over :math:`2^{17}` nodes. A float64 result whose error is
within float32 rounding is reported as such. The interpolation coefficients and perturbations
of penalties are checked to float32 rounding whatever the dtype, as they are often drawn in
float32.

This package imports torch (the numeric core does not).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from gantheory.testing.conformance._core import (
    ConformanceReport,
    PropertyResult,
    quantile_nodes,
    rounding_allowance,
)
from gantheory.testing.conformance.gan import GAN_KINDS, REFERENCE, check_gan_loss
from gantheory.testing.conformance.penalties import PENALTY_KINDS, check_gradient_penalty
from gantheory.testing.conformance.vae import check_vae_kl

__all__ = [
    "KINDS",
    "ConformanceReport",
    "PropertyResult",
    "assert_conforms",
    "check_gan_loss",
    "check_gradient_penalty",
    "check_loss",
    "check_vae_kl",
    "quantile_nodes",
    "rounding_allowance",
]

#: gantheory's GAN losses by kind (the same dict as :data:`.gan.REFERENCE`).
_REFERENCE = REFERENCE

#: The kinds :func:`check_loss` knows.
KINDS = (*GAN_KINDS, *PENALTY_KINDS, "gaussian_kl_standard")


def check_loss(fn: Callable[..., torch.Tensor], kind: str, **options: Any) -> ConformanceReport:
    """Check ``fn`` as the loss ``kind`` (one of :data:`KINDS`); options go to the checker.

    The GAN kinds go to :func:`check_gan_loss`, the penalties to
    :func:`check_gradient_penalty`, ``"gaussian_kl_standard"`` to :func:`check_vae_kl`; all
    take ``reduction=`` and ``name=``, the GAN kinds and the KL ``scale=``, the GAN kinds and
    the penalties ``sample_shape=``.

    Examples
    --------
    >>> from gantheory.losses import minimax_d_loss
    >>> print(check_loss(minimax_d_loss, "minimax_d"))  # doctest: +ELLIPSIS
    conformance of minimax_d_loss as 'minimax_d': PASS
      PASS  value at D*   ...
    """
    if kind in GAN_KINDS:
        return check_gan_loss(fn, kind, **options)
    if kind in PENALTY_KINDS:
        if "scale" in options:
            raise ValueError("scale does not apply to a penalty: its factor is weight= "
                             "(measured from the function when omitted)")
        return check_gradient_penalty(fn, kind=kind, **options)
    if kind == "gaussian_kl_standard":
        return check_vae_kl(fn, **options)
    raise ValueError(f"kind must be one of {KINDS}; got {kind!r}")


def assert_conforms(fn: Callable[..., torch.Tensor], kind: str, **options: Any
                    ) -> ConformanceReport:
    """One line in a test suite: :func:`check_loss`, raising AssertionError with the report.

    Returns the report when every property held.

    Examples
    --------
    >>> from gantheory.losses import hinge_d_loss
    >>> assert_conforms(hinge_d_loss, "hinge_d").passed
    True
    >>> assert_conforms(lambda r, f: (-r).relu().mean() + f.relu().mean(), "hinge_d",
    ...                 name="hinge_without_margin")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: conformance of hinge_without_margin as 'hinge_d': FAIL value at D*, margin
    ...
    """
    report = check_loss(fn, kind, **options)
    report.assert_conforms()
    return report
