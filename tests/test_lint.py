"""ruff is part of the test extra: the code base stays lint-clean under pyproject's config."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_clean():
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "gantheory", "tests", "benchmarks", "demos",
         "docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


#: The numeric core: everything that must import with numpy and scipy only.
CORE_MODULES = (
    "gantheory", "gantheory.presets", "gantheory.distributions", "gantheory.divergences",
    "gantheory.discriminator", "gantheory.theorems.catalogue", "gantheory.dirac",
    "gantheory.kde", "gantheory.sample_metrics", "gantheory.stats", "gantheory.tables",
    "gantheory.toyconfig", "gantheory.generator_gradients", "gantheory.gaussian_fit",
    "gantheory.vae_kl",
)


def _run_then_check_no_torch(code: str) -> str:
    """Run ``code`` in a fresh interpreter, then fail if it imported torch; its stdout."""
    code += "\nimport sys\nassert 'torch' not in sys.modules, 'torch imported'\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_numpy_core_imports_without_torch_or_the_toy_lab():
    out = _run_then_check_no_torch(
        "import importlib, pkgutil, sys\n"
        "import gantheory.theorems\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "for info in pkgutil.iter_modules(gantheory.theorems.__path__, 'gantheory.theorems.'):\n"
        "    importlib.import_module(info.name)\n"
        "assert not [m for m in sys.modules if m.startswith('gantheory.toylab')], "
        "'gantheory.toylab imported'\n"
        "print(len([m for m in sys.modules if m.startswith('gantheory.theorems.')]))\n"
    )
    assert int(out) >= 9  # every theorem module was imported


def test_the_command_line_help_imports_no_torch():
    _run_then_check_no_torch(
        "import contextlib, io\n"
        "from gantheory.cli import main\n"
        "for argv in (['--help'], ['toy', '--help'], ['toy', 'modes', '--help']):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        main(argv)\n"
    )
