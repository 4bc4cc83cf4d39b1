r"""The machinery every conformance check shares: reports, declared conventions, rounding.

A check calls the user's function through :class:`Call`, which reshapes the probes to the
declared ``sample_shape``, divides the result by the declared convention (``scale``, and the
batch size for ``reduction="sum"``) and records the dtype the function returned. A
:class:`Checker` runs the properties; each tolerance is the user's ``tolerance`` plus the
rounding allowance of that dtype (:func:`rounding_allowance`).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from scipy import special

from gantheory.distributions import GaussianMixture

PROBE_DTYPE = torch.float64
REDUCTIONS = ("mean", "sum")
#: The constant factors a mismatch is compared with, to name a likely convention.
COMMON_SCALES = (0.5, 2.0, -1.0, -0.5, -2.0)
#: The safety factor of :func:`rounding_allowance`.
ROUNDING_FACTOR = 8.0


# -- reports -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PropertyResult:
    """One property of a loss: whether it held and by how much it missed.

    Attributes
    ----------
    name : str
        The property, e.g. ``"value at D*"``.
    error : float
        The size of the violation (``inf`` if the loss raised or returned NaN).
    tolerance : float
        The largest error accepted.
    detail : str
        What was compared, with the numbers.
    """

    name: str
    error: float
    tolerance: float
    detail: str

    @property
    def passed(self) -> bool:
        """``error <= tolerance`` (a NaN error fails)."""
        return bool(self.error <= self.tolerance)


@dataclass(frozen=True)
class ConformanceReport:
    """The properties checked of one loss, in order.

    ``str(report)`` is a table; ``report.passed`` is True when every property held;
    ``report["value at D*"]`` gives one :class:`PropertyResult`; :meth:`assert_conforms` raises
    AssertionError listing the failures.
    """

    kind: str
    function: str
    results: tuple[PropertyResult, ...]

    @property
    def passed(self) -> bool:
        """Whether every property held."""
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> tuple[str, ...]:
        """Names of the properties that failed."""
        return tuple(r.name for r in self.results if not r.passed)

    def __getitem__(self, name: str) -> PropertyResult:
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(f"no property {name!r}; checked: {[r.name for r in self.results]}")

    def __str__(self) -> str:
        lines = [f"conformance of {self.function} as {self.kind!r}: "
                 f"{'PASS' if self.passed else 'FAIL ' + ', '.join(self.failures)}"]
        for r in self.results:
            lines.append(f"  {'PASS' if r.passed else 'FAIL'}  {r.name:<28} error {r.error:.3g}"
                         f" (tolerance {r.tolerance:.3g}): {r.detail}")
        return "\n".join(lines)

    def assert_conforms(self) -> None:
        """Raise AssertionError with the report if any property failed."""
        if not self.passed:
            raise AssertionError(str(self))


# -- rounding ---------------------------------------------------------------------------------
def rounding_allowance(dtype: torch.dtype, magnitude: float, count: int) -> float:
    r"""The error that rounding to ``dtype`` may add to a loss of ``count`` terms.

    .. math:: a = 8\,\varepsilon\,\log_2(\max(m, 2))\,M

    where :math:`\varepsilon` is the machine epsilon of ``dtype`` (``torch.finfo``),
    :math:`m` = ``count`` the number of terms the loss sums and :math:`M` = ``magnitude`` the
    size of the compared quantities (the reference value plus the mean absolute input, or the
    largest per-sample term). Rounding each input and each term to ``dtype`` costs a relative
    :math:`\varepsilon` each, and a pairwise (cascade) sum of :math:`m` terms adds at most
    :math:`\varepsilon \log_2 m` of their absolute sum; the factor 8 covers the constants of
    the elementary functions (``exp``, ``log1p``, ``sqrt``) in between.

    Examples
    --------
    >>> import torch
    >>> f"{rounding_allowance(torch.float32, 1.0, 2**10):.3g}"  # 8 * 1.19e-7 * 10
    '9.54e-06'
    >>> rounding_allowance(torch.float64, 1.0, 2**10) < 1e-13
    True
    """
    return ROUNDING_FACTOR * torch.finfo(dtype).eps * math.log2(max(count, 2)) * magnitude


def float32_note(dtype: torch.dtype, error: float, magnitude: float, count: int) -> str:
    """A sentence when an error above a float64 tolerance is within float32 rounding."""
    if dtype != torch.float64 or not error <= rounding_allowance(torch.float32, magnitude, count):
        return ""
    return ("; within float32 rounding: if your loss computes in float32, return the float32 "
            "result (its tolerance then scales with float32) instead of casting it back")


# -- calling the user's function -----------------------------------------------------------------
def function_name(fn: Any, name: str | None = None) -> str:
    """``name``, or the function's qualified name (a lambda with its file and line).

    Examples
    --------
    >>> function_name(len)
    'len'
    >>> function_name(lambda x: x).startswith("<lambda> at ")
    True
    >>> import functools
    >>> function_name(functools.partial(max, 1))
    'partial(max)'
    >>> function_name(len, name="my_loss")
    'my_loss'
    """
    if name is not None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string; got {name!r}")
        return name
    if isinstance(fn, functools.partial):
        return f"partial({function_name(fn.func)})"
    qualname = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if qualname is None:
        return type(fn).__qualname__
    if "<lambda>" in qualname:
        code = getattr(fn, "__code__", None)
        if code is not None:
            return f"{qualname} at {code.co_filename.rsplit('/', 1)[-1]}:{code.co_firstlineno}"
    return qualname


def required_positional(fn: Any) -> int | None:
    """How many positional arguments ``fn`` requires (None for ``*args`` or no signature)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return None
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
               for p in parameters)


