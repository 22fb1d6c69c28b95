"""Loading ggml's compute backends for a portable llama.cpp build.

The installers bundle llama.cpp built with ``GGML_BACKEND_DL=ON`` and ``GGML_CPU_ALL_VARIANTS=ON``:
the CPU code is not linked into ``libggml`` but shipped as one library per instruction-set level
(``libggml-cpu-x64.so`` … ``libggml-cpu-sapphirerapids.so``), and ggml loads the best one this
CPU can run. llama.cpp looks for them only in the executable's folder and the working directory,
which in a frozen app (or a venv) are neither where they are, so we point it at llama_cpp's own
``lib`` folder before the first model loads. A normal build has its CPU backend linked in and
this is a no-op.
"""

from __future__ import annotations

import ctypes
import logging
from pathlib import Path
from typing import Any

import llama_cpp
import llama_cpp.llama_cpp as llama_lib

log = logging.getLogger(__name__)


def library_dir() -> Path:
    """The folder llama-cpp-python loads ``libllama`` from (honours ``LLAMA_CPP_LIB_PATH``)."""
    base = getattr(llama_lib, "_base_path", None)
    return Path(base) if base is not None else Path(llama_cpp.__file__).parent / "lib"


def backend_dirs() -> list[Path]:
    """Where the backend modules are: beside libllama (the bundle puts them there), or -- in a
    venv with the portable wheel -- the ``bin`` folder ggml's own CMake install put them in."""
    return [library_dir(), Path(llama_cpp.__file__).resolve().parent.parent / "bin"]


def _ggml_function(name: str) -> Any:
    # Through libllama's handle: dlsym searches its dependencies too, so this is the libggml
    # already loaded (llama-cpp-python's wheels ship libggml.so and libggml.so.0 as two copies;
    # loading the other one would give a second, empty backend registry).
    try:
        return getattr(llama_lib._lib, name)
    except AttributeError:  # Windows: GetProcAddress does not look into dependencies
        from llama_cpp import _ggml

        return getattr(_ggml.libggml, name)


def load_backends() -> int:
    """Register ggml's backends from llama_cpp's lib folder if none is yet; returns the count."""
    reg_count = _ggml_function("ggml_backend_reg_count")
    reg_count.argtypes = []
    reg_count.restype = ctypes.c_size_t
    if reg_count():
        return int(reg_count())  # a normal build: the CPU backend is linked in
    load_all = _ggml_function("ggml_backend_load_all_from_path")
    load_all.argtypes = [ctypes.c_char_p]
    load_all.restype = None
    # The folder that holds the CPU variants holds every module of that build (a portable
    # wheel also puts a copy of a GPU module, libggml-vulkan, in llama_cpp/lib: loading both
    # folders would register that backend twice).
    dirs = [d for d in backend_dirs() if d.is_dir()]
    dirs.sort(key=lambda d: not any(d.glob("*ggml-cpu*")))
    for d in dirs:
        load_all(str(d).encode())
        if reg_count():
            log.info("loaded %d ggml backend(s) from %s", reg_count(), d)
            break
    return int(reg_count())
