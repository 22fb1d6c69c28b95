"""The engine: one ``llama_cpp.Llama`` at a time, driven from exactly one thread.

It is plain Python with no Qt: the window drives it through ``desktopchat.session.engine_worker.EngineWorker``
on a QThread, and ``--self-test`` and the benchmarks drive the very same class directly.

Generation resends the whole history every turn. The prompt is rendered with the model's chat
template, compared with the tokens already in the KV cache, and only the new suffix is evaluated
(in chunks, so Stop is honoured during a long prompt too); tokens are then sampled and decoded
one at a time through llama.cpp's own sampler chain (``engine.sampling``) and turned into text
incrementally, O(1) per token.
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
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from desktopchat.chat.history import trim_history
from desktopchat.chat.types import ChatMessage
from desktopchat.engine.backends import load_backends
from desktopchat.engine.detok import IncrementalDetokenizer, StopStringFilter
from desktopchat.engine.formats import PromptFormat, fallback_format, gguf_format
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
from desktopchat.engine.kvstate import KVStateStore, common_prefix, model_fingerprint
from desktopchat.engine.native import available_memory, install_log_router
from desktopchat.engine.placement import Placement, info_fields, load_placed, plan_for
from desktopchat.engine.sampling import SamplerChain, TokenDecoder
from desktopchat.models.gguf import GGUFError, read_gguf

log = logging.getLogger(__name__)

EMIT_INTERVAL = 1 / 30  # seconds between token batches sent to the UI
PROMPT_CHUNK = 256  # prompt tokens evaluated between two checks of the stop flag
RESTORE_MIN_GAIN = 128  # restore a saved KV state only when it spares this many prompt tokens

install_log_router()
load_backends()


class Engine:
    """Load, generate, stop and unload. Not thread-safe: call it from one thread."""

    def __init__(self, kv_state: KVStateConfig | None = None) -> None:
        self._kv = KVStateStore(Path(kv_state.directory), kv_state.cap_bytes) if kv_state else None
        self._kv_owner = 0  # the conversation whose tokens the KV cache holds (0: none)
        self._kv_dirty = False  # the cache changed since it was last saved or restored
        self._model_fp = ""
        self._flash = True
        self._logits_at = -1  # n_tokens whose last token's logits the context holds (-1: none)
        self._fit_memo: tuple[Any, tuple[list[int], int]] | None = None  # the last prompt fitted
        self._llm: Any = None
        self._info: ModelInfo | None = None
        self._request: LoadRequest | None = None
        self._format: PromptFormat | None = None
        self._formatter: Jinja2ChatFormatter | None = None
        self._stop_ids: frozenset[int] = frozenset()
        self._pieces: dict[int, bytes] = {}
        self._piece_buf = ctypes.create_string_buffer(256)
        self._add_bos = False
        self._bos = -1
        self._placement: Placement | None = None

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
        avail = available_memory()
        need = header.tensor_bytes
        if avail is not None and need > avail + (self._mapped_bytes()):
            raise EngineError(
                f"{name} needs about {need / 2**30:.1f} GB of memory but only "
                f"{avail / 2**30:.1f} GB is free; close other programs or pick a smaller model."
            )
        previous = self._request
        self.unload()
        started = time.perf_counter()
        try:
            self._open(req, n_ctx)
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

    def _mapped_bytes(self) -> int:
        if self._info is None:
            return 0
        return self._info.file_size

    def _open(self, req: LoadRequest, n_ctx: int) -> None:
        chatter = io.StringIO()
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

    def _construct(self, req: LoadRequest, n_ctx: int) -> Any:
        def make(flash: bool, placed: dict[str, Any]) -> Any:
            self._flash = flash
            return llama_cpp.Llama(
                model_path=req.path,
                n_ctx=n_ctx,
                n_threads=req.n_threads,
                n_threads_batch=req.n_threads,
                **placed,  # n_gpu_layers, split_mode, main_gpu (engine.placement)
                # Flash attention, as llama.cpp's own tools default to: without it decoding is
                # about 20% slower on CPU (benchmarks/RESULTS.md, figure 1).
                flash_attn=flash,
                # verbose=False would redirect the whole process's stdout/stderr file
                # descriptors; llama.cpp's log is routed to logging instead.
                verbose=True,
            )

        def attempt(placed: dict[str, Any]) -> Any:
            try:
                return make(True, placed)
            except Exception:  # noqa: BLE001 - a backend without flash attention: load without it
                log.warning("%s: no flash attention on this backend; loading without", req.path,
                            exc_info=True)
                return make(False, placed)

        llm, self._placement = load_placed(plan_for(req, n_ctx), attempt)
        return llm

    def _configure(self, llm: Any, req: LoadRequest) -> None:
        self._llm = llm
        self._logits_at = -1
        self._fit_memo = None
        self._request = req
        self._pieces = {}
        # The saved KV layout differs with flash attention: it is part of the state's key.
        layout = f"|fa={int(self._flash)}"
        self._model_fp = model_fingerprint(req.path) + layout if self._kv else ""
        meta: dict[str, str] = dict(llm.metadata)
        arch = meta.get("general.architecture", "unknown")
        model = llm._model  # noqa: SLF001 - the vocabulary handle has no public accessor
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
        self._formatter = Jinja2ChatFormatter(
            template=fmt.template, eos_token=eos_text, bos_token=bos_text
        )
        self._add_bos = meta.get("tokenizer.ggml.add_bos_token", "true") == "true"
        stop_ids = {eos} if eos >= 0 else set()
        for s in fmt.stops:
            toks = llm.tokenize(s.encode("utf-8"), add_bos=False, special=True)
            if len(toks) == 1:
                stop_ids.add(toks[0])
        self._stop_ids = frozenset(stop_ids)
        n_ctx_train = int(meta.get(f"{arch}.context_length", "0") or 0)
        self._info = ModelInfo(
            model_id=req.model_id,
            path=req.path,
            name=meta.get("general.name", "") or Path(req.path).stem,
            architecture=arch,
            n_ctx=llm.n_ctx(),
            n_ctx_train=n_ctx_train,
            chat_format=fmt.name,
            template_from_gguf=fmt.from_gguf,
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
        self._pieces = {}
        if llm is not None:
            llm.close()

    # -- prompts --------------------------------------------------------------------------------

    def render(self, messages: Sequence[ChatMessage]) -> str:
        assert self._formatter is not None
        resp = self._formatter(messages=[{"role": m.role, "content": m.content} for m in messages])
        return str(resp.prompt)

    def tokenize_prompt(self, messages: Sequence[ChatMessage]) -> list[int]:
        """The exact tokens the model sees for this history (ending with the assistant cue)."""
        try:
            prompt = self.render(messages)
        except Exception as exc:  # a template's raise_exception(), or a broken template
            raise EngineError(f"The model's chat template rejected this conversation: {exc}") from exc
        tokens: list[int] = self._llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        if self._add_bos and self._bos >= 0 and (not tokens or tokens[0] != self._bos):
            tokens.insert(0, self._bos)
        return tokens

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

    def _fit(self, messages: Sequence[ChatMessage], reserve: int) -> tuple[list[int], int]:
        """Tokens of the longest recent history that leaves ``reserve`` tokens for the reply."""
        key = (tuple(messages), reserve)
        if self._fit_memo is not None and self._fit_memo[0] == key:
            return self._fit_memo[1]  # read ahead while the user typed: tokenized already
        n_ctx = self._llm.n_ctx()
        budget = n_ctx - reserve
        cache: dict[int, list[int]] = {}

        def fits(ms: Sequence[ChatMessage]) -> bool:
            toks = self.tokenize_prompt(ms)
            cache[len(ms)] = toks
            return len(toks) <= budget

        kept, dropped = trim_history(messages, fits)
        tokens = cache.get(len(kept)) or self.tokenize_prompt(kept)
        if len(tokens) >= n_ctx - 8:
            raise EngineError(
                f"This message is too long for the model's context ({len(tokens)} tokens of "
                f"{n_ctx}); shorten it or raise the context length in the model settings."
            )
        self._fit_memo = (key, (tokens, dropped))
        return tokens, dropped

    # -- generation -----------------------------------------------------------------------------

    def _prefill(self, tokens: list[int], stop: threading.Event) -> int:
        """Bring the KV cache to ``tokens``, reusing the longest cached prefix.

        Returns how many tokens were evaluated. Leaves the cache holding exactly ``tokens`` with
        fresh logits for the last one, so the first token is sampled without re-evaluating.
        """
        llm = self._llm
        cached = int(llm.n_tokens)
        reuse = common_prefix(llm.input_ids[:cached].tolist(), tokens) if cached else 0
        if reuse == len(tokens) == cached and self._logits_at == cached:
            return 0  # read ahead while the user typed: the last token's logits are current
        reuse = min(reuse, len(tokens) - 1)  # at least one token is evaluated for fresh logits
        if reuse <= 0 or not llm._ctx.kv_cache_seq_rm(-1, reuse, -1):  # noqa: SLF001
            llm.reset()
            reuse = 0
        llm.n_tokens = reuse
        pending = tokens[reuse:]
        for i in range(0, len(pending), PROMPT_CHUNK):
            if stop.is_set():
                break
            llm.eval(pending[i : i + PROMPT_CHUNK])
        evaluated = int(llm.n_tokens) - reuse
        self._logits_at = int(llm.n_tokens) if evaluated else -1  # the last eval's last token
        return evaluated

    def prefill(self, req: GenerationRequest, stop: threading.Event) -> int:
        """Read ``req``'s prompt into the KV cache without replying (the user is still typing
        it); the reply, when asked for, evaluates only what changed since. Returns how many
        tokens were evaluated."""
        if self._llm is None:
            return 0
        tokens, _dropped = self._fit(req.messages, min(req.params.max_tokens,
                                                       self._llm.n_ctx() // 2))
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
        tokens, dropped = self._fit(req.messages, min(p.max_tokens, n_ctx // 2))
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
        ctx = llm._ctx.ctx  # noqa: SLF001 - the context handle has no public accessor
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
            **base,  # type: ignore[arg-type]
        )

    def close(self) -> None:
        self.unload()

    # -- saved KV state (desktopchat.engine.kvstate) -------------------------------------------

    def save_kv_state(self) -> bool:
        """Save the cache for the conversation it belongs to, if it changed. True: written."""
        if self._kv is None or self._llm is None or not self._kv_owner or not self._kv_dirty:
            return False
        self._kv_dirty = False
        tokens = self._llm.input_ids[: self._llm.n_tokens].tolist()
        try:
            return self._kv.save(self._llm._ctx.ctx, self._model_fp, self._kv_owner, tokens)  # noqa: SLF001
        except Exception:  # noqa: BLE001 - a cache that cannot be saved is only slower later
            log.exception("saving the KV state failed")
            return False

    def _switch_conversation(self, conversation_id: int, tokens: list[int]) -> None:
        """Before answering: save another chat's cache, restore this chat's when that helps."""
        if self._kv is None:
            return
        if self._kv_owner != conversation_id:
            self.save_kv_state()
            self._kv_owner = conversation_id
        if not conversation_id:
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
        if self._kv.restore(llm._ctx.ctx, saved):  # noqa: SLF001
            llm.input_ids[: len(saved.tokens)] = saved.tokens
            llm.n_tokens = len(saved.tokens)
            self._kv_dirty = False
            log.info("restored the KV cache of conversation %d (%d tokens)", conversation_id,
                     len(saved.tokens))
        else:
            llm.reset()
