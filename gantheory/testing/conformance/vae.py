r"""Conformance of the VAE's KL to a standard normal prior, summed over latents, mean over the
batch.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch

from gantheory.testing.conformance._core import (
    PROBE_DTYPE,
    Call,
    Checker,
    ConformanceReport,
    as_tensor,
    convention_hint,
    function_name,
    scalar,
)
from gantheory.vae_kl import gaussian_kl_standard as _core_kl


def check_vae_kl(fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], *,
                 tolerance: float = 1e-10,
                 require_unclamped: bool = True, scale: float = 1.0, reduction: str = "mean",
                 name: str | None = None) -> ConformanceReport:
    r"""Check ``fn(mu, logvar)`` as :math:`\mathrm{KL}(\mathcal N(\mu, e^s)\|\mathcal N(0, I))`,
    **summed over latent dimensions and averaged over the batch**.

    Parameters
    ----------
    fn : callable
        ``fn(mu, logvar) -> scalar`` for tensors of shape ``(N, J)``.
    tolerance : float
        Relative tolerance.
    require_unclamped : bool
        Check ``"unclamped gradient at large log-variance"`` (default True): at log-variances
        :math:`\pm 40` the KL and its gradient are finite and :math:`\partial/\partial s`
        keeps growing like :math:`e^s/(2N)` at :math:`s = 40`. A KL that clamps the
        log-variance (e.g. to :math:`[-30, 20]`, a common practice) is otherwise correct but
        fails it; pass ``require_unclamped=False`` to leave the property out.
    scale : float
        A declared constant factor: ``fn`` computes ``scale`` times the reference.
    reduction : {"mean", "sum"}
        ``"sum"`` declares a sum over the batch as well as over latents.
    name : str, optional
        The function's name in the report.

    Returns
    -------
    ConformanceReport
        Properties ``"value"``, ``"reduction"``, ``"gradient"``, ``"fixed point"`` and, if
        ``require_unclamped``, ``"unclamped gradient at large log-variance"``.

    Examples
    --------
    >>> def per_dim_mean(mu, logvar):  # averaged over latents: a different objective
    ...     return (0.5 * (mu**2 + logvar.exp() - 1 - logvar)).mean()
    >>> check_vae_kl(per_dim_mean).failures
    ('value', 'reduction', 'gradient')
    """
    call = Call(fn, scale, reduction)
    check = Checker(call)
    rng = np.random.default_rng(0)
    n, j = 8, 5
    mu_np, lv_np = rng.normal(size=(n, j)), 0.8 * rng.normal(size=(n, j))
    mu, lv = as_tensor(mu_np), as_tensor(lv_np)
    ref = float(_core_kl(mu_np, lv_np).mean())

    def value() -> tuple[float, str]:
        got = scalar(call(mu, lv))
        latent_mean = (1 / j, f"averaged over the {j} latent dimensions where the sum was meant")
        return abs(got - ref) / abs(ref), (
            f"{got:.10g} vs the closed form summed over {j} latents, mean over {n} samples: "
            f"{ref:.10g}" + convention_hint(got, ref, n, call, (latent_mean,)))

    check.run("value", tolerance, value, count=n * j)

    def reduction() -> tuple[float, str]:
        one = scalar(call(mu, lv))
        wide = scalar(call(torch.cat([mu, mu], 1), torch.cat([lv, lv], 1)))
        tall = scalar(call(torch.cat([mu, mu]), torch.cat([lv, lv])))
        error = max(abs(wide - 2 * one), abs(tall - one)) / abs(one)
        detail = (f"latents doubled: {wide:.10g} (must double {one:.10g}); batch doubled: "
                  f"{tall:.10g} (must not change)")
        if math.isclose(wide, one, rel_tol=1e-6):
            detail += " -- averaged over latent dimensions: sum them"
        if math.isclose(tall, 2 * one, rel_tol=1e-6):
            detail += " -- summed over the batch: average it, or pass reduction='sum'"
        return error, detail

    check.run("reduction", tolerance, reduction, count=4 * n * j)

    def gradient() -> tuple[float, str]:
        m, s = as_tensor(mu_np, True), as_tensor(lv_np, True)
        d_mu, d_s = torch.autograd.grad(call(m, s), (m, s))
        ref_mu, ref_s = mu_np / n, 0.5 * np.expm1(lv_np) / n
        error = max(np.abs(d_mu.numpy() - ref_mu).max() / np.abs(ref_mu).max(),
                    np.abs(d_s.numpy() - ref_s).max() / np.abs(ref_s).max())
        return error, "autograd vs (mu, (e^s - 1)/2) / N per sample"

    check.run("gradient", tolerance, gradient, count=n * j)

    def fixed_point() -> tuple[float, str]:
        z = torch.zeros(n, j, dtype=PROBE_DTYPE, requires_grad=True)
        out = call(z, z)
        (grad,) = torch.autograd.grad(out, z)
        return max(abs(scalar(out)), float(grad.abs().max())), (
            f"q = prior: KL {scalar(out):.3g} and its gradient must vanish")

    check.run("fixed point", 1e-14, fixed_point)

    def unclamped() -> tuple[float, str]:
        m = torch.zeros(2, 2, dtype=PROBE_DTYPE, requires_grad=True)
        s = torch.tensor([[-40.0, 40.0], [0.0, 0.0]], dtype=PROBE_DTYPE, requires_grad=True)
        out = call(m, s)
        d_m, d_s = torch.autograd.grad(out, (m, s))
        finite = bool(torch.isfinite(out)) and bool(torch.isfinite(d_s).all())
        # d KL / d s = (e^s - 1) / (2N): about e^40 / 4 at s = 40, -1/4 at s = -40.
        growing = finite and float(d_s[0, 1]) > 1e16 and float(d_s[0, 0]) < 0
        return (0.0 if growing else math.inf), (
            f"log-variances +-40: KL {scalar(out):.6g}, finite: {finite}, d/ds at +40 "
            f"{float(d_s[0, 1]):.3g} (not clamped: e^40/4 = {math.exp(40) / 4:.3g}; "
            f"require_unclamped=False leaves this property out)")

    if require_unclamped:
        check.run("unclamped gradient at large log-variance", 0.0, unclamped)
    return ConformanceReport("gaussian_kl_standard", function_name(fn, name), tuple(check.results))
