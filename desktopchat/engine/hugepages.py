"""Back a loaded model's memory with 2 MiB pages (Linux transparent huge pages).

Decoding reads every weight once per token, so on the CPU it is bound by memory: a 1.5B model
at Q4_K_M streams about 800 MiB per token. With 4 KiB pages that is 200,000 page translations a
token, and the TLB misses show: on this project's 2-core machine the synthetic 1.5B model
decodes 6-10% faster once its weights, KV cache and compute buffer sit in 2 MiB pages
(benchmarks/RESULTS.md). llama.cpp's own tools do not ask for them.

Most desktop Linux systems run transparent huge pages in ``madvise`` mode: a process gets them
only for memory it advises. llama.cpp allocates its buffers itself and fills them during the
load, so the engine advises afterwards:

- :func:`anon_regions` before the load, :class:`Backing` after it: the private anonymous
  mappings of at least 32 MiB that the load created are the model's buffers (weights read into
  memory, the repacked weights, the KV cache, the compute buffer).
- Only 2 MiB chunks that are already fully resident are advised (``MADV_HUGEPAGE``) and
  collapsed into huge pages (``MADV_COLLAPSE``, Linux 6.1): what was never touched stays
  untouched, so the resident memory does not grow.
- Collapsing copies the pages: 0.2 to 3 seconds for a 1 GiB model on this project's machine,
  longer the more memory the kernel must find or compact first. :meth:`Backing.collapse` works
  in 32 MiB steps, in slices of 50 ms between the engine's requests (a request never waits for
  more than one slice), within a total budget; what is left stays advised and the kernel's
  khugepaged collapses it later.

The file's page cache cannot be collapsed (``EINVAL``), so where this module is in use
(:func:`supported`) the engine reads the weights of a CPU load into memory instead of mapping the
file (``engine.loading.read_in``). They stay in a file mapping on macOS and Windows, where huge
pages are off, on a GPU load, and when the model would not fit with room to spare: a mapped
file's pages can be dropped under memory pressure, read-in ones would go to swap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import platform
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

HUGE = 2 << 20  # the x86-64 and arm64 (4 KiB granule) PMD size
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MIN_REGION = 32 << 20  # smaller mappings are the allocator's and Python's, not the model's
BUDGET_S = 5.0  # seconds of collapsing per load at most; khugepaged does the rest
SLICE_S = 0.05  # collapsing between two of the engine's requests: a request waits no longer
STEP = 16  # huge pages per MADV_COLLAPSE call: 32 MiB, a few ms when memory is free
MAX_AGAIN = 8  # steps the kernel may find busy (EAGAIN) before collapsing stops
MADV_HUGEPAGE = 14
MADV_COLLAPSE = 25
THP_ENABLED = Path("/sys/kernel/mm/transparent_hugepage/enabled")

Region = tuple[int, int]  # [start, end) of a mapping
_BIT0 = bytes(i & 1 for i in range(256))


def thp_mode(path: Path = THP_ENABLED) -> str:
    """The kernel's transparent huge page mode ("always", "madvise", "never"), "" if unknown."""
    try:
        text = path.read_text()
    except OSError:
        return ""
    start, end = text.find("["), text.find("]")
    return text[start + 1:end] if 0 <= start < end else ""


def kernel_at_least(major: int, minor: int, release: str | None = None) -> bool:
    """Whether the running kernel's release ("6.18.44-...") is at least ``major.minor``."""
    found = re.match(r"(\d+)\.(\d+)", release if release is not None else platform.release())
    return found is not None and (int(found[1]), int(found[2])) >= (major, minor)


def supported() -> bool:
    """Whether advised memory can be put in huge pages here: Linux 6.1 or later (the first
    with MADV_COLLAPSE), 4 KiB pages, transparent huge pages not switched off."""
    return (sys.platform.startswith("linux") and PAGE == 4096 and kernel_at_least(6, 1)
            and thp_mode() in ("always", "madvise"))


def anon_regions(maps: str | None = None) -> frozenset[Region]:
    """Private, writable, anonymous mappings of this process (from /proc/self/maps)."""
    if maps is None:
        try:
            maps = Path("/proc/self/maps").read_text()
        except OSError:
            return frozenset()
    found = set()
    for line in maps.splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) < 5 or parts[1] != "rw-p" or parts[4] != "0" or len(parts) == 6:
            continue  # inode 0 and no name: anonymous ([heap] and [stack] carry names)
        start, _, end = parts[0].partition("-")
        found.add((int(start, 16), int(end, 16)))
    return frozenset(found)


