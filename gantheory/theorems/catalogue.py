"""The theorem catalogue that ``gantheory verify`` runs, in lecture order.

=========================  ====================================================================
``optimal-discriminator``  D* = p_data/(p_data + p_g) maximises V (Goodfellow et al. 2014, Prop. 1)
``criterion-jsd``          C(G) = -log 4 + 2 JSD, minimum only at p_g = p_data (Theorem 1)
``jsd-bounds``             0 <= JSD <= log 2; log 2 for disjoint supports and manifolds
``gibbs``                  KL >= 0, KL(p||p) = 0, asymmetry
``kl-mle``                 maximum likelihood is KL minimisation
``gaussian-kl``            Gaussian KL closed form = quadrature = Monte Carlo
``vae-kl``                 the VAE KL term, its gradients, the lecture form
``mode-seeking``           forward KL covers modes, reverse KL seeks one, JSD in between
``ns-gradient``            the -log D gradient = grad of KL(P_g||P_r) - 2 JSD (Arjovsky-Bottou)
``vanishing-gradient``     minimax gradient vanishes as supports separate, -log D does not
``f-gan``                  variational bound of f-divergences, equality at T* (Nowozin et al.)
``dirac-eigenvalues``      Dirac-GAN Jacobian eigenvalues per method (Mescheder et al. 2018)
``dirac-dynamics``         Dirac-GAN gradient steps: diverge, cycle or converge as predicted
=========================  ====================================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gantheory.theorems import dirac, fgan, gan, gradients, kl, mle, modes
from gantheory.theorems.base import Theorem, TheoremResult

#: Every theorem, in the order of the lectures.
CATALOGUE: tuple[Theorem, ...] = (
    *gan.THEOREMS,
    kl.GIBBS,
    *mle.THEOREMS,
    kl.GAUSSIAN_KL,
    kl.VAE_KL,
    *modes.THEOREMS,
    *gradients.THEOREMS,
    *fgan.THEOREMS,
    *dirac.THEOREMS,
)


def get(key: str) -> Theorem:
    """The theorem with ``key``; ValueError naming the known keys otherwise."""
    for theorem in CATALOGUE:
        if theorem.key == key:
            return theorem
    known = ", ".join(t.key for t in CATALOGUE)
    raise ValueError(f"unknown theorem {key!r}; known theorems: {known}")


def select(keys: Iterable[str] | None = None) -> tuple[Theorem, ...]:
    """The theorems named by ``keys`` (all by default), every key checked first."""
    return CATALOGUE if keys is None else tuple(get(k) for k in keys)


def run(keys: Iterable[str] | None = None) -> Iterator[TheoremResult]:
    """Run the theorems named by ``keys`` (all by default), yielding each result as it is done."""
    for theorem in select(keys):
        yield theorem.run()
