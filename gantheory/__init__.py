r"""gantheory: the theory of GANs and VAEs as something you can run.

The numeric core (numpy/scipy; imports without torch):

Distributions
    :class:`Gaussian`, :class:`GaussianMixture`, :class:`Uniform`, :class:`LineUniform`
    (:mod:`gantheory.distributions`), named targets in :mod:`gantheory.presets`.
Divergences
    :func:`kl`, :func:`jsd`, :func:`tv`, :func:`hellinger2`, :func:`f_divergence`,
    :func:`cross_entropy`, :func:`entropy`, :func:`wasserstein1`, :func:`w2_gaussian`
    (:mod:`gantheory.divergences`): closed forms from a registry, deterministic quadrature in
    1-D and 2-D with an error bound, Monte Carlo with a standard error beyond.
The optimal discriminator
    :func:`optimal_discriminator`, :func:`value_function`, :func:`training_criterion`
    (:mod:`gantheory.discriminator`).
The VAE's Gaussian KL
    :func:`gaussian_kl_standard` and its gradients (:mod:`gantheory.vae_kl`).
Samples, fits and dynamics
    :class:`~gantheory.kde.GaussianKDE` (a distribution: every divergence takes it),
    :func:`~gantheory.sample_metrics.mode_metrics` and
    :func:`~gantheory.sample_metrics.w1_to_target_1d`, :func:`~gantheory.gaussian_fit.fit_gaussian`,
    :func:`~gantheory.generator_gradients.pathwise_gradients`, the Dirac-GAN
    (:mod:`gantheory.dirac`), the toy lab's configurations and registries
    (:mod:`gantheory.toyconfig`); mean ± standard error (:mod:`gantheory.stats`) and table
    files (:mod:`gantheory.tables`).
Theorems
    :mod:`gantheory.theorems`: the catalogue that ``gantheory verify`` runs.

Torch enters at :mod:`gantheory.losses`; the toy lab's training is :mod:`gantheory.toylab`.
"""

from gantheory.discriminator import (
    OptimalDiscriminator,
    optimal_discriminator,
    training_criterion,
    value_function,
)
from gantheory.distributions import (
    AbsolutelyContinuous,
    Distribution,
    Gaussian,
    GaussianMixture,
    LineUniform,
    NoDensityError,
    Uniform,
)
from gantheory.divergences import (
    DivergenceResult,
    QuadratureError,
    cross_entropy,
    entropy,
    f_divergence,
    hellinger2,
    jsd,
    kl,
    tv,
    w2_gaussian,
    wasserstein1,
)

__version__ = "0.1.0"

__all__ = [
    "AbsolutelyContinuous",
    "Distribution",
    "DivergenceResult",
    "Gaussian",
    "GaussianMixture",
    "LineUniform",
    "NoDensityError",
    "OptimalDiscriminator",
    "QuadratureError",
    "Uniform",
    "__version__",
    "cross_entropy",
    "entropy",
    "f_divergence",
    "hellinger2",
    "jsd",
    "kl",
    "optimal_discriminator",
    "training_criterion",
    "tv",
    "value_function",
    "w2_gaussian",
    "wasserstein1",
]
