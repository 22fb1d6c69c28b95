"""How the chat history's failures reach the user: one exception type and one sentence each."""

from __future__ import annotations

import sqlite3

__all__ = ["StoreError", "unreadable", "write_failure_sentence"]


class StoreError(Exception):
    """A history problem the user must be told about, in one sentence."""


def write_failure_sentence(exc: sqlite3.Error) -> str:
    """The real reason a write failed, as one sentence the user can act on."""
    text = str(exc).lower()
    if "full" in text:
        return "The disk is full, so this was not saved; free some space and try again."
    if "readonly" in text or "read-only" in text:
        return ("The chat history is read-only (the file or its folder cannot be written), so "
                "nothing new can be saved.")
    if "locked" in text or "busy" in text:
        return "The chat history is locked by another program; try again in a moment."
    if "malformed" in text or "corrupt" in text or "not a database" in text:
        return ("The chat history file is damaged; restart desktopchat to recover what it holds "
                "(the damaged file is kept).")
    return f"The chat history could not be written ({exc})."


def unreadable(exc: sqlite3.DatabaseError) -> bool:
    """The file is not a database or its pages are damaged (so it is recovered, not opened)."""
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text
