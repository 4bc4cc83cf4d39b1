r"""Figures of the divergences (numpy only): KL and maximum likelihood, the Gaussian KL surface
and its gradient field, forward against reverse KL.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import optimize

from gantheory.distributions import Gaussian
from gantheory.divergences import entropy, jsd, kl
from gantheory.figures.sizes import pick
from gantheory.presets import bimodal
from gantheory.vae_kl import gaussian_kl_standard, gaussian_kl_standard_sigma_grad

FORWARD = "#5e3c99"
REVERSE = "#e66101"
JS = "#a6611a"


# -- KL and MLE ------------------------------------------------------------------------------
def mle_target():
    """The data of the KL-MLE figure: two modes at -1.5 and 1.5, std 0.6, weights 0.3/0.7."""
    return bimodal(separation=3.0, std=0.6, weight=0.3)


def kl_mle_curves(p, models: Sequence[Gaussian], samples: np.ndarray) -> dict[str, np.ndarray]:
    r"""Both sides of :math:`\mathbb E_p[\log q] = -H(p) - \mathrm{KL}(p\|q)` for each model.

    Returns ``average_ll`` (the average log-likelihood :math:`\frac1n\sum_i \log q(x_i)` of
    ``samples``, shape ``(n,)`` or ``(n, 1)``) and ``population`` (:math:`-H(p) -
    \mathrm{KL}(p\|q)`, two quadratures), one value per model.

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> p = Gaussian(0.0, 1.0)
    >>> out = kl_mle_curves(p, [Gaussian(0.0, 1.0)], p.sample(10, seed=0))
    >>> round(float(out["population"][0]), 6)  # -H(N(0, 1)) = -log(2 pi e) / 2
    -1.418939
    """
    x = np.asarray(samples, dtype=float).reshape(len(samples), -1)
    h = entropy(p).value
    return {
        "average_ll": np.array([float(np.mean(q.logpdf(x))) for q in models]),
        "population": np.array([-h - kl(p, q).value for q in models]),
    }


def draw_kl_mle(out_dir: Path, fast: bool) -> list:
    r"""Average log-likelihood and :math:`-H(p) - \mathrm{KL}(p\|q_\theta)` against a model
    parameter: the same maximiser (in the population; near it for samples).
    """
    from gantheory import plotting

    p = mle_target()
    mean, std = float(p.mean[0]), float(np.sqrt(p.cov[0, 0]))
    n_grid = pick(fast, 121, 61, 9)
    locs = np.linspace(mean - 3.0, mean + 3.0, n_grid)
    scales = np.linspace(0.5, 4.0, n_grid)
    sample_sets = {n: p.sample(n, seed=1) for n in (50, 5000)}
    fig, axes = plotting.figure(1, 2, size=(3.6, 2.9), layout="constrained")
    panels = (
        (axes[0][0], locs, [Gaussian(m, std**2) for m in locs],
         rf"model mean $m$ of $\mathcal{{N}}(m, {std:.2g}^2)$", mean, r"$E_p[x]$"),
        (axes[0][1], scales, [Gaussian(mean, s**2) for s in scales],
         rf"model std $s$ of $\mathcal{{N}}({mean:.2g}, s^2)$", std,
         r"$\sqrt{\mathrm{Var}_p[x]}$"),
    )
    minus_h = -entropy(p).value
    for ax, grid, models, xlabel, best, best_label in panels:
        for n, colour, style in ((50, "#b2abd2", "--"), (5000, FORWARD, "-.")):
            curves = kl_mle_curves(p, models, sample_sets[n])
            ll = curves["average_ll"]
            ax.plot(grid, ll, color=colour, lw=1.2, ls=style, zorder=3,
                    label=rf"$\frac{{1}}{{n}}\sum_i \log q_\theta(x_i)$, $n = {n}$")
            k = int(np.argmax(ll))
            ax.plot(grid[k], ll[k], "v", color=colour, ms=6)
        population = curves["population"]
        ax.plot(grid, population, color=plotting.GENERATOR, lw=2.2, zorder=2,
                label=r"$-H(p) - \mathrm{KL}(p\,\|\,q_\theta)$")
        k = int(np.argmax(population))
        ax.plot(grid[k], population[k], "o", color=plotting.GENERATOR, ms=6)
        ax.axvline(best, color=plotting.DATA, lw=0.8, ls=":")
        ax.axhline(minus_h, color=plotting.DATA, lw=0.8, ls="--")
        ax.text(grid[0], minus_h + 0.03, r"$-H(p)$ (KL = 0)", fontsize=7, va="bottom")
        ax.annotate(best_label, (best, minus_h - 1.9), xytext=(4, 0),
                    textcoords="offset points", fontsize=7)
        ax.set_xlabel(xlabel)
        ax.set_ylim(minus_h - 2.0, minus_h + 0.3)
    axes[0][0].set_ylabel("nats per sample")
    fig.legend(*axes[0][0].get_legend_handles_labels(), loc="outside lower center", ncol=3,
               fontsize=7)
    fig.suptitle(r"maximum likelihood is KL minimisation: $E_p[\log q_\theta] = -H(p) - "
                 r"\mathrm{KL}(p\,\|\,q_\theta)$, markers at the maxima")
    fig.set_label("kl-mle")
    return [fig]


# -- Gaussian KL surface ----------------------------------------------------------------------
def gaussian_kl_surface(mus: np.ndarray, sigmas: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r""":math:`\mathrm{KL}(\mathcal N(\mu, \sigma^2)\|\mathcal N(0, 1))` on the grid
    ``mus x sigmas`` and its gradient :math:`(\mu, \sigma - 1/\sigma)` (closed forms of
    :mod:`gantheory.vae_kl`); arrays of shape ``(len(sigmas), len(mus))``.

    Examples
    --------
    >>> kl_, d_mu, d_sigma = gaussian_kl_surface(np.array([0.0, 1.0]), np.array([1.0]))
    >>> kl_.tolist(), d_mu.tolist(), d_sigma.tolist()
    ([[0.0, 0.5]], [[0.0, 1.0]], [[0.0, 0.0]])
    """
    mu, sigma = np.meshgrid(np.asarray(mus, float), np.asarray(sigmas, float))
    value = gaussian_kl_standard(mu[..., None], np.log(sigma**2)[..., None])
    d_mu, d_sigma = gaussian_kl_standard_sigma_grad(mu, sigma)
    return value, d_mu, d_sigma


def draw_gaussian_kl_surface(out_dir: Path, fast: bool) -> list:
    r"""The VAE's KL term over :math:`(\mu, \sigma)` with its negative gradient field, and a
    slice checked against quadrature.
    """
    from matplotlib import colors

    from gantheory import plotting

    n = pick(fast, 241, 121, 31)
    mus, sigmas = np.linspace(-2.5, 2.5, n), np.linspace(0.15, 3.0, n)
    value, _, _ = gaussian_kl_surface(mus, sigmas)
    fig, axes = plotting.figure(1, 2, size=(3.9, 3.0), layout="constrained")
    left, right = axes[0]
    levels = np.concatenate([[0.0], np.geomspace(0.01, value.max(), 14)])
    cs = left.contourf(mus, sigmas, value, levels=levels, cmap="viridis",
                       norm=colors.PowerNorm(0.35, vmin=0.0, vmax=value.max()))
    left.contour(mus, sigmas, value, levels=levels[1:8], colors="white", linewidths=0.4)
    fig.colorbar(cs, ax=left, label="KL (nats)", format="%.2g")
    qm, qs = np.meshgrid(np.linspace(-2.25, 2.25, 11), np.linspace(0.3, 2.85, 10))
    _, g_mu, g_sigma = gaussian_kl_surface(qm[0], qs[:, 0])
    norm = np.hypot(g_mu, g_sigma) + 1e-12
    left.quiver(qm, qs, -g_mu / norm, -g_sigma / norm, color="white", angles="xy",
                scale=22, width=0.005)
    left.plot([0.0], [1.0], "*", color=plotting.OPTIMAL, ms=11, mec="white",
              label=r"minimum: $\mathcal{N}(0, 1)$")
    left.set_xlabel(r"$\mu$")
    left.set_ylabel(r"$\sigma$")
    left.set_title(r"KL and $-\nabla$KL $= -(\mu,\ \sigma - 1/\sigma)$ (directions)")
    left.legend(loc="lower left", fontsize=7)
    mu0 = 0.5
    s_line = np.linspace(0.2, 3.0, 300)
    kl_line, _, d_line = (a[:, 0] for a in gaussian_kl_surface(np.array([mu0]), s_line))
    right.plot(s_line, kl_line, color=plotting.GENERATOR, lw=1.5,
               label=r"KL, closed form $\frac{1}{2}(\mu^2 + \sigma^2 - 1 - \log\sigma^2)$")
    right.plot(s_line, d_line, color=FORWARD, lw=1.5, label=r"$\partial KL/\partial\sigma = "
               r"\sigma - 1/\sigma$")
    s_pts = np.linspace(0.3, 2.9, pick(fast, 14, 8, 3))
    quad = np.array([kl(Gaussian(mu0, s**2), Gaussian(0.0, 1.0), method="quadrature").value
                     for s in s_pts])
    h = 1e-3
    fd = np.array([(kl(Gaussian(mu0, (s + h) ** 2), Gaussian(0.0, 1.0),
                       method="quadrature").value
                    - kl(Gaussian(mu0, (s - h) ** 2), Gaussian(0.0, 1.0),
                         method="quadrature").value) / (2 * h) for s in s_pts])
    right.plot(s_pts, quad, "o", color=plotting.GENERATOR, mfc="none", ms=5,
               label="KL by quadrature")
    right.plot(s_pts, fd, "s", color=FORWARD, mfc="none", ms=5,
               label="central difference of quadrature")
    right.axhline(0.0, color="#999999", lw=0.6)
    right.set_ylim(-3.0, 3.5)
    right.set_xlabel(r"$\sigma$")
    right.set_ylabel(r"KL (nats) and $\partial\mathrm{KL}/\partial\sigma$")
    right.set_title(rf"slice at $\mu = {mu0}$")
    right.legend(loc="lower right", fontsize=6.5)
    fig.suptitle(r"$\mathrm{KL}(\mathcal{N}(\mu, \sigma^2)\,\|\,\mathcal{N}(0, 1)) = "
                 r"\frac{1}{2}(\mu^2 + \sigma^2 - 1 - \log\sigma^2)$ and its gradient")
    fig.set_label("gaussian-kl-surface")
    return [fig]


# -- forward vs reverse KL --------------------------------------------------------------------
def profile(objective, locs: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`\min_s \mathrm{objective}(\mathcal N(m, s^2))` and its minimiser :math:`s`, for
    each ``m`` (bounded scalar search over :math:`\log s \in [\log 0.05, \log 10]`).

    Examples
    --------
    >>> from gantheory import Gaussian, kl
    >>> v, s = profile(lambda q: kl(Gaussian(0.0, 4.0), q).value, [0.0])
    >>> round(float(v[0]), 6), round(float(s[0]), 3)
    (0.0, 2.0)
    """
    values, scales = [], []
    for m in locs:
        res = optimize.minimize_scalar(
            lambda log_s, m=m: objective(Gaussian(float(m), float(np.exp(2.0 * log_s)))),
            bounds=(np.log(0.05), np.log(10.0)), method="bounded",
            options={"xatol": 1e-6})
        values.append(float(res.fun))
        scales.append(float(np.exp(res.x)))
    return np.array(values), np.array(scales)


