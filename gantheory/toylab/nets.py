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
            if self.pieces > 1 and layer < n_layers - 1:
                # compute the pieces piece-major, (M, N, pieces * width), see maxout()
                weight, bias = _piece_major(weight, self.pieces), _piece_major(bias, self.pieces)
            h = torch.baddbmm(bias, h, weight)  # (M, N, fan_out)
            if layer < n_layers - 1:
                if self.pieces > 1:
                    h = maxout(h, self.pieces)
                else:
                    h = act(h)
        return h


def _piece_major(t: torch.Tensor, pieces: int) -> torch.Tensor:
    """Columns ``u * pieces + k`` (unit-major, the stored layout) reordered to ``k * width + u``."""
    return t.unflatten(-1, (-1, pieces)).transpose(-1, -2).flatten(-2)


class _MaxOverPieces(torch.autograd.Function):
    r"""``h.amax(-2)`` for ``h`` of shape ``(..., pieces, width)``, with a faster backward.

    The gradient is :func:`torch.amax`'s, bit for bit: each unit's gradient goes to the pieces
    that attain the maximum, shared equally among exact ties,
    :math:`\partial h_k = [h_k = \max] \, g / \#\{j : h_j = \max\}`. PyTorch's own formula
    builds that mask with comparisons and booleans, which on a CPU cost several times more per
    element than arithmetic; here the mask is :math:`1 - \operatorname{sign}(\max - h_k)`
    (or, when the backward itself is differentiated, :math:`1 - [\max - h_k > 0]` from ReLU's
    backward), all in floating point. The mask is a constant (computed without gradient), so
    the backward is differentiable in :math:`g` and double backward (gradient penalties,
    unrolled steps) works.
    """

    @staticmethod
    def forward(ctx, h: torch.Tensor) -> torch.Tensor:
        out = h.amax(dim=-2, keepdim=True)  # (..., 1, width)
        ctx.save_for_backward(h, out)
        return out.squeeze(-2)

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        h, out = ctx.saved_tensors
        if torch.is_grad_enabled():  # create_graph: a differentiable expression in grad
            with torch.no_grad():
                below = out - h  # (..., pieces, width), >= 0, and 0 exactly at the maximum
                ones = torch.ones((), dtype=h.dtype, device=h.device).expand_as(below)
                hit = 1 - torch.ops.aten.threshold_backward(ones, below, 0.0)  # 1 at the max
                count = hit.sum(dim=-2)  # (..., width), 1 unless there is a tie
            return hit * (grad / count).unsqueeze(-2)
        # The same numbers piece by piece, into one preallocated gradient: fewer passes over
        # memory. sign(max - h_k) is 0 where piece k attains the maximum and 1 elsewhere, so
        # grad - grad * sign is grad or exactly 0; ties are rare and divided afterwards.
        pieces = h.shape[-2]
        out = out.squeeze(-2)
        grad_h = torch.empty_like(h)
        losers = torch.zeros_like(out)  # (..., width): pieces below the maximum
        sign = torch.empty_like(out)
        for k in range(pieces):
            torch.sub(out, h.select(-2, k), out=sign).sign_()
            torch.addcmul(grad, grad, sign, value=-1, out=grad_h.select(-2, k))
            losers.add_(sign)
        if bool((losers < pieces - 1).any()):  # a tie: share the gradient equally
            grad_h.div_((pieces - losers).unsqueeze(-2))
        return grad_h


def maxout(h: torch.Tensor, pieces: int) -> torch.Tensor:
    r"""The maxout of pre-activations laid out piece-major: ``(..., pieces * w) -> (..., w)``.

    Unit :math:`u` outputs :math:`\max_k h_{k w + u}`, with :func:`torch.amax`'s gradient.
    (The stored weights are unit-major, unit :math:`u`'s pieces in columns
    :math:`u p, \dots, u p + p - 1`; :class:`StackedMLP` reorders the columns of a maxout
    layer's weight and bias before the product, so that the maximum runs over contiguous
    blocks, several times faster on a CPU than over groups of ``p`` neighbouring columns.)

    Examples
    --------
    >>> h = torch.tensor([[1.0, 5.0, 3.0, 4.0, 2.0, 6.0]])  # 3 pieces of 2 units
    >>> maxout(h, 3)
    tensor([[3., 6.]])
    """
    return _MaxOverPieces.apply(h.unflatten(-1, (pieces, -1)))


def flatten(params: Sequence[torch.Tensor]) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """One buffer of shape ``(M, P)`` for all of a stack's parameters, and views into it.

    Returns ``(flat, views)``: ``flat`` holds seed ``i``'s ``P`` parameters in row ``i``,
    one tensor after the other; ``views[j]`` has the shape and values of ``params[j]``, is a
    leaf that requires grad, and shares ``flat``'s memory, so that an optimiser can update
    every parameter of every seed with a few operations on ``flat``
    (:mod:`gantheory.toylab.optim` does when it is given such views).

    Examples
    --------
    >>> net = StackedMLP(2, 1, hidden=(3,))
    >>> flat, views = flatten(net.init([0, 1]))
    >>> flat.shape, [tuple(v.shape) for v in views]  # 2*3 + 3 + 3*1 + 1 = 13 per seed
    (torch.Size([2, 13]), [(2, 2, 3), (2, 1, 3), (2, 3, 1), (2, 1, 1)])
    >>> with torch.no_grad():
    ...     flat[1, 0] = 5.0
    >>> float(views[0].detach()[1, 0, 0])
    5.0
    """
    if not params:
        raise ValueError("params must not be empty")
    m = params[0].shape[0]
    flat = torch.cat([p.detach().reshape(m, -1) for p in params], dim=1)  # (M, P)
    views, start = [], 0
    for p in params:
        size = p[0].numel()
        views.append(flat[:, start:start + size].view(p.shape).requires_grad_())
        start += size
    return flat, views


def flat_base(params: Sequence[torch.Tensor]) -> torch.Tensor | None:
    """The ``(M, P)`` buffer whose views ``params`` are, in order (:func:`flatten`), or None."""
    base = params[0]._base
    if base is None or base.ndim != 2 or not base.is_contiguous():
        return None
    m, total = base.shape
    start = base.storage_offset()
    for p in params:
        size = p[0].numel() if p.ndim else 0
        if (p._base is not base or p.ndim < 2 or p.shape[0] != m or p.storage_offset() != start
                or p.stride(0) != total or not p[0].is_contiguous()):
            return None
        start += size
    return base if start == base.storage_offset() + total else None


def select(params: Sequence[torch.Tensor], index: int | slice) -> list[torch.Tensor]:
    """The parameters of some seeds of a stack (detached copies), e.g. to compare runs."""
    return [p.detach()[index].clone() for p in params]
