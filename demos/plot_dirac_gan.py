r"""
Dirac-GAN: which training methods converge
==========================================

Mescheder, Geiger and Nowozin (2018): data :math:`\delta_0`, generator :math:`\delta_\theta`,
discriminator :math:`D_\psi(x) = \psi x`, objective :math:`L(\theta, \psi) = f(\psi\theta) +
f(0)`. At the equilibrium :math:`(0, 0)` the gradient field's Jacobian

.. math::

    J = \begin{pmatrix} 0 & -f'(0) \\ f'(0) & 0 \end{pmatrix},
    \qquad \lambda = \pm i f'(0),

has purely imaginary eigenvalues: simultaneous gradient steps spiral out, alternating steps
cycle. Instance noise, the R1 penalty :math:`\tfrac\gamma2\psi^2` and consensus optimisation
move the eigenvalues into the left half-plane, and the steps converge. Each panel shows the
directions of the field and the two kinds of steps from :math:`(1, 1)`, classified by what
the trajectory does. Checked by ``gantheory verify --only dirac-eigenvalues dirac-dynamics``.

Theory: :doc:`/theory/dirac`.
"""

# %%
# The eigenvalues
# ---------------
# :mod:`gantheory.dirac` is numpy only: the vector field :math:`v(\theta, \psi)` of each
# training method, its Jacobian at the equilibrium, and the simulated gradient steps.
import matplotlib.pyplot as plt
import numpy as np

from gantheory import dirac, plotting

plotting.use_style()
for method in dirac.METHODS:
    try:
        print(f"{method:15s} eigenvalues of J: {np.round(dirac.eigenvalues(method), 3)}")
    except ValueError as why:  # WGAN-GP's penalty has a kink at the equilibrium
        print(f"{method:15s} {why}")

# %%
# The steps
# ---------
# :func:`gantheory.dirac.behaviour_table` simulates 4,000 steps of size 0.1 from
# :math:`(0.1, 0.1)`, near the equilibrium, and :func:`gantheory.dirac.classify` says whether
# each trajectory converges, cycles or diverges; beside it, the class the local theory predicts
# from the spectral radius of the linearised step (none for WGAN-GP: no Jacobian).
STEP, N_STEPS, START = 0.1, 600, (1.0, 1.0)
verdicts = {}
for row in dirac.behaviour_table(STEP):
    for update in dirac.UPDATES:
        verdicts[row["method"], update] = row[f"{update}_simulated"]
        print(f"{row['method']:15s} {update:12s} simulated: {verdicts[row['method'], update]:9s}"
              f" predicted: {row[f'{update}_predicted']}")

# %%
# For the figure, 600 steps from the distant start :math:`(1, 1)`, where they can be seen.
# From there the GAN's saturating :math:`f'` slows the outward spiral of simultaneous steps so
# much that a few hundred of them look like a cycle.
trajectories = {(method, update): dirac.simulate(method, *START, STEP, N_STEPS, update)
                for method in dirac.METHODS for update in dirac.UPDATES}

# %%
# Each panel: the directions of the field (grey), the two trajectories, the equilibrium. WGAN's
# discriminator is clipped, :math:`\psi` projected onto :math:`[-c, c]` after every step with
# :math:`c = 1` (``gantheory.dirac.DEFAULTS``): its panel says so in its title, and dashed
# lines mark :math:`\psi = \pm c`, the bounds its trajectories stay within.
lim = 2.0
clip = dirac.DEFAULTS["wgan"]["clip"]
titles = {"wgan": f"WGAN, weights clipped to |ψ| ≤ {clip:g}"}
theta, psi = np.meshgrid(np.linspace(-lim, lim, 17), np.linspace(-lim, lim, 17))
fig, axes = plt.subplots(2, 3, figsize=(8.4, 6.0), layout="constrained")
for ax, method in zip(axes.ravel(), dirac.METHODS, strict=True):
    v_theta, v_psi = dirac.vector_field(method, theta, psi)
    speed = np.hypot(v_theta, v_psi) + 1e-12  # directions only; speeds differ by method
    ax.quiver(theta, psi, v_theta / speed, v_psi / speed, color="#bbbbbb", angles="xy")
    for update, colour in zip(dirac.UPDATES, (plotting.GENERATOR, plotting.DISCRIMINATOR),
                              strict=True):
        traj = trajectories[method, update]
        ax.plot(traj[:, 0], traj[:, 1], color=colour, lw=0.9,
                label=f"{update}: {verdicts[method, update]}")
    ax.plot([0], [0], "o", color=plotting.OPTIMAL, ms=4)
    if method == "wgan":
        for bound in (-clip, clip):
            ax.axhline(bound, color="#888888", lw=0.8, ls="--")
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", title=titles.get(method, method),
           xlabel="θ (generator)", ylabel="ψ (discriminator)")
    ax.legend(loc="lower left", fontsize=6)
fig.suptitle(f"Dirac-GAN: gradient fields and {N_STEPS} steps of size {STEP} from {START}; "
             "legends: the verdict near the equilibrium")
plt.show()
