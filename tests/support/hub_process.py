"""The loopback Hub in a process of its own (for benchmarks: the Hub's work stays out of the
app's process): ``python -m tests.support.hub --file REPO/NAME=PATH [--rate BYTES_PER_S]``."""

from __future__ import annotations

from pathlib import Path

from tests.support.hub import HubServer


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.support.hub --file REPO/NAME=PATH [--rate BYTES_PER_S]``: serve (for
    benchmarks, out of the app's process), print the Hub's URL, stop when stdin closes."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--file", action="append", default=[], help="owner/repo/name=path")
    ap.add_argument("--rate", type=int, default=0, help="bytes per second (0: unlimited)")
    args = ap.parse_args(argv)
    server = HubServer()
    server.faults.rate = args.rate
    repos: dict[str, dict[str, Path]] = {}
    for spec in args.file:
        target, _, src = spec.partition("=")
        owner, repo, name = target.split("/", 2)
        repos.setdefault(f"{owner}/{repo}", {})[name] = Path(src)
    for repo_id, files in repos.items():
        server.add_repo(repo_id, files)
    with server:
        print(server.url, flush=True)
        sys.stdin.read()
    return 0
