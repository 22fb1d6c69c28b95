"""Putting a loaded model's memory in huge pages (desktopchat.engine.hugepages): which mappings,
which chunks, the time budget, the kernel's refusals, and the effect on a real mapping."""

from __future__ import annotations

import ctypes
import errno
import mmap
from pathlib import Path

import pytest

from desktopchat.engine import hugepages
from desktopchat.engine.hugepages import HUGE, MIN_REGION, Backing, anon_regions, resident_runs
from desktopchat.engine.loading import read_in

MiB = 1 << 20
PER = HUGE // 4096  # pages per huge page

MAPS = """\
55d0c0a00000-55d0c2e00000 rw-p 00000000 00:00 0                          [heap]
7f0000000000-7f0004000000 rw-p 00000000 00:00 0
7f0004000000-7f0004001000 ---p 00000000 00:00 0
7f0010000000-7f0020000000 r--s 00000000 08:01 1234                       /models/a.gguf
7f0020000000-7f0024000000 r--p 00000000 00:00 0
7f0024000000-7f0028000000 rw-p 00001000 08:01 99                         /usr/lib/libx.so
7ffc00000000-7ffc00100000 rw-p 00000000 00:00 0                          [stack]
"""


def test_only_private_writable_anonymous_mappings_are_candidates():
    assert anon_regions(MAPS) == {(0x7F0000000000, 0x7F0004000000)}


def test_resident_runs_are_whole_chunks_every_page_of_which_is_resident():
    full, empty = b"\x01" * PER, b"\x00" * PER
    one_missing = b"\x01" * (PER - 1) + b"\x00"
    other_bits = b"\x03" * PER  # bits other than bit 0 are reserved and ignored
    vec = full + one_missing + full + other_bits + empty + full
    assert resident_runs(0, vec) == [(0, HUGE), (2 * HUGE, 4 * HUGE), (5 * HUGE, 6 * HUGE)]
    assert resident_runs(0, empty * 3) == []
    assert resident_runs(8 * HUGE, full * 2) == [(8 * HUGE, 10 * HUGE)]


