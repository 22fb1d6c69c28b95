"""Conversations as trees: branches from regenerate and edit, flipping between them, deleting a
message, and the migration of a real old (version 1) history file."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from desktopchat.chat.store import SCHEMA_VERSION, ChatStore
from desktopchat.chat.types import MessageStatus

OLD_DB = Path(__file__).resolve().parents[1] / "data" / "history-v1.sqlite3"


def _chat(store: ChatStore, *texts: str) -> int:
    c = store.create_conversation()
    for i, t in enumerate(texts):
        store.add_message(c.id, "user" if i % 2 == 0 else "assistant", t)
    return c.id


def _contents(store: ChatStore, conv: int) -> list[str]:
    return [m.content for m in store.messages(conv)]


def test_messages_continue_the_active_path(app_paths):
    store = ChatStore(app_paths.db_path)
    conv = _chat(store, "q1", "a1", "q2", "a2")
    msgs = store.messages(conv)
    assert _contents(store, conv) == ["q1", "a1", "q2", "a2"]
    assert [m.seq for m in msgs] == [1, 2, 3, 4]
    assert [m.parent_id for m in msgs] == [None, msgs[0].id, msgs[1].id, msgs[2].id]
    assert all((m.sibling_index, m.sibling_count) == (1, 1) for m in msgs)


def test_a_regenerated_reply_is_a_sibling_and_both_stay(app_paths):
    store = ChatStore(app_paths.db_path)
    conv = _chat(store, "q1", "a1", "q2", "a2")
    q2 = store.messages(conv)[2]
    store.add_message(conv, "assistant", "a2 again", parent_id=q2.id)
    store.add_message(conv, "assistant", "a2 third", parent_id=q2.id)
    last = store.messages(conv)[-1]
    assert last.content == "a2 third" and (last.sibling_index, last.sibling_count) == (3, 3)
    store.switch_branch(last.id, -1)
    assert _contents(store, conv)[-1] == "a2 again"
    store.switch_branch(store.messages(conv)[-1].id, -5)  # clamped at the first
    assert _contents(store, conv) == ["q1", "a1", "q2", "a2"]
    assert store.messages(conv)[-1].sibling_index == 1


def test_an_edit_forks_and_flipping_back_returns_to_where_that_branch_was(app_paths):
    store = ChatStore(app_paths.db_path)
    conv = _chat(store, "q1", "a1", "q2", "a2", "q3", "a3")
    q2 = store.messages(conv)[2]
    edited = store.add_message(conv, "user", "q2 edited", parent_id=q2.parent_id)
    store.add_message(conv, "assistant", "a2 for the edit")
    assert _contents(store, conv) == ["q1", "a1", "q2 edited", "a2 for the edit"]
    assert (edited.sibling_index, edited.sibling_count) == (2, 2)
    store.switch_branch(edited.id, -1)  # back to the first branch: its whole tail returns
    assert _contents(store, conv) == ["q1", "a1", "q2", "a2", "q3", "a3"]
    store.switch_branch(store.messages(conv)[2].id, +1)
    assert _contents(store, conv) == ["q1", "a1", "q2 edited", "a2 for the edit"]


def test_deleting_a_message_removes_its_subtree_and_keeps_a_path(app_paths):
    store = ChatStore(app_paths.db_path)
    conv = _chat(store, "q1", "a1", "q2", "a2")
    q2 = store.messages(conv)[2]
    store.add_message(conv, "assistant", "a2 again", parent_id=q2.id)
    store.delete_message(store.messages(conv)[-1].id)  # the active alternative
    assert _contents(store, conv) == ["q1", "a1", "q2", "a2"]
    store.delete_message(q2.id)
    assert _contents(store, conv) == ["q1", "a1"]
    assert sqlite3.connect(app_paths.db_path).execute(
        "SELECT COUNT(*) FROM messages").fetchone()[0] == 2


def test_reasoning_is_stored_apart_from_the_answer(app_paths):
    store = ChatStore(app_paths.db_path)
    conv = _chat(store, "q1")
    r = store.add_message(conv, "assistant", "", MessageStatus.GENERATING)
    store.update_message(r.id, "Paris.", MessageStatus.COMPLETE, reasoning="France... Paris",
                         thinking_seconds=2.5)
    store.set_reasoning_expanded(r.id, True)
    (_, msg) = store.messages(conv)
    assert (msg.content, msg.reasoning, msg.thinking_seconds, msg.reasoning_expanded) == (
        "Paris.", "France... Paris", 2.5, True)
    assert msg.as_chat().content == "Paris."  # what the model is sent: never the reasoning


def test_a_real_version_1_history_migrates_with_a_backup(tmp_path):
    db_path = tmp_path / "desktopchat.sqlite3"
    shutil.copy(OLD_DB, db_path)
    store = ChatStore(db_path)
    assert store.schema_version == SCHEMA_VERSION
    backup = db_path.with_name(db_path.name + ".backup-v1")
    assert sqlite3.connect(backup).execute("PRAGMA user_version").fetchone()[0] == 1
    convs = {c.title: c for c in store.conversations()}
    assert set(convs) == {"Capital of France", "Code", "Crashed reply"}
    france = store.messages(convs["Capital of France"].id)
    assert [(m.role, m.status) for m in france] == [
        ("user", MessageStatus.COMPLETE), ("assistant", MessageStatus.COMPLETE),
        ("user", MessageStatus.COMPLETE), ("assistant", MessageStatus.STOPPED)]
    assert france[1].content == "The capital of France is **Paris**."
    assert france[2].content == "And of Italy?\n\n1. list\n2. items"
    assert [m.parent_id for m in france] == [None] + [m.id for m in france[:-1]]
    assert store.message_stats(france[1].id) == {"completion_tokens": 9, "tokens_per_second": 41.5}
    assert not convs["Code"].title_auto  # old titles are never replaced by a generated one
    assert store.recover_interrupted() == 1
    assert store.messages(convs["Crashed reply"].id)[-1].content == "Once upon a"
    # Regenerating in a migrated chat makes a branch, as in a new one.
    store.add_message(convs["Code"].id, "assistant", "again",
                      parent_id=store.messages(convs["Code"].id)[0].id)
    assert store.messages(convs["Code"].id)[-1].sibling_count == 2
    # The settings came along.
    assert store.get_setting("app")["last_model_id"] == "starter:smollm2"
