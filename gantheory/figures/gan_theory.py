r"""Figures of the GAN game (numpy only): :math:`D^*`, :math:`V(G, D)`, the JSD, :math:`C(G)`,
and the generator's gradients.

Each figure has a data function (the numbers, tested) and a ``draw_*`` function that returns
labelled, open matplotlib figures (see :mod:`gantheory.figures.registry`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy import special, stats

from gantheory.discriminator import optimal_discriminator, training_criterion, value_function
from gantheory.distributions import Gaussian, GaussianMixture, Uniform
from gantheory.divergences import jsd
from gantheory.figures.sizes import pick
from gantheory.presets import bimodal

LOG2 = float(np.log(2.0))
LOG4 = float(np.log(4.0))
#: Colours of series that are neither data, generator nor discriminator (purple, red, brown).
SERIES = ("#5e3c99", "#d7191c", "#a6611a")


# -- D* -------------------------------------------------------------------------------------
def draw_optimal_discriminator(out_dir: Path, fast: bool) -> list:
    r""":math:`D^* = p_\text{data}/(p_\text{data} + p_g)` under the two densities, for three
    generators: far from the data, overlapping it, and equal to it (:math:`D^* = 1/2`).
    """
    from gantheory import plotting

    p_data = bimodal()
    generators = (("generator far away", Gaussian(4.5, 0.6**2)),
                  ("generator overlapping", Gaussian(0.5, 1.5**2)),
                  ("generator = data", p_data))
    x = np.linspace(-5.0, 7.0, pick(fast, 1201, 601))
    fig, axes = plotting.figure(2, 3, size=(2.9, 2.0), sharex=True, layout="constrained",
                                gridspec_kw={"height_ratios": (1.3, 1.0)})
    for j, (title, p_g) in enumerate(generators):
        top, bottom = axes[0][j], axes[1][j]
        pd, pg = p_data.pdf(x), p_g.pdf(x)
        top.fill_between(x, pd, color=plotting.DATA, alpha=0.15, lw=0)
        top.plot(x, pd, color=plotting.DATA, lw=1.4, label=r"$p_\mathrm{data}$")
        top.plot(x, pg, color=plotting.GENERATOR, lw=1.4, ls="--" if j == 2 else "-",
                 label=r"$p_g$")
        top.set_title(title)
        top.set_ylim(0, 0.95)
        bottom.plot(x, optimal_discriminator(p_data, p_g)(x), color=plotting.OPTIMAL, lw=1.6,
                    label=r"$D^*(x)$")
        bottom.axhline(0.5, color="#888888", lw=0.7, ls=":")
        bottom.set_ylim(-0.03, 1.03)
        bottom.set_xlabel("x")
        if j == 0:
            top.set_ylabel("density")
            bottom.set_ylabel(r"$D^*(x)$")
        else:
            top.set_yticklabels([])
            bottom.set_yticklabels([])
    axes[0][0].legend(loc="upper left")
    axes[1][2].annotate(r"$D^* = 1/2$ everywhere", (0.0, 0.5), xytext=(0.0, 0.72),
                        ha="center", fontsize=8, color=plotting.OPTIMAL)
    fig.suptitle(r"the optimal discriminator $D^*(x) = p_\mathrm{data}(x) / "
                 r"(p_\mathrm{data}(x) + p_g(x))$")
    fig.set_label("optimal-discriminator")
    return [fig]


# -- V(G, D) ----------------------------------------------------------------------------------
#: Directions :math:`h` of the logit perturbations :math:`D_t = \sigma(\ell^* + t h)`.
PERTURBATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "h(x) = 1 (shift)": lambda x: np.ones(len(x)),
    "h(x) = x (tilt)": lambda x: x,
    "h(x) = sin 2x": lambda x: np.sin(2.0 * x),
}


class _PerturbedDiscriminator:
    r""":math:`D_t = \sigma(\ell^* + t h)`, with its logit (so :func:`value_function` stays
    exact in the tails).
    """

    def __init__(self, d_star, t: float, h: Callable[[np.ndarray], np.ndarray]):
        self.d_star, self.t, self.h = d_star, float(t), h

    def logit(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        flat = x.reshape(len(x), -1)[:, 0]
        return self.d_star.logit(x) + self.t * self.h(flat)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return special.expit(self.logit(x))


def value_along(p_data, p_g, h: Callable[[np.ndarray], np.ndarray],
                ts: Sequence[float]) -> np.ndarray:
    r""":math:`V(G, D_t)` for :math:`D_t = \sigma(\ell^* + t\,h)`, :math:`\ell^*` the logit of
    :math:`D^*`, at each ``t`` (nats, by quadrature).

    Proposition 1 of Goodfellow et al. (2014) says the maximum over :math:`t` is at
    :math:`t = 0`, where :math:`V = C(G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data}\|p_g)`.

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> v = value_along(Gaussian(0.0, 1.0), Gaussian(1.0, 1.0), lambda x: x, [-1.0, 0.0, 1.0])
    >>> bool(v[1] > v[0] and v[1] > v[2])
    True
    """
    d_star = optimal_discriminator(p_data, p_g)
    return np.array([value_function(p_data, p_g, _PerturbedDiscriminator(d_star, t, h)).value
                     for t in ts])


def draw_value_function(out_dir: Path, fast: bool) -> list:
    r""":math:`V(G, D_t)` along three perturbations of :math:`D^*`: a maximum at :math:`t = 0`."""
    from gantheory import plotting

    p_data, p_g = bimodal(), Gaussian(0.5, 1.5**2)
    ts = np.linspace(-2.0, 2.0, pick(fast, 81, 41, 9))
    c_of_g = -LOG4 + 2.0 * jsd(p_data, p_g).value
    fig, axes = plotting.figure(1, 2, size=(3.6, 2.9), layout="constrained")
    left, right = axes[0]
    x = np.linspace(-5.0, 5.0, 501)
    d_star = optimal_discriminator(p_data, p_g)
    left.plot(x, p_data.pdf(x), color=plotting.DATA, lw=1.2, label=r"$p_\mathrm{data}$")
    left.plot(x, p_g.pdf(x), color=plotting.GENERATOR, lw=1.2, label=r"$p_g$")
    left.set_xlabel("x")
    left.set_ylabel("density")
    twin = left.twinx()
    twin.plot(x, d_star(x), color=plotting.OPTIMAL, lw=1.6, label=r"$D^*$")
    for t, alpha in ((-1.0, 0.9), (1.0, 0.5)):
        d_t = _PerturbedDiscriminator(d_star, t, PERTURBATIONS["h(x) = x (tilt)"])
        twin.plot(x, d_t(x), color=plotting.DISCRIMINATOR, lw=1.0, ls="--", alpha=alpha,
                  label=rf"$D_t$, $h = x$, $t = {t:+g}$")
    twin.set_ylim(0, 1.6)
    twin.set_yticks([0, 0.5, 1])
    twin.set_ylabel("D(x)")
    twin.spines["right"].set_visible(True)
    h1, l1 = left.get_legend_handles_labels()
    h2, l2 = twin.get_legend_handles_labels()
    left.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=7, ncol=2)
    left.set_ylim(0, 0.95)
    left.set_title("data, generator and discriminators")
    colours = (SERIES[0], plotting.DISCRIMINATOR, SERIES[2])
    for colour, (label, h) in zip(colours, PERTURBATIONS.items(), strict=True):
        right.plot(ts, value_along(p_data, p_g, h, ts), color=colour, lw=1.4, label=label)
    right.axhline(c_of_g, color=plotting.OPTIMAL, lw=0.9, ls=":",
                  label=r"$C(G) = -\log 4 + 2\,\mathrm{JSD}$")
    right.plot([0.0], [c_of_g], "o", color=plotting.OPTIMAL, ms=5, label=r"$t = 0$: $D = D^*$")
    right.set_xlabel(r"$t$ in $D_t = \sigma(\mathrm{logit}\,D^* + t\,h)$")
    right.set_ylabel(r"$V(G, D_t)$ (nats)")
    right.set_ylim(c_of_g - 1.6, c_of_g + 0.25)
    right.legend(loc="lower center", fontsize=7)
    right.set_title(r"every path through $D^*$ peaks there")
    fig.suptitle(r"$V(G, D) = E_{p_\mathrm{data}}[\log D] + E_{p_g}[\log(1 - D)]$ is maximal "
                 r"at $D = D^*$")
    fig.set_label("value-function")
    return [fig]


# -- JSD vs separation ------------------------------------------------------------------------
def jsd_separation(separations: Sequence[float], std: float = 1.0) -> np.ndarray:
    r""":math:`\mathrm{JSD}(\mathcal N(0, \sigma^2) \| \mathcal N(\delta, \sigma^2))` in nats for
    each separation :math:`\delta` (quadrature); it rises from 0 towards :math:`\log 2`.

    Examples
    --------
    >>> v = jsd_separation([0.0, 20.0])
    >>> round(float(v[0]), 12), round(float(v[1]), 9)
    (0.0, 0.693147181)
    """
    return np.array([jsd(Gaussian(0.0, std**2), Gaussian(float(d), std**2)).value
                     for d in separations])


def jsd_uniform_shift(shifts: Sequence[float]) -> np.ndarray:
    r""":math:`\mathrm{JSD}(U[0, 1] \| U[\delta, 1 + \delta])`: :math:`\delta \log 2` up to
    :math:`\delta = 1`, then exactly :math:`\log 2` (disjoint supports).

    Examples
    --------
    >>> v = jsd_uniform_shift([0.5, 1.5])
    >>> bool(abs(v[0] - 0.5 * np.log(2)) < 1e-9), bool(v[1] == np.log(2))
    (True, True)
    """
    return np.array([jsd(Uniform(0.0, 1.0), Uniform(float(d), 1.0 + float(d))).value
                     for d in shifts])


def draw_jsd_separation(out_dir: Path, fast: bool) -> list:
    r""":math:`\mathrm{JSD}` against the separation of two Gaussians (and two intervals),
    rising to :math:`\log 2`.
    """
    from gantheory import plotting

    deltas = np.linspace(0.0, 12.0, pick(fast, 121, 61, 13))
    fig, axes = plotting.figure(1, 2, size=(3.5, 2.8), layout="constrained")
    left, right = axes[0]
    for k, std in enumerate((0.5, 1.0, 2.0)):
        left.plot(deltas, jsd_separation(deltas, std), color=SERIES[k], lw=1.5,
                  label=rf"$\sigma = {std:g}$")
    left.axhline(LOG2, color=plotting.DATA, ls="--", lw=0.9, label=r"$\log 2$")
    left.set_xlabel(r"separation $\delta$ of the means")
    left.set_ylabel("JSD (nats)")
    left.set_title(r"$\mathrm{JSD}(\mathcal{N}(0, \sigma^2)\,\|\,\mathcal{N}(\delta, "
                   r"\sigma^2))$")
    left.legend(loc="lower right")
    shifts = np.linspace(0.0, 3.0, pick(fast, 61, 31, 7))
    right.plot(shifts, jsd_uniform_shift(shifts), color=SERIES[0], lw=1.5,
               label="JSD")
    right.axhline(LOG2, color=plotting.DATA, ls="--", lw=0.9, label=r"$\log 2$")
    right.axvspan(1.0, 3.0, color="#dddddd", alpha=0.5, lw=0)
    right.text(2.0, 0.35, "disjoint supports:\nJSD = log 2 exactly,\nno gradient in δ",
               ha="center", fontsize=7)
    right.set_xlabel(r"shift $\delta$")
    right.set_ylabel("JSD (nats)")
    right.set_title(r"$\mathrm{JSD}(U[0,1]\,\|\,U[\delta, 1+\delta])$")
    right.legend(loc="lower right")
    for ax in (left, right):
        ax.set_ylim(-0.02, 0.78)
    fig.suptitle(r"$0 \leq \mathrm{JSD} \leq \log 2$: the JSD saturates as the distributions "
                 "separate")
    fig.set_label("jsd-separation")
    return [fig]


# -- C(G) = -log 4 + 2 JSD ---------------------------------------------------------------------
def criterion_pairs(p_data, generators: Sequence) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`C(G) = V(G, D^*)` and :math:`2\,\mathrm{JSD}(p_\text{data}\|p_g) - \log 4` for
    each generator, computed independently (quadrature of :math:`V` at :math:`D^*`, and the
    JSD's own quadrature or closed form).

    Examples
    --------
    >>> from gantheory import Gaussian
    >>> c, j = criterion_pairs(Gaussian(0.0, 1.0), [Gaussian(0.0, 1.0), Gaussian(3.0, 1.0)])
    >>> bool(np.allclose(c, j, atol=1e-9)), bool(abs(c[0] + np.log(4)) < 1e-12)
    (True, True)
    """
    c = np.array([training_criterion(p_data, p_g).value for p_g in generators])
    j = np.array([2.0 * jsd(p_data, p_g).value - LOG4 for p_g in generators])
    return c, j


