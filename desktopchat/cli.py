"""``desktopchat models ...``: the model manager from a terminal (search, files, get, import,
list, rm, login). Every command calls the same functions the window uses (``models.hub``,
``models.download.DownloadManager``, ``models.library.ModelLibrary``); this module only parses
arguments and prints. Errors are one sentence on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path
from typing import TextIO

from desktopchat.paths import AppPaths

log = logging.getLogger(__name__)


def add_models_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="keep all app data (chats, models, logs) here")
    common.add_argument("--offline", action="store_true", default=argparse.SUPPRESS,
                        help="never open a network connection")
    models = sub.add_parser("models", parents=[common], help="search, download and manage models")
    cmds = models.add_subparsers(dest="models_command", required=True, metavar="COMMAND")
    p = cmds.add_parser("search", parents=[common], help="search the Hub for GGUF models")
    p.add_argument("query")
    p.add_argument("--sort", choices=["downloads", "likes", "recent"], default="downloads")
    p.add_argument("--limit", type=int, default=20)
    p = cmds.add_parser("files", parents=[common],
                        help="a repo's GGUF files: size, quantization and fit on this computer")
    p.add_argument("repo")
    p.add_argument("--revision")
    p.add_argument("--context", type=int, default=4096, help="context length for the fit")
    p.add_argument("--no-fit", action="store_true",
                   help="skip reading the first file's header (a few MB) for the fit estimate")
    p = cmds.add_parser("get", parents=[common],
                        help="download, verify and install a file (resumes a partial download)")
    p.add_argument("repo")
    p.add_argument("file")
    p.add_argument("--revision")
    p.add_argument("--retries", type=int, default=5, help="retries after a drop or stall")
    p.add_argument("--stall-timeout", type=float, default=30.0, help=argparse.SUPPRESS)
    p = cmds.add_parser("import", parents=[common], help="use a local .gguf file (in place)")
    p.add_argument("path", type=Path)
    p.add_argument("--copy", action="store_true", help="copy it into the models folder")
    cmds.add_parser("list", parents=[common], help="installed models")
    p = cmds.add_parser("rm", parents=[common], help="delete (or forget) an installed model")
    p.add_argument("id")
    p = cmds.add_parser("login", parents=[common],
                        help="store a Hub access token (read from stdin) for gated models")


def run_models(args: argparse.Namespace, paths: AppPaths) -> int:
    """Run one ``models`` command; returns the exit status."""
    from desktopchat.models.gguf import GGUFError
    from desktopchat.models.hub import HubError

    offline = bool(getattr(args, "offline", False))
    handler = {
        "search": _search, "files": _files, "get": _get, "import": _import, "list": _list,
        "rm": _rm, "login": _login,
    }[args.models_command]
    try:
        return handler(args, paths, offline)
    except (HubError, GGUFError) as exc:
        _err(f"{exc}")
        return 1
    except KeyboardInterrupt:
        _err("Interrupted; run the same command again to resume.")
        return 130


def _err(message: str) -> None:
    message = message.strip()
    print(message if message.endswith((".", "!", "?")) else message + ".", file=sys.stderr)


def _search(args: argparse.Namespace, paths: AppPaths, offline: bool) -> int:
    from desktopchat.models import hub

    repos = hub.search_models(args.query, sort=args.sort, limit=args.limit, offline=offline)
    if not repos:
        print(f"No GGUF models match '{args.query}'.")
        return 0
    width = max(len(r.repo_id) for r in repos)
    for r in repos:
        gated = "  gated" if r.gated else ""
        print(f"{r.repo_id:<{width}}  {r.downloads:>10,} downloads  {r.likes:>6,} likes  "
              f"{r.last_modified}{gated}")
    return 0


def _files(args: argparse.Namespace, paths: AppPaths, offline: bool) -> int:
    from desktopchat.models import hub
    from desktopchat.models.names import human_size

    listing = hub.list_repo_files(args.repo, args.revision, offline=offline)
    print(f"{listing.repo_id} @ {listing.revision}" + ("  (gated)" if listing.gated else ""))
    if not listing.files:
        print("This repo has no GGUF files.")
        return 0
    fits = {} if args.no_fit else _fits(listing.files, args.context, offline)
    width = max(len(f.name) for f in listing.files)
    for f in listing.files:
        parts = f"  ({len(f.parts)} parts)" if len(f.parts) > 1 else ""
        fit = fits.get(f.name, "")
        print(f"{f.name:<{width}}  {human_size(f.size):>9}  {f.quantization:<7}  {fit}{parts}")
    return 0


def _fits(files: tuple, n_ctx: int, offline: bool) -> dict[str, str]:
    """Fit for every file from ONE remote header: a repo's quantizations share the architecture
    (layers, heads, KV sizes), so only the weights (the file size) differ between them."""
    from desktopchat.models import hub
    from desktopchat.models.fit import estimate_fit, verdict_for

    try:
        info = hub.read_remote_header(files[0], offline=offline)
    except hub.HubError as exc:
        _err(f"No fit estimate: {exc}")
        return {}
    est = estimate_fit(info, n_ctx)
    out = {}
    for f in files:
        total = f.size + est.kv_cache_bytes + est.overhead_bytes
        verdict = verdict_for(total, est.available_bytes)
        out[f.name] = f"{verdict:<9} (~{total / 1e9:.2f} GB at {est.n_ctx} ctx)"
    return out


def _get(args: argparse.Namespace, paths: AppPaths, offline: bool) -> int:
    from desktopchat.models import hub
    from desktopchat.models.download import (
        DownloadError,
        DownloadJob,
        DownloadManager,
    )

    listing = hub.list_repo_files(args.repo, args.revision, offline=offline)
    model = listing.find(args.file)
    if model is None:
        _err(f"{args.repo} has no GGUF file named {args.file}; 'desktopchat models files "
             f"{args.repo}' lists them")
        return 1
    job = DownloadJob.from_model(model)
    manager = DownloadManager(paths, max_retries=args.retries, stall_timeout=args.stall_timeout,
                              offline=lambda: offline, owner="'desktopchat models get'")
    bar = TextProgress(sys.stderr)
    try:
        resumed = manager.partial_bytes(job)
        if 0 < resumed < job.total:
            print(f"Resuming {job.name} from {resumed:,} bytes.", file=sys.stderr)
        path = manager.run(job, bar.update, threading.Event(), threading.Event())
    except DownloadError as exc:
        bar.close()
        _err(str(exc))
        return 1
    bar.close()
    print(f"Installed {path} (sha256 verified, pinned to {job.revision}).")
    return 0


class TextProgress:
    """A one-line progress bar on a terminal; a line every ~10% when piped."""

    def __init__(self, out: TextIO, width: int = 30) -> None:
        self.out, self.width = out, width
        self.tty = out.isatty()
        self._last_decile = -1

    def update(self, p: object) -> None:
        from desktopchat.models.download import DownloadProgress
        from desktopchat.models.names import human_size

        assert isinstance(p, DownloadProgress)
        frac = p.done / p.total if p.total else 0.0
        filled = int(frac * self.width)
        eta = f"ETA {int(p.eta) // 60}:{int(p.eta) % 60:02d}" if p.eta is not None else "ETA --:--"
        line = (f"[{'#' * filled}{'-' * (self.width - filled)}] {frac * 100:5.1f}%  "
                f"{human_size(p.done)} / {human_size(p.total)}  {human_size(p.speed)}/s  {eta}")
        if self.tty:
            self.out.write("\r" + line)
        elif int(frac * 10) != self._last_decile:
            self._last_decile = int(frac * 10)
            self.out.write(line + "\n")
        self.out.flush()

    def close(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()


def _library(paths: AppPaths):
    from desktopchat.models.library import ModelLibrary

    return ModelLibrary(paths)


def _import(args: argparse.Namespace, paths: AppPaths, offline: bool) -> int:
    model = _library(paths).import_file(args.path, copy=args.copy)
    print(f"Imported {model.name} as {model.model_id} ({model.path}).")
    return 0


def _list(args: argparse.Namespace, paths: AppPaths, offline: bool) -> int:
    from desktopchat.models.names import human_size

    models = _library(paths).list_models()
    if not models:
        print("No models installed.")
        return 0
    width = max(len(m.model_id) for m in models)
    for m in models:
        print(f"{m.model_id:<{width}}  {human_size(m.size):>9}  {m.source:<14}  {m.name}")
    return 0


def _rm(args: argparse.Namespace, paths: AppPaths, offline: bool) -> int:
    lib = _library(paths)
    if lib.find(args.id) is None:
        _err(f"No installed model has the id {args.id}; 'desktopchat models list' shows them")
        return 1
    print(lib.remove(args.id))
    return 0


def _login(args: argparse.Namespace, paths: AppPaths, offline: bool) -> int:
    from desktopchat.models import hub

    hub.ensure_online(offline)
    token = sys.stdin.readline().strip()
    if not token:
        _err("No token was given; paste a Hub access token on standard input")
        return 1
    hub.save_token(token)
    print("The access token is valid and was stored with the Hub's own token storage.")
    return 0
