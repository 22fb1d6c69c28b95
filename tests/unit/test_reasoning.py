"""The streaming reasoning splitter, fed scripted token streams: markers split anywhere, unclosed
blocks, text before the block, markers inside code, prompts that open the block, other formats.
Every split of a fixed text must give the same segments as feeding it whole."""

from __future__ import annotations

import random

import pytest

from desktopchat.chat.reasoning import (
    HARMONY,
    SEED,
    THINK,
    THOUGHT,
    Kind,
    ReasoningFormat,
    ReasoningParser,
    Segment,
    split_reasoning,
)

R, A = Kind.REASONING, Kind.ANSWER


def _merged(segments: list[Segment]) -> list[tuple[Kind, str]]:
    out: list[tuple[Kind, str]] = []
    for s in segments:
        assert s.text, "no empty segments"
        if out and out[-1][0] is s.kind:
            out[-1] = (s.kind, out[-1][1] + s.text)
        else:
            out.append((s.kind, s.text))
    return out


def _stream(pieces: list[str], fmt: ReasoningFormat | None = None):
    p = ReasoningParser(fmt)
    segs: list[Segment] = []
    for piece in pieces:
        segs += p.feed(piece)
    segs += p.finish()
    return _merged(segs), p.result()


def _splits(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def test_a_block_then_the_answer():
    segs, res = _stream(["<think>\nLet me see.\n</think>\n\nParis."])
    assert segs == [(R, "Let me see."), (A, "Paris.")]
    assert (res.reasoning, res.answer, res.unfinished) == ("Let me see.", "Paris.", False)


def test_markers_split_across_tokens():
    segs, res = _stream(["<", "th", "ink", ">", "hm", "m</", "thi", "nk>", "\n\n", "Yes"])
    assert segs == [(R, "hmm"), (A, "Yes")]
    assert res.answer == "Yes"


def test_reasoning_streams_before_the_close_marker_arrives():
    p = ReasoningParser()
    assert p.feed("<think>first ") == [Segment(R, "first")]
    assert p.in_reasoning
    assert p.feed("thought</th") == [Segment(R, " thought")]
    assert p.feed("ink>Answer") == [Segment(A, "Answer")]
    assert not p.in_reasoning


def test_an_unclosed_block_is_all_reasoning_and_flagged():
    segs, res = _stream(["<think>\nStill thinking about", " it </thi"])
    assert segs == [(R, "Still thinking about it </thi")]
    assert res.unfinished and res.answer == "" and res.reasoning.endswith("</thi")


def test_text_before_the_block_stays_in_the_answer():
    segs, res = _stream(["Sure!\n<think>\nplan\n</think>\nHere it is."])
    assert segs == [(A, "Sure!\n"), (R, "plan"), (A, "Here it is.")]
    assert res.answer == "Sure!\nHere it is." and res.reasoning == "plan"


def test_an_open_marker_mid_line_is_answer_text():
    segs, _ = _stream(["Use the <think> tag, or `<think>` inline."])
    assert segs == [(A, "Use the <think> tag, or `<think>` inline.")]


def test_markers_inside_a_fenced_code_block_stay_answer_text():
    text = "Example:\n\n```html\n<think>\nnot reasoning\n</think>\n```\nDone."
    for step in (1, 2, 3, 7, len(text)):
        segs, res = _stream([text[i:i + step] for i in range(0, len(text), step)])
        assert segs == [(A, text)], step
        assert res.reasoning == ""


def test_a_tilde_fence_and_a_longer_closing_fence():
    text = "~~~~\n<think>\n~~~\nstill code\n~~~~~\n<think>now</think>after"
    segs, _ = _stream([text])
    assert segs == [(A, "~~~~\n<think>\n~~~\nstill code\n~~~~~\n"), (R, "now"), (A, "after")]


def test_a_prompt_that_opened_the_block_starts_mid_thought():
    fmt = THINK.started()
    segs, res = _stream(["Okay, the user", " asks.\n</think>\n\n", "Hello!"], fmt)
    assert segs == [(R, "Okay, the user asks."), (A, "Hello!")]
    assert not res.unfinished


def test_a_model_that_reopens_the_block_the_prompt_opened():
    for pieces in (["<think>\nhm</think>ok"], ["\n<th", "ink>", "hm</think>ok"]):
        segs, res = _stream(pieces, THINK.started())
        assert segs == [(R, "hm"), (A, "ok")] and res.reasoning == "hm"


def test_windows_line_endings():
    text = "```\r\n<think>\r\n```\r\n<think>\r\nreal\r\n</think>\r\n\r\nanswer"
    _, res = _stream([text])
    assert (res.reasoning, res.answer) == ("real", "```\r\n<think>\r\n```\r\nanswer")
    assert _stream(list(text)) == _stream([text])


def test_a_lone_close_marker_moves_the_text_before_it_into_the_reasoning():
    segs, res = _stream(["Thinking quietly.\n", "</think>\n\nThe answer."])
    assert segs == [(A, "Thinking quietly.\nThe answer.")]  # streamed, marker removed
    assert (res.reasoning, res.answer) == ("Thinking quietly.", "The answer.")


def test_a_close_marker_in_inline_code_is_not_a_lone_close():
    segs, res = _stream(["Close it with `</think>` please."])
    assert segs == [(A, "Close it with `</think>` please.")]
    assert res.reasoning == ""


def test_indent_before_an_open_marker_is_dropped_whatever_the_split():
    for pieces in (["  <think>x</think>y"], [" ", " ", "<th", "ink>x</think>y"]):
        segs, _ = _stream(pieces)
        assert segs == [(R, "x"), (A, "y")]


def test_an_indented_answer_keeps_its_indent():
    segs, res = _stream(["\n\n    code line\n    more"])
    assert segs == [(A, "    code line\n    more")]
    assert res.answer == "    code line\n    more"


def test_two_blocks_keep_apart():
    _, res = _stream(["<think>one</think>mid\n<think>two</think>end"])
    assert res.reasoning == "one\n\ntwo" and res.answer == "mid\nend"


def test_plain_replies_pass_through_unchanged():
    text = "Hello! Here is < and > and </b> and a <thinking> word."
    segs, res = _stream([text])
    assert segs == [(A, text)] and res.answer == text


@pytest.mark.parametrize("fmt, text, reasoning, answer", [
    (SEED, "<seed:think>budget</seed:think>Answer", "budget", "Answer"),
    (THOUGHT, "<|begin_of_thought|>\nsteps\n<|end_of_thought|>\n\n<|begin_of_solution|>\n42\n"
              "<|end_of_solution|>", "steps", "\n42\n"),
    (HARMONY, "<|channel|>analysis<|message|>User asks.<|end|><|start|>assistant<|channel|>"
              "final<|message|>Hi there.", "User asks.", "Hi there."),
])
def test_other_formats(fmt, text, reasoning, answer):
    for step in (1, 3, len(text)):
        _, res = _stream([text[i:i + step] for i in range(0, len(text), step)], fmt)
        assert (res.reasoning, res.answer) == (reasoning, answer), step


def test_seed_budget_prompt_starts_in_reasoning():
    _, res = _stream(["<seed:cot_budget_reflect>0 left</seed:cot_budget_reflect>",
                      "</seed:think>Direct."], SEED.started())
    assert res.answer == "Direct." and "0 left" in res.reasoning


def test_feed_after_finish_is_refused_and_finish_twice_is_empty():
    p = ReasoningParser()
    assert p.feed("<th") == []  # may become a marker
    assert p.finish() == [Segment(A, "<th")]
    assert p.finish() == []
    with pytest.raises(RuntimeError):
        p.feed("y")


def test_split_reasoning_is_the_parser_in_one_go():
    assert split_reasoning("<think>a</think>b").answer == "b"
    assert split_reasoning("a</think>b", THINK.started()).reasoning == "a"


FIXED = [
    "<think>\n<think>nested open</think>x",
    "<think>\nThe user wants code.\n</think>\n\nSure:\n```py\nprint('<think>')\n```\nDone.",
    "Intro line\n  <think>\n  indented thought </think>\n\n\nFinal `</think>` kept.",
    "```\n<think>\n```\n<think>real</think>\nafter",
    "no reasoning at all, just < and </ and <th",
    "<think>unclosed because stopped </thi",
    "lone close\n</think>\n\nanswer after",
]


@pytest.mark.parametrize("text", FIXED)
def test_every_split_point_gives_the_same_segments(text):
    whole = _stream([text])
    for cut in range(1, len(text)):
        assert _stream(_splits(text, [cut])) == whole, cut
    assert _stream(list(text)) == whole


@pytest.mark.parametrize("fmt", [THINK.started(), SEED, HARMONY])
def test_random_multi_splits_agree(fmt):
    rng = random.Random(1234)
    texts = [*FIXED, "a</seed:think>b<|end|><|start|>assistant<|channel|>final<|message|>c",
             "<|channel|>analysis<|message|>x<|end|>y", "<seed:think>t</seed:think>\n\nu"]
    for text in texts:
        whole = _stream([text], fmt)
        for _ in range(40):
            cuts = rng.sample(range(1, len(text)), k=min(len(text) - 1, rng.randint(1, 8)))
            assert _stream(_splits(text, cuts), fmt) == whole, (text, cuts)


def test_each_token_comes_out_at_once():
    """A long reply fed a token at a time: every feed returns that token's text (a space is held
    only until the next word), so nothing before it is scanned again."""
    p = ReasoningParser()
    assert p.feed("<think>") == []
    assert p.feed("word ") == [Segment(R, "word")]
    for _ in range(3000):
        assert p.feed("word ") == [Segment(R, " word")]
    assert p.feed("</think>") == []
    assert p.feed("answer ") == [Segment(A, "answer ")]
    for _ in range(3000):
        assert p.feed("answer ") == [Segment(A, "answer ")]
    p.finish()
    assert p.result().answer.count("answer") == 3001


ALPHABET = ["<think>", "</think>", "<th", "</", "ink>", "```", "~~~", "`", "\n", "\r\n", " ",
            "  ", "\t", "word", "x", "<", ">", "<|end|>", "<seed:think>", "</seed:think>",
            "<|channel|>analysis<|message|>", "<|channel|>final<|message|>", "é", "🙂"]


@pytest.mark.parametrize("fmt", [None, THINK.started(), SEED, HARMONY, THOUGHT])
def test_random_texts_split_anywhere_agree(fmt):
    """Texts made of markers, fences, blanks and words, in random order: feeding them in
    random pieces (and a character at a time) always gives what feeding them whole gives."""
    rng = random.Random(99)
    for _ in range(250):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30)))
        whole = _stream([text], fmt)
        assert _stream(list(text), fmt) == whole, repr(text)
        if len(text) > 1:
            for _ in range(4):
                cuts = rng.sample(range(1, len(text)), k=min(len(text) - 1, rng.randint(1, 6)))
                assert _stream(_splits(text, cuts), fmt) == whole, (repr(text), cuts)
