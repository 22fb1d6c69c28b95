"""One reply being streamed into the view.

Text and reasoning batches are collected until the view flushes; then the block splitter says
which markdown blocks are finished. Finished blocks are rendered once and appended, the open
code fence grows in its code block, and the unfinished rest is shown as plain text until its
block finishes: each flush costs what arrived, never what was shown before.
"""

from __future__ import annotations

from desktopchat.ui.markdown import BlockSplitter, split_segments
from desktopchat.ui.message_row import MessageRow
from desktopchat.ui.transcript import Entry, clean_text


class ReplyStream:
    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.splitter = BlockSplitter()
        self.rendered_to = 0  # source[:rendered_to] is shown rendered
        self.pending: list[str] = []
        self.pending_reasoning: list[str] = []
        self._held = ""  # a trailing "\r" whose "\n" may come with the next batch

    @property
    def has_pending(self) -> bool:
        return bool(self.pending or self.pending_reasoning)

    def take(self, row: MessageRow) -> None:
        """Show what arrived since the last flush."""
        if self.pending_reasoning:
            more = clean_text("".join(self.pending_reasoning))
            self.pending_reasoning.clear()
            self.entry.extras.reasoning = (self.entry.extras.reasoning or "") + more
            row.update_extras()
        if self.pending:
            text = self._held + "".join(self.pending)
            self.pending.clear()
            self._held = ""
            if text.endswith("\r"):
                text, self._held = text[:-1], "\r"
            self.splitter.feed(clean_text(text))
            self.entry.content = self.splitter.source
            self.sync(row)

    def sync(self, row: MessageRow) -> None:
        sp = self.splitter
        src = sp.source
        if sp.boundary > self.rendered_to:
            row.body.commit(split_segments(src[self.rendered_to:sp.boundary]))
            self.rendered_to = sp.boundary
        if sp.in_fence:
            row.body.stream_code(src[sp.fence_content_start:], sp.fence_lang)
        else:
            row.body.stream_tail(src[sp.boundary:])

    def rebuild(self, row: MessageRow) -> None:
        """A fresh row for this reply (after a theme change): show everything so far."""
        row.body.set_segments([])
        self.rendered_to = 0
        self.sync(row)

    def finish(self, row: MessageRow) -> None:
        """The reply ended: render the unfinished rest (an open fence is closed)."""
        if self._held:
            self.splitter.feed("\n")
            self._held = ""
        src = self.splitter.source
        row.body.finish_stream(split_segments(src[self.rendered_to:]))
        self.rendered_to = len(src)
        self.entry.set_content(src)
