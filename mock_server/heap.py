"""Keep glibc from handing the heap back to the kernel after every large answer.

Why: a readByQuery answer is one string of ~0.5 MB, joined from its parts and then encoded, so for
a moment two such blocks are alive. With glibc's defaults the freed top of the heap is trimmed
(``sbrk`` down) after each request and grown again by the next one, and every fresh page is a page
fault: joining and encoding 540 KB measured 570-700 µs instead of 70 µs on the benchmark VM, more
than the rest of a cached page costs. Raising the trim and mmap thresholds keeps up to 64 MB of
freed heap for reuse; resident memory grows by at most that, once.

Only glibc has ``mallopt``; elsewhere (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
TRIM_THRESHOLD_BYTES = 64 << 20
MMAP_THRESHOLD_BYTES = 16 << 20  # (fixing it also stops glibc's dynamic threshold from resetting the trim one)

_done = False


def keep_heap_warm() -> bool:
    """Apply once per process; True when glibc accepted both settings."""
    global _done
    if _done:
        return True
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1 and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1
    if not ok:
        log.debug("mallopt refused the heap thresholds; large answers will cost page faults")
    _done = ok
    return ok
