"""The figure gallery: every entry writes valid images, names real theorems, has a demo; the
numbers behind the theory figures say what the figures claim.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import matplotlib.image as mpimg
import numpy as np
import pytest

from gantheory import figures
from gantheory.figures import divergence, gan_theory, registry, sizes
from gantheory.theorems.catalogue import CATALOGUE

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMOS = ROOT / "demos"
LOG2 = np.log(2.0)


@pytest.fixture
def tiny(monkeypatch):
    """Shrink the fast sizes to a smoke test (the figures' tiny sizes)."""
    monkeypatch.setattr(sizes, "TINY", True)


def _check_png(path: Path) -> None:
    assert path.suffix == ".png" and path.stat().st_size > 0, path
    image = mpimg.imread(str(path))
    assert image.ndim == 3 and image.shape[2] in (3, 4), (path, image.shape)
    assert image.shape[0] >= 100 and image.shape[1] >= 100, (path, image.shape)
    assert float(image[..., :3].std()) > 0.01, f"{path} is blank"


# -- the registry --------------------------------------------------------------------------
def test_registry_entries_are_well_formed():
    assert len(figures.FIGURES) >= 20
    for name, spec in figures.FIGURES.items():
        assert name == spec.name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert spec.topic in figures.TOPICS and spec.title
        assert callable(spec.draw) and spec.demo == f"plot_{name.replace('-', '_')}.py"
    topics = {spec.topic for spec in figures.FIGURES.values()}
    assert topics == set(figures.TOPICS)


def test_the_package_docstring_lists_every_figure_under_its_topic():
    lines = figures.__doc__.splitlines()
    for spec in figures.FIGURES.values():
        # the table row of the topic, or its continuation lines, names the figure
        start = next(i for i, line in enumerate(lines) if line.startswith(f"``{spec.topic}``"))
        block = [lines[start]] + [line for line in lines[start + 1:start + 4]
                                  if line.startswith(" ")]
        assert spec.name in " ".join(block).replace(",", " ").split(), spec.name


def test_theorem_keys_exist_in_the_catalogue():
    keys = {t.key for t in CATALOGUE}
    used = set()
    for spec in figures.FIGURES.values():
        missing = set(spec.theorems) - keys
        assert not missing, f"{spec.name}: unknown theorem keys {missing}"
        used |= set(spec.theorems)
    # every theory figure illustrates a theorem, and most of the catalogue has a figure
    for spec in figures.FIGURES.values():
        if spec.topic in ("gan-theory", "divergences"):
            assert spec.theorems, spec.name
    assert len(used) >= len(keys) - 1, sorted(keys - used)


def test_unknown_names_are_one_error_listing_the_valid_ones(tmp_path):
    with pytest.raises(ValueError) as err:
        figures.make(tmp_path, ["jsd-separation", "no-such", "other-bad"], progress=False)
    message = str(err.value)
    assert "no-such" in message and "other-bad" in message
    assert all(name in message for name in figures.FIGURES)
    assert not any(tmp_path.iterdir())  # checked before anything is drawn
    with pytest.raises(ValueError, match="unknown figure"):
        figures.draw("nope", tmp_path)


def test_spec_validation():
    with pytest.raises(ValueError, match="topic must be one of"):
        figures.FigureSpec("x", "X", "cooking", (), lambda out, fast: [])
    with pytest.raises(ValueError, match="kebab-case"):
        figures.FigureSpec("Bad_Name", "X", "vae", (), lambda out, fast: [])
    reg = registry.Registry()
    spec = figures.FigureSpec("a-b", "A", "vae", (), lambda out, fast: [])
    reg.add(spec)
    with pytest.raises(ValueError, match="registered twice"):
        reg.add(spec)
    assert reg.by_topic("vae") == [spec] and reg.by_topic("images") == []


def test_pick_sizes(monkeypatch):
    assert sizes.pick(False, 10, 3, 1) == 10 and sizes.pick(True, 10, 3, 1) == 3
    monkeypatch.setattr(sizes, "TINY", True)
    assert sizes.pick(True, 10, 3, 1) == 1 and sizes.pick(True, 10, 3) == 3
    assert sizes.pick(False, 10, 3, 1) == 10


# -- every entry writes valid files ----------------------------------------------------------
NUMPY_ONLY = [s.name for s in figures.FIGURES.values() if not s.needs_torch]
WITH_TORCH = [s.name for s in figures.FIGURES.values() if s.needs_torch]


@pytest.mark.parametrize("name", NUMPY_ONLY)
def test_theory_figures_write_pngs(name, tmp_path, tiny):
    paths = figures.FIGURES[name].write(tmp_path, fast=True)
    assert paths and all(p.parent == tmp_path and p.name.startswith(name) for p in paths)
    for path in paths:
        _check_png(path)
    assert plt.get_fignums() == []  # write closes what it drew


@pytest.mark.parametrize("name", WITH_TORCH)
def test_toy_and_image_figures_write_pngs(name, tmp_path, tiny):
    paths = figures.make(tmp_path, [name], fast=True, progress=False)
    assert paths and all(p.exists() for p in paths)
    for path in paths:
        if path.suffix == ".gif":
            from PIL import Image

            with Image.open(path) as gif:
                assert gif.n_frames >= 2
        else:
            _check_png(path)
    if name.startswith("toy-gan-") and name != "toy-gan-1d":
        assert {p.suffix for p in paths} == {".png", ".gif"}
    assert plt.get_fignums() == []


def test_draw_returns_open_figures_and_writes_the_files(tmp_path, tiny):
    from matplotlib.figure import Figure

    figs = figures.draw("jsd-separation", tmp_path)
    try:
        assert len(figs) == 1 and isinstance(figs[0], Figure)
        assert figs[0].get_label() == "jsd-separation"
        assert (tmp_path / "jsd-separation.png").exists()
        ax = figs[0].axes[0]
        assert ax.get_xlabel() and ax.get_ylabel()
    finally:
        plt.close("all")


def test_draw_shows_files_the_toy_lab_wrote(tmp_path, tiny):
    figs = figures.draw("dirac-gan", tmp_path)
    try:
        assert len(figs) == 1 and figs[0].get_label() == "dirac-gan"
        assert figs[0].axes[0].images  # the PNG, shown
    finally:
        plt.close("all")


# -- demos ---------------------------------------------------------------------------------
def test_every_demo_shows_a_registry_entry_and_every_entry_has_a_demo():
    demos = sorted(DEMOS.glob("plot_*.py"))
    assert demos
    by_file = {spec.demo: spec for spec in figures.FIGURES.values()}
    for path in demos:
        assert path.name in by_file, f"{path.name} matches no entry of FIGURES"
        text = path.read_text()
        assert f'figures.FIGURES["{by_file[path.name].name}"]' in text, path.name
        doc = text.split('"""')[1]
        lines = doc.strip().splitlines()
        assert set(lines[1]) == {"="} and len(lines[1]) >= len(lines[0]), path.name
        assert ".. math::" in doc, f"{path.name} states no formula"
    assert {p.name for p in demos} == set(by_file)


def test_a_demo_runs_standalone(tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg", "TMPDIR": str(tmp_path),
           "MPLCONFIGDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, str(DEMOS / "plot_jsd_separation.py")],
                            capture_output=True, text=True, timeout=300, env=env,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "jsd-separation.png" in result.stdout


# -- the numbers behind the theory figures ---------------------------------------------------
def test_jsd_rises_with_separation_to_log_2():
    deltas = np.linspace(0.0, 16.0, 33)
    for std in (0.5, 1.0, 2.0):
        v = gan_theory.jsd_separation(deltas, std)
        assert abs(v[0]) < 1e-12 and np.all(np.diff(v) > -1e-12) and np.all(v <= LOG2 + 1e-12)
        assert v[-1] == pytest.approx(LOG2, abs=1e-3 if std < 2 else 0.01)
    u = gan_theory.jsd_uniform_shift([0.0, 0.25, 0.5, 1.0, 2.0])
    np.testing.assert_allclose(u, LOG2 * np.array([0.0, 0.25, 0.5, 1.0, 1.0]), atol=1e-9)


def test_value_function_peaks_at_d_star_with_height_c_of_g():
    from gantheory import Gaussian, jsd
    from gantheory.presets import bimodal

    p, q = bimodal(), Gaussian(0.5, 1.5**2)
    ts = np.linspace(-1.0, 1.0, 9)
    c_of_g = -np.log(4.0) + 2.0 * jsd(p, q).value
    for h in gan_theory.PERTURBATIONS.values():
        v = gan_theory.value_along(p, q, h, ts)
        assert int(np.argmax(v)) == 4 and v[4] == pytest.approx(c_of_g, abs=1e-8)
        assert np.all(v[[0, -1]] < v[4] - 1e-3)


def test_criterion_equals_two_jsd_minus_log_4():
    from gantheory import Gaussian

    gens = [Gaussian(m, s**2) for m in (-3.0, 0.0, 0.5, 4.0) for s in (0.5, 1.0)]
    c, j = gan_theory.criterion_pairs(Gaussian(0.0, 1.0), gens)
    np.testing.assert_allclose(c, j, atol=1e-8)
    assert c.min() == pytest.approx(-np.log(4.0), abs=1e-12)
    assert np.all(c >= -np.log(4.0) - 1e-12) and np.all(c <= 1e-12)


def test_generator_gradients():
    d = np.array([1e-4, 0.5, 0.9])
    sat, ns = gan_theory.logit_gradients(d)
    np.testing.assert_allclose(sat + ns, 1.0)
    g = gan_theory.vanishing_gradients([2.0, 6.0, 10.0])
    mm = np.abs(g["minimax"])
    assert np.all(g["lower"] <= mm) and np.all(mm <= g["upper"])
    assert mm[-1] < 1e-3 * mm[0]
    np.testing.assert_allclose(g["minimax"] + g["non_saturating"], [2.0, 6.0, 10.0], rtol=1e-6)


def test_kl_mle_curves_share_their_maximiser():
    p = divergence.mle_target()
    mean = float(p.mean[0])
    locs = mean + np.linspace(-1.0, 1.0, 21)
    from gantheory import Gaussian

    models = [Gaussian(m, float(p.cov[0, 0])) for m in locs]
    samples = p.sample(20_000, seed=1)
    curves = divergence.kl_mle_curves(p, models, samples)
    assert locs[np.argmax(curves["population"])] == pytest.approx(mean, abs=1e-9)
    assert abs(locs[np.argmax(curves["average_ll"])] - mean) <= 0.1 + 1e-9
    # the sample average estimates the population curve
    np.testing.assert_allclose(curves["average_ll"], curves["population"], atol=0.05)


def test_gaussian_kl_surface_minimum_and_gradient():
    mus, sigmas = np.linspace(-2, 2, 41), np.linspace(0.2, 3.0, 561)
    value, d_mu, d_sigma = divergence.gaussian_kl_surface(mus, sigmas)
    i, j = np.unravel_index(np.argmin(value), value.shape)
    assert (mus[j], sigmas[i]) == pytest.approx((0.0, 1.0), abs=1e-9)
    assert value.min() == pytest.approx(0.0, abs=1e-12)
    # the gradient field is the derivative of the surface (central differences)
    np.testing.assert_allclose(np.gradient(value, mus, axis=1)[:, 1:-1], d_mu[:, 1:-1],
                               atol=1e-9)
    np.testing.assert_allclose(np.gradient(value, sigmas, axis=0)[1:-1], d_sigma[1:-1],
                               atol=0.01)


def test_forward_fit_covers_reverse_fit_seeks():
    from gantheory.presets import bimodal

    p = bimodal()
    f = divergence.fits(p)
    assert f["forward KL"][0] == pytest.approx(0.0, abs=1e-5)
    assert f["forward KL"][1] == pytest.approx(np.sqrt(p.cov[0, 0]), abs=1e-5)
    assert f["reverse KL"] == pytest.approx((2.0, 0.5), abs=0.01)
    assert f["reverse KL, other start"] == pytest.approx((-2.0, 0.5), abs=0.01)
    assert f["reverse KL"][1] <= f["JSD"][1] <= f["forward KL"][1]
    from gantheory import kl

    values, _ = divergence.profile(lambda q: kl(q, p).value, [-2.0, 0.0, 2.0])
    assert values[0] == pytest.approx(values[2], abs=1e-6) and values[1] > values[0] + 1.0


def test_latent_size_target_and_corner_interpolation():
    from gantheory.toylab.experiments import latent_size_target

    t = latent_size_target(dim=4, decay=2.0, seed=3)
    np.testing.assert_allclose(np.linalg.eigvalsh(t.cov)[::-1], 4.0 ** -np.arange(4),
                               atol=1e-12)
    assert abs(t.cov[0, 1]) > 1e-6  # rotated: a diagonal decoder cannot model it alone
    import torch

    from gantheory.images.commands import corner_interpolation

    corners = torch.randn(4, 5, generator=torch.Generator().manual_seed(0))
    z = corner_interpolation(corners, n=8).reshape(8, 8, 5)
    for (i, j), k in (((0, 0), 0), ((0, 7), 1), ((7, 0), 2), ((7, 7), 3)):
        torch.testing.assert_close(z[i, j], corners[k])
    torch.testing.assert_close(z[3, 0] + z[4, 0], z[0, 0] + z[7, 0])  # linear down a column


def test_theory_figures_need_no_torch(tmp_path):
    code = ("import sys; from gantheory import figures; "
            "figures.make(sys.argv[1], ['jsd-separation', 'kl-mle'], progress=False); "
            "assert 'torch' not in sys.modules, 'torch was imported'")
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                            text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "kl-mle.png").exists()


def test_full_mode_image_runs_use_the_trainer_defaults():
    from gantheory.figures.images import MODEL_CHANGES, image_config
    from gantheory.images.registry import model_class

    for model in ("dcgan", "cgan", "wgan-gp", "vae"):
        full, fast = image_config(model, fast=False), image_config(model, fast=True)
        default = model_class(model).config_class(**MODEL_CHANGES.get(model, {}))
        fields = {"steps", "width", "batch_size", "lr_g", "lr_d", "betas", "d_steps",
                  "latent_dim", "likelihood"} & set(default.field_names())
        for field in sorted(fields):
            assert getattr(full, field) == getattr(default, field), (model, field)
        assert fast.steps < full.steps and fast.width < full.width
        assert full.sample_every * 5 == full.steps and full.checkpoint_every == full.steps
