"""Checkpoints that survive a crash and resume bit for bit.

A checkpoint is one file holding the models' and optimisers' states, every random generator's
state, the step and the configuration (as plain values). :func:`save` writes it to a temporary
file in the same folder and renames it over the old one (an atomic replace on POSIX), so a
crash while writing leaves the previous checkpoint intact, and the temporary file a killed
write leaves behind is deleted by the next :func:`save` (and when a run starts,
:func:`gantheory.atomic.remove_stale_temporaries`). :func:`load` reads it with
``torch.load(weights_only=True)``, which unpickles tensors and plain containers only, never
code; a file that is missing or is not a checkpoint is reported as :class:`CheckpointError`,
a :class:`~gantheory.errors.UsageError`.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gantheory.atomic import save_atomic
from gantheory.errors import UsageError

FORMAT = "gantheory-checkpoint-1"


class CheckpointError(UsageError):
    """A checkpoint file that cannot be read or is not one of ours."""


def rng_state() -> dict[str, Any]:
    """The global random states of Python, numpy and torch (CPU and every CUDA device)."""
    state = {
        "python": list(random.getstate()[1]) + [random.getstate()[0], random.getstate()[2]],
        # numpy's legacy global state, captured on purpose: code a user runs may use it
        "numpy": torch.from_numpy(np.random.get_state()[1].astype(np.int64)),  # noqa: NPY002
        "numpy_pos": int(np.random.get_state()[2]),  # noqa: NPY002
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore what :func:`rng_state` captured."""
    py = state["python"]
    random.setstate((py[-2], tuple(int(v) for v in py[:-2]), py[-1]))
    legacy = ("MT19937", state["numpy"].numpy().astype(np.uint32), state["numpy_pos"], 0, 0.0)
    np.random.set_state(legacy)  # noqa: NPY002  (the legacy global state, on purpose)
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save(payload: dict[str, Any], path: str | Path) -> Path:
    """Write ``payload`` atomically to ``path`` (:func:`gantheory.atomic.save_atomic`)."""
    return save_atomic({"format": FORMAT, **payload}, path)


def unfit(where: str | Path, exc: BaseException) -> CheckpointError:
    """The one-line error for a checkpoint whose entries do not fit the run it describes:
    a missing entry (``exc`` a KeyError) or weights of other shapes (a RuntimeError of
    ``load_state_dict``, whose many lines are cut to the first mismatch).
    """
    if isinstance(exc, KeyError):
        detail = f"it lacks the entry {exc.args[0]!r}"
    else:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        detail = " ".join(lines[:2]) or type(exc).__name__
        if len(lines) > 2:
            detail += f" (and {len(lines) - 2} more)"
    return CheckpointError(f"{str(where)!r} does not hold networks that fit its run's config: "
                           f"{detail}")


def load(path: str | Path, map_location: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a checkpoint written by :func:`save` (``weights_only=True``)."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {str(path)!r}")
    try:
        payload = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:  # noqa: BLE001  (any unpickling failure means a bad file)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(f"{str(path)!r} is not a readable checkpoint ({first})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{str(path)!r} is not a gantheory checkpoint")
    return payload
