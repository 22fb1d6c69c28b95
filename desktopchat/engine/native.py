"""llama.cpp's process-wide plumbing: its log routed into ``logging``, and the memory check."""

from __future__ import annotations

import ctypes
import logging

import llama_cpp
import psutil

native_log = logging.getLogger("desktopchat.llama_cpp")

# -- llama.cpp's log goes to Python logging (not to the process's stderr) ------------------------

# ggml_log_level: NONE=0, DEBUG=1, INFO=2, WARN=3, ERROR=4, CONT=5 (continues the last line).
# llama.cpp's INFO is a page of numbers per load: it goes to DEBUG.
_LEVELS = {
    0: logging.DEBUG, 1: logging.DEBUG, 2: logging.DEBUG, 3: logging.WARNING, 4: logging.ERROR,
}
_log_state = {"level": logging.DEBUG}


@llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
def _route_native_log(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
    try:
        lvl = _log_state["level"] if level == 5 else _LEVELS.get(level, logging.DEBUG)
        _log_state["level"] = lvl
        msg = text.decode("utf-8", "replace").rstrip()
        if msg and native_log.isEnabledFor(lvl):
            native_log.log(lvl, msg)
    except Exception:  # noqa: BLE001 - an exception must never cross into C
        pass


def install_log_router() -> None:
    """Route llama.cpp's own log into ``logging`` (replaces llama-cpp-python's stderr printer)."""
    llama_cpp.llama_log_set(_route_native_log, ctypes.c_void_p(0))


def available_memory() -> int | None:
    """Bytes of memory available for a new model (psutil: Linux, macOS and Windows alike), or
    None when the OS does not say."""
    try:
        return int(psutil.virtual_memory().available)
    except (OSError, psutil.Error):
        logging.getLogger(__name__).warning("could not read the memory available",
                                            exc_info=True)
        return None
