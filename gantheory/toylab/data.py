r"""Drawing toy targets in torch, on the training device, for many seeds at once.

The numpy :class:`~gantheory.distributions.GaussianMixture` is the reference (its exact pdf
serves the metrics); :class:`MixtureSampler` draws the same mixture in torch so that training
never leaves the device: component :math:`k \sim \text{Categorical}(w)`, then
:math:`x = \mu_k + L_k \varepsilon` with :math:`L_k L_k^\top = \Sigma_k` and
:math:`\varepsilon \sim N(0, I)`.
"""

from __future__ import annotations

import numpy as np
import torch

from gantheory.distributions import GaussianMixture


class MixtureSampler:
    """Samples of a :class:`~gantheory.distributions.GaussianMixture` as torch tensors.

    Parameters
    ----------
    target : GaussianMixture
        The mixture (a :class:`~gantheory.distributions.Gaussian` is one too).
    device : torch.device or str
        Where the samples are made.
    dtype : torch.dtype
        Their floating-point type.

    Examples
    --------
    >>> import torch
    >>> from gantheory.presets import ring
    >>> sampler = MixtureSampler(ring())
    >>> x = sampler.sample((4, 100), torch.Generator().manual_seed(0))
    >>> x.shape  # (M, N, d)
    torch.Size([4, 100, 2])
    >>> bool(((x.norm(dim=-1) - 1).abs() < 0.1).all())  # all on the unit ring
    True
    """

    def __init__(self, target: GaussianMixture, device: torch.device | str = "cpu",
                 dtype: torch.dtype = torch.float32) -> None:
        if not isinstance(target, GaussianMixture):
            raise TypeError(
                f"target must be a GaussianMixture (a toy density with a known pdf); got "
                f"{type(target).__name__}"
            )
        self.target = target
        self.dim = target.dim
        self.device = torch.device(device)
        self.dtype = dtype
        self.weights = torch.as_tensor(target.weights, dtype=torch.float64, device=self.device)
        self.means = torch.as_tensor(np.asarray(target.means), dtype=dtype, device=self.device)
        chol = np.linalg.cholesky(np.asarray(target.covs))  # (K, d, d)
        self.chol = torch.as_tensor(chol, dtype=dtype, device=self.device)

    def sample(self, shape: tuple[int, ...], generator: torch.Generator | None = None
               ) -> torch.Tensor:
        """Independent draws of shape ``(*shape, d)``."""
        n = int(np.prod(shape))
        comp = torch.multinomial(self.weights, n, replacement=True, generator=generator)
        eps = torch.randn(n, self.dim, 1, generator=generator, device=self.device,
                          dtype=self.dtype)
        x = self.means[comp] + (self.chol[comp] @ eps)[..., 0]  # (n, d)
        return x.reshape(*shape, self.dim)
