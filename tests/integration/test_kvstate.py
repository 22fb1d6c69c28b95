"""Reopening a chat after a restart restores its saved KV cache instead of re-reading it; damaged
or foreign state files are ignored; the directory stays under its cap (real engine, SmolLM2)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktopchat.chat.types import ChatMessage
from desktopchat.engine.engine import Engine
from desktopchat.engine.kvstate import SUFFIX
from desktopchat.engine.types import (
    FinishReason,
    GenerationParams,
    GenerationRequest,
    KVStateConfig,
    LoadRequest,
)

pytestmark = pytest.mark.realmodel

GREEDY = GenerationParams(temperature=0.0, max_tokens=24, seed=1)
NOTE = "The harbour light is checked at dusk, and the log records wind, swell and ships. "


def _chat(turns: int) -> list[ChatMessage]:
    msgs = [ChatMessage("system", "You are a helpful assistant.")]
    for i in range(turns):
        msgs += [ChatMessage("user", f"Entry {i}: {NOTE * 3}"),
                 ChatMessage("assistant", f"Noted {i}.")]
    return msgs + [ChatMessage("user", "What is the capital of France?")]


def _engine(smollm2_path: Path, kv_dir: Path | None, cap: int = 2**30) -> Engine:
    e = Engine(KVStateConfig(str(kv_dir), cap) if kv_dir else None)
    e.load(LoadRequest("smollm2", str(smollm2_path), n_ctx=2048, n_threads=2))
    return e


def _ask(e: Engine, msgs: list[ChatMessage], conv: int = 5, rid: int = 1):
    req = GenerationRequest(rid, tuple(msgs), GREEDY, conversation_id=conv)
    return e.generate(req, threading.Event(), lambda _t: None)


def _first_reply_then_save(smollm2_path: Path, kv_dir: Path, conv: int = 5):
    e = _engine(smollm2_path, kv_dir)
    msgs = _chat(6)
    first = _ask(e, msgs, conv)
    assert first.prompt_tokens > 300 and first.prompt_tokens_evaluated == first.prompt_tokens
    e.close()  # quitting saves the chat's cache
    follow = msgs + [ChatMessage("assistant", first.text), ChatMessage("user", "And of Italy?")]
    return follow, first


def test_restart_restores_the_chat_instead_of_rereading_it(smollm2_path, tmp_path):
    kv_dir = tmp_path / "kv"
    follow, first = _first_reply_then_save(smollm2_path, kv_dir)
    assert len(list(kv_dir.glob(f"*{SUFFIX}"))) == 1
    e = _engine(smollm2_path, kv_dir)  # a new process would start exactly like this
    r = _ask(e, follow, rid=2)
    e.close()
    assert r.finish_reason in (FinishReason.STOP, FinishReason.LENGTH) and not r.error
    assert r.prompt_tokens > first.prompt_tokens
    assert r.prompt_tokens_evaluated < 40, r.prompt_tokens_evaluated  # only the new turn
    assert r.text.strip() and "<|im_" not in r.text
    # The same follow-up without a saved state re-reads everything, and answers alike.
    cold = _engine(smollm2_path, None)
    c = _ask(cold, follow, rid=3)
    cold.close()
    assert c.prompt_tokens_evaluated == c.prompt_tokens
    assert r.text.split()[:3] == c.text.split()[:3]


def test_another_conversation_does_not_restore_it(smollm2_path, tmp_path):
    kv_dir = tmp_path / "kv"
    follow, _ = _first_reply_then_save(smollm2_path, kv_dir, conv=5)
    e = _engine(smollm2_path, kv_dir)
    r = _ask(e, follow, conv=6)
    e.close()
    assert r.prompt_tokens_evaluated == r.prompt_tokens


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip-payload", "flip-header"])
def test_damaged_state_is_ignored_and_removed(smollm2_path, tmp_path, damage):
    kv_dir = tmp_path / "kv"
    follow, _ = _first_reply_then_save(smollm2_path, kv_dir)
    (state,) = kv_dir.glob(f"*{SUFFIX}")
    data = bytearray(state.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = bytearray(b"\x07" * 4096)
    elif damage == "flip-payload":
        data[-1000] ^= 0xFF
    else:
        data[20] ^= 0xFF
    state.write_bytes(bytes(data))
    e = _engine(smollm2_path, kv_dir)
    r = _ask(e, follow, rid=2)
    e.close()
    assert r.prompt_tokens_evaluated == r.prompt_tokens  # re-read, safely
    assert r.text.strip() and not r.error
    assert not state.exists() or state.read_bytes() != bytes(data)  # dropped (or re-saved)


def test_state_of_another_model_file_is_ignored(smollm2_path, gemma_path, tmp_path):
    kv_dir = tmp_path / "kv"
    follow, _ = _first_reply_then_save(smollm2_path, kv_dir)
    (state,) = kv_dir.glob(f"*{SUFFIX}")
    g = Engine(KVStateConfig(str(kv_dir), 2**30))
    g.load(LoadRequest("gemma", str(gemma_path), n_ctx=2048, n_threads=2))
    # Put SmolLM2's state where Gemma would look for this conversation's.
    state.rename(g._kv.path_for(g._model_fp, 5))
    r = _ask(g, follow, rid=2)
    g.close()
    assert r.prompt_tokens_evaluated == r.prompt_tokens and not r.error


def test_cap_evicts_least_recently_used_and_skips_what_cannot_fit(smollm2_path, tmp_path):
    kv_dir = tmp_path / "kv"
    e = _engine(smollm2_path, kv_dir)
    _ask(e, _chat(4), conv=1)
    assert e.save_kv_state()
    one = sum(p.stat().st_size for p in kv_dir.glob(f"*{SUFFIX}"))
    e.close()
    # Room for about one and a half states: the second save evicts the first.
    e = _engine(smollm2_path, kv_dir, cap=int(one * 1.5) + 2**16)
    _ask(e, _chat(4), conv=2, rid=2)
    assert e.save_kv_state()
    files = list(kv_dir.glob(f"*{SUFFIX}"))
    assert files == [e._kv.path_for(e._model_fp, 2)]
    e.close()
    # A cap smaller than one state: nothing is written.
    small = tmp_path / "small"
    e = _engine(smollm2_path, small, cap=one // 4)
    _ask(e, _chat(4), conv=3, rid=3)
    assert not e.save_kv_state()
    e.close()
    assert not list(small.glob(f"*{SUFFIX}"))  # (globbing a missing folder finds nothing)


# -- privacy: a deleted chat's saved state goes, and is never written again ---------------------


def test_forgetting_a_chat_deletes_its_state_for_every_model_and_it_is_never_saved_again(
        smollm2_path, tmp_path):
    import shutil

    kv_dir = tmp_path / "kv"
    _first_reply_then_save(smollm2_path, kv_dir, conv=5)
    other_model = tmp_path / "copy-of-smollm2.gguf"  # another model file: another fingerprint
    shutil.copyfile(smollm2_path, other_model)
    e = _engine(other_model, kv_dir)
    _ask(e, _chat(6), conv=5)
    assert e.save_kv_state()
    _ask(e, _chat(2), conv=6, rid=2)  # another chat, kept
    assert e.save_kv_state()
    _ask(e, _chat(6), conv=5, rid=3)  # chat 5 owns the cache again, unsaved
    assert len(list(kv_dir.glob(f"*{SUFFIX}"))) == 3
    assert e.forget_conversation(5) == 2  # both models' files
    (kept,) = kv_dir.glob(f"*{SUFFIX}")
    assert kept == e._kv.path_for(e._model_fp, 6)
    assert "Entry 5" not in e.context_text()  # the cache no longer holds it
    assert not e.save_kv_state()  # an idle save afterwards writes nothing
    # A request for that id queued before the delete is answered as a new chat (read from
    # scratch) and not saved either, nor when quitting.
    r = _ask(e, _chat(6), conv=5, rid=4)
    assert r.prompt_tokens_evaluated == r.prompt_tokens and r.text.strip()
    assert not e.save_kv_state()
    e.close()
    assert list(kv_dir.glob(f"*{SUFFIX}")) == [kept]


def test_forgetting_a_chat_that_does_not_own_the_cache_keeps_the_cache(smollm2_path, tmp_path):
    kv_dir = tmp_path / "kv"
    _first_reply_then_save(smollm2_path, kv_dir, conv=5)
    e = _engine(smollm2_path, kv_dir)
    _ask(e, _chat(2), conv=6)
    assert e.forget_conversation(5) == 1
    r = _ask(e, _chat(2), conv=6, rid=2)  # chat 6's cache is untouched: one token re-read
    assert r.prompt_tokens_evaluated == 1
    assert e.save_kv_state()
    e.close()
    assert len(list(kv_dir.glob(f"*{SUFFIX}"))) == 1


def test_unfinished_state_files_of_a_crashed_process_are_removed_when_the_store_opens(
        smollm2_path, tmp_path):
    import os

    kv_dir = tmp_path / "kv"
    follow, _ = _first_reply_then_save(smollm2_path, kv_dir)
    (state,) = kv_dir.glob(f"*{SUFFIX}")
    crashed = kv_dir / f".{state.name}.{os.getpid() + 100_000}.tmp"  # no such process here
    crashed.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    mine = kv_dir / f".{state.name}.{os.getpid()}.tmp"  # a save under way in this process
    mine.write_bytes(b"partial")
    e = _engine(smollm2_path, kv_dir)
    assert not crashed.exists() and mine.exists()
    assert e._kv.total_bytes() == state.stat().st_size
    r = _ask(e, follow, rid=2)
    e.close()
    assert r.prompt_tokens_evaluated < 40  # the complete state is still used