def _num(v: float) -> str:
    """``v`` to two decimals, without a negative zero."""
    text = f"{v:.2f}"
    return "0.00" if text == "-0.00" else text


def fits(p) -> dict[str, tuple[float, float]]:
    r"""The :math:`(m, s)` of one Gaussian fitted to ``p`` by forward KL, reverse KL (from
    :math:`m = 1`, and from :math:`m = -1`) and JSD, with
    :func:`gantheory.gaussian_fit.fit_gaussian` (BFGS on quadrature values).

    Examples
    --------
    >>> f = fits(bimodal())
    >>> [round(v, 3) for v in f["forward KL"]], [round(v, 2) for v in f["reverse KL"]]
    ([0.0, 2.062], [2.0, 0.5])
    """
    from gantheory.gaussian_fit import fit_gaussian

    forward = fit_gaussian(lambda q: kl(p, q).value, (0.0, 0.0))
    return {
        "forward KL": forward,
        "reverse KL": fit_gaussian(lambda q: kl(q, p).value, (1.0, 0.0)),
        "reverse KL, other start": fit_gaussian(lambda q: kl(q, p).value, (-1.0, 0.0)),
        "JSD": fit_gaussian(lambda q: jsd(p, q).value, (forward[0], np.log(forward[1]))),
    }


