"""The fit estimate against reality: the resident memory the two test models take in the real
engine, measured in a fresh process (``tests.support.measure``; SmolLM2's 92 MiB of weights are
all in the load's RSS increase). The estimate's constants were calibrated on these two; a model
it was not calibrated on is tests/integration/test_fit_unseen.py.
"""

from __future__ import annotations

import pytest

from desktopchat.models.fit import MemoryInfo, estimate_fit
from desktopchat.models.gguf import read_gguf
from tests.support.measure import describe, measure_resident

pytestmark = pytest.mark.realmodel


@pytest.mark.parametrize("n_ctx", [512, 4096])
@pytest.mark.parametrize("model", ["smollm2", "gemma"])
def test_estimate_is_within_15_percent_of_measured_rss(model, n_ctx, request):
    path = request.getfixturevalue(f"{model}_path")
    measured = measure_resident(path, n_ctx)
    est = estimate_fit(read_gguf(path), n_ctx, MemoryInfo(64 * 2**30, 32 * 2**30))
    ratio = est.total_bytes / measured["in_use"]
    detail = describe(f"{model} n_ctx={n_ctx}", est, measured)
    print(detail)
    assert 0.85 <= ratio <= 1.15, detail

