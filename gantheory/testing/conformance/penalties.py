r"""Conformance of gradient penalties: WGAN-GP, DRAGAN, R1 and R2.

Every penalty is :math:`\lambda\,\frac1N\sum_i \phi(\|\nabla f(\hat x_i)\|)` at points
:math:`\hat x_i` of its own: interpolates :math:`\epsilon_i x_i + (1 - \epsilon_i)\tilde x_i`
(WGAN-GP, :math:`\phi(n) = (n - k)^2`), perturbed real points (DRAGAN, the same
:math:`\phi`), real points (R1) or generated points (R2), both with :math:`\phi(n) = n^2` and
:math:`\lambda = \gamma/2`. The checks call the penalty with the critic
:math:`f(x) = \tfrac12\|x\|^2` per sample, whose gradient at :math:`\hat x_i` is
:math:`\hat x_i` itself, so the exact penalty follows from the points the penalty evaluated
the critic at. The probes are image-shaped by default, ``(N, 3, 4, 4)``, ``(N, 1, 5, 5)`` and
flat ``(N, 6)``, so that a norm over one axis of an image-shaped gradient fails whatever
shape it would be right for.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from gantheory.testing.conformance._core import (
    PROBE_DTYPE,
    Call,
    Checker,
    ConformanceReport,
    check_sample_shape,
    convention_hint,
    function_name,
    required_positional,
    rounding_allowance,
    scalar,
)

#: The default probe shapes of one sample: two images (C, H, W) and a flat vector.
SAMPLE_SHAPES: tuple[tuple[int, ...], ...] = ((3, 4, 4), (1, 5, 5), (6,))


@dataclass(frozen=True)
class PenaltyKind:
    r"""A gradient penalty: its :math:`\phi`, the batch its points come from, its formula."""

    squared_norm: bool
    batch: str  # "interpolates", "real" (R1, DRAGAN) or "fake" (R2)
    location: str
    formula: str

    def phi(self, norms: torch.Tensor, target: float, one_sided: bool) -> torch.Tensor:
        r""":math:`\phi` of the per-sample norms."""
        if self.squared_norm:
            return norms**2
        gap = norms - target
        return (gap.clamp(min=0) if one_sided else gap) ** 2


PENALTY_KINDS: dict[str, PenaltyKind] = {
    "gradient_penalty": PenaltyKind(False, "interpolates", "one epsilon per sample",
                                    "(|grad f(x_i)| - k)^2"),
    "dragan_penalty": PenaltyKind(False, "real", "near the real points",
                                  "(|grad D(x_i + delta_i)| - k)^2"),
    "r1_penalty": PenaltyKind(True, "real", "at the real points", "|grad D(x_i)|^2"),
    "r2_penalty": PenaltyKind(True, "fake", "at the fake points", "|grad D(x~_i)|^2"),
}


class _Quadratic:
    """f(x) = 1/2 |x_i|^2 per sample (gradient x_i); remembers its inputs."""

    def __init__(self) -> None:
        self.seen: list[torch.Tensor] = []

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append(x.detach().clone())
        return 0.5 * x.reshape(x.shape[0], -1).pow(2).sum(dim=1)

    def last(self) -> torch.Tensor:
        if not self.seen:
            raise ValueError("the penalty never called the critic")
        return self.seen[-1]


def _probe(batch: int, shape: tuple[int, ...], seed: int) -> torch.Tensor:
    """``batch`` samples of ``shape``: random directions, norms spread over [0.3, 3]."""
    gen = torch.Generator().manual_seed(seed)
    direction = torch.randn(batch, math.prod(shape), generator=gen, dtype=PROBE_DTYPE)
    radius = 0.3 + 2.7 * torch.rand(batch, 1, generator=gen, dtype=PROBE_DTYPE)
    return (radius * direction / direction.norm(dim=1, keepdim=True)).reshape(batch, *shape)


def _linear(w: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
    """The critic x -> w . (first entries of x): gradient w everywhere."""
    return lambda x: x.reshape(x.shape[0], -1)[:, :len(w)] @ w.to(x.dtype)


def check_gradient_penalty(
    fn: Callable[..., torch.Tensor],
    *,
    kind: str = "gradient_penalty",
    weight: float | None = None,
    target: float = 1.0,
    batch: int = 64,
    tolerance: float = 1e-9,
    one_sided: bool = False,
    reduction: str = "mean",
    sample_shape: tuple[int, ...] | None = None,
    name: str | None = None,
) -> ConformanceReport:
    r"""Check a gradient penalty against its per-sample definition.

    .. math:: \lambda\,\frac1N\sum_i \phi(\|\nabla f(\hat x_i)\|), \quad \hat x_i =
        \epsilon_i x_i + (1 - \epsilon_i)\tilde x_i \ \text{(WGAN-GP)}

    with :math:`\phi(n) = (n - k)^2` (WGAN-GP, DRAGAN), :math:`\max(0, n - k)^2` (WGAN-GP
    with ``one_sided=True``, Petzka et al. 2018) or :math:`n^2` (R1 at the real points, R2 at
    the generated ones, :math:`\lambda = \gamma/2`).

    Parameters
    ----------
    fn : callable
        ``fn(critic, real, fake) -> scalar``; ``critic`` maps ``(N, ...)`` to ``(N,)``. For
        ``"r1_penalty"`` and ``"dragan_penalty"`` also ``fn(critic, real)``, for
        ``"r2_penalty"`` ``fn(critic, fake)`` (as gantheory's own): the form is read from the
        number of required positional arguments. Only the three-argument form can mix up
        the batches, so only it can show R1 taken at the fake points. The probes require
        grad.
    kind : {"gradient_penalty", "dragan_penalty", "r1_penalty", "r2_penalty"}
        The penalty ``fn`` claims to be.
    weight : float, optional
        :math:`\lambda` (:math:`\gamma/2` for R1 and R2); by default measured from ``fn`` on
        one sample (two for DRAGAN, whose perturbation needs a batch std) with a linear
        critic of gradient norm :math:`k + 1` (where every formula gives
        :math:`\lambda\,\phi(k + 1)`).
    target : float
        The target norm :math:`k` of WGAN-GP and DRAGAN.
    batch : int
        Batch size of the checks.
    tolerance : float
        Relative tolerance of the exact properties, plus the rounding allowance of the dtype
        ``fn`` returns (:func:`~gantheory.testing.conformance.rounding_allowance`).
    one_sided : bool
        Check the one-sided WGAN-GP penalty, which penalises only norms above :math:`k`. Some
        probe norms are below :math:`k`, so the two variants are told apart.
    reduction : {"mean", "sum"}
        ``"sum"`` declares a sum over the batch instead of the mean.
    sample_shape : tuple of int, optional
        Check at this one sample shape only (default: :data:`SAMPLE_SHAPES`).
    name : str, optional
        The function's name in the report.

    Returns
    -------
    ConformanceReport
        Properties ``"per-sample gradient norm"``, the kind's location (``"one epsilon per
        sample"``, ``"near the real points"``, ``"at the real points"``, ``"at the fake
        points"``), ``"differentiable in the critic"``, ``"reduction"``; each over every
        probe shape, its error the largest.

    Examples
    --------
    >>> from gantheory.losses import gradient_penalty, r1_penalty
    >>> check_gradient_penalty(gradient_penalty).passed
    True
    >>> from functools import partial
    >>> check_gradient_penalty(partial(gradient_penalty, one_sided=True), one_sided=True).passed
    True
    >>> check_gradient_penalty(r1_penalty, kind="r1_penalty").passed
    True
    """
    if kind not in PENALTY_KINDS:
        raise ValueError(f"kind must be one of {tuple(PENALTY_KINDS)}; got {kind!r}")
    if one_sided and kind != "gradient_penalty":
        raise ValueError(f"one_sided applies to kind='gradient_penalty' only; got kind={kind!r}")
    spec = PENALTY_KINDS[kind]
    shapes = SAMPLE_SHAPES if sample_shape is None else (check_sample_shape(sample_shape),)
    if kind == "gradient_penalty":
        two_batch_form = True
    else:
        two_batch_form = required_positional(fn) != 2
    call = Call(fn, 1.0, reduction)
    check = Checker(call)
    probes = {shape: (_probe(batch, shape, 0), _probe(batch, shape, 1)) for shape in shapes}

    def penalty(critic: Callable[..., torch.Tensor], real: torch.Tensor,
                fake: torch.Tensor) -> torch.Tensor:
        real, fake = real.clone().requires_grad_(True), fake.clone().requires_grad_(True)
        if two_batch_form:
            return call(critic, real, fake)
        return call(critic, fake if spec.batch == "fake" else real)

    def phi(norms: torch.Tensor) -> torch.Tensor:
        return spec.phi(norms, target, one_sided)

    k_plus_one = torch.tensor([target + 1.0, 0.0, 0.0], dtype=PROBE_DTYPE)
    if weight is None:
        real, fake = probes[shapes[0]]
        few = 2 if kind == "dragan_penalty" else 1  # DRAGAN's perturbation needs a batch std
        weight = scalar(penalty(_linear(k_plus_one), real[:few], fake[:few]),
                        "the penalty") / float(phi(k_plus_one.norm()))
    lam = float(weight)

    def over_shapes(prop: Callable[[tuple[int, ...]], tuple[float, str]]
                    ) -> Callable[[], tuple[float, str]]:
        def run() -> tuple[float, str]:
            results = [(prop(shape), shape) for shape in shapes]
            (error, detail), shape = max(results, key=lambda r: r[0][0])
            others = ", ".join(f"{s}: {e:.2g}" for (e, _), s in results)
            return error, f"sample shape {shape}: {detail}" + (
                f" [errors by shape {others}]" if len(shapes) > 1 else "")
        return run

    def per_sample(shape: tuple[int, ...]) -> tuple[float, str]:
        real, fake = probes[shape]
        critic = _Quadratic()
        got = scalar(penalty(critic, real, fake), "the penalty")
        points = critic.last()
        norms = points.reshape(batch, -1).norm(dim=1)
        ref = lam * float(phi(norms).mean())
        error = abs(got - ref) / max(abs(ref), 1e-300)
        whole = lam * float(phi(points.norm()))
        formula = "max(0, |grad f(x_i)| - k)^2" if one_sided else spec.formula
        detail = (f"{got:.10g} vs lambda mean_i {formula} = {ref:.10g} at the points the "
                  f"critic saw (a whole-batch norm gives {whole:.6g}); lambda = {lam:g}; "
                  f"{int((norms < target).sum())} of {batch} norms below k = {target:g}")
        if error > tolerance:
            detail += _norm_hints(got, whole, points, phi, batch, call, ref, lam)
        return error, detail

    check.run("per-sample gradient norm", tolerance, over_shapes(per_sample),
              magnitude=1.0, count=batch * max(math.prod(s) for s in shapes))

    location = {"gradient_penalty": _one_epsilon_per_sample, "dragan_penalty": _near_real,
                "r1_penalty": functools.partial(_at_batch, spec.batch, two_batch_form),
                "r2_penalty": functools.partial(_at_batch, spec.batch, two_batch_form)}[kind]

    def located(shape: tuple[int, ...]) -> tuple[float, str]:
        real, fake = probes[shape]
        critic = _Quadratic()
        penalty(critic, real, fake)
        return location(critic.last().reshape(batch, -1), real.reshape(batch, -1),
                        fake.reshape(batch, -1))

    # The interpolation coefficient is often drawn in float32 (torch.rand's default), and a
    # perturbation in float32 too: the location allows float32 rounding whatever the dtype.
    check.run(spec.location, tolerance + rounding_allowance(torch.float32, 3.0, 2),
              over_shapes(located))

    def differentiable(shape: tuple[int, ...]) -> tuple[float, str]:
        real, fake = probes[shape]
        w = torch.tensor([0.6, 0.0, 1.2], dtype=PROBE_DTYPE, requires_grad=True)
        out = penalty(_linear(w), real, fake)
        grad = torch.autograd.grad(out, w, allow_unused=True)[0] if out.requires_grad else None
        if grad is None:
            raise ValueError("the penalty has no gradient in the critic's parameters "
                             "(autograd.grad without create_graph=True?)")
        norm = w.detach().norm().requires_grad_(True)
        (d_phi,) = torch.autograd.grad(phi(norm), norm)
        ref = lam * d_phi * w.detach() / norm.detach()
        error = float((grad - ref).abs().max()) / float(ref.abs().max())
        return error, (f"d penalty / d w = {grad.tolist()} vs lambda phi'(|w|) w/|w| = "
                       f"{ref.tolist()} for a linear critic")

    check.run("differentiable in the critic", tolerance, over_shapes(differentiable), count=3)

    def batch_mean(shape: tuple[int, ...]) -> tuple[float, str]:
        real = probes[shape][0]

        def relative(times: int) -> float:  # the penalty over its exact value at its points
            critic = _Quadratic()
            tile = (times, *([1] * len(shape)))
            # real = fake: interpolates are then deterministic, at the real points
            got = scalar(penalty(critic, real.repeat(tile), real.repeat(tile)), "the penalty")
            norms = critic.last().reshape(times * batch, -1).norm(dim=1)
            return got / (lam * float(phi(norms).mean()))

        one, two = relative(1), relative(2)
        error = abs(two - one) / max(abs(one), 1e-300)
        return error, (f"penalty / exact penalty at its points: batch repeated twice {two:.10g}, "
                       f"once {one:.10g} (after the declared {call.declared()}: a mean gives "
                       f"the same)" + (" -- a sum over the batch: pass reduction='sum' if that is "
                                       "intended" if math.isclose(two, 2 * one, rel_tol=1e-6)
                                       else ""))

    check.run("reduction", tolerance, over_shapes(batch_mean), count=2 * batch)
    return ConformanceReport(kind, function_name(fn, name), tuple(check.results))


def _norm_hints(got: float, whole: float, points: torch.Tensor,
                phi: Callable[[torch.Tensor], torch.Tensor], batch: int, call: Call,
                ref: float, lam: float) -> str:
    """Name a whole-batch norm, a norm over one axis, or a convention."""
    close = functools.partial(math.isclose, got, rel_tol=1e-6)
    if close(whole):
        return f" -- it is the whole-batch norm ({whole:.6g}): take one norm per sample"
    if points.ndim >= 3:
        axis_one = float(phi(points.norm(dim=1)).mean()) * (ref / float(
            phi(points.reshape(batch, -1).norm(dim=1)).mean()))
        if close(axis_one):
            return (f" -- it is a norm over dim=1 only of the {tuple(points.shape)} gradient "
                    f"({axis_one:.6g}): take the norm over all of a sample's axes "
                    f"(grad.flatten(1).norm(dim=1))")
    return convention_hint(got, ref, batch, call, factor_option=("weight", lam))


def _segment_coefficients(points: torch.Tensor, start: torch.Tensor, end: torch.Tensor
                          ) -> tuple[torch.Tensor, float]:
    """Least-squares t_i with points_i ~ start_i + t_i (end_i - start_i), and the largest
    distance of a point from its segment's line.
    """
    span = end - start
    diff = points - start
    t = (diff * span).sum(1) / (span * span).sum(1)
    return t, float((diff - t[:, None] * span).abs().max())


def _one_epsilon_per_sample(points: torch.Tensor, real: torch.Tensor, fake: torch.Tensor
                            ) -> tuple[float, str]:
    eps, off_segment = _segment_coefficients(points, fake, real)
    outside = float(torch.clamp(eps - 1, min=0).max() + torch.clamp(-eps, min=0).max())
    spread = float(eps.std())
    error = off_segment + outside + (0.0 if spread > 0.05 else 1.0)
    detail = (f"interpolates off the real-fake segments by {off_segment:.3g}, epsilon outside "
              f"[0, 1] by {outside:.3g}, spread of epsilon over the batch {spread:.3g} (one "
              f"epsilon per batch, or points all real, give 0)")
    lo, hi = torch.minimum(real, fake), torch.maximum(real, fake)
    in_box = bool(((points >= lo - 1e-12) & (points <= hi + 1e-12)).all())
    if off_segment > 1e-3 and in_box:
        detail += (" -- every coordinate lies between its real and fake value, each with its own "
                   "coefficient: one epsilon per element; draw epsilon of shape (N, 1, ..., 1)")
    elif spread <= 0.05 and off_segment <= 1e-3:
        detail += (" -- all points at the real samples: the penalty is not at interpolates"
                   if float((points - real).abs().max()) == 0 else
                   " -- one epsilon for the whole batch: draw one per sample")
    return error, detail


def _at_batch(batch: str, two_batch_form: bool, points: torch.Tensor, real: torch.Tensor,
              fake: torch.Tensor) -> tuple[float, str]:
    want, other = (real, fake) if batch == "real" else (fake, real)
    miss = float((points - want).abs().max())
    detail = f"the critic's inputs differ from the {batch} points by {miss:.3g}"
    if not two_batch_form:
        detail += f" (the one-batch form fn(critic, {batch}))"
    elif float((points - other).abs().max()) == 0:
        other_name = "fake" if batch == "real" else "real"
        detail += (f" -- the penalty is taken at the {other_name} points"
                   + (": that is R2, not R1" if batch == "real" else ": that is R1, not R2"))
    return miss / max(float(want.abs().max()), 1e-300), detail


def _near_real(points: torch.Tensor, real: torch.Tensor, fake: torch.Tensor
               ) -> tuple[float, str]:
    r"""DRAGAN: perturbed real points, each within :math:`\mathrm{std}(X)\sqrt d` of its own."""
    moved = (points - real).norm(dim=1)
    bound = float(real.std()) * math.sqrt(real.shape[1])
    unperturbed = float(moved.max()) == 0.0
    too_far = float(torch.clamp(moved - bound, min=0).max()) / bound
    detail = (f"distance to the own real sample: largest {float(moved.max()):.3g}, bound "
              f"std(X) sqrt(d) = {bound:.3g} (the reference moves at most half of it)")
    if unperturbed:
        detail += " -- the points are the real samples unperturbed"
    return too_far + (1.0 if unperturbed else 0.0), detail
