"""Tools for testing code against gantheory's reference: hypothesis strategies of toy densities.

:mod:`gantheory.testing.strategies` needs ``hypothesis`` (the ``test`` extra).
"""
