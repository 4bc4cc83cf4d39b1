r"""The image models, one module each, registered by name in :mod:`gantheory.images.registry`.

=========  ==========================  ====================================================
name       class (module)              objective, networks (:mod:`gantheory.nets`)
=========  ==========================  ====================================================
dcgan      :class:`~.dcgan.DCGAN`      minimax discriminator loss, non-saturating generator
                                       loss (Radford et al. 2016); DCGAN generator and
                                       discriminator
cgan       :class:`~.cgan.CGAN`        the same with labels given to both networks (Mirza
                                       and Osindero 2014); conditional generator and
                                       discriminator
wgan-gp    :class:`~.wgan_gp.WGANGP`   Wasserstein critic loss plus the per-sample gradient
                                       penalty at random interpolates, 5 critic steps, Adam
                                       1e-4, betas (0, 0.9) (Gulrajani et al. 2017); DCGAN
                                       generator, critic without BatchNorm
vae        :class:`~.vae.VAE`          negative ELBO, Bernoulli decoder on (dynamically
                                       binarised) pixels or Gaussian decoder (Kingma and
                                       Welling 2014); convolutional VAE
vaegan     :class:`~.vaegan.VAEGAN`    :math:`\mathcal L_\text{prior} + \mathcal
                                       L_\text{llike}^{\mathrm{Dis}_l} + \mathcal
                                       L_\text{GAN}` (Larsen et al. 2016); convolutional
                                       VAE and DCGAN discriminator
=========  ==========================  ====================================================

:mod:`~gantheory.images.models.base` holds what they share: :class:`~.base.ImageConfig` (the
settings of every model; each model's config adds only the fields it uses),
:class:`~.base.ImageModel` (the interface the trainer and the commands call) and
:func:`~.base.create` / :func:`~.base.model_from_record` (a model by name, or from a
checkpoint's record); :mod:`~gantheory.images.models.gan` holds the GAN step the three GANs
share.

Adding a model is one module here (a config dataclass and an :class:`~.base.ImageModel`
subclass with ``make_networks``, ``make_optimizers``, ``step``, ``generate`` and ``evaluate``)
and one line in :mod:`gantheory.images.registry`; ``gantheory train``, ``sample`` and ``eval``
then offer it.
"""
