"""Divergences between toy distributions: closed forms, quadrature and Monte Carlo.

============================  =============================================================
:func:`kl`                    Kullback-Leibler divergence KL(P || Q)
:func:`jsd`                   Jensen-Shannon divergence (nats, or bits with ``base=2``)
:func:`tv`                    total variation distance
:func:`hellinger2`            squared Hellinger distance 1 - BC
:func:`f_divergence`          any generator of the f-GAN table (:data:`fdiv.TABLE`)
:func:`cross_entropy`         -E_P[log q]
:func:`entropy`               differential entropy
:func:`wasserstein1`          W1 in 1-D, exact through the CDFs
:func:`w2_gaussian`           W2 between Gaussians, closed form
============================  =============================================================

Closed forms live in a registry (:mod:`.registry`, :mod:`.closed_form`) and report a bound on
their rounding; numerical integration in :mod:`.numerical` (quadrature in :mod:`.quadrature`,
whose error bounds include rounding); every crossing of two mixtures, certified, in
:mod:`.crossings` (used by 1-D TV, W1 and 2-D TV by sections in :mod:`.sections`).
"""

from gantheory.divergences.api import (
    cross_entropy,
    entropy,
    f_divergence,
    hellinger2,
    jsd,
    kl,
    tv,
    w2_gaussian,
)
from gantheory.divergences.fdiv import TABLE as F_GENERATORS
from gantheory.divergences.fdiv import FGenerator
from gantheory.divergences.numerical import DivergenceResult
from gantheory.divergences.quadrature import QuadratureError
from gantheory.divergences.registry import register, registered_closed_forms
from gantheory.divergences.wasserstein import wasserstein1

__all__ = [
    "F_GENERATORS",
    "DivergenceResult",
    "FGenerator",
    "QuadratureError",
    "cross_entropy",
    "entropy",
    "f_divergence",
    "hellinger2",
    "jsd",
    "kl",
    "register",
    "registered_closed_forms",
    "tv",
    "w2_gaussian",
    "wasserstein1",
]