def scalar(value: Any, what: str = "the loss") -> float:
    """The float of a 0-d tensor, or a TypeError/ValueError saying what came back."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{what} returned {type(value).__name__}, not a torch.Tensor")
    if value.ndim != 0:
        raise ValueError(f"{what} returned shape {tuple(value.shape)}, not a scalar")
    return float(value.detach())


def as_tensor(a: Any, requires_grad: bool = False) -> torch.Tensor:
    """A float64 CPU tensor of ``a``."""
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=PROBE_DTYPE,
                        requires_grad=requires_grad)


def check_sample_shape(sample_shape: Any, name: str = "sample_shape") -> tuple[int, ...]:
    """``sample_shape`` as a tuple of positive ints, or a ValueError naming it."""
    try:
        shape = tuple(int(s) for s in sample_shape)
    except TypeError:
        raise ValueError(f"{name} must be a tuple of positive ints; got {sample_shape!r}") from None
    if any(s < 1 for s in shape) or shape != tuple(sample_shape):
        raise ValueError(f"{name} must be a tuple of positive ints; got {sample_shape!r}")
    return shape


@dataclass
class Call:
    r"""The user's function under the declared conventions.

    ``Call(fn, scale, reduction, sample_shape)(*tensors)`` reshapes every ``(N, ...)`` probe
    tensor to ``(N, *sample_shape)`` (for penalties, the shape is the probes' own), calls
    ``fn`` and returns its value divided by ``scale`` and, for ``reduction="sum"``, by the
    batch size :math:`N`, so that every property compares with the reference's batch mean.
    ``dtype`` is the dtype of the last result (float64 before any call).
    """

    fn: Callable[..., torch.Tensor]
    scale: float = 1.0
    reduction: str = "mean"
    sample_shape: tuple[int, ...] | None = None
    dtype: torch.dtype = PROBE_DTYPE

    def __post_init__(self) -> None:
        if not callable(self.fn):
            raise TypeError(f"fn must be callable; got {type(self.fn).__name__}")
        scale = self.scale
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not (
                math.isfinite(scale) and scale != 0):
            raise ValueError(f"scale must be a finite non-zero number; got {scale!r}")
        self.scale = float(scale)
        if self.reduction not in REDUCTIONS:
            raise ValueError(f"reduction must be one of {REDUCTIONS}; got {self.reduction!r}")

    def __call__(self, *args: Any) -> torch.Tensor:
        tensors = [a for a in args if isinstance(a, torch.Tensor)]
        batch = tensors[0].shape[0]
        if self.sample_shape is not None:
            args = tuple(a.reshape(a.shape[0], *self.sample_shape)
                         if isinstance(a, torch.Tensor) else a for a in args)
        out = self.fn(*args)
        scalar(out)
        if out.is_floating_point():
            self.dtype = out.dtype
        divisor = self.scale * (batch if self.reduction == "sum" else 1)
        return out / divisor

    def declared(self) -> str:
        """The declared convention, for messages."""
        scale = f"scale={self.scale:g}, " if self.scale != 1 else ""
        return f"{scale}reduction={self.reduction!r}"


def convention_hint(got: float, ref: float, batch: int, call: Call,
                    per_batch: Sequence[tuple[float, str]] = (), *,
                    factor_option: tuple[str, float] | None = None) -> str:
    """Name the likely convention when ``got`` is a simple multiple of ``ref``.

    ``got`` is the value after the declared convention; the candidates are the
    :data:`COMMON_SCALES`, the batch size (a sum where a mean was declared, or the reverse) and
    ``per_batch`` (further ``(factor, meaning)`` pairs of the kind). A constant factor is
    declared with ``scale=``, or with ``factor_option = (option, its current value)``.
    """
    option, current = ("scale", call.scale) if factor_option is None else factor_option
    if ref == 0 or not math.isfinite(got):
        return ""
    ratio = got / ref
    close = functools.partial(math.isclose, ratio, rel_tol=1e-5)
    for factor in COMMON_SCALES:
        if close(factor):
            return (f"; your value is exactly {factor:g}x the reference: pass "
                    f"{option}={factor * current:g} "
                    f"if that is intended" + (" (and the same scale for its D or G partner)"
                                              if factor < 0 else ""))
    if call.reduction == "mean" and close(batch):
        return (f"; your value is {batch}x the reference, the batch size: a sum over the batch; "
                f"pass reduction='sum' if that is intended")
    if call.reduction == "sum" and close(1 / batch):
        return "; your value is 1/N of the declared sum: it is a batch mean (reduction='mean')"
    for factor, meaning in per_batch:
        if close(factor):
            return f"; your value is exactly {factor:.6g}x the reference: {meaning}"
    return ""


class Checker:
    """Runs property functions, turning exceptions and NaN into failed properties.

    A property function returns ``(error, detail)``; its tolerance is the user's ``tolerance``
    plus :func:`rounding_allowance` of the dtype the function returned, for the property's
    ``magnitude`` and term ``count``.
    """

    def __init__(self, call: Call) -> None:
        self.call = call
        self.results: list[PropertyResult] = []

    def run(self, name: str, tolerance: float, fn: Callable[[], tuple[float, str]], *,
            magnitude: float = 1.0, count: int = 2) -> None:
        try:
            error, detail = fn()
            error = float(error)
            if math.isnan(error):
                error, detail = math.inf, "NaN: " + detail
            allowance = rounding_allowance(self.call.dtype, magnitude, count)
            if error > tolerance + allowance:
                detail += float32_note(self.call.dtype, error, magnitude, count)
            if self.call.dtype != PROBE_DTYPE:
                detail += (f" [{self.call.dtype} result: {allowance:.2g} allowed for rounding, "
                           f"8 eps log2({count}) x {magnitude:.3g}]")
        except Exception as exc:  # noqa: BLE001 - a user's loss may fail in any way
            error, detail = math.inf, f"raised {type(exc).__name__}: {exc}"
            allowance = 0.0
        self.results.append(PropertyResult(name, error, tolerance + allowance, detail))


# -- quantile nodes --------------------------------------------------------------------------------
def quantile_nodes(dist: Any, n: int) -> np.ndarray:
    r"""Midpoint quantiles :math:`F^{-1}((i + \tfrac12)/n)`, :math:`i = 0..n-1`, of a 1-D law.

    An equal-weight rule: :math:`\tfrac1n \sum_i h(x_i) \approx \mathbb E[h(X)]`, exact for
    monotone steps and accurate to about :math:`1/n` for the losses' integrands. Gaussians use
    :func:`scipy.special.ndtri`; mixtures invert their ``cdf`` by vectorised bisection.

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> quantile_nodes(Gaussian(0.0, 1.0), 2).round(6).tolist()  # Phi^-1(1/4), Phi^-1(3/4)
    [-0.67449, 0.67449]
    """
    u = (np.arange(n) + 0.5) / n
    if not isinstance(dist, GaussianMixture) or dist.dim != 1:
        raise ValueError(f"quantile nodes need a 1-D Gaussian or GaussianMixture; got {dist!r}")
    means, stds = dist.means[:, 0], np.sqrt(dist.covs[:, 0, 0])
    if dist.n_components == 1:
        return means[0] + stds[0] * special.ndtri(u)
    lo = np.full(n, float(np.min(means - 40 * stds)))
    hi = np.full(n, float(np.max(means + 40 * stds)))
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        below = dist.cdf(mid) < u
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return 0.5 * (lo + hi)
