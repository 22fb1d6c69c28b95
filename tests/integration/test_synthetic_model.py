"""The synthetic benchmark model (benchmarks/synthetic.py): reproducible from its seed, SmolLM2's
tokenizer, loadable and runnable by the real engine. Built here at a tiny width (the generator is
the same code; the 1.5B shape is only counted, not written, to keep the test fast)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from benchmarks import synthetic
from desktopchat.chat.types import ChatMessage
from desktopchat.engine.engine import Engine
from desktopchat.engine.types import GenerationParams, GenerationRequest, LoadRequest
from desktopchat.models.gguf import read_gguf
from desktopchat.models.starter import starter_model_path

pytestmark = pytest.mark.realmodel
TINY = dict(synthetic.SHAPE, n_embd=256, n_ff=512, n_layer=2, n_head=4, n_head_kv=2)


def test_the_full_shape_is_about_one_and_a_half_billion_parameters():
    vocab = 49152
    params = sum(int(np.prod(dims)) for _name, dims in synthetic._tensors(vocab, synthetic.SHAPE))
    assert 1.4e9 <= params <= 1.6e9, params


def test_same_seed_same_file_and_the_engine_runs_it(tmp_path: Path):
    a = synthetic.build(seed=7, cache=tmp_path / "a", threads=1, shape=TINY)
    b = synthetic.build(seed=7, cache=tmp_path / "b", threads=1, shape=TINY)
    c = synthetic.build(seed=8, cache=tmp_path / "c", threads=1, shape=TINY)
    assert a.read_bytes() == b.read_bytes()  # reproducible from the seed
    assert a.read_bytes() != c.read_bytes()
    assert synthetic.build(seed=7, cache=tmp_path / "a", shape=TINY) == a  # cached
    assert not list((tmp_path / "a").glob(".synthetic-*"))  # the F16 intermediate is gone
    info = read_gguf(a)
    assert info.architecture == "llama" and info.metadata["general.file_type"] == synthetic.Q4_K_M
    smol = read_gguf(starter_model_path())
    for key in ("tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.chat_template",
                "tokenizer.ggml.eos_token_id"):
        assert info.metadata[key] == smol.metadata[key], key
    engine = Engine()
    try:
        engine.load(LoadRequest("syn", str(a), n_ctx=512, n_threads=2))
        assert engine.tokenize_prompt([ChatMessage("user", "Hello")])
        req = GenerationRequest(1, (ChatMessage("user", "Hello"),),
                                GenerationParams(temperature=0.0, max_tokens=8, seed=1))
        result = engine.generate(req, threading.Event(), lambda _t: None)
        assert not result.error and result.prompt_tokens > 0
    finally:
        engine.close()
