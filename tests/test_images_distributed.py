"""Two gloo processes on the CPU: DistributedDataParallel keeps the replicas equal.

Each process draws its own batches (so its losses differ from the other's), gradients are
averaged, and the weights stay identical across the processes after every step.
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

WORKER = Path(__file__).with_name("ddp_worker.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _torchrun(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
               "--master_addr", "127.0.0.1", "--master_port", str(_free_port()), *args]
    env = {"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


@pytest.mark.parametrize("model", ["dcgan", "vae"])
def test_two_gloo_processes_keep_equal_replicas(model, tmp_path):
    done = _torchrun(str(WORKER), str(tmp_path), model, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    r0, r1 = (torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in (0, 1))
    assert r0["world_size"] == r1["world_size"] == 2
    for key in r0["final"]:
        for name, value in r0["final"][key].items():
            torch.testing.assert_close(value, r1["final"][key][name], rtol=0, atol=1e-6,
                                       msg=f"{key}.{name} differs between the processes")
        changed = [not torch.equal(v, r0["initial"][key][n])
                   for n, v in r0["final"][key].items() if v.is_floating_point()]
        assert any(changed), key
    # the processes saw different data: their local losses differ
    first = next(iter(r0["losses"][0]))
    assert r0["losses"][0][first] != r1["losses"][0][first]


def test_the_train_command_under_torchrun(tmp_path):
    done = _torchrun("-m", "gantheory", "train", "wgan-gp", "--steps", "2", "--width", "4",
                     "--latent-dim", "4", "--batch-size", "8", "--n-images", "64", "--quiet",
                     "--out", str(tmp_path / "run"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("trained wgan-gp to step 2") == 1  # printed by rank 0 only
    assert (tmp_path / "run" / "checkpoint.pt").exists()
    assert json.loads((tmp_path / "run" / "run.json").read_text())["processes"] == 2
