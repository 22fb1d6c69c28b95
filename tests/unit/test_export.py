"""Exports: Markdown and HTML of the active path (reasoning only when asked; HTML escaped,
script-free and self-contained), JSON of everything, which imports back to the same tree."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from desktopchat.chat.export import (
    FORMAT,
    FORMAT_VERSION,
    export_html,
    export_json,
    export_json_text,
    export_markdown,
)
from desktopchat.chat.importer import import_bytes
from desktopchat.chat.store import ChatStore
from desktopchat.chat.types import MessageStatus

HOSTILE = ('<script>alert(1)</script> <img src="http://evil.example/x.png" onerror="x()"> '
           '<iframe src="https://evil.example"></iframe> [click](javascript:alert(1)) '
           '![pixel](http://evil.example/track.gif) <a href="http://evil.example">a</a>')


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.seen


@pytest.fixture
def store(app_paths):
    s = ChatStore(app_paths.db_path)
    yield s
    s.close()


def _tree(store: ChatStore) -> int:
    """A chat with a regenerated reply, an edit, reasoning, stats and options."""
    c = store.create_conversation("Rust & <Python>")
    store.set_conversation_options(c.id, {"preset": "coding", "thinking": False})
    q1 = store.add_message(c.id, "user", "How do I read a file?")
    a1 = store.add_message(c.id, "assistant", "", MessageStatus.GENERATING, model="qwen3",
                           engine="llama.cpp")
    store.update_message(a1.id, "Use `open()`:\n\n```python\nwith open(p) as f:\n"
                         "    data = f.read()\n```", MessageStatus.COMPLETE,
                         {"completion_tokens": 42, "tokens_per_second": 31.5},
                         reasoning="They want Python.", thinking_seconds=3.4)
    store.add_message(c.id, "assistant", "Or pathlib.", parent_id=q1.id, model="qwen3")
    store.switch_branch(store.messages(c.id)[-1].id, -1)  # back to the first reply
    store.add_message(c.id, "user", HOSTILE)
    store.add_message(c.id, "assistant", HOSTILE, MessageStatus.STOPPED, model="qwen3")
    return c.id


def test_markdown_is_the_active_path(store):
    conv = _tree(store)
    md = export_markdown(store, conv)
    assert md.startswith("# Rust & <Python>\n")
    assert "## You" in md and "## Assistant (qwen3) · version 1 of 2" in md
    assert "```python\nwith open(p) as f:" in md
    assert "Or pathlib." not in md  # another branch
    assert "They want Python." not in md
    assert "*(stopped)*" in md


def test_markdown_reasoning_only_when_asked(store):
    conv = _tree(store)
    md = export_markdown(store, conv, include_reasoning=True)
    assert "> **Thought for 3 s**\n>\n> They want Python." in md
    assert md.index("They want Python.") < md.index("Use `open()`")


def test_html_is_escaped_script_free_and_self_contained(store):
    conv = _tree(store)
    page = export_html(store, conv)
    tags = _tags(page)
    names = {t for t, _ in tags}
    assert names <= {"html", "head", "meta", "title", "style", "body", "h1", "p", "section",
                     "div", "span", "pre", "code", "em", "strong", "a", "ul", "ol", "li",
                     "blockquote", "details", "summary", "table", "thead", "tbody", "tr",
                     "th", "td", "hr", "br", "del", "h2", "h3", "h4", "h5", "h6"}, names
    for tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("src", "srcset", "style") or (
                tag == "p" and name == "style"), (tag, name, value)
            if name == "href":
                assert value.startswith(("http://", "https://", "mailto:")), value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<title>Rust &amp; &lt;Python&gt;</title>" in page
    assert '<pre><code class="language-python">with open(p) as f:' in page
    assert "They want Python." not in page
    assert "(stopped)" in page


def test_html_reasoning_in_a_details_block_when_asked(store):
    conv = _tree(store)
    page = export_html(store, conv, include_reasoning=True)
    assert "<details><summary>Thought for 3 s</summary><p>They want Python.</p>" in page


def test_json_is_complete(store):
    conv = _tree(store)
    doc = export_json(store, [conv])
    assert (doc["format"], doc["version"], doc["schema"]) == (FORMAT, FORMAT_VERSION,
                                                              store.schema_version)
    (c,) = doc["conversations"]
    assert c["title"] == "Rust & <Python>" and c["options"] == {"preset": "coding",
                                                                 "thinking": False}
    assert len(c["messages"]) == 5  # both branches
    first = c["messages"][1]
    assert first["reasoning"] == "They want Python." and first["thinking_seconds"] == 3.4
    assert first["stats"] == {"completion_tokens": 42, "tokens_per_second": 31.5}
    assert (first["model"], first["engine"], first["status"]) == ("qwen3", "llama.cpp",
                                                                  "complete")
    ids = [m["id"] for m in c["messages"]]
    assert all(m["parent"] is None or ids.index(m["parent"]) < ids.index(m["id"])
               for m in c["messages"])
    assert c["active_leaf"] == store.messages(conv)[-1].id
    json.dumps(doc)  # plain JSON


def test_json_includes_the_model_settings_used(store):
    conv = _tree(store)
    store.set_setting("model:qwen3", {"temperature": 0.3, "system_prompt": "Be brief."})
    store.set_setting("model:unused", {"temperature": 1.0})
    c = export_json(store, [conv])["conversations"][0]
    assert c["model_settings"] == {"qwen3": {"temperature": 0.3, "system_prompt": "Be brief."}}
    given = export_json(store, [conv], model_settings={"qwen3": {"top_k": 5}})
    assert given["conversations"][0]["model_settings"] == {"qwen3": {"top_k": 5}}


def test_json_round_trip_keeps_the_tree(store, tmp_path):
    conv = _tree(store)
    text = export_json_text(store, [conv])
    other = ChatStore(tmp_path / "other.sqlite3")
    try:
        result = import_bytes(other, text.encode("utf-8"))
        (new_id,) = result.conversation_ids
        assert result.messages == 5 and result.source == "desktopchat"
        before = [(m.role, m.content, m.reasoning, m.status, m.model, m.sibling_index,
                   m.sibling_count, m.thinking_seconds) for m in store.messages(conv)]
        after = [(m.role, m.content, m.reasoning, m.status, m.model, m.sibling_index,
                  m.sibling_count, m.thinking_seconds) for m in other.messages(new_id)]
        assert after == before
        assert other.conversation_options(new_id) == store.conversation_options(conv)
        assert other.message_stats(other.messages(new_id)[1].id) == {
            "completion_tokens": 42, "tokens_per_second": 31.5}
        other.switch_branch(other.messages(new_id)[1].id, +1)
        assert [m.content for m in other.messages(new_id)][-1] == "Or pathlib."
        again = export_json(other)["conversations"][0]
        original = export_json(store, [conv])["conversations"][0]
        strip = ("id", "parent")
        assert [{k: v for k, v in m.items() if k not in strip} for m in again["messages"]] == \
            [{k: v for k, v in m.items() if k not in strip} for m in original["messages"]]
    finally:
        other.close()


def test_exporting_a_missing_conversation_says_so(store):
    with pytest.raises(ValueError, match="no conversation"):
        export_markdown(store, 12345)
