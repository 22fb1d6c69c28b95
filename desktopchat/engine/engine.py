"""The engine: one ``llama_cpp.Llama`` at a time, driven from exactly one thread.

It is plain Python with no Qt: the window drives it through
``desktopchat.session.engine_worker.EngineWorker`` on a QThread, and ``--self-test`` and the
benchmarks drive the very same class directly.

Generation resends the whole history every turn. The prompt is rendered with the model's chat
template under limits (``engine.prompt``, ``engine.templates``), compared with the tokens already
in the KV cache, and only the new suffix is evaluated. Stop is honoured inside a prompt chunk:
while a prompt is evaluated, llama.cpp's abort callback reads the stop flag between the nodes of
its compute graph, and an aborted chunk leaves the cache holding exactly the chunks before it.
Tokens are then sampled and decoded one at a time through llama.cpp's own sampler chain
(``engine.sampling``) and turned into text incrementally, O(1) per token.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import llama_cpp

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.backends import load_backends
from desktopchat.engine.detok import IncrementalDetokenizer, StopStringFilter
from desktopchat.engine.formats import PromptFormat, fallback_format, gguf_format
from desktopchat.engine.hugepages import SLICE_S, Backing, BackingResult, anon_regions
from desktopchat.engine.kvstate import KVStateStore, common_prefix, model_fingerprint
from desktopchat.engine.limits import InputTooLong
from desktopchat.engine.loading import construct_llama, memory_needed, read_in, too_big
from desktopchat.engine.native import available_memory, install_log_router
from desktopchat.engine.placement import Placement, info_fields, load_placed, plan_for
from desktopchat.engine.prefill import CacheFiller
from desktopchat.engine.prompt import PromptBuilder, reasoning_of
from desktopchat.engine.sampling import SamplerChain, TokenDecoder
from desktopchat.engine.templates import ChatTemplate, RenderStopped
from desktopchat.engine.types import (
    EngineError,
    FinishReason,
    GenerationParams,
    GenerationRequest,
    GenerationResult,
    KVStateConfig,
    LoadRequest,
    ModelInfo,
)
from desktopchat.models.gguf import GGUFError, read_gguf

log = logging.getLogger(__name__)

EMIT_INTERVAL = 1 / 30  # seconds between token batches sent to the UI
RESTORE_MIN_GAIN = 128  # restore a saved KV state only when it spares this many prompt tokens

install_log_router()
load_backends()


class Engine:
    """Load, generate, stop and unload. Not thread-safe: call it from one thread."""

    def __init__(self, kv_state: KVStateConfig | None = None) -> None:
        self._kv = KVStateStore(Path(kv_state.directory), kv_state.cap_bytes) if kv_state else None
        self._kv_owner = 0  # the conversation whose tokens the KV cache holds (0: none)
        self._kv_dirty = False  # the cache changed since it was last saved or restored
        self._forgotten: set[int] = set()  # deleted chats: never saved again
        self._model_fp = ""
        self._kv_bytes = 0  # the loaded model's KV cache, as the memory guard counted it
        self._flash = True
        self._logits_at = -1  # n_tokens whose last token's logits the context holds (-1: none)
        self._llm: Any = None
        self._info: ModelInfo | None = None
        self._request: LoadRequest | None = None
        self._format: PromptFormat | None = None
        self._prompt: PromptBuilder | None = None
        self._stop_ids: frozenset[int] = frozenset()
        self._pieces: dict[int, bytes] = {}
        self._piece_buf = ctypes.create_string_buffer(256)
        self._bos = -1
        self._filler = CacheFiller()
        self._placement: Placement | None = None
        self._read_in = False  # CPU weights read into memory, to be put in huge pages
        self._backing: Backing | None = None  # the loaded model's buffers, not yet advised

    # -- loading --------------------------------------------------------------------------------

    @property
    def info(self) -> ModelInfo | None:
        return self._info

    @property
    def n_tokens(self) -> int:
        """Tokens currently held in the KV cache."""
        return int(self._llm.n_tokens) if self._llm is not None else 0

    def load(self, req: LoadRequest) -> ModelInfo:
        """Load a model, replacing the current one. On failure the previous model stays loaded."""
        path = Path(req.path)
        name = path.name
        try:
            header = read_gguf(path)
        except GGUFError as exc:
            raise EngineError(f"{name} cannot be loaded: {exc}.") from exc
        n_ctx = req.n_ctx
        if header.context_length:
            n_ctx = min(n_ctx, header.context_length)
        weights, kv = memory_needed(header, n_ctx)
        available = available_memory()
        refusal = too_big(name, n_ctx, weights, kv, available, self._freed_by_unload())
        if refusal:
            raise EngineError(refusal)
        self._read_in = read_in(weights, kv, available)
        previous = self._request
        self.unload()
        started = time.perf_counter()
        try:
            self._open(req, n_ctx)
            self._kv_bytes = kv
        except Exception as exc:
            log.exception("loading %s failed", path)
            self.unload()
            if previous is not None:
                try:
                    self._open(previous, previous.n_ctx)
                except Exception:
                    log.exception("reloading the previous model %s failed", previous.path)
                    self.unload()
            raise EngineError(f"{name} could not be loaded: {self._reason(exc)}.") from exc
        assert self._info is not None
        self._info = replace(self._info, load_seconds=time.perf_counter() - started)
        return self._info

    @staticmethod
    def _reason(exc: Exception) -> str:
        text = str(exc).strip().rstrip(".")
        return text or type(exc).__name__

    def _freed_by_unload(self) -> int:
        """Memory the current model gives back when it unloads: its mapped file and its cache."""
        if self._info is None:
            return 0
        return self._info.file_size + self._kv_bytes

    def _open(self, req: LoadRequest, n_ctx: int) -> None:
        chatter = io.StringIO()
        before = anon_regions() if self._read_in else frozenset()
        with contextlib.redirect_stderr(chatter):  # llama-cpp-python's own prints at load
            llm = self._construct(req, n_ctx)
        if chatter.getvalue():
            log.debug("llama-cpp-python: %s", chatter.getvalue().strip())
        llm.verbose = False  # silences llama-cpp-python's own per-call prints from here on
        self._configure(llm, req)
        # One throw-away decode, as llama.cpp's own tools warm up: the first reply then pays no
        # one-time set-up (buffers, page-ins) in its time to first token.
        llm.eval([self._bos if self._bos >= 0 else 0])
        llm.reset()
        self._backing = Backing(before) if self._read_in else None

    def _construct(self, req: LoadRequest, n_ctx: int) -> Any:
        def attempt(placed: dict[str, Any]) -> Any:
            if self._read_in and not placed.get("n_gpu_layers"):
                placed = {**placed, "use_mmap": False}  # engine.hugepages
            llm, self._flash = construct_llama(req, n_ctx, placed)
            return llm

        llm, self._placement = load_placed(plan_for(req, n_ctx), attempt)
        return llm

    def _configure(self, llm: Any, req: LoadRequest) -> None:
        self._llm = llm
        self._logits_at = -1
        self._request = req
        self._pieces = {}
        # The saved KV layout differs with flash attention: it is part of the state's key.
        layout = f"|fa={int(self._flash)}"
        self._model_fp = model_fingerprint(req.path) + layout if self._kv else ""
        meta: dict[str, str] = dict(llm.metadata)
        arch = meta.get("general.architecture", "unknown")
        model = llm._model  # private: the vocabulary handle has no public accessor
        self._vocab = model.vocab
        eos = model.token_eos()
        self._bos = model.token_bos()
        eos_text = model.token_get_text(eos) if eos >= 0 else ""
        bos_text = model.token_get_text(self._bos) if self._bos >= 0 else ""
        template = meta.get("tokenizer.chat_template", "")
        if template.strip():
            fmt = gguf_format(template, eos_text)
        else:
            fmt = fallback_format(arch, meta.get("tokenizer.ggml.model", ""))
            log.warning("%s has no chat template; using the %s format", req.path, fmt.name)
        self._format = fmt
        self._prompt = PromptBuilder(
            ChatTemplate(fmt.template, bos_token=bos_text, eos_token=eos_text),
            lambda data: llm.tokenize(data, add_bos=False, special=True),
            n_ctx=llm.n_ctx(), bos=self._bos,
            add_bos=meta.get("tokenizer.ggml.add_bos_token", "true") == "true",
        )
        stop_ids = {eos} if eos >= 0 else set()
        for s in fmt.stops:
            toks = llm.tokenize(s.encode("utf-8"), add_bos=False, special=True)
            if len(toks) == 1:
                stop_ids.add(toks[0])
        self._stop_ids = frozenset(stop_ids)
        n_ctx_train = int(meta.get(f"{arch}.context_length", "0") or 0)
        reasoning, thinking = reasoning_of(self._prompt, fmt.template if fmt.from_gguf else "")
        self._info = ModelInfo(
            model_id=req.model_id,
            path=req.path,
            name=meta.get("general.name", "") or Path(req.path).stem,
            architecture=arch,
            n_ctx=llm.n_ctx(),
            n_ctx_train=n_ctx_train,
            chat_format=fmt.name,
            template_from_gguf=fmt.from_gguf,
            reasoning=reasoning,
            thinking=thinking,
            load_seconds=0.0,
            file_size=os.path.getsize(req.path),
            **info_fields(self._placement),  # where it runs (engine.placement)
        )
        log.info(
            "loaded %s (%s, n_ctx=%d, threads=%d, format=%s)",
            req.path, arch, llm.n_ctx(), req.n_threads, fmt.name,
        )

    def unload(self) -> None:
        self.save_kv_state()  # a model switch, Unload or quit: keep the chat's cache on disk
        llm, self._llm = self._llm, None
        self._info = None
        self._request = None
        self._prompt = None  # it tokenizes with the model being closed
        self._pieces = {}
        self._kv_bytes = 0
        self._backing = None
        if llm is not None:
            llm.close()

    def back_memory(self, slice_s: float = SLICE_S) -> BackingResult | None:
        """Put the model just loaded in huge pages (engine.hugepages), a slice of ``slice_s``
        at a time: call between requests until the result is ``done``. None: nothing to do."""
        backing = self._backing
        if backing is None or self._llm is None:
            return None
        result = backing.collapse(slice_s)
        if result.done:
            self._backing = None
            log.info("huge pages: %d of %d MiB of the model's memory in %.2f s%s",
                     result.collapsed >> 20, result.advised >> 20, result.seconds,
                     "" if result.complete else "; the kernel collapses the rest later")
        return result

    # -- prompts --------------------------------------------------------------------------------

    def render(self, messages: Sequence[ChatMessage]) -> str:
        """The prompt text for ``messages`` (bounded; see ``engine.prompt``)."""
        assert self._prompt is not None
        return self._prompt.render(messages)

    def tokenize_prompt(self, messages: Sequence[ChatMessage]) -> list[int]:
        """The exact tokens the model sees for this history (ending with the assistant cue)."""
        assert self._prompt is not None
        return self._prompt.tokens(messages)

    def context_text(self) -> str:
        """The text now in the KV cache (what the model has seen), special tokens included."""
        if self._llm is None:
            return ""
        tokens = self._llm.input_ids[: self._llm.n_tokens].tolist()
        return bytes(self._llm.detokenize(tokens, special=True)).decode("utf-8", "replace")

    def _piece(self, token: int) -> bytes:
        piece = self._pieces.get(token)
        if piece is None:
            buf = self._piece_buf
            n = llama_cpp.llama_token_to_piece(self._vocab, token, buf, len(buf), 0, False)
            if n < 0:
                buf = ctypes.create_string_buffer(-n)
                n = llama_cpp.llama_token_to_piece(self._vocab, token, buf, len(buf), 0, False)
            piece = buf.raw[:n]
            self._pieces[token] = piece
        return piece

    # -- generation -----------------------------------------------------------------------------

    def _prefill(self, tokens: list[int], stop: threading.Event) -> int:
        """Bring the KV cache to ``tokens`` (``engine.prefill``); how many were evaluated."""
        evaluated, self._logits_at = self._filler.fill(self._llm, tokens, stop, self._logits_at)
        return evaluated

    def _fit(self, req: GenerationRequest, stop: threading.Event) -> tuple[list[int], int]:
        assert self._prompt is not None
        reserve = min(req.params.max_tokens, self._llm.n_ctx() // 2)
        return self._prompt.fit(req.messages, reserve, stop, dict(req.template_vars))

    def prefill(self, req: GenerationRequest, stop: threading.Event) -> int:
        """Read ``req``'s prompt into the KV cache without replying (the user is still typing
        it); the reply, when asked for, evaluates only what changed since. Returns how many
        tokens were evaluated. Stop ends it within a graph node, like a reply's prompt."""
        if self._llm is None:
            return 0
        try:
            tokens, _dropped = self._fit(req, stop)
        except RenderStopped:
            return 0
        self._switch_conversation(req.conversation_id, tokens)
        self._kv_dirty = True
        return self._prefill(tokens, stop)

    def generate(
        self,
        req: GenerationRequest,
        stop: threading.Event,
        emit: Callable[[str], None],
    ) -> GenerationResult:
        """Answer the last message of ``req.messages``; ``emit`` gets text batches.

        Never raises for model failures: they come back as a result with ``error`` set and the
        text generated so far, so the caller can keep it.
        """
        t0 = time.perf_counter()
        if self._llm is None or self._info is None:
            raise EngineError("No model is loaded.")
        p: GenerationParams = req.params
        llm = self._llm
        n_ctx = llm.n_ctx()
        try:
            tokens, dropped = self._fit(req, stop)
        except RenderStopped:
            return GenerationResult(req.request_id, "", FinishReason.STOPPED, n_ctx=n_ctx,
                                    context_used=self.n_tokens)
        except InputTooLong as exc:  # the UI can offer to send the part that fits
            return GenerationResult(req.request_id, "", FinishReason.ERROR, n_ctx=n_ctx,
                                    context_used=self.n_tokens, error=str(exc),
                                    input_part=exc.part, input_limit=exc.limit)
        self._switch_conversation(req.conversation_id, tokens)
        evaluated = self._prefill(tokens, stop)
        self._kv_dirty = True
        base = dict(
            request_id=req.request_id,
            prompt_tokens=len(tokens),
            prompt_tokens_evaluated=evaluated,
            messages_dropped=dropped,
            n_ctx=n_ctx,
        )
        if stop.is_set():
            return GenerationResult(
                text="", finish_reason=FinishReason.STOPPED, context_used=self.n_tokens, **base
            )
        sampler = SamplerChain(llm.n_vocab(), p, p.seed if p.seed >= 0 else random.randrange(2**31))
        assert self._format is not None
        detok = IncrementalDetokenizer()
        stops = StopStringFilter(self._format.stops)
        is_eog = llama_cpp.llama_vocab_is_eog
        vocab = self._vocab
        stop_ids = self._stop_ids
        piece = self._piece
        out: list[str] = []
        pending: list[str] = []
        reason = FinishReason.LENGTH
        n_gen = 0
        t_first = 0.0
        last_emit = 0.0
        error = ""
        ctx = llm._ctx.ctx  # private: the context handle has no public accessor
        self._logits_at = -1  # decoding replaces the logits the prompt left
        decoder = TokenDecoder()
        ids = llm.input_ids
        try:
            while True:
                tok = sampler.sample(ctx)
                now = time.perf_counter()
                if not n_gen:
                    t_first = now
                if tok in stop_ids or is_eog(vocab, tok):
                    reason = FinishReason.STOP
                    break
                n_gen += 1
                text, hit = stops.feed(detok.feed(piece(tok)))
                if text:
                    pending.append(text)
                if hit:
                    reason = FinishReason.STOP
                    break
                if pending and (now - last_emit >= EMIT_INTERVAL or n_gen == 1):
                    batch = "".join(pending)
                    out.append(batch)
                    pending.clear()
                    emit(batch)
                    last_emit = now
                if stop.is_set():
                    reason = FinishReason.STOPPED
                    break
                if n_gen >= p.max_tokens or llm.n_tokens + 1 >= n_ctx:
                    reason = FinishReason.LENGTH
                    break
                decoder.decode(ctx, tok)  # the cache now holds tok: the next one is sampled
                ids[llm.n_tokens] = tok
                llm.n_tokens += 1
        except Exception as exc:
            log.exception("generation failed")
            reason = FinishReason.ERROR
            error = f"The model failed while replying: {self._reason(exc)}."
        finally:
            sampler.close()
        if reason is not FinishReason.STOP:
            pending.append(stops.flush())
        pending.append(detok.flush())
        tail = "".join(pending)
        if tail:
            out.append(tail)
            emit(tail)
        t_end = time.perf_counter()
        decode_time = t_end - t_first if t_first else 0.0
        return GenerationResult(
            text="".join(out),
            finish_reason=reason,
            completion_tokens=n_gen,
            time_to_first_token=(t_first - t0) if t_first else 0.0,
            tokens_per_second=(n_gen - 1) / decode_time if n_gen > 1 and decode_time > 0 else 0.0,
            context_used=self.n_tokens,
            error=error,
            **base,
        )

    def close(self) -> None:
        self.unload()

    # -- saved KV state (desktopchat.engine.kvstate) -------------------------------------------

    def save_kv_state(self) -> bool:
        """Save the cache for the conversation it belongs to, if it changed. True: written."""
        if self._kv is None or self._llm is None or not self._kv_owner or not self._kv_dirty:
            return False
        if self._kv_owner in self._forgotten:
            return False
        self._kv_dirty = False
        tokens = self._llm.input_ids[: self._llm.n_tokens].tolist()
        try:
            return self._kv.save(self._llm._ctx.ctx, self._model_fp, self._kv_owner, tokens)
        except Exception:  # a cache that cannot be saved is only slower later
            log.exception("saving the KV state failed")
            return False

    def forget_conversation(self, conversation_id: int) -> int:
        """A chat was deleted: delete its saved KV state (for every model) and never save it
        again. If the cache holds it, the cache is cleared and no longer belongs to it, so a
        later request with that id (one queued before the delete) starts as a new chat, and is
        not saved either. Returns how many files were deleted."""
        if not conversation_id:
            return 0
        self._forgotten.add(conversation_id)
        if self._kv_owner == conversation_id:
            self._kv_owner = 0
            self._kv_dirty = False
            if self._llm is not None:
                self._llm.reset()
                self._llm._ctx.kv_cache_seq_rm(-1, 0, -1)  # private: no public accessor
                self._logits_at = -1
            if self._prompt is not None:
                self._prompt.forget()
        return self._kv.forget(conversation_id) if self._kv is not None else 0

    def _switch_conversation(self, conversation_id: int, tokens: list[int]) -> None:
        """Before answering: save another chat's cache, restore this chat's when that helps."""
        if self._kv is None:
            return
        if self._kv_owner != conversation_id:
            self.save_kv_state()
            self._kv_owner = conversation_id
        if not conversation_id or conversation_id in self._forgotten:
            return
        llm = self._llm
        cached = int(llm.n_tokens)
        live = common_prefix(llm.input_ids[:cached].tolist(), tokens) if cached else 0
        saved = self._kv.peek(self._model_fp, conversation_id)
        if saved is None:
            return
        usable = common_prefix(saved.tokens, tokens)
        if usable < live + RESTORE_MIN_GAIN or len(saved.tokens) > llm.n_ctx():
            return
        self._logits_at = -1
        if self._kv.restore(llm._ctx.ctx, saved):
            llm.input_ids[: len(saved.tokens)] = saved.tokens
            llm.n_tokens = len(saved.tokens)
            self._kv_dirty = False
            log.info("restored the KV cache of conversation %d (%d tokens)", conversation_id,
                     len(saved.tokens))
        else:
            llm.reset()
