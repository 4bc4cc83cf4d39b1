r"""CPU settings for the toy lab's commands: keep freed tensor memory in the process.

The toy lab's step allocates and frees tensors of a few megabytes many times a second (the
activations of ``M`` discriminators on ``N`` inputs). glibc's ``malloc`` serves blocks above its
*mmap threshold* with fresh ``mmap`` calls and hands freed memory at the top of the heap back to
the system above its *trim threshold*; every such block then costs page faults (the kernel
zeroes each 4 KiB page again) on its next use. On the project's 2-core machine that was about
1,700 page faults and 3-4 ms of system time per step of the 10-seed ring GAN, 10-15 % of the
step.

:func:`keep_freed_memory` raises both thresholds (``mallopt(M_MMAP_THRESHOLD, 32 MiB)``, the
largest value glibc accepts, and ``mallopt(M_TRIM_THRESHOLD, 1 GiB)``), so the blocks are
reused from the heap. It changes the whole process's allocator, so the library never calls it
by itself: ``gantheory toy`` and ``benchmarks/bench_toylab.py`` do, and a script may. The cost
is that the process keeps up to its peak heap instead of returning it: for the toy lab, tens
of megabytes. Elsewhere than glibc (macOS, Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 1024 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Ask glibc to reuse freed blocks instead of returning them; True if it accepted.

    Examples
    --------
    >>> isinstance(keep_freed_memory(), bool)
    True
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
