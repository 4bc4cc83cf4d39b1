r"""Small networks for M independent seeds at once: stacked parameters, batched matrix products.

A *stacked* network holds the parameters of ``M`` networks of one architecture in tensors with
a leading seed axis, and maps inputs of shape ``(M, N, d_in)`` to ``(M, N, d_out)`` with
:func:`torch.baddbmm`, one matrix product per layer for all seeds. Seed ``i`` sees only its own
inputs and its own weights, so training the stack on the **sum over seeds** of the per-seed
losses gives every seed exactly the gradient it would get alone; with an element-wise optimiser
(:class:`StackedAdam`, :class:`StackedSGD`) the trajectories are those of ``M`` separate runs.

The networks are *functional*: :meth:`StackedMLP.init` returns the parameter list and
:meth:`StackedMLP.apply` takes it as an argument. That is what the unrolled GAN needs (the
generator's loss is taken at discriminator parameters a few differentiable steps ahead) and it
keeps the optimisers trivial.

Initialisation is per seed: seed ``s`` draws its weights from ``torch.Generator().manual_seed(s)``,
so network ``i`` of a stack built from ``seeds`` equals the network built alone from
``[seeds[i]]``. The distribution is that of :class:`torch.nn.Linear`: weights and biases
uniform on :math:`\pm 1/\sqrt{\text{fan-in}}`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from gantheory import _validation as val

ACTIVATIONS = {
    "relu": torch.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "tanh": torch.tanh,
    "elu": F.elu,
}


def _check_seeds(seeds: object) -> list[int]:
    if isinstance(seeds, (int, bool)) or not isinstance(seeds, Sequence) or len(seeds) == 0:
        raise ValueError(f"seeds must be a non-empty sequence of integers; got {seeds!r}")
    out = []
    for s in seeds:
        if isinstance(s, bool) or not isinstance(s, int) or s < 0:
            raise ValueError(f"seeds must hold integers >= 0; got {s!r}")
        out.append(s)
    return out


@dataclass(frozen=True)
class StackedMLP:
    r"""A multilayer perceptron, ``M`` copies with independent parameters.

    Layer :math:`l` computes :math:`h_{l+1} = a(h_l W_l + b_l)` for the hidden layers and
    :math:`h_L W_L + b_L` (no activation) for the output. With ``pieces > 1`` every hidden layer
    is a *maxout* layer (Goodfellow et al. 2013): it computes ``pieces`` affine maps and keeps
    their maximum, the discriminator of PacGAN (Lin et al. 2018: 3 maxout layers of 200 units,
    5 pieces).

    Parameters
    ----------
    d_in, d_out : int
        Input and output sizes.
    hidden : tuple of int
        Hidden layer widths (may be empty: an affine map).
    activation : {"relu", "leaky_relu", "tanh", "elu"}
        Hidden activation (ignored for maxout layers).
    pieces : int
        Maxout pieces per hidden unit; 1 for an ordinary layer.

    Examples
    --------
    >>> import torch
    >>> net = StackedMLP(2, 1, hidden=(16, 16))
    >>> params = net.init([0, 1, 2])
    >>> net.apply(params, torch.zeros(3, 5, 2)).shape  # (M, N, d_out)
    torch.Size([3, 5, 1])
    >>> alone = net.init([1])
    >>> all(torch.equal(p[1], q[0]) for p, q in zip(params, alone))  # seed 1 is seed 1
    True
    """

    d_in: int
    d_out: int
    hidden: tuple[int, ...] = (128, 128)
    activation: str = "relu"
    pieces: int = 1

    def __post_init__(self) -> None:
        val.check_int(self.d_in, "d_in", minimum=1)
        val.check_int(self.d_out, "d_out", minimum=1)
        val.check_int(self.pieces, "pieces", minimum=1)
        if not isinstance(self.hidden, tuple):
            raise TypeError(f"hidden must be a tuple of widths; got {type(self.hidden).__name__}")
        for w in self.hidden:
            val.check_int(w, "hidden width", minimum=1)
        if self.activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {sorted(ACTIVATIONS)}; got {self.activation!r}"
            )

    @property
    def shapes(self) -> list[tuple[int, int]]:
        """``(fan_in, fan_out)`` of every affine map, maxout pieces included in fan_out."""
        sizes = (self.d_in, *self.hidden)
        out = [(a, b * self.pieces) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        return out + [(sizes[-1], self.d_out)]

    def init(self, seeds: Sequence[int], *, device: torch.device | str = "cpu",
             dtype: torch.dtype = torch.float32) -> list[torch.Tensor]:
        """Parameters ``[W_0, b_0, W_1, b_1, ...]``, ``W_l`` of shape ``(M, fan_in, fan_out)``
        and ``b_l`` of shape ``(M, 1, fan_out)``, leaf tensors that require grad.
        """
        seeds = _check_seeds(seeds)
        per_seed = []
        for s in seeds:
            g = torch.Generator().manual_seed(s)
            tensors = []
            for fan_in, fan_out in self.shapes:
                bound = 1.0 / math.sqrt(fan_in)
                tensors.append((torch.rand(fan_in, fan_out, generator=g, dtype=torch.float64)
                                * 2 - 1) * bound)
                tensors.append((torch.rand(1, fan_out, generator=g, dtype=torch.float64)
                                * 2 - 1) * bound)
            per_seed.append(tensors)
        return [
            torch.stack([t[j] for t in per_seed]).to(device=device, dtype=dtype).requires_grad_()
            for j in range(len(per_seed[0]))
        ]

    def apply(self, params: Sequence[torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        """Map ``x`` of shape ``(M, N, d_in)`` to ``(M, N, d_out)`` with the given parameters."""
        if x.ndim != 3 or x.shape[-1] != self.d_in:
            raise ValueError(
                f"x must have shape (M, N, {self.d_in}); got {tuple(x.shape)}"
            )
        if x.shape[0] != params[0].shape[0]:
            raise ValueError(
                f"x holds {x.shape[0]} seeds but the parameters {params[0].shape[0]}"
            )
        act = ACTIVATIONS[self.activation]
        h = x
        n_layers = len(params) // 2
        for layer in range(n_layers):
            weight, bias = params[2 * layer], params[2 * layer + 1]
            h = torch.baddbmm(bias, h, weight)  # (M, N, fan_out)
            if layer < n_layers - 1:
                if self.pieces > 1:
                    h = h.unflatten(-1, (-1, self.pieces)).amax(dim=-1)  # maxout
                else:
                    h = act(h)
        return h


def select(params: Sequence[torch.Tensor], index: int | slice) -> list[torch.Tensor]:
    """The parameters of some seeds of a stack (detached copies), e.g. to compare runs."""
    return [p.detach()[index].clone() for p in params]
