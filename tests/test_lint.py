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


def test_numpy_core_imports_without_torch():
    code = (
        "import sys; import gantheory, gantheory.theorems.catalogue, gantheory.presets; "
        "import gantheory.toylab.metrics, gantheory.toylab.dirac, gantheory.toylab.config; "
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
