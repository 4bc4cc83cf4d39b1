"""Checkpoints: atomic writes, weights-only loading, random states restored exactly."""

import random

import numpy as np
import pytest
import torch

from gantheory.images import checkpoint as ckpt


def test_round_trip_and_format(tmp_path):
    path = ckpt.save({"step": 3, "weights": torch.arange(4.0), "nested": {"a": [1, 2]}},
                     tmp_path / "c.pt")
    payload = ckpt.load(path)
    assert payload["step"] == 3 and payload["nested"] == {"a": [1, 2]}
    assert torch.equal(payload["weights"], torch.arange(4.0))
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_a_failed_write_keeps_the_previous_checkpoint(tmp_path):
    path = ckpt.save({"step": 1}, tmp_path / "c.pt")

    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        ckpt.save({"step": 2, "bad": Unpicklable()}, path)
    assert ckpt.load(path)["step"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["c.pt"]


def test_corrupt_missing_and_foreign_files_are_checkpoint_errors(tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint at all")
    with pytest.raises(ckpt.CheckpointError, match="not a readable checkpoint"):
        ckpt.load(bad)
    with pytest.raises(ckpt.CheckpointError, match="no checkpoint at"):
        ckpt.load(tmp_path / "missing.pt")
    foreign = tmp_path / "foreign.pt"
    torch.save({"state_dict": {}}, foreign)
    with pytest.raises(ckpt.CheckpointError, match="not a gantheory checkpoint"):
        ckpt.load(foreign)


def test_code_in_a_checkpoint_is_refused(tmp_path):
    """weights_only=True: a pickled object that is not a tensor or container is not loaded."""
    evil = tmp_path / "evil.pt"
    torch.save({"format": ckpt.FORMAT, "obj": np.random.RandomState(0)}, evil)
    with pytest.raises(ckpt.CheckpointError):
        ckpt.load(evil)


def test_random_states_are_restored(tmp_path):
    random.seed(1)
    np.random.seed(2)  # noqa: NPY002
    torch.manual_seed(3)
    ckpt.save({"rng": ckpt.rng_state()}, tmp_path / "r.pt")
    expected = (random.random(), np.random.rand(), torch.rand(1).item())  # noqa: NPY002
    random.seed(9)
    np.random.seed(9)  # noqa: NPY002
    torch.manual_seed(9)
    ckpt.set_rng_state(ckpt.load(tmp_path / "r.pt")["rng"])
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == expected  # noqa: NPY002
