"""One place for argument checks and their error messages.

Every public function of gantheory validates its arguments through these helpers, so a
bad input always raises :class:`ValueError` or :class:`TypeError` with a message that
names the argument and says what was wrong. The command line turns those exceptions into
one-line messages and exit status 2.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

#: Absolute tolerance on ``sum(weights) == 1``.
WEIGHT_SUM_ATOL = 1e-9
#: Relative tolerance on the symmetry of a covariance matrix.
SYMMETRY_RTOL = 1e-10


def as_float_array(value: Any, name: str) -> np.ndarray:
    """Convert ``value`` to a float64 array whose entries are all finite.

    Raises
    ------
    TypeError
        If ``value`` cannot be read as an array of real numbers.
    ValueError
        If any entry is NaN or infinite.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be an array of real numbers; got {value!r}") from exc
    if not np.all(np.isfinite(array)):
        bad = array[~np.isfinite(array)].ravel()[0]
        raise ValueError(f"{name} must be finite; it contains {bad}")
    return array


def check_weights(weights: Any, name: str = "weights") -> np.ndarray:
    """Return mixture weights as a 1-D array after checking they are a probability vector."""
    w = np.atleast_1d(as_float_array(weights, name))
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array; got shape {w.shape}")
    if np.any(w < 0):
        raise ValueError(f"{name} must be non-negative; got {w.min():g} at index {int(w.argmin())}")
    if abs(w.sum() - 1.0) > WEIGHT_SUM_ATOL:
        raise ValueError(f"{name} must sum to 1; they sum to {w.sum():.12g}")
    return w


def check_positive(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a float array after checking every entry is strictly positive."""
    array = as_float_array(value, name)
    if np.any(array <= 0):
        raise ValueError(f"{name} must be strictly positive; got {array.min():g}")
    return array


def check_spd(cov: np.ndarray, name: str) -> np.ndarray:
    """Check that ``cov`` (shape ``(d, d)``) is symmetric positive definite.

    Returns the lower Cholesky factor.
    """
    scale = max(float(np.max(np.abs(cov))), np.finfo(float).tiny)
    if not np.allclose(cov, cov.T, rtol=SYMMETRY_RTOL, atol=SYMMETRY_RTOL * scale):
        raise ValueError(f"{name} must be symmetric; got {cov.tolist()}")
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        smallest = float(np.linalg.eigvalsh(cov).min())
        raise ValueError(
            f"{name} must be positive definite; its smallest eigenvalue is {smallest:.3g}"
        ) from None


def check_int(value: Any, name: str, minimum: int = 0) -> int:
    """Return ``value`` as an int after checking it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return int(value)


def check_tolerance(value: Any, name: str) -> float:
    """Return ``value`` as a float after checking it is finite and strictly positive."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number; got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite positive number; got {value!r}")
    return float(value)


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """Check that ``value`` is one of the strings in ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def check_distribution(value: Any, name: str) -> Any:
    """Check that ``value`` is a :class:`gantheory.distributions.Distribution`."""
    from gantheory.distributions import Distribution

    if not isinstance(value, Distribution):
        raise TypeError(
            f"{name} must be a gantheory distribution (Gaussian, GaussianMixture, Uniform, "
            f"LineUniform); got {type(value).__name__}"
        )
    return value


def check_same_dim(p: Any, q: Any, names: tuple[str, str] = ("p", "q")) -> int:
    """Check that two distributions live in the same dimension and return it."""
    check_distribution(p, names[0])
    check_distribution(q, names[1])
    if p.dim != q.dim:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same dimension; "
            f"got {names[0]}.dim={p.dim} and {names[1]}.dim={q.dim}"
        )
    return p.dim


def check_points(x: Any, dim: int, name: str = "x") -> tuple[np.ndarray, tuple[int, ...]]:
    """Bring evaluation points to shape ``(n, dim)``.

    Points are given with the coordinate on the last axis, ``(..., dim)``. In one dimension
    the coordinate axis may be left out, so a scalar or any array of scalars is accepted.

    Returns
    -------
    points : ndarray, shape (n, dim)
    batch_shape : tuple
        The leading shape, so results can be reshaped to it.
    """
    array = as_float_array(x, name)
    if dim == 1 and (array.ndim == 0 or array.shape[-1] != 1):
        array = array[..., None]
    if array.ndim == 0 or array.shape[-1] != dim:
        raise ValueError(
            f"{name} must have its last axis of length {dim} (points in {dim}-D); "
            f"got shape {array.shape}"
        )
    batch_shape = array.shape[:-1]
    return array.reshape(-1, dim), batch_shape


def check_open_unit_interval(values: np.ndarray, name: str) -> np.ndarray:
    """Check that every value lies strictly inside (0, 1)."""
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must return finite values; got NaN or inf")
    if np.any(values <= 0) or np.any(values >= 1):
        raise ValueError(
            f"{name} must return values strictly inside (0, 1); got values in "
            f"[{values.min():.17g}, {values.max():.17g}] (give it a `logit` method to "
            "stay exact where it saturates)"
        )
    return values


def check_seed(seed: Any, name: str = "seed") -> np.random.Generator:
    """A :class:`numpy.random.Generator` from ``seed``: an integer >= 0, None or a Generator.

    None draws fresh entropy; a Generator is used as it is (its state advances).

    Raises
    ------
    TypeError
        If ``seed`` is none of these (a float, a string, a bool).
    ValueError
        If ``seed`` is a negative integer.
    """
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 0, None or a numpy.random.Generator; "
                        f"got {seed!r}")
    if seed < 0:
        raise ValueError(f"{name} must be an integer >= 0; got {seed}")
    return np.random.default_rng(int(seed))
