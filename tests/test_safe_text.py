"""safe_text.display: the one rule for evidence text on screen (one line, or several with their breaks)."""

from __future__ import annotations

from voicearchive.safe_text import BIDI_CONTROLS, display, printable


def test_one_line_escapes_controls_bidi_breaks_and_undecodable_bytes():
    assert display("evil\u202ewav.exe") == "evil\\u202ewav.exe"
    assert display("a\nb\r\tc\x1b[2J\x07\x7f\x85") == "a\\nb\\r\\tc\\x1b[2J\\x07\\x7f\\x85"
    assert display("caf\udce9.wav") == "caf\\xe9.wav"  # a byte that was not UTF-8 (surrogateescape)
    assert display("\ud800x") == "\\ud800x"  # any other lone surrogate cannot even be encoded
    assert display("a\u2028b\u2029c") == "a\\u2028b\\u2029c"
    for ch in BIDI_CONTROLS:
        assert ch not in display(f"x{ch}y")
    assert display("Küche 🎤 مطبخ 東京") == "Küche 🎤 مطبخ 東京"  # every script and emoji as it is
    assert display(None) == "" and display(3) == "3"
    assert display("x\u202ey") == printable("x\u202ey")


def test_several_lines_keep_their_breaks_and_tabs_and_escape_the_rest():
    text = "first\u202e line\r\nsecond\tline\rthird\u2028fourth\u2029fifth\x00\x1b\u2066\udcff"
    assert display(text, multiline=True) == (
        "first\\u202e line\nsecond\tline\nthird\nfourth\nfifth\\x00\\x1b\\u2066\\xff")
    assert display("plain text\nok", multiline=True) == "plain text\nok"
    for ch in BIDI_CONTROLS:
        assert ch not in display(f"x{ch}y", multiline=True)
