"""Find in the open chat (Ctrl+F), and what it shares with search across chats
(``search_panel``, Ctrl+Shift+F): marking matched words in a message and scrolling to it.

Both ask ``ChatTools`` for a search, which runs on its own thread; typing is debounced and an
answer to anything but the latest request never shows.

``FindBar`` floats over the transcript's top right: "3 of 12", Enter / Shift+Enter for the
next / previous match, Esc to close. It walks the matches on the branch shown, in reading
order, and says how many more are on other branches (the panel opens those). The matched
words are marked in the message with extra selections on its text views, which never change
the text itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from desktopchat.chat.search import SearchHit
from desktopchat.session.chat_tools import FIND_LIMIT, ChatTools
from desktopchat.session.chat_tools_worker import SearchResults
from desktopchat.session.conversations import ConversationController
from desktopchat.ui import plain, view_parts
from desktopchat.ui.chat_view import ChatView
from desktopchat.ui.theme import current_theme, icon

DEBOUNCE_MS = 150
MAX_MARKS = 300  # highlighted places in one message
MARK_LIGHT, MARK_DARK = "#fde68a", "#7a5c00"  # the background of a matched word


def mark_colour() -> str:
    return MARK_DARK if current_theme().dark else MARK_LIGHT


def hit_terms(hits: Sequence[SearchHit]) -> list[str]:
    """The words the search matched (the snippets' highlighted runs), longest first."""
    terms: dict[str, str] = {}
    for hit in hits:
        for text, marked in hit.parts():
            text = text.strip()
            if marked and text and len(terms) < 32:
                terms.setdefault(text.casefold(), text)
    return sorted(terms.values(), key=len, reverse=True)


def highlight_message(view: ChatView, message_id: int, terms: Sequence[str]) -> int:
    """Mark ``terms`` in a message's text on screen (its row must be built); the count."""
    row = view.row(message_id)
    if row is None:
        return 0
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(mark_colour()))
    fmt.setForeground(QColor(current_theme().text))
    found = 0
    edits: list[QTextEdit | QPlainTextEdit] = [*row.findChildren(QTextEdit),
                                               *row.findChildren(QPlainTextEdit)]
    for edit in edits:
        selections: list[QTextEdit.ExtraSelection] = []
        doc = edit.document()
        for term in terms:
            cursor = doc.find(term, 0)
            while not cursor.isNull() and len(selections) < MAX_MARKS:
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt
                selections.append(sel)
                cursor = doc.find(term, cursor)
        edit.setExtraSelections(selections)
        found += len(selections)
    return found


def clear_highlights(view: ChatView, message_id: int | None) -> None:
    row = view.row(message_id) if message_id is not None else None
    if row is not None:
        edits: list[QTextEdit | QPlainTextEdit] = [*row.findChildren(QTextEdit),
                                                   *row.findChildren(QPlainTextEdit)]
        for edit in edits:
            edit.setExtraSelections([])


def show_hit(view: ChatView, message_id: int, terms: Sequence[str]) -> bool:
    """Scroll the transcript to a message and mark what matched in it."""
    if not view_parts.scroll_to_message(view, message_id):
        return False
    highlight_message(view, message_id, terms)
    return True


def tool_button(parent: QWidget, name: str, icon_name: str, tip: str) -> QToolButton:
    b = QToolButton(parent)
    b.setObjectName(name)
    b.setIcon(icon(icon_name))
    b.setToolTip(tip)
    b.setAccessibleName(tip)
    b.setAutoRaise(True)
    b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return b


class KeyField(QLineEdit):
    """A search field that hands Enter, Shift+Enter, Esc and the arrows to its owner."""

    key = Signal(int, bool)  # the key, Shift held

    KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape, Qt.Key.Key_Down,
            Qt.Key.Key_Up)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in self.KEYS:
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.key.emit(int(event.key()), shift)
            return
        super().keyPressEvent(event)


# -- find in the open chat -----------------------------------------------------------------------

