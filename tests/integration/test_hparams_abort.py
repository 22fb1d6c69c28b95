"""Each hyperparameter class that the Python checks refuse really aborts llama.cpp: SmolLM2
with one metadata value changed (written with the gguf package) is loaded by the app's engine
in a child process, which dies of SIGABRT on llama.cpp's GGML_ASSERT. Then the check refuses
the same file with a sentence naming the value, before any native code sees it."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys

import pytest

from desktopchat.models.gguf import GGUFError, validate_model_file
from tests.support.models import copy_with_metadata

pytestmark = pytest.mark.realmodel

A = "llama."
LOAD = r"""
import sys, threading
from desktopchat.chat.types import ChatMessage
from desktopchat.engine.engine import Engine
from desktopchat.engine.types import GenerationParams, GenerationRequest, LoadRequest
engine = Engine()
engine.load(LoadRequest("abort", sys.argv[1], n_ctx=256, n_threads=2))
msgs = (ChatMessage("user", "Hello"),)
engine.generate(GenerationRequest(1, msgs, GenerationParams(max_tokens=2)), threading.Event(),
                lambda _t: None)
print("answered")
"""
# class -> (metadata changed in SmolLM2, llama.cpp's failed assert, words of our refusal)
ABORTS = {
    "block_count 0": ({A + "block_count": 0}, "n_layer_all > 0", "0 layers"),
    "block_count above the maximum": ({A + "block_count": 513}, "<= LLAMA_MAX_LAYERS",
                                      "513 layers"),
    "block_count 2^32-1": ({A + "block_count": 2**32 - 1}, "<= LLAMA_MAX_LAYERS",
                           "4294967295 layers"),
    "expert_used_count without experts": ({A + "expert_used_count": 2},
                                          "n_expert_used_max <= hparams.n_expert",
                                          "uses 2 experts per token"),
    "expert_count above the maximum": ({A + "expert_count": 1025, A + "expert_used_count": 2},
                                       "hparams.n_expert <= LLAMA_MAX_EXPERTS", "1025 experts"),
    "expert_used_count above expert_count": ({A + "expert_count": 4, A + "expert_used_count": 8},
                                             "n_expert_used_max <= hparams.n_expert",
                                             "uses 8 experts"),
    "experts but none used": ({A + "expert_count": 4}, "n_expert_used_max > 0",
                              "uses none of them"),
    "expert groups": ({A + "expert_count": 4, A + "expert_used_count": 2,
                       A + "expert_group_count": 4}, "n_expert_groups < hparams.n_expert",
                      "4 expert groups"),
    "nextn layers above block_count": ({A + "nextn_predict_layers": 31},
                                       "n_layer_nextn <= hparams.n_layer_all",
                                       "31 prediction layers"),
    "unknown rope scaling": ({A + "rope.scaling.type": "warp"},
                             "rope_scaling_type_train != LLAMA_ROPE_SCALING_TYPE_UNSPECIFIED",
                             "RoPE scaling type"),
    "NaN rms epsilon": ({A + "attention.layer_norm_rms_epsilon": math.nan}, "eps >= 0.0f",
                        "is nan"),
    "negative rms epsilon": ({A + "attention.layer_norm_rms_epsilon": -1e-5}, "eps >= 0.0f",
                             "is -1e-05"),
}


@pytest.mark.parametrize("case", list(ABORTS))
def test_llama_cpp_aborts_and_the_check_refuses_first(case, smollm2_path, tmp_path):
    meta, assertion, words = ABORTS[case]
    path = copy_with_metadata(smollm2_path, tmp_path / "bad.gguf", meta)
    try:
        env = dict(os.environ, GGML_NO_BACKTRACE="1")
        out = subprocess.run([sys.executable, "-c", LOAD, str(path)], capture_output=True,
                             text=True, timeout=240, env=env, check=False)
        assert out.returncode == -signal.SIGABRT, (out.returncode, out.stderr[-2000:])
        assert f"GGML_ASSERT({assertion}" in out.stderr or assertion in out.stderr, \
            out.stderr[-2000:]
        with pytest.raises(GGUFError) as err:
            validate_model_file(path)
        assert words in str(err.value), str(err.value)
    finally:
        path.unlink()
