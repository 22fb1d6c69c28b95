"""Histories for the Chat menu's tests: written with the real store before the app opens it."""

from __future__ import annotations

from dataclasses import dataclass

from desktopchat.chat.store import ChatStore
from desktopchat.paths import AppPaths


@dataclass(frozen=True)
class Seeded:
    fruit: int  # a chat whose first reply was regenerated: two branches
    other: int  # a second chat
    fruit_user: int
    fruit_first: int  # "Apples are red..." (not on the active path)
    fruit_second: int  # "Apples grow on trees..." (the active reply)
    other_reply: int


def seed(paths: AppPaths, filler: int = 0) -> Seeded:
    """Two chats; the fruit chat has a regenerated reply, so one reply is on another branch.
    ``filler`` exchanges pad the other chat (so scrolling to a match means something)."""
    store = ChatStore(paths.db_path)
    try:
        fruit = store.create_conversation("Fruit <b>&amp; trees</b>")
        user = store.add_message(fruit.id, "user", "Tell me about apples and pears")
        first = store.add_message(fruit.id, "assistant",
                                  "Apples are red fruit. Orchard apples keep well.")
        second = store.add_message(fruit.id, "assistant",
                                   "Apples grow on trees, and so do pears.", parent_id=user.id)
        other = store.create_conversation("Space")
        store.add_message(other.id, "user", "How far is the moon?")
        reply = store.add_message(other.id, "assistant", "About 384,400 km; apples do not "
                                  "grow there.")
        for i in range(filler):
            store.add_message(other.id, "user", f"Question {i} about comets and rockets")
            store.add_message(other.id, "assistant", f"Answer {i}: comets are icy.\n\n" * 4)
        return Seeded(fruit.id, other.id, user.id, first.id, second.id, reply.id)
    finally:
        store.close()
