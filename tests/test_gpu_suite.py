"""The GPU suite's dry run: every code path of benchmarks/gpu_suite.sh, tiny, on the CPU."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_gpu_suite_dry_run_runs_every_section(tmp_path):
    env = dict(os.environ, PYTHON=sys.executable, OMP_NUM_THREADS="1")
    proc = subprocess.run(["bash", str(ROOT / "benchmarks" / "gpu_suite.sh"), "--dry-run",
                           "--out", str(tmp_path)], capture_output=True, text=True, env=env,
                          timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    table = (tmp_path / "gpu_suite.md").read_text()
    for section in ("dcgan-64", "toy lab", "ring", "stacked-mnist"):
        assert section in table, table
    assert "exit status" not in table
    assert "batched / loop" in table and "KL to uniform" in table
    assert (tmp_path / "gpu_suite_provenance.json").exists()


def test_gpu_suite_refuses_cuda_where_there_is_none():
    env = dict(os.environ, PYTHON=sys.executable, CUDA_VISIBLE_DEVICES="")
    proc = subprocess.run(["bash", str(ROOT / "benchmarks" / "gpu_suite.sh"), "--device",
                           "cuda", "--mnist", "x.npz"], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 2
    assert "CUDA is not available" in proc.stderr
