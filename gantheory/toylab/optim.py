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

**One buffer for all parameters.** The state (Adam's moments, SGD's momentum) lives in one
``(M, P)`` tensor per quantity, with a view per parameter; when the parameters themselves are
the views of :func:`gantheory.toylab.nets.flatten`, a step is a few element-wise operations on
``(M, P)`` buffers with the learning rates as an ``(M, 1)`` column, whatever the number of
layers. Otherwise (any list of stacked tensors) the gradients are gathered into one buffer and
the updates written back tensor by tensor; the arithmetic, element by element, is the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

from gantheory.toylab.nets import flat_base


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
        self._rates = self.lr  # the rates in use: lr times the schedule's factor
        self._flat_lr = self.lr.reshape(-1, 1)  # (M, 1)
        self._flat_params = flat_base(self.params)
        self._sizes = [p[0].numel() for p in self.params]
        self._scratch: tuple[torch.Tensor, ...] | None = None
        self._grad: torch.Tensor | None = None
        self.step_count = 0

    def set_rate_factor(self, factor: float) -> None:
        """Use ``factor`` times the learning rates ``lr`` from the next step on (a schedule);
        ``lr`` itself, which checkpoints record, stays.
        """
        self._rates = self.lr * float(factor)
        self._flat_lr = self._rates.reshape(-1, 1)

    def _rate(self, p: torch.Tensor) -> torch.Tensor:
        return self._rates.reshape((-1,) + (1,) * (p.ndim - 1))  # (M, 1, ..., 1)

    def _buffer(self) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """A zero ``(M, P)`` buffer and its views shaped like the parameters."""
        p0 = self.params[0]
        flat = torch.zeros(p0.shape[0], sum(self._sizes), dtype=p0.dtype, device=p0.device)
        return flat, list(self._split(flat))

    def _split(self, flat: torch.Tensor) -> list[torch.Tensor]:
        out, start = [], 0
        for p, size in zip(self.params, self._sizes, strict=True):
            out.append(flat[:, start:start + size].view(p.shape))
            start += size
        return out

    def _gather(self, grads: Sequence[torch.Tensor] | None) -> torch.Tensor | None:
        """The gradients as one ``(M, P)`` tensor, or None if some parameter has none."""
        if grads is None:
            grads = [p.grad for p in self.params]
        elif len(grads) != len(self.params):
            raise ValueError(f"grads must hold one tensor per parameter ({len(self.params)}); "
                             f"got {len(grads)}")
        if any(g is None for g in grads):
            return None
        m = self.params[0].shape[0]
        if self._grad is None:
            self._grad = torch.empty(m, sum(self._sizes), dtype=grads[0].dtype,
                                     device=grads[0].device)
        return torch.cat([g.reshape(m, -1) for g in grads], dim=1, out=self._grad)

    def _apply(self, update: torch.Tensor) -> None:
        """Subtract an ``(M, P)`` update from the parameters."""
        if self._flat_params is not None:
            self._flat_params.sub_(update)
        else:
            for p, u in zip(self.params, self._split(update), strict=True):
                p.sub_(u)

    def zero_grad(self) -> None:
        """Drop the accumulated gradients."""
        for p in self.params:
            p.grad = None

    _buffer_names: tuple[str, ...] = ()

    def state_dict(self) -> dict[str, object]:
        """The step count and the ``(M, P)`` state buffers, copied (for a checkpoint)."""
        state: dict[str, object] = {"step_count": self.step_count}
        for name in self._buffer_names:
            state[name] = getattr(self, "_" + name).clone()
        return state

    def load_state_dict(self, state: dict[str, object]) -> None:
        """Restore what :meth:`state_dict` returned (buffers of the same shape)."""
        for name in self._buffer_names:
            buf, saved = getattr(self, "_" + name), state[name]
            if tuple(saved.shape) != tuple(buf.shape):
                raise ValueError(f"optimiser state {name!r} has shape {tuple(saved.shape)}; "
                                 f"this optimiser's is {tuple(buf.shape)}")
            buf.copy_(saved)
        self.step_count = int(state["step_count"])


