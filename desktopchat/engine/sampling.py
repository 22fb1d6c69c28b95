"""The decode step: llama.cpp's sampler chain, built once per reply, and one-token decodes.

The chain is llama.cpp's usual one (repetition penalty, top-k, top-p, min-p, temperature, then a
seeded draw; greedy at temperature 0) with one change that llama.h itself recommends for the
penalty sampler ("avoid using on the full vocabulary ... apply top-k or top-p sampling first"):
top-k runs first, so the penalty looks up 40 candidates instead of every token of the
vocabulary. On Gemma 3 (262,144 tokens) the whole-vocabulary search cost several milliseconds a
token, a fifth of its decode time on two cores (benchmarks/RESULTS.md, figure 1). The penalty
then reorders the top-k candidates rather than choosing them; with the mild default (1.1) the
two orders pick the same tokens in practice.

Tokens are decoded one at a time with ``llama_batch_get_one`` straight into the context, with
no per-token Python bookkeeping beyond the engine's own ``input_ids`` record.
"""

from __future__ import annotations

from typing import Any

import llama_cpp

from desktopchat.engine.types import GenerationParams

PENALTY_LAST_N = 64  # tokens the repetition penalty looks back over (llama-cpp-python's default)


class SamplerChain:
    """One reply's sampler; ``close()`` frees it."""

    def __init__(self, n_vocab: int, p: GenerationParams, seed: int) -> None:
        lc = llama_cpp
        chain = lc.llama_sampler_chain_init(lc.llama_sampler_chain_default_params())
        self._chain: Any = chain

        def add(sampler: Any) -> None:  # the chain owns (and frees) what is added
            lc.llama_sampler_chain_add(chain, sampler)

        if p.top_k > 0:
            add(lc.llama_sampler_init_top_k(p.top_k))
        if p.repeat_penalty != 1.0:
            add(lc.llama_sampler_init_penalties(n_vocab, PENALTY_LAST_N, p.repeat_penalty,
                                                0.0, 0.0))
        if p.temperature <= 0.0:
            add(lc.llama_sampler_init_greedy())
            return
        if 0.0 < p.top_p < 1.0:
            add(lc.llama_sampler_init_top_p(p.top_p, 1))
        if p.min_p > 0.0:
            add(lc.llama_sampler_init_min_p(p.min_p, 1))
        add(lc.llama_sampler_init_temp(p.temperature))
        add(lc.llama_sampler_init_dist(seed & 0xFFFFFFFF))

    def sample(self, ctx: Any) -> int:
        """The next token from the last decoded position's logits (and remember it)."""
        return int(llama_cpp.llama_sampler_sample(self._chain, ctx, -1))

    def close(self) -> None:
        if self._chain is not None:
            llama_cpp.llama_sampler_free(self._chain)
            self._chain = None


class TokenDecoder:
    """Decodes one token at the end of the context's sequence (positions assigned by llama.cpp)."""

    def __init__(self) -> None:
        self._buf = (llama_cpp.llama_token * 1)()

    def decode(self, ctx: Any, token: int) -> None:
        self._buf[0] = token
        rc = llama_cpp.llama_decode(ctx, llama_cpp.llama_batch_get_one(self._buf, 1))
        if rc != 0:
            raise RuntimeError(f"llama_decode returned {rc}")
