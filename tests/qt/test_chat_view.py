"""The transcript widget on its own: one item per message, streaming, scrolling, actions."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from desktopchat.chat.types import MessageStatus, StoredMessage
from desktopchat.ui.blocks import ProseBlock
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.message_row import MessageRow
from desktopchat.ui.text_boxes import CodeBlock, LongTextBlock


def _msg(role: str, content: str, mid: int = 1,
         status: MessageStatus = MessageStatus.COMPLETE) -> StoredMessage:
    return StoredMessage(mid, 1, mid, role, content, status, time.time(), "m")


def _view(qtbot, w: int = 700, h: int = 500) -> ChatView:
    v = ChatView()
    qtbot.addWidget(v)
    v.resize(w, h)
    v.show()
    return v


def _settle(qtbot, v: ChatView) -> None:
    qtbot.wait_until(lambda: v.is_settled, timeout=5000)


def _show(qtbot, v: ChatView, msgs: list[StoredMessage]) -> None:
    v.show_messages(msgs)
    _settle(qtbot, v)


def _turns(n: int) -> list[StoredMessage]:
    out = []
    for i in range(n):
        out.append(_msg("user", f"Question {i}: tell me about the number {i}.", 2 * i + 1))
        out.append(_msg("assistant", f"Number {i}:\n\n1. one\n2. two\n\n```python\nprint({i})\n"
                                     f"```\n\nThat is all about {i}.", 2 * i + 2))
    return out


def _at_bottom(v: ChatView) -> bool:
    bar = v.verticalScrollBar()
    return bar.value() == bar.maximum()


def test_streamed_markdown_is_rendered_block_by_block(qtbot):
    v = _view(qtbot)
    v.append_message(_msg("user", "show code"))
    v.begin_reply(2, "m")
    reply = "Here is **bold** text.\n\n```python\nprint('hi')\n```\n\nDone."
    for ch in reply:  # one character per batch: the worst case
        v.append_stream(ch)
    v.flush()
    assert "print('hi')" in v.transcript_text()
    v.end_reply(MessageStatus.COMPLETE)
    text = v.transcript_text()
    assert "**" not in text and "```" not in text  # rendered, not raw
    assert "bold" in text and "Done." in text
    assert v.code_blocks() == ["print('hi')\n"]
    assert v.toPlainText() == text  # the QTextEdit name still works


def test_a_fence_line_streamed_before_its_code_leaves_no_text_behind(qtbot):
    v = _view(qtbot)
    v.begin_reply(1, "m")
    for batch in ("Sure.\n\n```py", "thon", "\ndef f():\n", "    return 1\n```", "\n\nDone."):
        v.append_stream(batch)
        v.flush()
    v.end_reply(MessageStatus.COMPLETE)
    row = v.row(1)
    assert row is not None
    assert [type(p).__name__ for p in row.body.pieces] == ["ProseBlock", "CodeBlock",
                                                           "ProseBlock"]
    assert "```" not in v.transcript_text()
    assert row.body.pieces[1].code == "def f():\n    return 1\n"


def test_streaming_coalesces_repaints(qtbot):
    v = _view(qtbot)
    v.begin_reply(1, "m")
    for _ in range(500):
        v.append_stream("word ")
    qtbot.wait_until(lambda: "word" in v.transcript_text(), timeout=2000)
    assert v.repaints <= 3  # 500 batches arrived at once: a handful of flushes, not 500
    v.end_reply(MessageStatus.COMPLETE)


def test_each_message_is_its_own_item_so_markdown_never_runs_on(qtbot):
    """Problem 1: a reply ending in a numbered list continued the list into the next header,
    the "(stopped)" mark and the trim notice."""
    v = _view(qtbot)
    v.append_message(_msg("user", "Steps?", 1))
    v.begin_reply(2, "m")
    v.append_stream("Do this:\n\n1. first\n2. second")
    v.end_reply(MessageStatus.STOPPED, ["3 older messages were left out."])
    v.append_message(_msg("user", "Edit that", 3))
    _settle(qtbot, v)
    reply, after = v.row(2), v.row(3)
    assert reply is not None and after is not None and reply is not after
    assert reply.status_label is not None
    prose = [p for p in reply.body.pieces if isinstance(p, ProseBlock)]
    assert prose and prose[-1].document().lastBlock().textList() is not None  # the list
    # The note and the notice are labels of the reply's row, not text of its document ...
    assert reply.status_label.text() == "(stopped)"
    assert [lab.text() for lab in reply.notice_labels] == ["3 older messages were left out."]
    assert "(stopped)" not in prose[-1].plain_text()
    shot = reply.status_label.grab().toImage()  # drawn in the warning colour, not the text's
    colours = {shot.pixelColor(x, y).name() for x in range(shot.width())
               for y in range(shot.height())}
    assert reply.ctx.theme.warning in colours
    # ... and the next message starts a document of its own, outside any list.
    first = after.body.pieces[0].document().firstBlock()
    assert first.textList() is None and first.text() == "Edit that"
    assert "(stopped)" in v.transcript_text()


def test_a_long_code_line_scrolls_its_block_and_prose_wraps(qtbot):
    """Problem 2: one long code line scrolled the whole transcript sideways, also on reopen."""
    long_line = "x = [" + ", ".join(str(i) for i in range(800)) + "]"
    prose = "word " * 400
    msgs = [_msg("user", "long?", 1), _msg("assistant", f"{prose}\n\n```python\n{long_line}\n```",
                                          2)]
    v = _view(qtbot)
    for _ in range(2):  # shown, then the chat reopened
        _show(qtbot, v, msgs)
        assert v.horizontalScrollBar().maximum() == 0
        row = v.row(2)
        assert row is not None
        code = next(p for p in row.body.pieces if isinstance(p, CodeBlock))
        assert code.text.horizontalScrollBar().maximum() > 0  # the block scrolls on its own
        assert code.text.horizontalScrollBar().value() == 0
        text = next(p for p in row.body.pieces if isinstance(p, ProseBlock))
        assert text.horizontalScrollBar().maximum() == 0  # prose wraps
        assert text.width() <= v.viewport().width()
        assert _at_bottom(v)


def test_a_thousand_messages_build_only_the_rows_on_screen(qtbot):
    v = _view(qtbot)
    msgs = _turns(500)
    _show(qtbot, v, msgs)
    built = v.findChildren(MessageRow)
    assert 0 < len(built) <= 20
    last = v.row(1000)
    assert last is not None and last.isVisible() and _at_bottom(v)
    assert last.geometry().bottom() <= v.viewport().height()
    v.verticalScrollBar().setValue(0)  # the user drags to the top
    _settle(qtbot, v)
    first = v.row(1)
    assert first is not None and first.isVisible() and first.geometry().top() >= 0
    assert "Question 0:" in first.plain_text()
    assert len(v.findChildren(MessageRow)) <= 80  # far rows are dropped, not kept forever


def test_the_view_follows_a_reply_in_a_long_chat_until_the_user_scrolls_up(qtbot):
    """Problem 3: in a 20+ turn chat the view stayed near the top while the reply streamed."""
    v = _view(qtbot)
    _show(qtbot, v, _turns(25))
    v.append_message(_msg("user", "And now a long answer, please.", 99))
    v.begin_reply(100, "m")
    for k in range(40):
        v.append_stream(f"Paragraph {k} of the answer, with a few words in it.\n\n")
        if k % 9 == 0:
            v.append_stream("```python\nx = 1\ny = 2\n")
        if k % 9 == 4:
            v.append_stream("```\n\n")
        v.flush()
        QApplication.processEvents()
        assert _at_bottom(v), f"lost the reply at batch {k}"
    jump = v.findChild(QWidget, "jumpToLatest")
    assert jump is not None and not jump.isVisible()
    bar = v.verticalScrollBar()
    bar.setValue(bar.value() - 300)  # the user scrolls up to read
    assert not v.is_following and jump.isVisible()
    where = bar.value()
    for k in range(10):
        v.append_stream(f"More text {k}.\n\n")
        v.flush()
    assert bar.value() == where  # left where the user is reading
    qtbot.mouseClick(jump, Qt.MouseButton.LeftButton)
    assert v.is_following and _at_bottom(v) and not jump.isVisible()
    v.append_stream("The end.\n\n")
    v.end_reply(MessageStatus.COMPLETE)
    assert _at_bottom(v)


def test_copy_whole_message_as_markdown_or_plain_text_with_feedback(qtbot):
    v = _view(qtbot)
    source = "Some **bold** and `code`.\n\n- item"
    _show(qtbot, v, [_msg("assistant", source, 1)])
    row = v.row(1)
    assert row is not None
    with qtbot.wait_signal(v.message_copied):
        qtbot.mouseClick(row.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == source
    assert row.copy_button.text() == "Copied"
    qtbot.wait_until(lambda: row.copy_button.text() == "", timeout=3000)
    plain = next(a for a in row.copy_button.menu().actions() if "plain" in a.text())
    plain.trigger()
    copied = QGuiApplication.clipboard().text()
    assert "bold" in copied and "**" not in copied and "`" not in copied
    qtbot.wait_until(lambda: row.copy_button.text() == "", timeout=3000)


def test_code_block_copy_button_copies_the_code(qtbot):
    v = _view(qtbot)
    _show(qtbot, v, [_msg("assistant", "```sh\nrm -rf build\n```", 1)])
    row = v.row(1)
    assert row is not None
    block = next(p for p in row.body.pieces if isinstance(p, CodeBlock))
    qtbot.mouseClick(block.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "rm -rf build\n"


def test_edit_in_place_enter_saves_escape_cancels(qtbot):
    v = _view(qtbot)
    _show(qtbot, v, [_msg("user", "What is 2+2?", 1), _msg("assistant", "4", 2)])
    row = v.row(1)
    assert row is not None and not row.edit_button.isHidden()
    assert v.row(2) is not None and v.row(2).edit_button is None  # replies are not edited
    with qtbot.wait_signal(v.edit_requested):
        qtbot.mouseClick(row.edit_button, Qt.MouseButton.LeftButton)
    editor = row.editor
    assert editor is not None and editor.isVisible() and not editor.isWindow()
    assert editor.toPlainText() == "What is 2+2?" and v.focusWidget() is editor
    with qtbot.assert_not_emitted(v.edit_submitted):
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert row.editor is None and "What is 2+2?" in v.transcript_text()
    editor = row.start_edit()
    editor.selectAll()
    qtbot.keyClicks(editor, "What is 3+3?")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor, "Show your work.")
    with qtbot.wait_signal(v.edit_submitted) as sig:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert sig.args == [1, "What is 3+3?\nShow your work."]
    v.begin_reply(2, "m")  # while a reply streams, nothing is edited
    assert not row.edit_button.isEnabled() and not v.start_edit(1)
    v.end_reply(MessageStatus.COMPLETE)
    assert row.edit_button.isEnabled()


def test_delete_and_branch_arrows_say_which_message(qtbot):
    v = _view(qtbot)
    _show(qtbot, v, [_msg("user", "Hi", 1), _msg("assistant", "Hello!", 2)])
    row = v.row(2)
    assert row is not None and row.prev_button is None  # no branches yet
    with qtbot.wait_signal(v.delete_requested) as sig:
        qtbot.mouseClick(row.delete_button, Qt.MouseButton.LeftButton)
    assert sig.args == [2]
    v.set_message_extras(2, branch=(2, 3))
    assert row.prev_button is not None and row.next_button is not None
    assert row.branch_label is not None and row.branch_label.text() == "2/3"
    assert row.prev_button.isVisible() and row.next_button.isVisible()
    with qtbot.wait_signal(v.branch_requested) as sig:
        qtbot.mouseClick(row.prev_button, Qt.MouseButton.LeftButton)
    assert sig.args == [2, -1]
    with qtbot.wait_signal(v.branch_requested) as sig:
        qtbot.mouseClick(row.next_button, Qt.MouseButton.LeftButton)
    assert sig.args == [2, 1]
    v.set_message_extras(2, branch=(3, 3))
    assert not row.next_button.isEnabled() and row.prev_button.isEnabled()


def test_reasoning_is_collapsed_expands_on_click_and_enter(qtbot):
    v = _view(qtbot)
    _show(qtbot, v, [_msg("user", "Why?", 1), _msg("assistant", "Because.", 2)])
    v.set_message_extras(2, reasoning="First I consider the question...", thinking_seconds=12.3)
    row = v.row(2)
    assert row is not None and row.reasoning is not None
    toggle, text = row.reasoning.button, row.reasoning.text
    assert toggle.text() == "Thought for 12 s" and text.isHidden()
    with qtbot.wait_signal(v.reasoning_toggled) as sig:
        qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert sig.args == [2, True]
    assert text.isVisible() and "First I consider" in text.plain_text()
    assert toggle.accessibleName() == "Hide reasoning"
    toggle.setFocus()
    with qtbot.wait_signal(v.reasoning_toggled) as sig:
        qtbot.keyClick(toggle, Qt.Key.Key_Return)
    assert sig.args == [2, False] and text.isHidden()
    # The answer sits below the reasoning section.
    assert row.body.geometry().top() > toggle.geometry().bottom()


def test_live_reasoning_streams_muted_with_a_running_timer(qtbot):
    v = _view(qtbot)
    v.append_message(_msg("user", "Think first.", 1))
    v.begin_reply(2, "m")
    v.set_message_extras(2, thinking_live=True, thinking_seconds=3.0)
    row = v.row(2)
    assert row is not None and row.reasoning is not None
    toggle, text = row.reasoning.button, row.reasoning.text
    v.append_reasoning("Let me think")
    v.append_reasoning(" about it.")
    v.flush()
    assert text.isVisible()  # expanded while thinking
    assert text.plain_text() == "Let me think about it."
    assert toggle.text().startswith("Thinking… 3")
    qtbot.wait_until(lambda: toggle.text().startswith("Thinking… 4"), timeout=3000)
    v.set_message_extras(2, thinking_live=False, thinking_seconds=4.2)
    assert toggle.text() == "Thought for 4 s" and text.isHidden()
    v.append_stream("The answer.")
    v.end_reply(MessageStatus.COMPLETE)
    assert "The answer." in row.plain_text()


def test_a_finished_reply_is_announced_once(qtbot):
    v = _view(qtbot)
    said: list[str] = []
    v.reply_announced.connect(said.append)
    v.begin_reply(1, "SmolLM2")
    for i in range(100):
        v.append_stream(f"token{i} ")
        v.flush()
    assert said == []  # never token by token
    v.end_reply(MessageStatus.COMPLETE)
    assert len(said) == 1 and said[0].startswith("Reply from SmolLM2: token0")


def test_every_action_has_a_name_and_tab_reaches_them(qtbot):
    v = _view(qtbot)
    _show(qtbot, v, [_msg("user", "Hi", 1), _msg("assistant", "Hi!\n\n```py\nx = 1\n```", 2)])
    v.set_message_extras(2, reasoning="hm", thinking_seconds=1.0, branch=(1, 2))
    _settle(qtbot, v)
    for row in (v.row(1), v.row(2)):
        assert row is not None and row.accessibleName().startswith("Message from")
        for w in row.focus_widgets():
            assert w.accessibleName(), f"unnamed {type(w).__name__}"
    v.setFocus()
    reached: list[str] = []
    for _ in range(30):
        v.focusNextPrevChild(True)
        focus = QApplication.focusWidget()
        if focus is None or not v.isAncestorOf(focus):
            break
        reached.append(focus.accessibleName())
    for name in ("Copy message", "Edit message", "Delete message", "Next version",
                 "Show reasoning", "Copy code"):
        assert name in reached


def test_notices_and_status_notes_are_plain_text(qtbot):
    v = _view(qtbot)
    v.append_notice("<b>Deleted</b> <img src='file:///etc/passwd'>")
    v.begin_reply(1, "<i>model</i>")
    v.append_stream("partial")
    v.end_reply(MessageStatus.STOPPED, ["<a href='file:///x'>trimmed</a>"])
    row = v.row(1)
    assert row is not None and row.meta_text.startswith("<i>model</i>")  # painted as text
    assert row.accessibleName().startswith("Message from Assistant, <i>model</i>")
    assert row.notice_labels[0].textFormat() == Qt.TextFormat.PlainText
    assert row.status_label is not None
    assert row.status_label.textFormat() == Qt.TextFormat.PlainText
    text = v.transcript_text()
    assert "<b>Deleted</b>" in text and "partial" in text and "(stopped)" in text


def test_switching_back_to_a_streaming_reply_replaces_its_saved_part(qtbot):
    v = _view(qtbot)
    _show(qtbot, v, [_msg("user", "Tell me", 1),
                     _msg("assistant", "Once upon", 2, MessageStatus.GENERATING)])
    v.begin_reply(2, "m", partial="Once upon a time")
    assert v.is_streaming and v.streaming_message_id == 2
    assert v.transcript_text().count("Once upon") == 1
    v.append_stream(" there was a lamp.")
    v.end_reply(MessageStatus.COMPLETE)
    assert "Once upon a time there was a lamp." in v.transcript_text()


def test_plain_text_fallback_keeps_very_long_content(qtbot):
    v = _view(qtbot)
    _show(qtbot, v, [_msg("assistant", "- item\n" * 10_000, 1)])
    row = v.row(1)
    assert row is not None
    box = next(p for p in row.body.pieces if isinstance(p, LongTextBlock))
    assert "plain text" in box.note.text()
    assert box.text.document().blockCount() >= 10_000


_SAMPLES = [
    "Intro:\n1. one\n2. two\n```js\nlet x = 1;\n```\nAfter `code`.\n\n> quote\n> more\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Para " * 60 + "\n\n~~~python\nx = 1\n~~~\n- a\n  - b\n    - c\n\n```\nunclosed\nmore",
    "Text\n    indented code\n\n```py\ninside\n```\n\n" + "word " * 3000 + "\n\nend",
]


def test_a_streamed_reply_reads_the_same_as_when_reopened(qtbot):
    """Batches split anywhere (mid-fence, mid-word) give the text a reopened chat shows."""
    import random
    import re

    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip()

    v = _view(qtbot)
    rng = random.Random(7)
    for source in _SAMPLES:
        for _ in range(3):
            v.show_messages([])
            v.begin_reply(1, "m")
            i = 0
            while i < len(source):
                n = rng.randint(1, 40)
                v.append_stream(source[i:i + n])
                i += n
                if rng.random() < 0.7:
                    v.flush()
            v.end_reply(MessageStatus.COMPLETE)
            _settle(qtbot, v)
            streamed, codes = norm(v.row(1).plain_text()), v.code_blocks()
            _show(qtbot, v, [_msg("assistant", source, 1)])
            assert norm(v.row(1).plain_text()) == streamed
            assert v.code_blocks() == codes
