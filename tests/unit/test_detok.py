from desktopchat.engine.detok import IncrementalDetokenizer, StopStringFilter


def test_multibyte_characters_split_across_tokens():
    text = "héllo 🦙 世界"
    data = text.encode("utf-8")
    d = IncrementalDetokenizer()
    out = []
    for i in range(len(data)):  # one byte per "token": every character is split
        piece = d.feed(data[i : i + 1])
        assert "\ufffd" not in piece
        out.append(piece)
    out.append(d.flush())
    assert "".join(out) == text


def test_emoji_split_in_three_pieces_emits_nothing_until_complete():
    d = IncrementalDetokenizer()
    b = "🦙".encode()
    assert d.feed(b[:1]) == ""
    assert d.feed(b[1:3]) == ""
    assert d.feed(b[3:]) == "🦙"


def test_truncated_character_at_end_becomes_replacement():
    d = IncrementalDetokenizer()
    assert d.feed(b"a" + "é".encode()[:1]) == "a"
    assert d.flush() == "\ufffd"


def test_stop_string_across_batches_is_cut_and_never_shown():
    f = StopStringFilter(["<|im_end|>"])
    shown = []
    hit = False
    for chunk in ["Hello", " wor", "ld<|im", "_e", "nd|>ignored"]:
        text, hit = f.feed(chunk)
        shown.append(text)
        if hit:
            break
    assert hit
    assert "".join(shown) == "Hello world"


def test_partial_stop_prefix_released_when_it_diverges():
    f = StopStringFilter(["<|im_end|>"])
    a, _ = f.feed("a <|i")
    assert a == "a "
    b, hit = f.feed("x")
    assert not hit and b == "<|ix"
    assert f.flush() == ""


def test_no_stops_passes_through():
    f = StopStringFilter([])
    assert f.feed("abc") == ("abc", False)
