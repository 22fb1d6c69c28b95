"""The fit estimate on a model it was not calibrated on.

fit.py's working-memory constants were measured on SmolLM2 and Gemma 3 270M, and
test_fit_measured.py checks them against those same two. This one writes (with the gguf package)
a ~336M-parameter llama with random weights whose every size differs from both: 1024-wide,
24 layers, 16 heads of 64 with 4 KV heads, feed-forward 2816, a 32,000-token vocabulary and
Q8_0 weights (357 MB). It is written once per machine (``DESKTOPCHAT_TEST_MODELS``), loaded in
a fresh process through the engine and measured the way test_fit_measured.py measures.
"""

from __future__ import annotations

import pytest

from desktopchat.models.fit import MemoryInfo, estimate_fit
from desktopchat.models.gguf import read_gguf, validate_model_file
from tests.support.measure import describe, measure_resident
from tests.support.models import synthetic_llama

pytestmark = pytest.mark.realmodel

UNSEEN = dict(n_vocab=32_000, n_embd=1024, n_layer=24, n_head=16, n_head_kv=4, n_ff=2816,
              n_ctx_train=4096, weight_type="Q8_0", seed=336)


@pytest.fixture(scope="module")
def unseen_model(tmp_path_factory):
    return synthetic_llama(tmp_path_factory.mktemp("unseen"), "unseen-llama-336m-q8_0-v1.gguf",
                           **UNSEEN)


def test_the_unseen_model_is_what_it_claims(unseen_model):
    info = validate_model_file(unseen_model)
    assert info.quantization == "Q8_0" and info.architecture == "llama"
    params = sum(t.nbytes * 32 // 34 if t.ggml_type == 8 else t.nbytes // 4
                 for t in info.tensors)
    assert 300e6 < params < 400e6
    assert 300e6 < info.file_size < 1e9


@pytest.mark.parametrize("n_ctx", [512, 4096])
def test_estimate_is_within_15_percent_on_a_model_it_was_not_calibrated_on(unseen_model, n_ctx):
    measured = measure_resident(unseen_model, n_ctx)
    est = estimate_fit(read_gguf(unseen_model), n_ctx, MemoryInfo(64 * 2**30, 32 * 2**30))
    detail = describe(f"unseen llama n_ctx={n_ctx}", est, measured)
    print(detail)
    assert 0.85 <= est.total_bytes / measured["in_use"] <= 1.15, detail
