"""The figure gallery: every entry names real theorems and has an example; ``make`` runs the
example and writes its PNGs; the examples compute in view and never call a drawing shortcut.
"""

import ast
import re
from pathlib import Path

import matplotlib.image as mpimg
import pytest

from gantheory import figures
from gantheory.figures import registry
from gantheory.theorems.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
DEMOS = ROOT / "demos"


def _check_png(path: Path) -> None:
    assert path.suffix == ".png" and path.stat().st_size > 0, path
    image = mpimg.imread(str(path))
    assert image.ndim == 3 and image.shape[2] in (3, 4), (path, image.shape)
    assert image.shape[0] >= 100 and image.shape[1] >= 100, (path, image.shape)
    assert float(image[..., :3].std()) > 0.01, f"{path} is blank"


# -- the registry --------------------------------------------------------------------------
def test_registry_entries_are_well_formed():
    assert len(figures.FIGURES) >= 24
    for name, spec in figures.FIGURES.items():
        assert name == spec.name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert spec.topic in figures.TOPICS and spec.title
        assert spec.demo == f"plot_{name.replace('-', '_')}.py" and spec.script.is_file()
    assert {spec.topic for spec in figures.FIGURES.values()} == set(figures.TOPICS)


def test_the_package_docstring_lists_every_figure_under_its_topic():
    lines = figures.__doc__.splitlines()
    for spec in figures.FIGURES.values():
        start = next(i for i, line in enumerate(lines) if line.startswith(f"``{spec.topic}``"))
        block = [lines[start]] + [line for line in lines[start + 1:start + 4]
                                  if line.startswith(" ")]
        assert spec.name in " ".join(block).replace(",", " ").split(), spec.name


def test_theorem_keys_exist_in_the_catalogue():
    keys = {t.key for t in CATALOGUE}
    used = set()
    for spec in figures.FIGURES.values():
        assert not set(spec.theorems) - keys, spec.name
        used |= set(spec.theorems)
        if spec.topic in ("gan-theory", "divergences"):
            assert spec.theorems, spec.name
    assert len(used) >= len(keys) - 1, sorted(keys - used)


def test_unknown_names_are_one_error_listing_the_valid_ones(tmp_path):
    with pytest.raises(ValueError) as err:
        figures.make(tmp_path, ["jsd-separation", "no-such", "other-bad"], progress=False)
    message = str(err.value)
    assert "no-such" in message and "other-bad" in message
    assert all(name in message for name in figures.FIGURES)
    assert not any(tmp_path.iterdir())  # checked before anything runs


def test_spec_validation():
    with pytest.raises(ValueError, match="topic must be one of"):
        figures.FigureSpec("x", "X", "cooking")
    with pytest.raises(ValueError, match="kebab-case"):
        figures.FigureSpec("Bad_Name", "X", "vae")
    reg = registry.Registry()
    spec = figures.FigureSpec("a-b", "A", "vae")
    reg.add(spec)
    with pytest.raises(ValueError, match="registered twice"):
        reg.add(spec)
    assert reg.by_topic("vae") == [spec] and reg.by_topic("images") == []


# -- make runs the examples ----------------------------------------------------------------
def test_make_runs_the_example_and_writes_its_figure(tmp_path):
    paths = figures.make(tmp_path, ["jsd-separation"], progress=False)
    assert paths == [tmp_path / "jsd-separation.png"]
    _check_png(paths[0])


def test_a_numpy_example_needs_no_torch(tmp_path):
    for name in ("dirac-gan", "kl-mle"):
        spec = figures.FIGURES[name]
        assert not spec.needs_torch
        report = figures.run_example(spec.script, tmp_path, name)
        assert report["torch"] is False, f"{name} imported torch"
        assert [p.name for p in report["files"]] == [f"{name}.png"]


def test_a_failing_example_is_one_error_with_its_traceback(tmp_path):
    script = tmp_path / "plot_broken.py"
    script.write_text("raise ValueError('a broken example')\n")
    with pytest.raises(RuntimeError, match="a broken example"):
        figures.run_example(script, tmp_path / "out", "broken")
    with pytest.raises(FileNotFoundError, match="GANTHEORY_DEMOS"):
        figures.run_example(tmp_path / "plot_missing.py", tmp_path, "missing")


def test_full_mode_is_passed_to_the_example(tmp_path):
    script = tmp_path / "plot_size.py"
    script.write_text("import os\nimport matplotlib.pyplot as plt\n"
                      "plt.plot([0, 1], [0, float(os.environ['GANTHEORY_FULL'])])\n")
    for full in (False, True):
        report = figures.run_example(script, tmp_path / str(full), "size", full=full)
        assert len(report["files"]) == 1 and report["files"][0].name == "size.png"


# -- the examples teach ----------------------------------------------------------------------
EXAMPLES = sorted(DEMOS.glob("plot_*.py"))


def test_every_example_is_a_registry_entry_and_every_entry_has_an_example():
    assert {p.name for p in EXAMPLES} == {s.demo for s in figures.FIGURES.values()}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_compute_in_view(path):
    text = path.read_text()
    doc = text.split('"""')[1]
    lines = doc.strip().splitlines()
    assert set(lines[1]) == {"="} and len(lines[1]) >= len(lines[0]), path.name
    assert ".. math::" in doc, f"{path.name} states no formula"
    assert "figures.draw" not in text and "from gantheory import figures" not in text
    assert text.count("\n# %%") >= 2, f"{path.name} has no cells"
    calls = {node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
             for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute | ast.Name)}
    imported = {alias.asname or alias.name for node in ast.walk(ast.parse(text))
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gantheory")
                for alias in node.names}
    assert calls & (imported - {"plotting"}) or any(
        f"{m}." in text for m in ("experiments", "dirac", "plots")), path.name
    if "GANTHEORY_FULL" in text:  # the size switch is explained in the text
        assert re.search(r"GANTHEORY_FULL=1", text), path.name
