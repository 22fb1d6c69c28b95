"""Imports: broken or hostile files are refused in one sentence with nothing half-imported;
ChatGPT, LM Studio and Jan exports (fixtures written from their formats) import with their
branches, reasoning and titles."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from desktopchat.chat.import_formats import SYSTEM_OPTION
from desktopchat.chat.importer import (
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    ImportProblem,
    import_bytes,
    import_file,
)
from desktopchat.chat.store import ChatStore
from desktopchat.chat.types import MessageStatus

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


@pytest.fixture
def store(app_paths):
    s = ChatStore(app_paths.db_path)
    yield s
    s.close()


def _doc(*convs):
    return {"format": "desktopchat.conversations", "version": 1, "conversations": list(convs)}


def _conv(*messages, title="T", **extra):
    return {"title": title, "messages": list(messages), **extra}


def _msg(i, parent, role="user", content="hi", **extra):
    return {"id": i, "parent": parent, "role": role, "content": content, **extra}


def _counts(store: ChatStore) -> tuple[int, int]:
    db = store.reader()
    return (db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM messages").fetchone()[0])


def _import(store, doc) -> object:
    return import_bytes(store, json.dumps(doc).encode())


def test_a_minimal_file_imports(store):
    res = _import(store, _doc(_conv(_msg(1, None), _msg(2, 1, "assistant", "hello"))))
    (cid,) = res.conversation_ids
    assert [m.content for m in store.messages(cid)] == ["hi", "hello"]
    assert res.sentence() == "Imported 1 conversation(s) with 2 message(s) from desktopchat."
    assert store.conversation(cid).title == "T"


BROKEN = [
    (b"", "not valid JSON"),
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not text in UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"42", "not a conversation export"),
    (b'{"format": "desktopchat.conversations"}', "no format version"),
    (b'{"format": "desktopchat.conversations", "version": 9, "conversations": []}',
     "newer desktopchat"),
    (b'{"format": "desktopchat.conversations", "version": 1, "conversations": {}}',
     "no list of conversations"),
    (b'{"format": "desktopchat.conversations", "version": 1, "conversations": []}',
     "holds no conversations"),
    (b'{"object": "thread", "title": "x"}', "messages.jsonl"),
]


@pytest.mark.parametrize("data, phrase", BROKEN)
def test_broken_files_are_one_sentence(store, data, phrase):
    with pytest.raises(ImportProblem) as info:
        import_bytes(store, data)
    text = str(info.value)
    assert phrase in text and text.endswith(".") and "\n" not in text and len(text) < 200
    assert _counts(store) == (0, 0)


HOSTILE_CONVS = [
    (_conv(_msg(1, None, role="tool")), "unknown role"),
    (_conv(_msg(1, None, role=["user"])), "unknown role"),
    (_conv(_msg(1, None, content=None)), "content that is not text"),
    (_conv(_msg(1, None, content={"$": 1})), "content that is not text"),
    (_conv(_msg(1, None, content="x" * (MAX_TEXT_CHARS + 1))), "longer than"),
    (_conv(_msg(1, 2), _msg(2, 1)), "before its parent"),  # a cycle
    (_conv(_msg(1, None), _msg(1, None)), "repeats an id"),
    (_conv(_msg(1, 7)), "before its parent"),
    (_conv(_msg("1", None)), "whole-number id"),
    (_conv(_msg(True, None)), "whole-number id"),
    (_conv(_msg(1, None, status="exploded")), "unknown status"),
    (_conv(_msg(1, None, thinking_seconds=float("inf"))), "impossible thinking time"),
    (_conv(_msg(1, None, stats=[1, 2])), "stats"),
    (_conv(_msg(1, None), title=None), "title that is not text"),
    (_conv(_msg(1, None), options="x"), "options"),
    ({"title": "x", "messages": "no"}, "no list of messages"),
    ("not an object", "is not an object"),
]


@pytest.mark.parametrize("bad, phrase", HOSTILE_CONVS)
def test_a_bad_conversation_after_good_ones_leaves_nothing(store, bad, phrase):
    good = _conv(_msg(1, None), _msg(2, 1, "assistant", "fine"), title="good")
    with pytest.raises(ImportProblem, match=phrase):
        _import(store, _doc(good, good, bad))
    assert _counts(store) == (0, 0)


def test_a_failure_while_writing_rolls_everything_back(store, monkeypatch):
    from desktopchat.chat import importer

    calls = 0
    real = importer._insert

    def flaky(db, conv):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(db, conv)

    monkeypatch.setattr(importer, "_insert", flaky)
    good = _conv(_msg(1, None))
    with pytest.raises(ImportProblem, match="disk is full"):
        _import(store, _doc(good, good))
    assert _counts(store) == (0, 0)


def test_limits_on_size_and_counts(store, tmp_path, monkeypatch):
    from desktopchat.chat import importer

    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ImportProblem, match="too large"):
        import_file(store, big)
    monkeypatch.setattr(importer, "MAX_MESSAGES_PER_CONVERSATION", 3)
    with pytest.raises(ImportProblem, match="more than 3 messages"):
        _import(store, _doc(_conv(*[_msg(i, i - 1 or None) for i in range(1, 5)])))
    monkeypatch.setattr(importer, "MAX_CONVERSATIONS", 2)
    with pytest.raises(ImportProblem, match="more than 2 conversations"):
        _import(store, _doc(*[_conv(_msg(1, None))] * 3))
    with pytest.raises(ImportProblem, match="could not be read"):
        import_file(store, tmp_path / "missing.json")
    assert _counts(store) == (0, 0)


def test_a_read_only_history_refuses_in_one_sentence(app_paths):
    store = ChatStore(app_paths.db_path)
    store.read_only = True
    try:
        with pytest.raises(ImportProblem, match="read-only"):
            _import(store, _doc(_conv(_msg(1, None))))
    finally:
        store.close()


def test_a_long_chain_imports_without_recursion(store):
    n = 5000
    msgs = [_msg(i, i - 1 if i > 1 else None, "user" if i % 2 else "assistant", f"m{i}")
            for i in range(1, n + 1)]
    (cid,) = _import(store, _doc(_conv(*msgs))).conversation_ids
    path = store.messages(cid)
    assert len(path) == n and path[-1].seq == n


def test_a_generating_message_imports_as_interrupted(store):
    res = _import(store, _doc(_conv(_msg(1, None), _msg(2, 1, "assistant", "half",
                                                        status="generating"))))
    assert store.messages(res.conversation_ids[0])[-1].status is MessageStatus.INTERRUPTED


def test_the_active_leaf_picks_the_branch_shown(store):
    doc = _doc(_conv(_msg(1, None), _msg(2, 1, "assistant", "first"),
                     _msg(3, 1, "assistant", "second"), _msg(4, 2, "user", "after first"),
                     active_leaf=4))
    (cid,) = _import(store, doc).conversation_ids
    assert [m.content for m in store.messages(cid)] == ["hi", "first", "after first"]
    store.switch_branch(store.messages(cid)[1].id, +1)
    store.switch_branch(store.messages(cid)[1].id, -1)  # back: the branch's tail returns
    assert [m.content for m in store.messages(cid)] == ["hi", "first", "after first"]


# -- other apps -------------------------------------------------------------------------------

def test_chatgpt_export_keeps_its_branches(store):
    res = import_file(store, DATA / "chatgpt-conversations.json")
    assert res.source == "ChatGPT" and len(res.conversation_ids) == 2
    trip, calc = res.conversation_ids
    assert store.conversation(trip).title == "Trip planning"
    path = store.messages(trip)
    assert [m.content for m in path] == ["Where should I go in Portugal?",
                                        "Porto, for the river.", "Thanks! Any food tips?",
                                        "Try a francesinha."]
    assert (path[0].sibling_index, path[0].sibling_count) == (1, 2)  # the edit
    assert (path[1].sibling_index, path[1].sibling_count) == (2, 2)  # the regenerated reply
    last = path[-1]
    assert last.reasoning == "Food in Porto\nFrancesinha is the classic."
    assert last.thinking_seconds == 7.0 and last.model == "o3"
    store.switch_branch(path[0].id, +1)
    spain = store.messages(trip)
    assert [m.content for m in spain] == ["Where should I go in Spain?", "Madrid."]
    assert spain[-1].status is MessageStatus.LENGTH
    store.switch_branch(spain[0].id, -1)
    store.switch_branch(store.messages(trip)[1].id, -1)
    assert store.messages(trip)[-1].content == "Lisbon is lovely."
    calc_path = store.messages(calc)
    assert [m.role for m in calc_path] == ["user", "assistant"]
    assert calc_path[0].content.startswith("What is 2+2? See the photo.\n[an attachment")
    assert calc_path[1].content == "Let me compute.\n\nIt is 4."  # joined around the tool call
    assert res.skipped >= 3  # custom instructions, the code call, the tool output, the image


def test_lmstudio_versions_become_branches(store):
    res = import_file(store, DATA / "1700002000000.conversation.json")
    (cid,) = res.conversation_ids
    assert res.source == "LM Studio"
    assert store.conversation(cid).title == "Haiku help"
    assert store.conversation_options(cid) == {SYSTEM_OPTION: "Be concise."}
    path = store.messages(cid)
    assert [m.content for m in path] == ["Write a haiku about rain.", "Grey clouds gather low",
                                        "Another one?", "Puddles hold the sky"]
    assert (path[1].sibling_index, path[1].sibling_count) == (2, 2)
    assert path[1].reasoning == "Five, seven, five syllables." and path[1].model == "qwen3-4b"
    assert path[3].reasoning == "short"
    store.switch_branch(path[1].id, -1)
    assert store.messages(cid)[-1].content == "Soft rain on the roof"
    assert store.conversation(cid).created_at == 1700002000.0


def test_jan_thread_with_its_title(store, tmp_path):
    folder = tmp_path / "01JTHREAD"
    shutil.copytree(DATA / "jan-thread", folder)
    res = import_file(store, folder / "messages.jsonl")
    (cid,) = res.conversation_ids
    assert res.source == "Jan" and res.skipped == 1  # the image
    assert store.conversation(cid).title == "Sourdough"
    assert store.conversation_options(cid) == {SYSTEM_OPTION: "You are a baker."}
    path = store.messages(cid)
    assert [m.content for m in path] == ["How long should sourdough proof?",
                                        "About 4 to 6 hours at room temperature.",
                                        "And in the fridge?", "Overnight, 12 to 16 hours."]
    assert path[1].reasoning == "Depends on temperature."
    assert path[3].reasoning == "cold slows yeast" and path[3].status is MessageStatus.STOPPED
    assert path[1].model == "llama3.2-3b-instruct"


def test_jan_messages_without_their_folder(store):
    data = (DATA / "jan-thread" / "messages.jsonl").read_bytes()
    (cid,) = import_bytes(store, data).conversation_ids
    assert store.conversation(cid).title == "Imported chat"


def test_a_broken_jan_line_is_one_sentence(store):
    data = (DATA / "jan-thread" / "messages.jsonl").read_bytes() + b'{"role": "user", oops\n'
    with pytest.raises(ImportProblem, match="Line 5 of the Jan thread"):
        import_bytes(store, data)
    assert _counts(store) == (0, 0)


def test_hostile_chatgpt_shapes_do_not_crash(store):
    cyclic = {"title": "loop", "current_node": "a", "mapping": {
        "a": {"id": "a", "parent": "b", "children": ["b"], "message": None},
        "b": {"id": "b", "parent": "a", "children": ["a"], "message": None}}}
    weird = {"title": ["not", "text"], "mapping": {
        "r": {"parent": None, "children": ["x", 5, None], "message": "nope"},
        "x": {"parent": "r", "children": [], "message": {"author": "me", "content": [1]}}}}
    deep = {"title": "deep", "mapping": {f"n{i}": {
        "parent": f"n{i - 1}" if i else None, "children": [f"n{i + 1}"],
        "message": {"author": {"role": "user" if i % 2 else "assistant"},
                    "content": {"content_type": "text", "parts": [f"t{i}"]}}}
        for i in range(3000)}}
    with pytest.raises(ImportProblem, match="holds no conversations"):
        import_bytes(store, json.dumps([cyclic, weird]).encode())
    (cid,) = import_bytes(store, json.dumps([deep]).encode()).conversation_ids
    assert len(store.messages(cid)) == 3000


def test_chatgpt_export_zip(store, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(DATA / "chatgpt-conversations.json", "conversations.json")
        z.writestr("chat.html", "<html></html>")
    assert len(import_file(store, archive).conversation_ids) == 2
    empty = tmp_path / "other.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("readme.txt", "nothing")
    with pytest.raises(ImportProblem, match="no conversations.json"):
        import_file(store, empty)


def test_a_zip_bomb_is_read_no_further_than_the_limit(store, tmp_path, monkeypatch):
    from desktopchat.chat import importer

    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 1 << 20)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("conversations.json", b" " * (8 << 20))
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(ImportProblem, match="too large"):
        import_file(store, bomb)
