r"""GAN losses on discriminator logits, each named for the objective it is.

With :math:`D = \sigma(\ell)` for the logit :math:`\ell`, the identities
:math:`-\log \sigma(\ell) = \operatorname{softplus}(-\ell)` and
:math:`-\log(1 - \sigma(\ell)) = \operatorname{softplus}(\ell)` give forms that are exact and
finite for every logit (the common bug, ``log(sigmoid(1 - logit))``, is not one of them).
Every loss is a **mean over the batch**; half-precision logits are upcast to float32.

* :func:`minimax_d_loss`: :math:`-\mathbb E_\text{data}[\log D] - \mathbb E_g[\log(1 - D)]
  = -V(G, D)`;
* :func:`minimax_g_loss`: :math:`\mathbb E_g[\log(1 - D)]`, saturating (Goodfellow et al. 2014);
* :func:`non_saturating_g_loss`: :math:`-\mathbb E_g[\log D]` (Goodfellow et al. 2014, Sec. 3);
* :func:`lsgan_d_loss`, :func:`lsgan_g_loss`: least squares (Mao et al. 2017);
* :func:`hinge_d_loss`, :func:`hinge_g_loss`: hinge (Lim and Ye 2017);
* :func:`wasserstein_critic_loss`, :func:`wasserstein_g_loss`: WGAN (Arjovsky et al. 2017).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from gantheory.losses import _checks


def _pair(
    real_logits: torch.Tensor, fake_logits: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    real = _checks.upcast(_checks.logits(real_logits, "real_logits"))
    fake = _checks.upcast(_checks.logits(fake_logits, "fake_logits"))
    if real.device != fake.device:
        raise ValueError(
            "real_logits and fake_logits must be on one device; got "
            f"{real.device} and {fake.device}"
        )
    return real, fake


def minimax_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    r"""Discriminator loss of the minimax game, :math:`-V(G, D)`.

    .. math::

        L_D = \frac1N \sum_i \operatorname{softplus}(-\ell^\text{real}_i)
            + \frac1M \sum_j \operatorname{softplus}(\ell^\text{fake}_j)
            = -\mathbb E_\text{data}[\log D] - \mathbb E_g[\log(1 - D)].

    At the optimal discriminator it equals :math:`\log 4 - 2\,\mathrm{JSD}(p_\text{data}\|p_g)`
    (Goodfellow et al. 2014, Theorem 1). Real and fake batches may differ in size.

    Examples
    --------
    >>> import torch
    >>> round(float(minimax_d_loss(torch.zeros(4), torch.zeros(3))), 6)  # D = 1/2: log 4
    1.386294
    """
    real, fake = _pair(real_logits, fake_logits)
    return F.softplus(-real).mean() + F.softplus(fake).mean()


def minimax_g_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    r"""The saturating generator objective :math:`\mathbb E_g[\log(1 - D)]`.

    Computed as :math:`-\mathbb E_g[\operatorname{softplus}(\ell)]`.

    Its gradient vanishes when the discriminator rejects the samples confidently
    (:math:`\ell \to -\infty`): :math:`\partial/\partial\ell = -\sigma(\ell) \to 0`.

    Examples
    --------
    >>> import torch
    >>> round(float(minimax_g_loss(torch.zeros(2))), 6)  # log(1/2)
    -0.693147
    """
    fake = _checks.upcast(_checks.logits(fake_logits, "fake_logits"))
    return -F.softplus(fake).mean()


def non_saturating_g_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    r"""The non-saturating generator objective :math:`-\mathbb E_g[\log D]`.

    Computed as :math:`\mathbb E_g[\operatorname{softplus}(-\ell)]`.

    Its gradient :math:`\partial/\partial\ell = -\sigma(-\ell) \to -1` stays large where
    the discriminator rejects the samples (Goodfellow et al. 2014, Sec. 3).

    Examples
    --------
    >>> import torch
    >>> round(float(non_saturating_g_loss(torch.tensor([-1000.0]))), 1)  # finite, = 1000
    1000.0
    """
    fake = _checks.upcast(_checks.logits(fake_logits, "fake_logits"))
    return F.softplus(-fake).mean()


def lsgan_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    r"""Least-squares discriminator loss with targets 1 (real) and 0 (fake), on raw outputs.

    .. math:: L_D = \tfrac12 \mathbb E_\text{data}[(\ell - 1)^2] + \tfrac12 \mathbb E_g[\ell^2]

    Mao et al. 2017, eq. (2) with :math:`a = 0, b = 1`.
    """
    real, fake = _pair(real_logits, fake_logits)
    return 0.5 * (real - 1.0).pow(2).mean() + 0.5 * fake.pow(2).mean()


def lsgan_g_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    r"""Least-squares generator loss :math:`\tfrac12 \mathbb E_g[(\ell - 1)^2]` (Mao et al.)."""
    fake = _checks.upcast(_checks.logits(fake_logits, "fake_logits"))
    return 0.5 * (fake - 1.0).pow(2).mean()


def hinge_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    r"""Hinge discriminator loss.

    .. math:: L_D = \mathbb E_\text{data}[\max(0, 1 - \ell)] + \mathbb E_g[\max(0, 1 + \ell)]


    Lim and Ye 2017 (Geometric GAN); Miyato et al. 2018.
    """
    real, fake = _pair(real_logits, fake_logits)
    return F.relu(1.0 - real).mean() + F.relu(1.0 + fake).mean()


def hinge_g_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    r"""Hinge generator loss :math:`-\mathbb E_g[\ell]`."""
    fake = _checks.upcast(_checks.logits(fake_logits, "fake_logits"))
    return -fake.mean()


def wasserstein_critic_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    r"""WGAN critic loss :math:`\mathbb E_g[f] - \mathbb E_\text{data}[f]` (no sigmoid, no log).

    Minimising it maximises the Kantorovich-Rubinstein dual
    :math:`\mathbb E_\text{data}[f] - \mathbb E_g[f]` over (approximately) 1-Lipschitz
    critics (Arjovsky, Chintala and Bottou 2017, eq. (3)).
    """
    real, fake = _pair(real_scores, fake_scores)
    return fake.mean() - real.mean()


def wasserstein_g_loss(fake_scores: torch.Tensor) -> torch.Tensor:
    r"""WGAN generator loss :math:`-\mathbb E_g[f]`."""
    fake = _checks.upcast(_checks.logits(fake_scores, "fake_scores"))
    return -fake.mean()
