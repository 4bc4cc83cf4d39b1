"""Files written whole or not at all: the one atomic :func:`torch.save` of the package.

Checkpoints of the toy lab (:meth:`gantheory.toylab.GANTrainer.save_checkpoint`) and of image
runs (:func:`gantheory.images.checkpoint.save`) are written to a temporary file in the target's
folder (``NAME.XXXX.tmp``), flushed to disk, and renamed over the target with
:func:`os.replace`, which is atomic on POSIX: a reader, or a run killed at any instant, sees
the old file or the new one, never a part. A write killed before the rename leaves its
temporary file; :func:`remove_stale_temporaries` deletes those, and :func:`save_atomic` calls
it first.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import torch

__all__ = ["remove_stale_temporaries", "save_atomic"]


def _stale(path: Path) -> list[Path]:
    if not path.parent.is_dir():
        return []
    return sorted(p for p in path.parent.glob(f"{path.name}.*.tmp") if p.is_file())


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Delete the temporary files that interrupted writes of ``path`` left beside it.

    ``path`` is the target file (``checkpoint.pt``), or a folder: then the temporaries of every
    file in it. Returns the paths deleted.
    """
    path = Path(path)
    if path.is_dir():
        stale = sorted(p for p in path.glob("*.tmp") if p.is_file())
    else:
        stale = _stale(path)
    for tmp in stale:
        tmp.unlink(missing_ok=True)
    return stale


def save_atomic(obj: object, path: str | Path) -> Path:
    """:func:`torch.save` ``obj`` to ``path`` atomically (temporary file, fsync, rename).

    The folder is created; stale temporaries of ``path`` are removed first; if the write
    fails, its own temporary file is removed and the old ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            torch.save(obj, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