def draw_criterion_jsd(out_dir: Path, fast: bool) -> list:
    r""":math:`C(G)` against :math:`2\,\mathrm{JSD} - \log 4`: along a family of generators,
    and for random pairs.
    """
    from gantheory import plotting

    p_data = Gaussian(0.0, 1.0)
    locs = np.linspace(-6.0, 6.0, pick(fast, 121, 49, 9))
    fig, axes = plotting.figure(1, 2, size=(3.5, 2.9), layout="constrained")
    left, right = axes[0]
    for k, s in enumerate((0.5, 1.0, 2.0)):
        c, j = criterion_pairs(p_data, [Gaussian(m, s**2) for m in locs])
        colour = SERIES[k]
        left.plot(locs, j, color=colour, lw=1.3, label=rf"$2\,\mathrm{{JSD}} - \log 4$, "
                  rf"$s = {s:g}$")
        left.plot(locs[::4], c[::4], "o", color=colour, ms=3.5, mfc="none",
                  label=r"markers: $C(G) = V(G, D^*)$" if k == 1 else None)
    left.axhline(-LOG4, color=plotting.DATA, ls="--", lw=0.8)
    left.axhline(0.0, color=plotting.DATA, ls=":", lw=0.8)
    left.text(-5.8, -LOG4 - 0.03, r"$-\log 4$: only at $p_g = p_\mathrm{data}$", fontsize=7,
              va="top")
    left.text(0.0, -0.06, "0: disjoint supports", fontsize=7, ha="center", va="top")
    left.set_xlabel(r"generator mean $m$, $p_g = \mathcal{N}(m, s^2)$")
    left.set_ylabel("nats")
    left.set_title(r"$p_\mathrm{data} = \mathcal{N}(0, 1)$")
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower left", ncol=4,
               fontsize=7)
    left.set_ylim(-LOG4 - 0.16, 0.12)
    rng = np.random.default_rng(0)
    n_pairs = pick(fast, 60, 25, 5)
    data = bimodal()
    gens = [GaussianMixture([w, 1 - w], [a, b], [sa**2, sb**2])
            for w, a, b, sa, sb in zip(rng.uniform(0.1, 0.9, n_pairs),
                                       rng.uniform(-5, 5, n_pairs), rng.uniform(-5, 5, n_pairs),
                                       rng.uniform(0.2, 2.0, n_pairs),
                                       rng.uniform(0.2, 2.0, n_pairs), strict=True)]
    c, j = criterion_pairs(data, gens)
    right.plot([-LOG4, 0], [-LOG4, 0], color=plotting.DATA, lw=0.8, ls="--", label="y = x")
    right.plot(j, c, "o", color=plotting.GENERATOR, ms=4, mfc="none",
               label=f"{n_pairs} random generators")
    right.set_xlabel(r"$2\,\mathrm{JSD}(p_\mathrm{data}\,\|\,p_g) - \log 4$ (nats)")
    right.set_ylabel(r"$C(G) = V(G, D^*)$ (nats)")
    right.text(0.97, 0.05, f"largest |difference|: {np.max(np.abs(c - j)):.1e} nats",
               transform=right.transAxes, ha="right", fontsize=7)
    right.set_title("bimodal data, random two-component generators")
    right.legend(loc="upper left")
    fig.suptitle(r"Theorem 1: $C(G) = \max_D V(G, D) = -\log 4 + "
                 r"2\,\mathrm{JSD}(p_\mathrm{data}\,\|\,p_g)$")
    fig.set_label("criterion-jsd")
    return [fig]