class StackedAdam(_Stacked):
    r"""Adam with a learning rate per seed.

    Parameters
    ----------
    params : list of torch.Tensor
        Stacked parameters, seed axis first (the views of
        :func:`~gantheory.toylab.nets.flatten` for the fastest steps).
    lr : float or sequence of float or tensor of shape (M,)
        Learning rate(s), one for all seeds or one per seed.
    betas : (float, float)
        :math:`(\beta_1, \beta_2)`.
    eps : float
        :math:`\epsilon`.
    """

    _buffer_names = ("m", "v")

    def __init__(self, params, lr=1e-4, betas=(0.5, 0.999), eps=1e-8) -> None:
        super().__init__(params, lr)
        b1, b2 = (float(b) for b in betas)
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must lie in [0, 1); got {betas!r}")
        self.betas = (b1, b2)
        self.eps = float(eps)
        self._m, self.m = self._buffer()
        self._v, self.v = self._buffer()

    def state(self) -> tuple[int, list[torch.Tensor], list[torch.Tensor]]:
        """The optimiser's state ``(t, m, v)`` as it stands, for :meth:`lookahead`."""
        return self.step_count, list(self.m), list(self.v)

    def lookahead(self, params: Sequence[torch.Tensor], grads: Sequence[torch.Tensor],
                  state: tuple[int, list[torch.Tensor], list[torch.Tensor]]
                  ) -> tuple[list[torch.Tensor], tuple[int, list, list]]:
        r"""One update as a function, differentiable in ``params`` and ``grads``.

        Returns the updated parameters and state, leaving the optimiser untouched: what the
        unrolled GAN needs (Metz et al. 2017 unroll the discriminator's own optimiser). The
        square root is taken of :math:`v/(1-\beta_2^t) + 10^{-30}`, so that its derivative stays
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
    def step(self, grads: Sequence[torch.Tensor] | None = None) -> None:
        """One update from ``grads`` (one per parameter) or, by default, from ``p.grad``.

        Parameters without a gradient are skipped (their state is not advanced either).
        """
        self.step_count += 1
        b1, b2 = self.betas
        c1 = 1.0 - b1**self.step_count
        c2 = 1.0 - b2**self.step_count
        g = self._gather(grads)
        if g is None:  # some parameters have no gradient: tensor by tensor
            grads = [p.grad for p in self.params] if grads is None else grads
            for p, gp, m, v in zip(self.params, grads, self.m, self.v, strict=True):
                if gp is not None:
                    self._update(p, gp, m, v, self._rate(p), c1, c2)
            return
        m, v = self._m, self._v  # (M, P)
        if self._scratch is None:
            self._scratch = (torch.empty_like(m), torch.empty_like(m))
        denom, update = self._scratch  # no allocation per step
        m.mul_(b1).add_(g, alpha=1.0 - b1)
        v.mul_(b2).addcmul_(g, g, value=1.0 - b2)
        torch.div(v, c2, out=denom).sqrt_().add_(self.eps)
        torch.div(m, c1, out=update).mul_(self._flat_lr).div_(denom)  # rate * m_hat / denom
        self._apply(update)

    def _update(self, p, g, m, v, rate, c1, c2) -> None:
        m.mul_(self.betas[0]).add_(g, alpha=1.0 - self.betas[0])
        v.mul_(self.betas[1]).addcmul_(g, g, value=1.0 - self.betas[1])
        denom = v.div(c2).sqrt_().add_(self.eps)
        p.sub_(m.div(c1).mul_(rate).div_(denom))


class StackedSGD(_Stacked):
    """SGD with (heavy-ball) momentum and a learning rate per seed."""

    _buffer_names = ("buffers",)

    def __init__(self, params, lr=1e-2, momentum=0.0) -> None:
        super().__init__(params, lr)
        if not 0.0 <= float(momentum) < 1.0:
            raise ValueError(f"momentum must lie in [0, 1); got {momentum!r}")
        self.momentum = float(momentum)
        self._buffers, self.buffers = self._buffer()

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
    def step(self, grads: Sequence[torch.Tensor] | None = None) -> None:
        """One update from ``grads`` (one per parameter) or, by default, from ``p.grad``."""
        self.step_count += 1
        g = self._gather(grads)
        if g is None:
            grads = [p.grad for p in self.params] if grads is None else grads
            for p, gp, buf in zip(self.params, grads, self.buffers, strict=True):
                if gp is not None:
                    self._momentum(buf, gp)
                    p.sub_(buf.mul(self._rate(p)))
            return
        self._momentum(self._buffers, g)
        if self._scratch is None:
            self._scratch = (torch.empty_like(g),)
        self._apply(torch.mul(self._buffers, self._flat_lr, out=self._scratch[0]))

    def _momentum(self, buf: torch.Tensor, g: torch.Tensor) -> None:
        if self.momentum and self.step_count > 1:
            buf.mul_(self.momentum).add_(g)
        else:
            buf.copy_(g)