class FindBar(QFrame):
    """Ctrl+F over the transcript.

    Signals:
        closed(): the bar was closed (Esc or its button); focus went back to the transcript.
    """

    closed = Signal()

    def __init__(self, tools: ChatTools, conversations: ConversationController,
                 view: ChatView) -> None:
        super().__init__(view)
        self.tools, self.conversations, self.view = tools, conversations, view
        self.setObjectName("findBar")
        self.setAccessibleName(self.tr("Find in chat"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.field = KeyField(self)
        self.field.setObjectName("findField")
        self.field.setAccessibleName(self.tr("Find in chat"))
        self.field.setPlaceholderText(self.tr("Find in chat"))
        self.field.setClearButtonEnabled(True)
        self.field.setMaxLength(256)
        self.count = plain.label("", self)
        self.count.setObjectName("findCount")
        self.count.setAccessibleName(self.tr("Matches"))
        self.prev_button = tool_button(self, "findPrevious", "chevron-up",
                                       self.tr("Previous match (Shift+Enter)"))
        self.next_button = tool_button(self, "findNext", "chevron-down",
                                       self.tr("Next match (Enter)"))
        self.close_button = tool_button(self, "findClose", "x", self.tr("Close (Esc)"))
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.setSpacing(4)
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        for b in (self.prev_button, self.next_button, self.close_button):
            row.addWidget(b)
        self.matches: list[SearchHit] = []
        self.other_branches = 0
        self.index = -1
        self._terms: list[str] = []
        self._shown: int | None = None  # the message whose words are marked
        self._truncated = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)
        self.field.textChanged.connect(self._typed)
        self.field.key.connect(self._key)
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.close_bar)
        tools.search_results.connect(self._results)
        conversations.conversation_opened.connect(self._chat_opened)
        view.installEventFilter(self)
        self._update_count()
        self.hide()

    # -- opening and closing --------------------------------------------------------------------

    def open_bar(self) -> None:
        self.show()
        self._place()
        self.raise_()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text().strip() and not self.matches:
            self._run()

    @Slot()
    def close_bar(self) -> None:
        self._timer.stop()
        self.tools.cancel_search("find")
        clear_highlights(self.view, self._shown)
        self._shown = None
        self.hide()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: while a window is torn down, Python may clear this object's attributes
        # before Qt stops calling its filter.
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "view", None) \
                and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        vp = self.view.viewport().geometry()
        width = max(240, min(460, vp.width() - 24))
        self.resize(width, self.sizeHint().height())
        self.move(vp.right() - width - 12, vp.top() + 8)

    # -- searching ------------------------------------------------------------------------------

    @Slot(str)
    def _typed(self, _text: str) -> None:
        self._timer.start()

    @Slot()
    def _run(self) -> None:
        self._timer.stop()
        query = self.field.text()
        cid = self.conversations.current
        if not query.strip() or cid is None:
            self.tools.cancel_search("find")
            self._set_matches([], 0, False)
            return
        self.tools.search("find", query, cid, FIND_LIMIT)

    @Slot(int, list)
    def _chat_opened(self, _cid: int, _messages: list[object]) -> None:
        self._shown = None
        if self.isVisible() and self.field.text().strip():
            self._run()
        else:
            self._set_matches([], 0, False)

    @Slot(object)
    def _results(self, res: SearchResults) -> None:
        if res.channel != "find" or res.conversation_id != self.conversations.current:
            return
        if res.error:
            self.count.setText(self.tr("Search failed"))
            self.count.setToolTip(plain.tooltip(res.error))
            return
        shown = sorted((h for h in res.hits if h.on_active_path), key=lambda h: h.message_id)
        self._set_matches(shown, len(res.hits) - len(shown), res.truncated)

    def _set_matches(self, matches: list[SearchHit], others: int, truncated: bool) -> None:
        clear_highlights(self.view, self._shown)
        self._shown = None
        self.matches, self.other_branches, self._truncated = matches, others, truncated
        self._terms = hit_terms(matches)
        self.index = len(matches) - 1  # the newest first: the reader is at the end
        if matches:
            self._go(self.index)
        self._update_count()

    def _update_count(self) -> None:
        n = len(self.matches)
        more = "+" if self._truncated else ""
        if not self.field.text().strip():
            text = ""
        elif n:
            text = self.tr("{i} of {n}").format(i=self.index + 1, n=f"{n}{more}")
        else:
            text = self.tr("No matches")
        if self.other_branches:
            text += self.tr(" · {n} on other branches").format(n=self.other_branches)
        self.count.setText(text)
        self.count.setToolTip(self.tr("Search all chats (Ctrl+Shift+F) lists the matches on "
                                      "other branches") if self.other_branches else "")
        self.prev_button.setEnabled(n > 1)
        self.next_button.setEnabled(n > 1)

    # -- moving between matches -----------------------------------------------------------------

    @Slot()
    def next(self) -> None:
        if self.matches:
            self._go((self.index + 1) % len(self.matches))

    @Slot()
    def previous(self) -> None:
        if self.matches:
            self._go((self.index - 1) % len(self.matches))

    def _go(self, index: int) -> None:
        self.index = index
        clear_highlights(self.view, self._shown)
        hit = self.matches[index]
        self._shown = hit.message_id if show_hit(self.view, hit.message_id, self._terms) \
            else None
        self._update_count()

    @Slot(int, bool)
    def _key(self, key: int, shift: bool) -> None:
        if key == Qt.Key.Key_Escape:
            self.close_bar()
            return
        if self._timer.isActive():  # Enter right after typing: search now
            self._run()
            return
        if key == Qt.Key.Key_Up or (key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and shift):
            self.previous()
        else:
            self.next()
