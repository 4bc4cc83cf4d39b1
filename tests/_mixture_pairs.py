"""Shared 2-D mixture pairs and orthogonal maps for the TV tests (not a test module)."""

import numpy as np

import gantheory as g

ROTATION = np.array([[np.cos(0.4), -np.sin(0.4)], [np.sin(0.4), np.cos(0.4)]])
SWAP = np.array([[0.0, 1.0], [1.0, 0.0]])


def transform(mix, matrix):
    """The mixture of ``matrix @ x`` for ``x`` drawn from ``mix``."""
    covs = np.einsum("ij,kjl,ml->kim", matrix, mix.covs, matrix)
    return g.GaussianMixture(mix.weights, mix.means @ matrix.T, covs)


def audit_like_pair(seed):
    """Random 2-D mixtures like the audit's: 1-3 components, correlations up to 0.9."""
    rng = np.random.default_rng(seed)

    def mixture():
        k = int(rng.integers(1, 4))
        covs = []
        for _ in range(k):
            s, r = rng.uniform(0.3, 1.5, 2), rng.uniform(-0.9, 0.9)
            covs.append([[s[0] ** 2, r * s[0] * s[1]], [r * s[0] * s[1], s[1] ** 2]])
        return g.GaussianMixture(rng.dirichlet(np.ones(k)), rng.normal(0, 1.2, (k, 2)), covs)

    return mixture(), mixture()