def resident_runs(start: int, resident: bytes) -> list[Region]:
    """Runs of whole 2 MiB chunks every page of which is resident. ``start`` is 2 MiB aligned;
    ``resident`` is mincore's vector for the pages from there (bit 0: resident)."""
    per = HUGE // PAGE
    bits = resident.translate(_BIT0)  # the other bits are reserved: 0 or 1 per page
    runs: list[Region] = []
    run_start = -1
    n = len(bits) // per
    for i in range(n + 1):
        full = i < n and b"\x00" not in bits[i * per:(i + 1) * per]
        if full and run_start < 0:
            run_start = i
        elif not full and run_start >= 0:
            runs.append((start + run_start * HUGE, start + i * HUGE))
            run_start = -1
    return runs


@dataclass(frozen=True)
class BackingResult:
    advised: int  # bytes advised (fully resident 2 MiB chunks of the model's buffers)
    collapsed: int  # bytes now in huge pages
    seconds: float  # spent collapsing so far, over all slices
    done: bool  # nothing more will be tried: all collapsed, the budget spent, or refused

    @property
    def complete(self) -> bool:
        return self.done and self.collapsed == self.advised


class _Libc:
    def __init__(self) -> None:
        lib = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        lib.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        lib.madvise.restype = ctypes.c_int
        lib.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
        lib.mincore.restype = ctypes.c_int
        self.lib = lib

    def madvise(self, start: int, length: int, advice: int) -> int:
        """0, or the errno."""
        if self.lib.madvise(start, length, advice) == 0:
            return 0
        return ctypes.get_errno()

    def mincore(self, start: int, length: int) -> bytes | None:
        vec = (ctypes.c_ubyte * (length // PAGE))()
        if self.lib.mincore(start, length, vec) != 0:
            return None
        return bytes(vec)


class Backing:
    """The model buffers one load created, put in huge pages a slice at a time once the model
    is ready (the engine's thread answers requests between slices)."""

    def __init__(self, before: frozenset[Region], after: Iterable[Region] | None = None,
                 libc: _Libc | None = None) -> None:
        now = anon_regions() if after is None else after
        self.regions = sorted(r for r in now if r not in before and r[1] - r[0] >= MIN_REGION)
        self._libc = libc
        self._pending: list[Region] | None = None  # advised runs not yet collapsed
        self.advised = self.collapsed = 0
        self.spent = 0.0
        self._failures = 0
        self._done = False

    def _advise(self, libc: _Libc) -> list[Region]:
        """Advise every fully resident chunk at once (cheap): what the budget leaves, the
        kernel's khugepaged collapses later."""
        runs: list[Region] = []
        for start, end in self.regions:
            lo = (start + HUGE - 1) & ~(HUGE - 1)
            hi = end & ~(HUGE - 1)
            resident = libc.mincore(lo, hi - lo) if hi > lo else None
            for a, b in resident_runs(lo, resident or b""):
                if libc.madvise(a, b - a, MADV_HUGEPAGE) == 0:
                    runs.append((a, b))
                    self.advised += b - a
        return runs

    def collapse(self, slice_s: float, total_s: float = BUDGET_S,
                 clock: Callable[[], float] = time.perf_counter) -> BackingResult:
        """Collapse for about ``slice_s`` more (one 32 MiB step may run past it), and no more
        than ``total_s`` over all calls. Call on the thread that runs the model, between its
        requests, until the result is ``done``."""
        t0 = clock()
        if self._libc is None:
            self._libc = _Libc()  # once per load, not once per slice
        libc = self._libc
        if self._pending is None:
            self._pending = self._advise(libc)
        pending = self._pending
        while pending and not self._done:
            used = clock() - t0
            if used > slice_s:
                break
            if self.spent + used > total_s:
                self._done = True
                break
            a, b = pending[0]
            step = min(b, a + STEP * HUGE)
            err = libc.madvise(a, step - a, MADV_COLLAPSE)
            if err == errno.EAGAIN and self._failures < MAX_AGAIN:
                self._failures += 1  # a page was busy: the next step may well succeed
            elif err:  # EINVAL: a kernel before 6.1; ENOMEM: no free 2 MiB blocks
                log.info("huge pages: collapse stopped: %s", os.strerror(err))
                self._done = True
                break
            else:
                self.collapsed += step - a
            pending[0] = (step, b)
            if step >= b:
                pending.pop(0)
        self.spent += clock() - t0
        self._done = self._done or not pending
        return BackingResult(self.advised, self.collapsed, self.spent, self._done)
