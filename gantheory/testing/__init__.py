"""Tools for testing code against gantheory's reference.

:mod:`gantheory.testing.conformance` checks a project's own GAN and VAE losses property by
property (:func:`check_loss`; :func:`assert_conforms` in a test suite);
:mod:`gantheory.testing.strategies` holds hypothesis strategies of toy densities (it needs
``hypothesis``, the ``test`` extra).
"""

from gantheory.testing.conformance import assert_conforms, check_loss

__all__ = ["assert_conforms", "check_loss"]