def draw_forward_reverse_kl(out_dir: Path, fast: bool) -> list:
    r"""One Gaussian fitted to two modes: forward KL covers both, reverse KL picks one."""
    from gantheory import plotting

    p = bimodal()
    fitted = fits(p)
    x = np.linspace(-5.0, 5.0, 801)
    fig, axes = plotting.figure(1, 2, size=(3.6, 3.4), layout="constrained")
    left, right = axes[0]
    left.fill_between(x, p.pdf(x), color=plotting.DATA, alpha=0.15, lw=0)
    left.plot(x, p.pdf(x), color=plotting.DATA, lw=1.3, label=r"data $p$")
    styles = {"forward KL": (FORWARD, "-"), "reverse KL": (REVERSE, "-"),
              "reverse KL, other start": (REVERSE, ":"), "JSD": (JS, "--")}
    names = {"forward KL": r"$\min\,\mathrm{KL}(p\,\|\,q)$",
             "reverse KL": r"$\min\,\mathrm{KL}(q\,\|\,p)$",
             "reverse KL, other start": r"$\min\,\mathrm{KL}(q\,\|\,p)$, other start",
             "JSD": r"$\min\,\mathrm{JSD}(p\,\|\,q)$"}
    for key, (m, s) in fitted.items():
        colour, ls = styles[key]
        left.plot(x, Gaussian(m, s**2).pdf(x), color=colour, ls=ls, lw=1.5,
                  label=f"{names[key]}: m = {_num(m)}, s = {_num(s)}")
    left.set_xlabel("x")
    left.set_ylabel("density")
    left.set_ylim(0, 1.05)
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower left", ncol=2, fontsize=7)
    left.set_title(r"fits $q = \mathcal{N}(m, s^2)$")
    locs = np.linspace(-3.5, 3.5, pick(fast, 71, 41, 7))
    forward, _ = profile(lambda q: kl(p, q).value, locs)
    reverse, _ = profile(lambda q: kl(q, p).value, locs)
    right.plot(locs, forward, color=FORWARD, lw=1.5, label=r"$\min_s \mathrm{KL}(p\,\|\,q)$")
    right.plot(locs, reverse, color=REVERSE, lw=1.5, label=r"$\min_s \mathrm{KL}(q\,\|\,p)$")
    right.axhline(np.log(2.0), color=plotting.DATA, lw=0.8, ls=":")
    right.text(-3.4, np.log(2.0) - 0.08, r"$\log 2 = -\log w_k$", fontsize=7, va="top")
    right.set_xlabel(r"mean $m$ of $q$ (its std $s$ optimised)")
    right.set_ylabel("nats")
    right.set_ylim(0, 4.0)
    right.legend(loc="upper center", fontsize=7)
    right.set_title("profiles: one minimum vs two")
    fig.suptitle("forward KL covers the modes (mean seeking), reverse KL seeks one mode")
    fig.set_label("forward-reverse-kl")
    return [fig]
