r"""Element-wise optimisers for stacked parameters, with one learning rate per seed.

Adam and SGD with momentum act on every scalar parameter separately, so one optimiser over the
stacked tensors of :mod:`gantheory.toylab.nets` is exactly ``M`` optimisers over ``M`` networks.
What :class:`torch.optim.Adam` cannot do is give each seed its own learning rate (it takes one
number per parameter group); these take a learning rate of shape ``(M,)``, so a learning-rate
sweep runs as one batched computation too.

The update rules are PyTorch's (the tests compare them with :class:`torch.optim.Adam` and
:class:`torch.optim.SGD`):

.. math::

    m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t,\quad
    v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2,\quad
    \theta_t = \theta_{t-1} - \eta\, \frac{m_t / (1 - \beta_1^t)}{\sqrt{v_t / (1 - \beta_2^t)}
    + \epsilon}

(Kingma and Ba 2015, Algorithm 1) and :math:`b_t = \mu b_{t-1} + g_t,\ \theta_t = \theta_{t-1}
- \eta b_t` for SGD with momentum :math:`\mu`.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def _learning_rates(lr: float | Sequence[float] | torch.Tensor, n_seeds: int,
                    like: torch.Tensor) -> torch.Tensor:
    rates = torch.as_tensor(lr, dtype=like.dtype, device=like.device).reshape(-1)
    if rates.numel() == 1:
        rates = rates.expand(n_seeds)
    if rates.numel() != n_seeds:
        raise ValueError(f"lr must be one number or one per seed ({n_seeds}); got {rates.numel()}")
    if not bool(torch.all(rates > 0)):
        raise ValueError("lr must be > 0")
    return rates


class _Stacked:
    def __init__(self, params: Sequence[torch.Tensor], lr) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("params must not be empty")
        n_seeds = self.params[0].shape[0]
        self.lr = _learning_rates(lr, n_seeds, self.params[0])
        self.step_count = 0

    def _rate(self, p: torch.Tensor) -> torch.Tensor:
        return self.lr.reshape((-1,) + (1,) * (p.ndim - 1))  # (M, 1, ..., 1)

    def zero_grad(self) -> None:
        """Drop the accumulated gradients."""
        for p in self.params:
            p.grad = None


class StackedAdam(_Stacked):
    r"""Adam with a learning rate per seed.

    Parameters
    ----------
    params : list of torch.Tensor
        Stacked parameters, seed axis first.
    lr : float or sequence of float or tensor of shape (M,)
        Learning rate(s), one for all seeds or one per seed.
    betas : (float, float)
        :math:`(\beta_1, \beta_2)`.
    eps : float
        :math:`\epsilon`.
    """

    def __init__(self, params, lr=1e-4, betas=(0.5, 0.999), eps=1e-8) -> None:
        super().__init__(params, lr)
        b1, b2 = (float(b) for b in betas)
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must lie in [0, 1); got {betas!r}")
        self.betas = (b1, b2)
        self.eps = float(eps)
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def state(self) -> tuple[int, list[torch.Tensor], list[torch.Tensor]]:
        """The optimiser's state ``(t, m, v)`` as it stands, for :meth:`lookahead`."""
        return self.step_count, list(self.m), list(self.v)

    def lookahead(self, params: Sequence[torch.Tensor], grads: Sequence[torch.Tensor],
                  state: tuple[int, list[torch.Tensor], list[torch.Tensor]]
                  ) -> tuple[list[torch.Tensor], tuple[int, list, list]]:
        r"""One update as a function, differentiable in ``params`` and ``grads``.

        Returns the updated parameters and state, leaving the optimiser untouched: what the
        unrolled GAN needs (Metz et al. 2017 unroll the discriminator's own optimiser). The
        square root is taken of :math:`v/(1-eta_2^t) + 10^{-30}`, so that its derivative stays
        finite where :math:`v = 0`; the value differs from :meth:`step`'s by under
        :math:`10^{-15}` in a denominator that holds :math:`\epsilon = 10^{-8}`.
        """
        t, ms, vs = state
        t += 1
        b1, b2 = self.betas
        c1, c2 = 1.0 - b1**t, 1.0 - b2**t
        new_p, new_m, new_v = [], [], []
        for p, g, m, v in zip(params, grads, ms, vs, strict=True):
            m = b1 * m + (1.0 - b1) * g
            v = b2 * v + (1.0 - b2) * g * g
            new_p.append(p - self._rate(p) * (m / c1) / (torch.sqrt(v / c2 + 1e-30) + self.eps))
            new_m.append(m)
            new_v.append(v)
        return new_p, (t, new_m, new_v)

    @torch.no_grad()
    def step(self) -> None:
        """One update from the gradients in ``p.grad`` (parameters without one are skipped)."""
        self.step_count += 1
        b1, b2 = self.betas
        c1 = 1.0 - b1**self.step_count
        c2 = 1.0 - b2**self.step_count
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            if p.grad is None:
                continue
            m.mul_(b1).add_(p.grad, alpha=1.0 - b1)
            v.mul_(b2).addcmul_(p.grad, p.grad, value=1.0 - b2)
            denom = (v / c2).sqrt_().add_(self.eps)
            p.sub_(self._rate(p) * (m / c1) / denom)


class StackedSGD(_Stacked):
    """SGD with (heavy-ball) momentum and a learning rate per seed."""

    def __init__(self, params, lr=1e-2, momentum=0.0) -> None:
        super().__init__(params, lr)
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(f"momentum must lie in [0, 1); got {momentum!r}")
        self.momentum = float(momentum)
        self.buffers = [torch.zeros_like(p) for p in self.params]

    def state(self) -> tuple[int, list[torch.Tensor]]:
        """The optimiser's state ``(t, buffers)`` as it stands, for :meth:`lookahead`."""
        return self.step_count, list(self.buffers)

    def lookahead(self, params: Sequence[torch.Tensor], grads: Sequence[torch.Tensor],
                  state: tuple[int, list[torch.Tensor]]
                  ) -> tuple[list[torch.Tensor], tuple[int, list]]:
        """One update as a function, differentiable in ``params`` and ``grads`` (see Adam's)."""
        t, buffers = state
        t += 1
        new_p, new_b = [], []
        for p, g, b in zip(params, grads, buffers, strict=True):
            b = self.momentum * b + g if (self.momentum and t > 1) else g
            new_p.append(p - self._rate(p) * b)
            new_b.append(b)
        return new_p, (t, new_b)

    @torch.no_grad()
    def step(self) -> None:
        """One update from the gradients in ``p.grad``."""
        self.step_count += 1
        for p, buf in zip(self.params, self.buffers, strict=True):
            if p.grad is None:
                continue
            if self.momentum and self.step_count > 1:
                buf.mul_(self.momentum).add_(p.grad)
            else:
                buf.copy_(p.grad)
            p.sub_(self._rate(p) * buf)
