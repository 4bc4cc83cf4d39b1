"""How much memory a device has free, to refuse a run that cannot fit before it starts.

:func:`free_memory` reads ``torch.cuda.mem_get_info`` on CUDA and ``MemAvailable`` of
``/proc/meminfo`` elsewhere; the image trainer (:func:`gantheory.images.commands.train`) and
``gantheory toy`` compare their estimates with it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["free_memory", "format_bytes"]


def free_memory(device: str = "cpu") -> int | None:
    """Bytes free on ``device`` (a torch device string); None where it cannot be read.

    ``torch`` is imported only for a CUDA device.
    """
    if str(device).startswith("cuda"):
        import torch

        return int(torch.cuda.mem_get_info(torch.device(device))[0])
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def format_bytes(n: float) -> str:
    """``n`` bytes in the largest unit that keeps it >= 1, e.g. ``'1.5 GiB'``.

    Examples
    --------
    >>> format_bytes(1536 * 2**20)
    '1.5 GiB'
    """
    if abs(n) < 1024:
        return f"{int(n)} B"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        n /= 1024
        if abs(n) < 1024 or unit == "TiB":
            break
    return f"{n:.1f} {unit}"
