"""Run one gallery script and save the figures it leaves open (the child process of
:func:`gantheory.figures.registry.run_example`).

``python -m gantheory.figures.runner SCRIPT OUT_DIR STEM`` runs ``SCRIPT`` as ``__main__``
with ``plt.show`` a no-op, saves its open figures as ``OUT_DIR/STEM.png``, ``STEM-2.png``, ...
and prints one JSON line: ``files``, ``torch`` (whether torch was imported) and ``seconds``.
The backend is the caller's ``MPLBACKEND`` (``Agg``); this module is meant to be the main
module of its own process and changes only that process's matplotlib.
"""

from __future__ import annotations

import json
import runpy
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Run the script named in ``argv`` and save its figures; 0 on success."""
    script, out_dir, stem = (argv if argv is not None else sys.argv[1:])
    import matplotlib.pyplot as plt

    plt.show = lambda *args, **kwargs: None  # the figures are saved, not shown
    start = time.perf_counter()
    sys.argv = [script]
    runpy.run_path(script, run_name="__main__")
    seconds = time.perf_counter() - start
    files = []
    for k, number in enumerate(plt.get_fignums()):
        path = Path(out_dir) / (f"{stem}.png" if k == 0 else f"{stem}-{k + 1}.png")
        plt.figure(number).savefig(path)
        files.append(str(path))
    plt.close("all")
    print(json.dumps({"files": files, "torch": "torch" in sys.modules, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
