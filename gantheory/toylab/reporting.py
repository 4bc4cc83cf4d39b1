r"""The toy lab's tables: our rows beside the published ones, as markdown.

:func:`modes_table` puts each method's row (:class:`~gantheory.toylab.experiments.MethodRow`)
above the row PacGAN published for it (:data:`PUBLISHED`); :func:`one_d_table` and
:func:`dirac_table` are the 1-D and Dirac-GAN tables, :func:`saturation_table` the
saturation experiment's. The CSV files and markdown layout are
:mod:`gantheory.tables`'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from gantheory.tables import markdown_table
from gantheory.toyconfig import target_named

if TYPE_CHECKING:
    from gantheory.toylab.experiments import MethodRow

#: Published rows to print beside ours: Lin et al. 2018 (PacGAN), Table 1, 10 trials, mean and
#: standard error, as quoted in ``shared/anchors.md``. Keys: our method names. PacGAN's "GAN"
#: row trains with the non-saturating generator loss, so it stands beside our
#: ``non-saturating`` method; our ``gan`` (the minimax loss) has no published row.
PUBLISHED: dict[str, dict[str, tuple[float, ...]]] = {
    # (modes, s.e., high quality %, s.e., reverse KL, s.e.)
    "ring": {
        "non-saturating": (6.3, 0.5, 98.2, 0.2, 0.45, 0.09),
        "pacgan2": (7.9, 0.1, 95.6, 2.0, 0.07, 0.03),
        "pacgan3": (7.8, 0.1, 97.7, 0.3, 0.10, 0.02),
        "pacgan4": (7.8, 0.1, 95.9, 1.4, 0.07, 0.02),
    },
    "grid": {
        "non-saturating": (17.3, 0.8, 94.8, 0.7, 0.70, 0.07),
        "pacgan2": (23.8, 0.7, 91.3, 0.8, 0.13, 0.04),
        "pacgan3": (24.6, 0.4, 94.2, 0.4, 0.06, 0.02),
        "pacgan4": (24.8, 0.2, 93.6, 0.6, 0.04, 0.01),
    },
}
PUBLISHED_SOURCE = ("Lin et al. 2018 (PacGAN), Table 1: 4x400 BN-ReLU generator, 3x200 maxout "
                    "discriminator, Adam 1e-4, ~400k steps, 10 trials")

#: The columns of :func:`dirac_table`.
DIRAC_COLUMNS = ("method", "eigenvalues", "simultaneous_predicted", "simultaneous_simulated",
                 "alternating_predicted", "alternating_simulated")


def _fmt(mean: float, se: float, digits: int) -> str:
    if math.isnan(se):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {se:.{digits}f}"


def modes_table(rows: Sequence[MethodRow], target_name: str, *, device: str = "cpu",
                commit: str = "") -> str:
    """Our rows and the published rows of the same target, as a markdown table."""
    n_modes = target_named(target_name).n_components
    header = ["method", "source", "seeds", "steps", f"modes /{n_modes}", "high quality %",
              "reverse KL"]
    cells = []
    for r in rows:
        cells.append([r.method, f"gantheory ({device}{', ' + commit if commit else ''})",
                      r.seeds, r.steps, _fmt(r.modes, r.modes_se, 1),
                      _fmt(r.high_quality, r.high_quality_se, 1),
                      _fmt(r.reverse_kl, r.reverse_kl_se, 2)])
        pub = PUBLISHED.get(target_name, {}).get(r.method)
        if pub is not None:
            cells.append([r.method, "PacGAN Table 1", 10, "~400k", _fmt(pub[0], pub[1], 1),
                          _fmt(pub[2], pub[3], 1), _fmt(pub[4], pub[5], 2)])
    notes = [f"Published rows: {PUBLISHED_SOURCE}. Mean ± standard error over seeds."]
    if any(r.method == "gan" for r in rows):
        notes.append("PacGAN's GAN row uses the non-saturating generator loss: it stands beside "
                     "our `non-saturating` row. Our `gan` row is the minimax (saturating) loss, "
                     "which PacGAN does not report.")
    collapsed = [r.method for r in rows if r.modes < n_modes / 2]
    if collapsed:
        notes.append("High quality counts the samples near any mode, however few modes they "
                     "cover: a generator collapsed onto one mode scores high (an untrained "
                     "generator whose samples all fall near the grid's centre mode does). Read "
                     "it with the modes column for: " + ", ".join(collapsed) + ".")
    return markdown_table(header, cells) + "\n\n" + "\n\n".join(notes) + "\n"


def one_d_table(records: Sequence[dict[str, object]], steps: int) -> str:
    """The 1-D experiment's records at its last step, as a markdown table."""
    header = ["setting", "seeds", "steps", "collapsed seeds (< 10 % on one mode)",
              "share of the smaller mode", "W1 to target", "‖D − D*‖"]
    cells = [[r["setting"], r["seeds"], steps, r["collapsed_seeds"], f"{r['minority_share']:.3f}",
              f"{r['w1']:.3f}", f"{r['d_minus_d_star']:.3f}"]
             for r in records if r["step"] == steps]
    return markdown_table(header, cells)


def dirac_table(rows: Sequence[dict[str, object]]) -> str:
    """The rows of :func:`gantheory.dirac.behaviour_table` as a markdown table."""
    return markdown_table(DIRAC_COLUMNS, [[r.get(c, "") for c in DIRAC_COLUMNS] for r in rows])


def saturation_table(records: Sequence[dict[str, object]]) -> str:
    """The saturation experiment's records: the generator's gradient norm under each loss
    after ``d_steps`` discriminator steps, and the mean D(G(z)), as a markdown table.
    """
    header = ["discriminator steps", "minimax gradient norm", "non-saturating gradient norm",
              "D(G(z))"]
    cells = [[r["d_steps"], f"{float(r['minimax']):.3g}", f"{float(r['non-saturating']):.3g}",
              f"{float(r['D(G(z))']):.3g}"] for r in records]
    return markdown_table(header, cells)
