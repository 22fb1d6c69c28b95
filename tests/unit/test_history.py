from desktopchat.chat.history import trim_history
from desktopchat.chat.types import ChatMessage


def _conv(n_turns: int, system: bool = True) -> list[ChatMessage]:
    msgs = [ChatMessage("system", "be brief")] if system else []
    for i in range(n_turns):
        msgs += [ChatMessage("user", f"q{i} " * 10), ChatMessage("assistant", f"a{i} " * 10)]
    msgs.append(ChatMessage("user", "last question"))
    return msgs


def _budget(chars: int):
    calls = []

    def fits(ms):
        calls.append(len(ms))
        return sum(len(m.content) for m in ms) <= chars

    return fits, calls


def test_everything_kept_when_it_fits():
    msgs = _conv(3)
    fits, _ = _budget(10_000)
    kept, dropped = trim_history(msgs, fits)
    assert kept == msgs and dropped == 0


def test_oldest_turns_dropped_system_prompt_kept():
    msgs = _conv(10)
    fits, calls = _budget(200)
    kept, dropped = trim_history(msgs, fits)
    assert kept[0] == ChatMessage("system", "be brief")
    assert kept[-1] == ChatMessage("user", "last question")
    assert sum(len(m.content) for m in kept) <= 200
    assert dropped == len(msgs) - len(kept) and dropped > 0
    # Whole turns only: after the system prompt a user message comes first.
    assert kept[1].role == "user"
    # The longest fitting suffix: adding the previous turn back would not fit.
    i = msgs.index(kept[1])
    assert sum(len(m.content) for m in [msgs[0]] + msgs[i - 2:]) > 200
    assert len(calls) <= 6  # binary search, not one call per turn


def test_last_turn_kept_even_if_too_long():
    msgs = [ChatMessage("system", "s"), ChatMessage("user", "x" * 500)]
    fits, _ = _budget(100)
    kept, dropped = trim_history(msgs, fits)
    assert kept == msgs and dropped == 0


def test_no_system_prompt():
    msgs = _conv(6, system=False)
    fits, _ = _budget(150)
    kept, dropped = trim_history(msgs, fits)
    assert kept[0].role == "user" and kept[-1].content == "last question" and dropped > 0
