"""Incremental, UTF-8-safe detokenization and stop-string handling (Qt-free, llama_cpp-free).

A token is a byte string that may end in the middle of a multi-byte character (emoji, CJK). The
decoder keeps those bytes until the character completes, so no replacement characters reach the
user and the cost per token is O(token), never O(reply).
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence


class IncrementalDetokenizer:
    """Feed token byte pieces, get text that is safe to show."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def feed(self, piece: bytes) -> str:
        return self._decoder.decode(piece)

    def flush(self) -> str:
        """Whatever bytes are left at the end (an unfinished character becomes U+FFFD)."""
        return self._decoder.decode(b"", final=True)


class StopStringFilter:
    """Holds back text that could be the start of a stop string; cuts the reply at one.

    ``feed`` returns the text that is safe to emit now and whether a stop string was hit.
    """

    def __init__(self, stops: Sequence[str]) -> None:
        self._stops = [s for s in stops if s]
        self._longest = max((len(s) for s in self._stops), default=0)
        self._held = ""

    def feed(self, text: str) -> tuple[str, bool]:
        if not self._stops:
            return text, False
        buf = self._held + text
        cut = min((i for i in (buf.find(s) for s in self._stops) if i >= 0), default=-1)
        if cut >= 0:
            self._held = ""
            return buf[:cut], True
        # Keep the longest tail that is a prefix of some stop string.
        keep = 0
        for n in range(min(len(buf), self._longest - 1), 0, -1):
            tail = buf[-n:]
            if any(s.startswith(tail) for s in self._stops):
                keep = n
                break
        self._held = buf[len(buf) - keep:] if keep else ""
        return buf[: len(buf) - keep], False

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held
