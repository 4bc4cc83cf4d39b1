"""The toy-lab experiments: what their tables claim, checked on small runs."""

import numpy as np
import pytest

from gantheory.presets import bimodal, ring
from gantheory.toyconfig import GANConfig, target_named
from gantheory.toylab import experiments, reporting, train_gan
from gantheory.toylab.experiments import MethodRow


def test_saturating_gradient_vanishes_while_the_non_saturating_one_grows():
    """Goodfellow et al. 2014, Sec. 3: as D learns to reject G's samples, log(1 - D) saturates."""
    rows = experiments.saturation(d_steps=(0, 300), seeds=2)
    start, trained = rows
    assert trained["D(G(z))"] < 0.05 < start["D(G(z))"]
    # at D(G(z)) ~ 0 the two gradients differ by the factor sigmoid(l) / (1 - sigmoid(l)) ~ D
    assert trained["non-saturating"] > 10 * trained["minimax"]
    assert trained["minimax"] < start["minimax"] * 2 and trained["non-saturating"] > start[
        "non-saturating"]


def test_kde_optimal_discriminator_is_one_half_for_the_target_itself():
    target = bimodal()
    samples = target.sample(20_000, seed=0)
    d_star = experiments.kde_optimal_discriminator(target, samples, np.array([[-2.0], [2.0]]))
    # the KDE's bandwidth h widens each mode to variance s^2 + h^2: at the mode centre the
    # estimate is lower by about sqrt(s^2 / (s^2 + h^2)); D* = 1/(1 + that) stays near 1/2
    assert np.all(np.abs(d_star - 0.5) < 0.05), d_star
    far = experiments.kde_optimal_discriminator(target, samples, np.array([[400.0]]))
    assert np.isnan(far[0])  # both densities underflow: undefined, not 0 or 1


def test_weighted_distance():
    w = np.array([1.0, 3.0, 0.0])
    assert experiments.weighted_distance(np.ones(3), np.ones(3), w) == 0.0
    # offset 0.2 everywhere: RMS 0.2 whatever the weights
    assert experiments.weighted_distance(np.full(3, 0.7), np.full(3, 0.5), w) == pytest.approx(0.2)
    d_star = np.array([0.5, np.nan, 0.5])
    assert experiments.weighted_distance(np.array([0.6, 9.0, 0.5]), d_star,
                                         np.array([1.0, 1.0, 1.0])) == pytest.approx(
        np.sqrt(0.01 / 2))


def test_markdown_table_puts_the_published_row_under_ours():
    row = MethodRow("pacgan2", 10, 100, 7.5, 0.2, 90.0, 1.0, 0.1, 0.02, 1.0)
    text = reporting.modes_table([row], "ring", commit="abc1234")
    lines = text.splitlines()
    ours = next(i for i, line in enumerate(lines) if line.startswith("| pacgan2 | gantheory"))
    assert "7.5 ± 0.2" in lines[ours] and "abc1234" in lines[ours]
    assert lines[ours + 1].startswith("| pacgan2 | PacGAN Table 1") and "7.9 ± 0.1" in lines[
        ours + 1]


def test_measure_counts_modes_of_every_seed():
    cfg = GANConfig(steps=2, batch_size=8, g_hidden=(8,), d_hidden=(8,))
    run = train_gan(cfg, ring(), seeds=3, progress=False)
    row = experiments.measure(run, "non-saturating")
    assert row.seeds == 3 and 0 <= row.modes <= 8 and 0 <= row.high_quality <= 100
    with pytest.raises(ValueError, match="target must be one of"):
        target_named("spiral")


def test_one_d_table_and_dirac_table_layout():
    records = [{"setting": "GAN", "step": 0, "w1": 9.0, "d_minus_d_star": 0.5,
                "minority_share": 0.5, "collapsed_seeds": 0, "seeds": 2},
               {"setting": "GAN", "step": 10, "w1": 0.25, "d_minus_d_star": 0.125,
                "minority_share": 0.0625, "collapsed_seeds": 1, "seeds": 2}]
    lines = reporting.one_d_table(records, steps=10).splitlines()
    assert len(lines) == 3  # header, rule, the last step only
    assert lines[2] == "| GAN | 2 | 10 | 1 | 0.062 | 0.250 | 0.125 |"
    dirac_lines = reporting.dirac_table([{"method": "gan", "eigenvalues": "-0.5j 0.5j"}])
    assert dirac_lines.splitlines()[2] == "| gan | -0.5j 0.5j |  |  |  |  |"
