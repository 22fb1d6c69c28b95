"""Full-text search: content only (never reasoning), safe for anything typed, highlighted
snippets, branches, the index kept current by triggers and built by the migration."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktopchat.chat.schema import MIGRATIONS
from desktopchat.chat.search import (
    MARK_END,
    MARK_START,
    MAX_QUERY_CHARS,
    parse_query,
    search,
)
from desktopchat.chat.store import ChatStore
from desktopchat.chat.types import MessageStatus

OLD_DB = Path(__file__).resolve().parents[1] / "data" / "history-v1.sqlite3"


def _chat(store: ChatStore, title: str, *texts: str) -> int:
    c = store.create_conversation(title)
    for i, t in enumerate(texts):
        store.add_message(c.id, "user" if i % 2 == 0 else "assistant", t)
    return c.id


@pytest.fixture
def store(app_paths):
    s = ChatStore(app_paths.db_path)
    yield s
    s.close()


def test_finds_words_with_highlights_and_the_conversation(store):
    conv = _chat(store, "Trip", "Where should I go in Portugal?", "Lisbon and Porto are lovely.")
    _chat(store, "Code", "How do I sort a list in Python?", "Use sorted(list).")
    hits = search(store, "porto")
    assert [(h.conversation_id, h.conversation_title, h.role) for h in hits] == [
        (conv, "Trip", "assistant")]
    assert f"{MARK_START}Porto{MARK_END}" in hits[0].snippet
    assert ("Porto", True) in hits[0].parts() and hits[0].on_active_path
    assert hits[0].activate_id is None and hits[0].branch is None


def test_reasoning_is_never_searched(store):
    conv = _chat(store, "Q", "What is 2+2?")
    reply = store.add_message(conv, "assistant", "")
    store.update_message(reply.id, "Four.", MessageStatus.COMPLETE,
                         reasoning="The user asks arithmetic; secretword.")
    assert search(store, "secretword") == []
    assert [h.message_id for h in search(store, "four")] == [reply.id]


def test_prefix_while_typing_and_accents_and_case(store):
    _chat(store, "Food", "Un café crème, s'il vous plaît", "Voilà")
    assert search(store, "CAFE")
    assert search(store, "crè")  # last word is a prefix while typing
    assert not search(store, "crè ")  # a finished word must match whole
    assert search(store, "plait vous")


def test_quoted_phrases(store):
    _chat(store, "A", "the quick brown fox", "brown the quick")
    assert len(search(store, "quick brown")) == 2
    assert len(search(store, '"quick brown"')) == 1


HOSTILE = ['"', '""', '"unclosed', "*", "-", "- -", "NEAR", "NEAR(a b)", "a NEAR b", "AND",
           "OR", "NOT x", "a:b", "content:x", "col:", "(", ")", "((a)", "^", "a^b", "+", "{}",
           "\\", "'", "'; DROP TABLE messages; --", "\x00", "a\x00b", "\u202e", "🙂", "*a*",
           "x" * 10_000, " ".join(["w"] * 500), "\ue000", "%", "_", "a OR b AND (c NOT d)"]


@pytest.mark.parametrize("query", HOSTILE)
def test_anything_typed_is_safe(store, query):
    _chat(store, "Hostile", "a normal message about NEAR and AND and col: values", "ok")
    hits = search(store, query)  # must not raise
    assert isinstance(hits, list)
    assert store.messages(store.conversations()[0].id)  # and nothing was harmed


def test_operators_are_plain_words(store):
    _chat(store, "Ops", "please look NEAR the door", "or not")
    assert search(store, "NEAR")
    assert search(store, "near door")
    assert parse_query("a OR b").fts == '"a" "OR" "b"*'


def test_query_length_and_terms_are_bounded():
    q = parse_query("word " * 1000)
    assert q is not None and q.fts is not None and q.fts.count('"word"') == 16
    long = parse_query("a" * (MAX_QUERY_CHARS * 4))
    assert long is not None and long.fts is not None and len(long.fts) < MAX_QUERY_CHARS + 8
    assert parse_query("   ") is None and parse_query("*-:") is None
    assert parse_query(None) is None  # type: ignore[arg-type]


def test_one_conversation_only(store):
    a = _chat(store, "A", "shared word apple", "x")
    _chat(store, "B", "shared word apple", "y")
    assert {h.conversation_id for h in search(store, "apple")} == {a, a + 1}
    assert [h.conversation_id for h in search(store, "apple", conversation_id=a)] == [a]
    assert search(store, "apple", conversation_id=999) == []


def test_newest_first_and_limit(store):
    conv = _chat(store, "Many", *[f"needle number {i}" for i in range(30)])
    hits = search(store, "needle", conversation_id=conv, limit=5)
    assert [h.snippet.split()[-1] for h in hits] == ["29", "28", "27", "26", "25"]
    assert len(search(store, "needle", limit=10_000)) == 30


def test_a_hit_on_another_branch_says_how_to_show_it(store):
    conv = _chat(store, "Branches", "question one", "first answer alpha")
    q = store.messages(conv)[0]
    store.add_message(conv, "assistant", "second answer beta", parent_id=q.id)
    store.add_message(conv, "user", "follow up")
    alpha = search(store, "alpha")[0]
    assert not alpha.on_active_path and alpha.branch == (1, 2)
    assert alpha.activate_id == alpha.message_id
    beta = search(store, "beta")[0]
    assert beta.on_active_path and beta.activate_id is None
    store.activate(alpha.activate_id)
    assert search(store, "alpha")[0].on_active_path
    assert search(store, "beta")[0].branch == (2, 2)


def test_deep_off_branch_hit_reports_the_branch_point(store):
    conv = _chat(store, "Deep", "q1", "a1", "q2", "a2 original")
    q2 = store.messages(conv)[2]
    store.add_message(conv, "user", "q2 edited", parent_id=q2.parent_id)  # edit forks at q2
    hit = search(store, "original")[0]
    assert not hit.on_active_path and hit.branch == (1, 2)


def test_index_follows_edits_and_deletes(store):
    conv = _chat(store, "Edits", "draft text", "reply")
    msg = store.messages(conv)[1]
    store.update_message(msg.id, "completely different", MessageStatus.COMPLETE)
    assert search(store, "reply") == [] and search(store, "different")
    store.delete_message(msg.id)
    assert search(store, "different") == []
    store.delete_conversation(conv)
    assert search(store, "draft") == []
    db = store.reader()
    assert db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')") \
        is not None


def test_chinese_japanese_korean_substrings(store):
    conv = _chat(store, "中文", "我们今天讨论代码审查的流程", "好的，先看测试")
    hits = search(store, "代码")
    assert [h.conversation_id for h in hits] == [conv]
    assert f"{MARK_START}代码{MARK_END}" in hits[0].snippet
    assert search(store, "测试", conversation_id=conv)
    assert search(store, "不存在") == []


def test_mixed_cjk_and_latin_queries_ignore_latin_case_and_merge_overlaps(store):
    conv = _chat(store, "Mixed", "用 Python 写代码很方便", "x")
    hit = search(store, "python 代码 代")[0]
    assert hit.conversation_id == conv
    assert [t for t, lit in hit.parts() if lit] == ["Python", "代码"]


def test_a_message_cannot_fake_a_highlight(store):
    _chat(store, "Fake", f"look {MARK_START}here{MARK_END} findme 代码", "x")
    for query in ("findme", "代码"):  # the word index and the substring scan
        hit = search(store, query)[0]
        assert all(not lit for _, lit in hit.parts()), query


def test_a_worker_may_use_its_own_connection(store, app_paths):
    _chat(store, "Thread", "from another connection", "x")
    db = sqlite3.connect(app_paths.db_path)
    try:
        assert search(db, "connection")
    finally:
        db.close()


def test_the_migration_indexes_existing_messages(app_paths):
    path = app_paths.db_path
    db = sqlite3.connect(path, isolation_level=None)
    for migrate in MIGRATIONS[:2]:
        migrate(db)
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES ('Old', 1, 1)")
    db.execute("INSERT INTO messages (conversation_id, seq, role, content, created_at, "
               "reasoning) VALUES (1, 1, 'user', 'an ancient pineapple', 1, 'hidden kiwi')")
    db.execute("UPDATE conversations SET active_leaf_id = 1")
    db.close()
    store = ChatStore(path)
    try:
        assert store.schema_version == 3
        assert [h.message_id for h in search(store, "pineapple")] == [1]
        assert search(store, "kiwi") == []
    finally:
        store.close()


def test_a_real_old_history_file_becomes_searchable(tmp_path):
    path = tmp_path / "old.sqlite3"
    shutil.copy(OLD_DB, path)
    store = ChatStore(path)
    try:
        first = store.conversations()[-1]
        words = [w for w in store.messages(first.id)[0].content.split() if w.isalpha()]
        assert words, "the fixture has words to look for"
        assert any(h.conversation_id == first.id for h in search(store, words[0], limit=500))
    finally:
        store.close()
