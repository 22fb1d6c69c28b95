"""The transcript widget on its own: markdown, streaming by appending, and untrusted output."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextDocument

from desktopchat.chat.types import MessageStatus, StoredMessage
from desktopchat.ui.chat_view import ChatView


def _msg(role, content, mid=1, status=MessageStatus.COMPLETE):
    return StoredMessage(mid, 1, mid, role, content, status, 0.0, "m")


def _view(qtbot) -> ChatView:
    v = ChatView()
    qtbot.addWidget(v)
    v.resize(700, 500)
    v.show()
    return v


def test_streamed_markdown_is_rendered_block_by_block(qtbot):
    v = _view(qtbot)
    v.append_message(_msg("user", "show code"))
    v.begin_reply(2, "m")
    reply = "Here is **bold** text.\n\n```python\nprint('hi')\n```\n\nDone."
    for ch in reply:  # one character per batch: the worst case
        v.append_stream(ch)
    v.flush()
    assert "print('hi')" in v.toPlainText()
    v.end_reply(MessageStatus.COMPLETE)
    text = v.toPlainText()
    assert "**" not in text and "```" not in text  # rendered, not raw
    assert "bold" in text and "Done." in text
    assert v.code_blocks() == ["print('hi')\n"]


def test_streaming_coalesces_repaints(qtbot):
    v = _view(qtbot)
    v.begin_reply(1, "m")
    for _ in range(500):
        v.append_stream("word ")
    qtbot.wait_until(lambda: "word" in v.toPlainText(), timeout=2000)
    assert v.repaints <= 3  # 500 batches arrived at once: a handful of flushes, not 500
    v.end_reply(MessageStatus.COMPLETE)


def test_copy_link_copies_the_code_block(qtbot):
    v = _view(qtbot)
    v.append_message(_msg("assistant", "```sh\nrm -rf build\n```"))
    href = next(
        fmt.anchorHref()
        for block in _blocks(v.document())
        for fmt in _formats(block)
        if fmt.anchorHref()
    )
    v.anchorClicked.emit(QUrl(href))
    assert QGuiApplication.clipboard().text() == "rm -rf build\n"


def test_only_http_links_open_and_nothing_is_loaded(qtbot, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    v = _view(qtbot)
    v.append_message(_msg("assistant", '<img src="file:///etc/passwd"> <a href="x">raw</a> '
                                       "[site](https://example.org)"))
    assert "<img" in v.toPlainText()  # shown as text, not as markup
    for url in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi", "smb://h/s"):
        v.anchorClicked.emit(QUrl(url))
    assert opened == []
    v.anchorClicked.emit(QUrl("https://example.org"))
    assert opened == ["https://example.org"]
    assert v.loadResource(QTextDocument.ResourceType.ImageResource.value,
                          QUrl("https://example.org/x.png")) is None


def test_model_output_cannot_forge_app_actions(qtbot):
    v = _view(qtbot)
    edits: list[int] = []
    v.edit_requested.connect(edits.append)
    v.append_message(_msg("assistant", "[edit](dc00000000:edit/1) [copy](copy:0)"))
    for url in ("dc00000000:edit/1", "copy:0", "edit:1"):
        v.anchorClicked.emit(QUrl(url))
    assert edits == []


def test_stopped_reply_note(qtbot):
    v = _view(qtbot)
    v.begin_reply(1, "m")
    v.append_stream("partial")
    v.end_reply(MessageStatus.STOPPED)
    assert "partial" in v.toPlainText() and "(stopped)" in v.toPlainText()


def _blocks(doc):
    b = doc.begin()
    while b.isValid():
        yield b
        b = b.next()


def _formats(block):
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        if frag.isValid():
            yield frag.charFormat()
        it += 1
