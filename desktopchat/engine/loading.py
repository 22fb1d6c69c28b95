"""What a model load needs and why one failed (Qt-free helpers of ``Engine.load``).

llama-cpp-python reports a failed load with one generic sentence ("Failed to load model from
file", "Failed to create llama_context"); the reason is only in llama.cpp's own log, which
``engine.native`` routes into ``logging``. :class:`NativeErrors` collects the ERROR lines the
loading thread logs, so the user sees llama.cpp's reason and the engine can tell a failure
caused by flash attention (worth one retry without it) from any other (not worth one).
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Any

from desktopchat.engine import hugepages
from desktopchat.engine.native import native_log
from desktopchat.engine.types import LoadRequest
from desktopchat.models.fit import FITS_SHARE, kv_cache_bytes
from desktopchat.models.gguf import GGUFInfo

log = logging.getLogger(__name__)

_FLASH = re.compile(r"flash[ _-]?attn|flash[ _-]?attention", re.IGNORECASE)
_PREFIX = re.compile(r"^\w+: ")  # llama.cpp prefixes its lines with the function's name


def memory_needed(header: GGUFInfo, n_ctx: int) -> tuple[int, int]:
    """Bytes a load needs: (model weights, KV cache at ``n_ctx``)."""
    return header.tensor_bytes, kv_cache_bytes(header, n_ctx)[0]


def read_in(weights: int, kv: int, available: int | None) -> bool:
    """Read the weights into memory (not a file mapping) so they can sit in huge pages
    (engine.hugepages: decoding 6-10% faster), where huge pages exist and the model fits with room
    to spare: a mapped file's pages can still be dropped under memory pressure; read-in ones
    would go to swap."""
    return hugepages.supported() and available is not None and (
        weights + kv <= FITS_SHARE * available)


def too_big(name: str, n_ctx: int, weights: int, kv: int, available: int | None,
            freed: int) -> str:
    """The sentence refusing a load that needs more than the memory available (plus what the
    current model frees by unloading); empty when it fits or the OS does not say."""
    if available is None or weights + kv <= available + freed:
        return ""
    return (f"{name} needs about {_gb(weights + kv)} of memory at a {n_ctx:,}-token context "
            f"({_gb(weights)} for the model, {_gb(kv)} for the context) but only "
            f"{_gb(available)} is free; close other programs, lower the context length or pick "
            "a smaller model.")


def _gb(n: int) -> str:
    return f"{n / 2**30:.1f} GB"


class LoadFailure(RuntimeError):
    """A load that failed; ``str()`` is llama.cpp's reason when it gave one."""


class NativeErrors(logging.Handler):
    """Within ``with``: llama.cpp's ERROR lines logged on this thread."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []
        self._thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self._thread:
            self.lines.append(record.getMessage())

    def __enter__(self) -> NativeErrors:
        native_log.addHandler(self)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        native_log.removeHandler(self)

    def mentions_flash_attention(self) -> bool:
        return any(_FLASH.search(line) for line in self.lines)

    def failure(self, exc: BaseException) -> LoadFailure:
        """The first line llama.cpp logged as an error (without its function prefix), or the
        exception's own text when it logged none."""
        for line in self.lines:
            text = _PREFIX.sub("", " ".join(line.split())).strip().rstrip(".")
            if text:
                return LoadFailure(text[:300])
        return LoadFailure(str(exc).strip().rstrip(".") or type(exc).__name__)


@contextlib.contextmanager
def templates_not_compiled() -> Iterator[None]:
    """While ``llama_cpp.Llama`` is constructed: it compiles every chat template in the file
    (``tokenizer.chat_template``, ``tokenizer.chat_template.*``) into chat handlers the app never
    uses, and jinja2 folds constant expressions while compiling, before and outside any sandbox
    check, so a template holding ``{{ 'x' * 10**10 }}`` would allocate gigabytes right there,
    in the app's own process. Templates are rendered only by ``engine.templates``, under its
    limits; here llama-cpp-python gets a formatter that compiles nothing. Engine thread only."""
    from llama_cpp import llama_chat_format

    real = llama_chat_format.Jinja2ChatFormatter

    class _NotCompiled:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def to_chat_handler(self) -> None:
            return None

    llama_chat_format.Jinja2ChatFormatter = _NotCompiled  # type: ignore[misc,assignment]
    try:
        yield
    finally:
        llama_chat_format.Jinja2ChatFormatter = real  # type: ignore[misc]


def construct_llama(req: LoadRequest, n_ctx: int,
                    placed: dict[str, Any] | None = None) -> tuple[Any, bool]:
    """A ``llama_cpp.Llama`` for ``req`` and whether it uses flash attention; ``placed`` says
    where its layers go (``n_gpu_layers``, ``split_mode``, ``main_gpu``: engine.placement).
    Retried without flash attention only when llama.cpp blamed it: any other failure would
    only fail again, taking twice as long and hiding its first message."""
    where = placed if placed is not None else {"n_gpu_layers": req.n_gpu_layers}
    import llama_cpp

    def make(flash: bool) -> Any:
        with templates_not_compiled():
            return llama_cpp.Llama(
                model_path=req.path,
                n_ctx=n_ctx,
                n_threads=req.n_threads,
                n_threads_batch=req.n_threads,
                **where,
                # Flash attention, as llama.cpp's own tools default to: without it decoding is
                # about 20% slower on CPU (benchmarks/RESULTS.md, figure 1).
                flash_attn=flash,
                # verbose=False would redirect the whole process's stdout/stderr file
                # descriptors; llama.cpp's log is routed to logging instead.
                verbose=True,
                chat_format="chatml",  # its own chat API is never used
            )

    with NativeErrors() as errors:
        try:
            return make(True), True
        except Exception as exc:  # llama-cpp-python raises ValueError; its reason is logged
            first = errors.failure(exc)
            if not errors.mentions_flash_attention():
                raise first from exc
    log.warning("%s: flash attention failed (%s); loading without", req.path, first)
    try:
        return make(False), False
    except Exception as exc:  # the first failure is the one that says what went wrong
        raise first from exc
