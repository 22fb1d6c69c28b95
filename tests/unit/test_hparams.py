"""Hyperparameters llama.cpp would abort on (or that no real model has) are refused in Python,
with one sentence naming the value. Files are written with the gguf package; that llama.cpp
really aborts on them is shown in tests/integration/test_hparams_abort.py."""

from __future__ import annotations

import math

import pytest

from desktopchat.models.gguf import GGUFError, validate_model_file
from desktopchat.models.hparams import LLAMA_MAX_EXPERTS, LLAMA_MAX_LAYERS
from tests.support.models import write_llama

A = "llama."
# (metadata written over a valid 2-layer model, words the refusal must contain)
REFUSED = {
    "no layers": ({A + "block_count": 0}, "0 layers (llama.block_count)"),
    "layers above the maximum": ({A + "block_count": LLAMA_MAX_LAYERS + 1}, "513 layers"),
    "layers 2^32-1": ({A + "block_count": 2**32 - 1}, "4294967295 layers"),
    "layer count as text": ({A + "block_count": "2"}, "is '2', not a whole number"),
    "no embedding": ({A + "embedding_length": 0}, "embedding length (llama.embedding_length) is 0"),
    "absurd embedding": ({A + "embedding_length": 2**31}, "is 2147483648"),
    "experts used without experts": ({A + "expert_used_count": 2}, "uses 2 experts per token"),
    "more used than there are": ({A + "expert_count": 4, A + "expert_used_count": 8},
                                 "uses 8 experts per token (llama.expert_used_count) but has 4"),
    "experts above the maximum": ({A + "expert_count": LLAMA_MAX_EXPERTS + 1,
                                   A + "expert_used_count": 2}, "1025 experts"),
    "experts none used": ({A + "expert_count": 4}, "4 experts (llama.expert_count) but uses none"),
    "expert groups": ({A + "expert_count": 4, A + "expert_used_count": 2,
                       A + "expert_group_count": 4}, "4 expert groups"),
    "prediction layers": ({A + "nextn_predict_layers": 3}, "3 prediction layers"),
    "NaN rms epsilon": ({A + "attention.layer_norm_rms_epsilon": math.nan},
                        "norm epsilon (llama.attention.layer_norm_rms_epsilon) is nan"),
    "negative rms epsilon": ({A + "attention.layer_norm_rms_epsilon": -1e-5}, "is -1e-05"),
    "zero rms epsilon": ({A + "attention.layer_norm_rms_epsilon": 0.0}, "is 0;"),
    "infinite rms epsilon": ({A + "attention.layer_norm_rms_epsilon": math.inf}, "is inf"),
    "NaN norm epsilon": ({A + "attention.layer_norm_epsilon": math.nan}, "layer_norm_epsilon"),
    "NaN rope base": ({A + "rope.freq_base": math.nan}, "llama.rope.freq_base is nan"),
    "no heads": ({A + "attention.head_count": 0}, "no attention heads"),
    "heads not dividing": ({A + "attention.head_count": 3}, "3 attention heads"),
    "no kv heads": ({A + "attention.head_count_kv": 0}, "no key/value heads"),
    "kv heads not dividing": ({A + "attention.head_count_kv": 3}, "3 key/value heads"),
    "per-layer heads of the wrong length": ({A + "attention.head_count": [4, 4, 4]},
                                            "lists 3 values for 2 layers"),
    "per-layer ff of the wrong length": ({A + "feed_forward_length": [128]}, "lists 1 values"),
    "no context": ({A + "context_length": 0}, "context length (llama.context_length) is 0"),
    "absurd context": ({A + "context_length": 2**32 - 1}, "is 4294967295"),
    "unknown rope scaling": ({A + "rope.scaling.type": "warp"}, "RoPE scaling type"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_values_llama_cpp_asserts_are_refused_with_the_value_named(tmp_path, case):
    meta, words = REFUSED[case]
    path = write_llama(tmp_path / "m.gguf", metadata=meta)
    with pytest.raises(GGUFError) as err:
        validate_model_file(path)
    text = str(err.value)
    assert words in text, text
    assert "\n" not in text and len(text) < 200


def test_a_vocabulary_that_does_not_match_the_embedding_is_refused(tmp_path):
    path = write_llama(tmp_path / "m.gguf", n_vocab=320,
                       metadata={"tokenizer.ggml.tokens": [f"t{i}" for i in range(300)],
                                 "tokenizer.ggml.token_type": [1] * 300})
    with pytest.raises(GGUFError, match="300 tokens but its token embedding has 320 rows"):
        validate_model_file(path)


@pytest.mark.parametrize("meta", [
    {},
    {A + "attention.head_count": [4, 4], A + "attention.head_count_kv": [2, 1]},
    {A + "expert_count": 8, A + "expert_used_count": 2},
    {A + "expert_count": LLAMA_MAX_EXPERTS, A + "expert_used_count": [2, 2]},
    {A + "attention.layer_norm_rms_epsilon": 1e-6, A + "rope.scaling.type": "yarn"},
    {A + "context_length": 10_485_760},  # Llama 4 Scout's 10M
])
def test_plausible_values_pass(tmp_path, meta):
    assert validate_model_file(write_llama(tmp_path / "m.gguf", metadata=meta)).tensors


def test_real_models_pass(smollm2_path, gemma_path):
    for path in (smollm2_path, gemma_path):
        assert validate_model_file(path).tensors


@pytest.mark.parametrize(("key", "words"), [
    ("feed_forward_length", "feed-forward length (llama.feed_forward_length) is 1099511627776"),
    ("attention.key_length", "key length"),
    ("attention.head_count", "attention heads"),
])
def test_absurd_widths_are_refused(tmp_path, key, words):
    path = write_llama(tmp_path / "m.gguf", metadata={A + key: 2**40})
    with pytest.raises(GGUFError, match=words.replace("(", r"\(").replace(")", r"\)")):
        validate_model_file(path)


def test_hunyuan_dense_with_one_expert_is_dense_as_llama_cpp_reads_it(tmp_path):
    path = write_llama(tmp_path / "m.gguf", metadata={A + "expert_count": 1,
                                                     A + "expert_used_count": 4})
    with pytest.raises(GGUFError, match="uses 4 experts"):
        validate_model_file(path)
    path = write_llama(tmp_path / "h.gguf", metadata={
        "general.architecture": "hunyuan-dense",
        **{k.replace(A, "hunyuan-dense."): v for k, v in _LLAMA_KEYS.items()},
        "hunyuan-dense.expert_count": 1, "hunyuan-dense.expert_used_count": 4})
    assert validate_model_file(path).architecture == "hunyuan-dense"


_LLAMA_KEYS = {A + "context_length": 2048, A + "embedding_length": 64, A + "block_count": 2,
               A + "attention.head_count": 4, A + "attention.head_count_kv": 2}
