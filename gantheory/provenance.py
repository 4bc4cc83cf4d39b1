"""Where a number came from: the command, git commit, device and torch version of a run.

Every table the toy lab writes and every image run folder carries this record, so that each
recorded number can be traced to the code and the machine that made it.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path


def command_line(argv: list[str] | None = None) -> str:
    """The command that is running: ``gantheory ...`` for the CLI (``python -m gantheory`` too),
    else the program as it was called (a benchmark script, ``pytest``) and its arguments.

    >>> command_line(["/venv/bin/gantheory", "eval", "--json"])
    'gantheory eval --json'
    >>> command_line(["/src/gantheory/__main__.py", "toy", "modes"])
    'gantheory toy modes'
    >>> command_line(["benchmarks/latent_sweep.py", "--model", "dcgan"])
    'benchmarks/latent_sweep.py --model dcgan'
    >>> command_line(["/venv/lib/site-packages/pytest/__main__.py", "-q"])
    '/venv/lib/site-packages/pytest/__main__.py -q'
    """
    argv = sys.argv if argv is None else argv
    program = Path(argv[0] if argv else "")
    if program.name == "gantheory" or program.parts[-2:] == ("gantheory", "__main__.py"):
        program = Path("gantheory")
    return " ".join([str(program), *argv[1:]])


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
    return {"command": command_line(), "commit": commit or "unknown",
            "device": f"{dev} ({name or platform.machine()})", "torch": torch.__version__,
            **extra}
