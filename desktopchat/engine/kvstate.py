"""Saved KV caches: reopen a long chat after a restart without re-reading it (Qt-free).

Re-reading a 4,000-token chat costs seconds of prompt processing on a laptop CPU; reading the
model's KV cache for that chat back from disk costs a fraction of that. The engine saves the cache
of the conversation it last answered when that conversation goes idle, when another conversation
or model takes the engine, and when the app quits; it restores it when a request for that
conversation starts with (most of) the same tokens.

One file per (model file, conversation): ``<sha256(model fingerprint, conversation)>.kvstate``::

    MAGIC | u32 header length | header (JSON) | n_tokens x int32 tokens | payload

The header names the model fingerprint (path, size, mtime), the conversation, the token count
and a sha256 of the tokens, and the payload's size and CRC-32; the payload is llama.cpp's state of
sequence 0 (``llama_state_seq_get_data``). Files are written to a temporary name and renamed, so a
crash never leaves a half-written file under a real name, and a temporary file a crash left behind
is deleted when the store opens; anything that does not validate (damaged, truncated, another
model's, an older format) is ignored and deleted, and the prompt is simply evaluated. The
directory is capped: after each save the least recently used files are evicted. Deleting a chat
deletes its files for every model (:meth:`KVStateStore.forget`): they hold the whole conversation.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import logging
import os
import struct
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import llama_cpp

log = logging.getLogger(__name__)

MAGIC = b"DCKVSTATE\x00"
FORMAT_VERSION = 1
SUFFIX = ".kvstate"
SEQ = 0  # the engine keeps one sequence
MAX_HEADER = 64 * 1024


def model_fingerprint(path: str) -> str:
    """Identifies a model file cheaply: a replaced or re-downloaded file gets a new one."""
    st = os.stat(path)
    return f"{os.path.realpath(path)}|{st.st_size}|{st.st_mtime_ns}"


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading tokens ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _tokens_digest(tokens: Sequence[int]) -> str:
    return hashlib.sha256(array("i", tokens).tobytes()).hexdigest()


@dataclass(frozen=True)
class SavedState:
    """What a state file says about itself (read without touching its payload)."""

    path: Path
    model: str
    conversation: int
    tokens: list[int]
    payload_offset: int
    payload_size: int
    payload_crc: int


class KVStateStore:
    """The state files of one directory, capped at ``cap_bytes`` (0 disables saving)."""

    def __init__(self, directory: Path, cap_bytes: int) -> None:
        self.directory = directory
        self.cap_bytes = cap_bytes
        self._remove_orphans()

    def _remove_orphans(self) -> None:
        """Temporary files of saves that never finished (another process crashed mid-write):
        outside the cap and holding a conversation, so they go. This process's own are kept (a
        save may be under way in another engine of the same process)."""
        mine = f".{os.getpid()}.tmp"
        try:
            orphans = [p for p in self.directory.glob(f".*{SUFFIX}.*.tmp")
                       if not p.name.endswith(mine)]
        except OSError:
            return
        for p in orphans:
            try:
                p.unlink()
                log.info("removed an unfinished KV state file %s", p.name)
            except OSError:
                log.warning("could not remove %s", p.name, exc_info=True)

    def path_for(self, model_fp: str, conversation_id: int) -> Path:
        key = hashlib.sha256(f"{model_fp}\n{conversation_id}".encode()).hexdigest()[:40]
        return self.directory / f"{key}{SUFFIX}"

    def files(self) -> list[Path]:
        try:
            return [p for p in self.directory.iterdir() if p.suffix == SUFFIX and p.is_file()]
        except FileNotFoundError:
            return []

    def total_bytes(self) -> int:
        return sum(_size(p) for p in self.files())

    # -- saving ---------------------------------------------------------------------------------

    def save(self, ctx: Any, model_fp: str, conversation_id: int, tokens: Sequence[int]) -> bool:
        """Write the KV cache of sequence 0 (holding ``tokens``) for this conversation."""
        if self.cap_bytes <= 0 or not tokens:
            return False
        size = int(llama_cpp.llama_state_seq_get_size(ctx, SEQ))
        tok_bytes = array("i", tokens).tobytes()
        if size + len(tok_bytes) + MAX_HEADER > self.cap_bytes:
            log.info("KV state of %d bytes exceeds the cap of %d; not saved", size, self.cap_bytes)
            return False
        buf = (ctypes.c_uint8 * size)()
        n = int(llama_cpp.llama_state_seq_get_data(ctx, buf, size, SEQ))
        if n <= 0 or n > size:
            log.warning("llama.cpp returned no KV state (%d of %d bytes)", n, size)
            return False
        payload = memoryview(buf)[:n]
        header = json.dumps({
            "version": FORMAT_VERSION,
            "model": model_fp,
            "conversation": conversation_id,
            "n_tokens": len(tokens),
            "tokens_sha256": _tokens_digest(tokens),
            "payload_size": n,
            "payload_crc32": zlib.crc32(payload),
        }).encode()
        path = self.path_for(model_fp, conversation_id)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.directory.mkdir(parents=True, exist_ok=True)
        try:
            with open(tmp, "wb") as f:
                f.write(MAGIC + struct.pack("<I", len(header)) + header)
                f.write(tok_bytes)
                f.write(payload)
            os.replace(tmp, path)
        except OSError:
            log.warning("could not write KV state %s", path, exc_info=True)
            tmp.unlink(missing_ok=True)
            return False
        self.evict(keep=path)
        log.info("saved KV state: conversation %d, %d tokens, %d bytes", conversation_id,
                 len(tokens), n)
        return True

    def evict(self, keep: Path | None = None) -> None:
        """Delete least recently used files until the directory fits the cap."""
        entries = []
        for p in self.files():
            try:
                st = p.stat()
            except OSError:
                continue
            entries.append((st.st_mtime_ns, st.st_size, p))
        total = sum(e[1] for e in entries)
        for _, size, p in sorted(entries, key=lambda e: e[0]):
            if total <= self.cap_bytes:
                break
            if p == keep:
                continue
            p.unlink(missing_ok=True)
            total -= size
            log.info("evicted KV state %s (%d bytes)", p.name, size)

    def forget(self, conversation_id: int) -> int:
        """Delete every state file of this conversation, whatever model wrote it (and any file
        whose header cannot be read: it is useless and might be one). Returns how many."""
        deleted = 0
        for p in self.files():
            try:
                owner = _conversation_of(p)
            except (OSError, ValueError, KeyError, TypeError, struct.error):
                owner = None
            if owner is None or owner == conversation_id:
                try:
                    p.unlink()
                    deleted += 1
                except FileNotFoundError:
                    pass
                except OSError:
                    log.warning("could not delete KV state %s", p.name, exc_info=True)
        if deleted:
            log.info("deleted %d KV state file(s) of conversation %d", deleted, conversation_id)
        return deleted

    # -- restoring ------------------------------------------------------------------------------

    def peek(self, model_fp: str, conversation_id: int) -> SavedState | None:
        """The saved tokens of this conversation, or None (invalid files are deleted)."""
        path = self.path_for(model_fp, conversation_id)
        if not path.is_file():
            return None
        try:
            saved = self._read_header(path)
        except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
            log.warning("ignoring unreadable KV state %s: %s", path.name, exc)
            path.unlink(missing_ok=True)
            return None
        if saved.model != model_fp or saved.conversation != conversation_id:
            log.warning("ignoring KV state %s: it belongs to another model or chat", path.name)
            path.unlink(missing_ok=True)
            return None
        return saved

    @staticmethod
    def _read_header(path: Path) -> SavedState:
        with open(path, "rb") as f:
            head = _header(f)
            if head["version"] != FORMAT_VERSION:
                raise ValueError(f"format version {head['version']}")
            n_tokens = int(head["n_tokens"])
            tok_bytes = f.read(n_tokens * 4)
            if n_tokens <= 0 or len(tok_bytes) != n_tokens * 4:
                raise ValueError("truncated tokens")
            tokens = array("i")
            tokens.frombytes(tok_bytes)
            if _tokens_digest(tokens) != head["tokens_sha256"]:
                raise ValueError("tokens do not match their checksum")
            offset = f.tell()
        size = int(head["payload_size"])
        if path.stat().st_size != offset + size:
            raise ValueError("payload truncated or padded")
        return SavedState(path, str(head["model"]), int(head["conversation"]), tokens.tolist(),
                          offset, size, int(head["payload_crc32"]))

    def restore(self, ctx: Any, saved: SavedState) -> bool:
        """Load ``saved`` into sequence 0 (clearing the cache first). False: cache is empty."""
        mem = llama_cpp.llama_get_memory(ctx)
        try:
            buf = (ctypes.c_uint8 * saved.payload_size)()
            with open(saved.path, "rb") as f:
                f.seek(saved.payload_offset)
                if f.readinto(buf) != saved.payload_size:
                    raise ValueError("payload truncated")
            if zlib.crc32(memoryview(buf)) != saved.payload_crc:
                raise ValueError("payload does not match its checksum")
        except (OSError, ValueError) as exc:
            log.warning("ignoring damaged KV state %s: %s", saved.path.name, exc)
            saved.path.unlink(missing_ok=True)
            return False
        llama_cpp.llama_memory_clear(mem, True)
        if not llama_cpp.llama_state_seq_set_data(ctx, buf, saved.payload_size, SEQ):
            log.warning("llama.cpp rejected KV state %s; ignoring it", saved.path.name)
            llama_cpp.llama_memory_clear(mem, True)
            saved.path.unlink(missing_ok=True)
            return False
        with contextlib.suppress(OSError):
            os.utime(saved.path)  # most recently used: evicted last
        return True


def _header(f: BinaryIO) -> dict[str, Any]:
    """A state file's JSON header (the file positioned just after it)."""
    if f.read(len(MAGIC)) != MAGIC:
        raise ValueError("not a desktopchat KV state file")
    (hlen,) = struct.unpack("<I", f.read(4))
    if hlen > MAX_HEADER:
        raise ValueError("header too large")
    head = json.loads(f.read(hlen))
    if not isinstance(head, dict):
        raise ValueError("not a state header")
    return head


def _conversation_of(path: Path) -> int:
    """The conversation a state file belongs to, from its header alone."""
    with open(path, "rb") as f:
        return int(_header(f)["conversation"])


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0
