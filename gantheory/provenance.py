"""Where a number came from: the command, git commit, device and torch version of a run.

Every table the toy lab writes and every image run folder carries this record, so that each
recorded number can be traced to the code and the machine that made it.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path


def provenance(device: str, **extra: object) -> dict[str, object]:
    """The command line, git commit (if in a checkout), device and versions of a run.

    ``extra`` items are added to the record (seeds, steps, a configuration ...).
    """
    import torch

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=Path(__file__).parent, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    dev = torch.device(device)
    name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else platform.processor()
    return {"command": " ".join(["gantheory", *sys.argv[1:]]), "commit": commit or "unknown",
            "device": f"{dev} ({name or platform.machine()})", "torch": torch.__version__,
            **extra}