class FakeLibc:
    """Every page resident except where ``holes`` says; madvise answers from ``answers``."""

    def __init__(self, answers=(), holes=()):  # type: ignore[no-untyped-def]
        self.calls: list[tuple[int, int, int]] = []
        self.answers = list(answers)
        self.holes = set(holes)  # huge-page indexes (address // HUGE) with a page missing

    def mincore(self, start: int, length: int) -> bytes:
        out = bytearray()
        for i in range(start // HUGE, (start + length) // HUGE):
            out += (b"\x01" * (PER - 1) + b"\x00") if i in self.holes else b"\x01" * PER
        return bytes(out)

    def madvise(self, start: int, length: int, advice: int) -> int:
        self.calls.append((start, length, advice))
        if advice == hugepages.MADV_COLLAPSE and self.answers:
            return self.answers.pop(0)
        return 0


class Clock:
    def __init__(self, tick: float) -> None:
        self.now, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now


def _collapses(fake: FakeLibc) -> list[tuple[int, int]]:
    return [(a, n) for a, n, adv in fake.calls if adv == hugepages.MADV_COLLAPSE]


def test_new_large_regions_are_advised_and_collapsed_where_resident():
    big = (100 * HUGE + 4096, 140 * HUGE + 8192)  # unaligned ends: only whole chunks inside
    old = (200 * HUGE, 240 * HUGE)  # there before the load
    small = (300 * HUGE, 300 * HUGE + MIN_REGION - 4096)
    fake = FakeLibc(holes={120})
    backing = Backing(frozenset({old}), after=[big, old, small], libc=fake)  # type: ignore[arg-type]
    assert backing.regions == [big]
    result = backing.collapse(60.0)
    advised = [(a, n) for a, n, adv in fake.calls if adv == hugepages.MADV_HUGEPAGE]
    # chunks 101..119 and 121..139: the partial first and last chunks and the hole are left
    assert advised == [(101 * HUGE, 19 * HUGE), (121 * HUGE, 19 * HUGE)]
    assert _collapses(fake) == [(101 * HUGE, 16 * HUGE), (117 * HUGE, 3 * HUGE),
                                (121 * HUGE, 16 * HUGE), (137 * HUGE, 3 * HUGE)]
    assert result.advised == result.collapsed == 38 * HUGE and result.done and result.complete


def test_slices_resume_where_the_last_stopped_and_the_total_budget_ends_it():
    fake = FakeLibc()
    backing = Backing(frozenset(), after=[(0, 96 * HUGE)], libc=fake)  # type: ignore[arg-type]
    clock = Clock(1.0)  # every reading of the clock is a second later
    first = backing.collapse(2.5, total_s=7.0, clock=clock)
    assert len(_collapses(fake)) == 2 and not first.done  # steps at +1 and +2; +3 is over
    assert first.advised == 96 * HUGE and first.collapsed == 32 * HUGE  # all advised at once
    second = backing.collapse(2.5, total_s=7.0, clock=clock)
    assert _collapses(fake)[2] == (32 * HUGE, 16 * HUGE)  # resumed where the first stopped
    assert second.collapsed == 64 * HUGE and second.seconds == 8.0 and not second.done
    third = backing.collapse(2.5, total_s=7.0, clock=clock)  # 8 s spent: over the total
    assert third.done and not third.complete and third.collapsed == 64 * HUGE
    assert len(_collapses(fake)) == 4


def test_a_busy_step_is_skipped_and_a_refusal_stops_collapsing():
    fake = FakeLibc(answers=[0, errno.EAGAIN, 0, errno.ENOMEM])
    backing = Backing(frozenset(), after=[(0, 96 * HUGE)], libc=fake)  # type: ignore[arg-type]
    result = backing.collapse(60.0)
    assert len(_collapses(fake)) == 4  # the fifth and sixth steps are never tried
    assert result.collapsed == 2 * 16 * HUGE and result.done and not result.complete
    assert backing.collapse(60.0).done and len(_collapses(fake)) == 4


def test_weights_are_read_in_only_where_huge_pages_exist_and_the_model_fits(monkeypatch):
    monkeypatch.setattr(hugepages, "supported", lambda: True)
    assert read_in(600 * MiB, 100 * MiB, 1000 * MiB)
    assert not read_in(700 * MiB, 200 * MiB, 1000 * MiB)  # over 80%: keep the file mapping
    assert not read_in(1 * MiB, 1 * MiB, None)  # the OS did not say what is free
    monkeypatch.setattr(hugepages, "supported", lambda: False)
    assert not read_in(1 * MiB, 1 * MiB, 1000 * MiB)


def test_the_mode_is_read_from_the_kernel_setting(tmp_path: Path):
    setting = tmp_path / "enabled"
    setting.write_text("always [madvise] never\n")
    assert hugepages.thp_mode(setting) == "madvise"
    setting.write_text("always madvise [never]\n")
    assert hugepages.thp_mode(setting) == "never"
    assert hugepages.thp_mode(tmp_path / "missing") == ""


def _smaps_entry(addr: int) -> dict[str, int]:
    fields: dict[str, int] = {}
    inside = False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()[0]
        if "-" in head and not head.endswith(":"):
            lo, hi = (int(x, 16) for x in head.split("-"))
            inside = lo <= addr < hi
        elif inside and line.split()[-1] == "kB":
            fields[head.rstrip(":")] = int(line.split()[1]) * 1024
    return fields


def test_a_real_mapping_gets_huge_pages_where_it_is_resident_and_nowhere_else():
    if not hugepages.supported():  # macOS, Windows, Linux before 6.1, or THP switched off
        assert not read_in(1 * MiB, 1 * MiB, 1 << 40)
        return
    before = anon_regions()
    size, touched = 64 * MiB, 40 * MiB
    m = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        view = ctypes.c_char.from_buffer(m)
        addr = ctypes.addressof(view)
        del view
        m[:touched] = b"\x01" * touched
        result = Backing(before).collapse(30.0, total_s=30.0)
        entry = _smaps_entry(addr)
        assert result.collapsed > 0, result  # a kernel with MADV_COLLAPSE (Linux 6.1 and later)
        # what was collapsed lies inside the touched part (alignment can cost a chunk or two)
        assert touched - 2 * HUGE <= entry["AnonHugePages"] <= touched
        lo = (addr + touched + HUGE - 1) & ~(HUGE - 1)
        tail = hugepages._Libc().mincore(lo, addr + size - lo)
        assert tail is not None and set(tail) == {0}  # the untouched part stays untouched
        assert bytes(m[:16]) == b"\x01" * 16 and bytes(m[touched - 1:touched]) == b"\x01"
    finally:
        m.close()


@pytest.mark.parametrize("mode", ["always", "madvise"])
def test_supported_needs_linux_6_1_and_huge_pages_on(monkeypatch, mode):
    monkeypatch.setattr(hugepages, "thp_mode", lambda: mode)
    monkeypatch.setattr(hugepages.sys, "platform", "linux")
    monkeypatch.setattr(hugepages.platform, "release", lambda: "6.1.0-13-amd64")
    assert hugepages.supported()
    monkeypatch.setattr(hugepages.platform, "release", lambda: "5.15.0-91-generic")
    assert not hugepages.supported()  # no MADV_COLLAPSE before 6.1
    monkeypatch.setattr(hugepages.platform, "release", lambda: "6.18.44-fc")
    monkeypatch.setattr(hugepages.sys, "platform", "darwin")
    assert not hugepages.supported()


def test_kernel_releases_are_compared_by_number():
    assert hugepages.kernel_at_least(6, 1, "6.10.2")
    assert hugepages.kernel_at_least(6, 1, "7.0")
    assert not hugepages.kernel_at_least(6, 1, "6.0.19")
    assert hugepages.kernel_at_least(6, 1, "6.1-rc2-custom")
    assert not hugepages.kernel_at_least(6, 12, "6.1-rc2")
    assert not hugepages.kernel_at_least(6, 1, "weird")
