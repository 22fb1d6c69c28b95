"""Bringing the KV cache to a prompt: reuse the cached prefix, evaluate the rest, stop at once.

Only the suffix the cache does not hold yet is evaluated, in chunks. Stop is honoured *inside* a
chunk: while a prompt is evaluated, llama.cpp's abort callback (``llama_set_abort_callback``)
reads the stop flag between the nodes of the compute graph, so a stop during a long prompt ends
within one graph node (milliseconds) rather than one chunk (seconds on a large model). An
aborted ``llama_decode`` removes the positions of the micro-batch it was computing; the cache
then holds exactly the chunks that finished, and the next request reuses them.

The callback is installed only while a prompt is evaluated: decoding a reply one token at a time
checks the flag between tokens and pays nothing for it.
"""

from __future__ import annotations

import ctypes
import logging
import re
import threading
from typing import Any

import llama_cpp

from desktopchat.engine.kvstate import common_prefix
from desktopchat.engine.native import native_log

log = logging.getLogger(__name__)

PROMPT_CHUNK = 512  # prompt tokens per llama_decode: llama-cpp-python's n_batch and n_ubatch

_NO_ABORT = llama_cpp.ggml_abort_callback(0)  # NULL: no abort callback
# How llama.cpp reports an aborted decode (as errors, and a warning naming what it removed).
_ABORT_LINES = re.compile(r"ret = 2|compute status: 1|failed with error 1|removing memory module")


class _StopIsNotAnError(logging.Filter):
    """While a stopped prompt is aborted, llama.cpp's lines about it are logged at DEBUG: the
    user pressed Stop, nothing failed."""

    def __init__(self, flag: list[threading.Event | None]) -> None:
        super().__init__()
        self._flag = flag

    def filter(self, record: logging.LogRecord) -> bool:
        stop = self._flag[0]
        if stop is not None and stop.is_set() and _ABORT_LINES.search(record.getMessage()):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return native_log.isEnabledFor(logging.DEBUG)  # as if it had been logged at DEBUG
        return True


class CacheFiller:
    """Fills one context's cache; holds the abort callback (created once, kept alive here)."""

    def __init__(self) -> None:
        # The callback reads the flag through a holder, not through an object that owns it: no
        # reference cycle through a C function pointer.
        flag: list[threading.Event | None] = [None]

        def should_abort(_data: ctypes.c_void_p) -> bool:
            stop = flag[0]
            return stop is not None and stop.is_set()

        self._flag = flag
        self._callback = llama_cpp.ggml_abort_callback(should_abort)
        self._quiet = _StopIsNotAnError(flag)

    def fill(self, llm: Any, tokens: list[int], stop: threading.Event,
             logits_at: int) -> tuple[int, int]:
        """Bring ``llm``'s cache to ``tokens``, reusing the longest cached prefix.

        ``logits_at``: the token count whose last token's logits the context holds (-1: none).
        Returns (tokens evaluated, the new ``logits_at``). When not stopped, the cache holds
        exactly ``tokens`` with fresh logits for the last one, so the first token of the reply
        is sampled without evaluating anything again.
        """
        cached = int(llm.n_tokens)
        reuse = common_prefix(llm.input_ids[:cached].tolist(), tokens) if cached else 0
        if reuse == len(tokens) == cached and logits_at == cached:
            return 0, logits_at  # read ahead while the user typed: the logits are current
        reuse = min(reuse, len(tokens) - 1)  # at least one token is evaluated for fresh logits
        if reuse <= 0 or not llm._ctx.kv_cache_seq_rm(-1, reuse, -1):
            llm.reset()
            reuse = 0
        llm.n_tokens = reuse
        pending = tokens[reuse:]
        aborted = False
        ctx = llm._ctx.ctx  # private: the context handle has no public accessor
        self._flag[0] = stop
        llama_cpp.llama_set_abort_callback(ctx, self._callback, None)
        native_log.addFilter(self._quiet)
        try:
            for i in range(0, len(pending), PROMPT_CHUNK):
                if stop.is_set():
                    break
                try:
                    llm.eval(pending[i : i + PROMPT_CHUNK])
                except RuntimeError:  # llama_decode returned 2: the callback saw the flag
                    if not stop.is_set():
                        raise
                    aborted = True
                    _drop_aborted_chunk(llm)
                    break
        finally:
            native_log.removeFilter(self._quiet)
            llama_cpp.llama_set_abort_callback(ctx, _NO_ABORT, None)
            self._flag[0] = None
        evaluated = int(llm.n_tokens) - reuse
        # The last eval's last token has its logits, unless an abort replaced the output.
        return evaluated, (int(llm.n_tokens) if evaluated and not aborted else -1)


def _drop_aborted_chunk(llm: Any) -> None:
    """``eval`` counted only the chunks that finished and llama_decode removed the aborted
    micro-batch; make sure nothing past ``n_tokens`` remains (a chunk of several micro-batches
    keeps the finished ones), so the cache and ``input_ids`` agree exactly."""
    if not llm._ctx.kv_cache_seq_rm(-1, int(llm.n_tokens), -1):
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
    log.debug("prompt evaluation stopped at token %d", llm.n_tokens)
