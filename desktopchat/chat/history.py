"""Fitting a conversation into the model's context by dropping the oldest turns."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktopchat.chat.types import ChatMessage, Role


def _turn_starts(body: Sequence[ChatMessage]) -> list[int]:
    """Indexes where a turn (a user message and the replies after it) starts."""
    starts = [i for i, m in enumerate(body) if m.role == Role.USER.value]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return starts


def trim_history(
    messages: Sequence[ChatMessage], fits: Callable[[Sequence[ChatMessage]], bool]
) -> tuple[list[ChatMessage], int]:
    """Return the longest suffix of whole turns that ``fits``, plus how many messages were dropped.

    System messages at the start are always kept, and so is the last turn (the message being
    answered): if even that does not fit, the caller gets it back untrimmed of it and decides.
    ``fits`` is called O(log n) times (binary search), since it usually tokenizes the prompt.
    """
    msgs = list(messages)
    n_sys = 0
    while n_sys < len(msgs) and msgs[n_sys].role == Role.SYSTEM.value:
        n_sys += 1
    system, body = msgs[:n_sys], msgs[n_sys:]
    if fits(msgs) or not body:
        return msgs, 0
    starts = _turn_starts(body)
    # Candidate cut points: drop everything before starts[k]; the last turn is always kept.
    lo, hi = 1, len(starts) - 1
    best = len(starts) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(system + body[starts[mid]:]):
            best, hi = mid, mid - 1
        else:
            lo = mid + 1
    kept = system + body[starts[best]:] if starts else msgs
    return kept, len(msgs) - len(kept)