# -- generator gradients ------------------------------------------------------------------
def logit_gradients(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Magnitudes of the generator losses' derivatives in the logit :math:`\ell`, at
    :math:`D = \sigma(\ell)`.

    .. math::

        \Bigl|\frac{\partial}{\partial\ell}\log(1 - \sigma(\ell))\Bigr| = \sigma(\ell) = D,
        \qquad
        \Bigl|\frac{\partial}{\partial\ell}\bigl(-\log\sigma(\ell)\bigr)\Bigr|
        = 1 - \sigma(\ell) = 1 - D.

    Returns the saturating (minimax) and the non-saturating magnitude.

    Examples
    --------
    >>> sat, ns = logit_gradients(np.array([1e-3, 0.5]))
    >>> sat.tolist(), ns.tolist()
    ([0.001, 0.5], [0.999, 0.5])
    """
    d = np.asarray(d, dtype=float)
    return d.copy(), 1.0 - d


def vanishing_gradients(thetas: Sequence[float]) -> dict[str, np.ndarray]:
    r"""Generator gradients in :math:`\theta` at :math:`D^*` for :math:`p_\text{data} =
    \mathcal N(0, 1)`, :math:`p_\theta = \mathcal N(\theta, 1)` (Arjovsky and Bottou 2017).

    Returns ``minimax`` (:math:`\nabla_\theta E[\log(1 - D^*)]`), ``non_saturating``
    (:math:`\nabla_\theta E[-\log D^*]`), both by quadrature
    (:func:`gantheory.generator_gradients.pathwise_gradients`), and the bounds ``lower``
    :math:`= \theta\,\Phi(-\theta/2)` and ``upper`` :math:`= 2\theta\,\Phi(-\theta/2)` of the
    minimax one.

    Examples
    --------
    >>> g = vanishing_gradients([2.0, 10.0])
    >>> bool(g["minimax"][1] < 1e-4 < 1.0 < g["non_saturating"][1])
    True
    """
    from gantheory.generator_gradients import pathwise_gradients

    p_data = Gaussian(0.0, 1.0)
    thetas = np.asarray(thetas, dtype=float)
    ns, mm = [], []
    for t in thetas:
        tail = float(stats.norm.cdf(-t / 2.0))
        a, b = pathwise_gradients(p_data, float(t), 1.0, minimax_atol=1e-10 * tail)
        ns.append(a)
        mm.append(b)
    phi = stats.norm.cdf(-thetas / 2.0)
    return {"minimax": np.array(mm), "non_saturating": np.array(ns),
            "lower": thetas * phi, "upper": 2.0 * thetas * phi}


def draw_generator_gradients(out_dir: Path, fast: bool) -> list:
    r"""The saturating :math:`\log(1 - D)` and the non-saturating :math:`-\log D` generator
    losses: their values and logit gradients against :math:`D(G(z))`, and their gradients at
    :math:`D^*` as two Gaussians separate.
    """
    from gantheory import plotting

    fig, axes = plotting.figure(1, 3, size=(3.0, 2.8), layout="constrained")
    a, b, c = axes[0]
    d = np.logspace(-4, np.log10(0.999), 400)
    sat_colour, ns_colour = plotting.CYCLE[1], plotting.GENERATOR
    a.plot(d, np.log1p(-d), color=sat_colour, lw=1.5, label=r"saturating $\log(1 - D)$")
    a.plot(d, -np.log(d), color=ns_colour, lw=1.5, label=r"non-saturating $-\log D$")
    a.set_xlabel(r"$D(G(z))$")
    a.set_ylabel("generator loss (minimised)")
    a.set_title("the two generator losses")
    a.legend(loc="upper right", fontsize=7)
    sat, ns = logit_gradients(d)
    b.loglog(d, sat, color=sat_colour, lw=1.5, label=r"$|\partial_\ell \log(1 - D)| = D$")
    b.loglog(d, ns, color=ns_colour, lw=1.5, label=r"$|\partial_\ell (-\log D)| = 1 - D$")
    b.axvspan(1e-4, 1e-2, color="#eeeeee", lw=0)
    b.text(1.2e-4, 3e-2, "early training:\nD rejects G(z)", fontsize=7)
    b.set_xlabel(r"$D(G(z)) = \sigma(\ell)$")
    b.set_ylabel(r"gradient in the logit $\ell$")
    b.set_title("gradient in the logit")
    b.legend(loc="lower right", fontsize=7)
    thetas = np.linspace(0.25, 12.0, pick(fast, 48, 24, 6))
    g = vanishing_gradients(thetas)
    c.semilogy(thetas, np.abs(g["non_saturating"]), color=ns_colour, lw=1.5,
               label=r"$-\log D^*$")
    c.semilogy(thetas, np.abs(g["minimax"]), color=sat_colour, lw=1.5,
               label=r"$\log(1 - D^*)$")
    c.fill_between(thetas, g["lower"], g["upper"], color=sat_colour, alpha=0.2, lw=0,
                   label=r"$[\theta\Phi(-\theta/2),\ 2\theta\Phi(-\theta/2)]$")
    c.set_xlabel(r"generator mean $\theta$; $p_\mathrm{data} = \mathcal{N}(0, 1)$")
    c.set_ylabel(r"$|\nabla_\theta|$ of the generator loss")
    c.set_title(r"at $D^*$, $p_\theta = \mathcal{N}(\theta, 1)$")
    c.legend(loc="lower left", fontsize=7)
    fig.suptitle("saturating vs non-saturating generator gradients (Goodfellow et al. 2014, "
                 "Sec. 3; Arjovsky and Bottou 2017)")
    fig.set_label("generator-gradients")
    return [fig]
