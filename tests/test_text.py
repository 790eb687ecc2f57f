"""Decoding and defensive parsing of text members (voicearchive.archive.text)."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicearchive.archive.text import TextError, decode_text, load_json, read_csv, unique_names

SAMPLE = "Zeit;Äußerung\n2018-08-01T09:00:00Z;alexa, wie spät ist es? – 5 €\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("cp1252"), "cp1252"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by its NUL pattern
    ],
)
def test_decode_text_recovers_every_supported_encoding(data: bytes, encoding: str) -> None:
    text, found = decode_text(data)
    assert text == SAMPLE
    assert found == encoding


def test_decode_text_never_fails_on_arbitrary_bytes() -> None:
    text, encoding = decode_text(bytes(range(128, 256)))
    assert len(text) == 128
    assert encoding in ("cp1252", "latin-1")


def test_decode_text_reports_a_bom_that_lies() -> None:
    with pytest.raises(TextError, match="byte-order mark"):
        decode_text(codecs.BOM_UTF8 + b"\xff\xfe\xfa")


def test_load_json_handles_bom_and_google_escapes() -> None:
    data = codecs.BOM_UTF8 + b'[{"title": "Said it\\u0027s \\u003d \\u0026"}]'
    assert load_json(data) == [{"title": "Said it's = &"}]


def test_load_json_cp1252() -> None:
    assert load_json('{"t": "Gerät"}'.encode("cp1252")) == {"t": "Gerät"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'[{"title": "Said hi",\n  "time": }]', r"broken JSON at line 2, column 11"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"[" * 100_000, "(nested too deeply|broken JSON)"),
    ],
)
def test_load_json_gives_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(TextError, match=message):
        load_json(data)


def test_read_csv_semicolon_cp1252_and_ragged_rows() -> None:
    data = "Zeit;Text;Gerät\n2018;Grüße;Küche;extra\n2019;kurz\n".encode("cp1252")
    table = read_csv(data)
    assert table.header == ["Zeit", "Text", "Gerät"]
    assert table.delimiter == ";"
    assert table.encoding == "cp1252"
    assert table.rows == [["2018", "Grüße", "Küche;extra"], ["2019", "kurz", ""]]  # extra cells: the last column
    assert table.records()[0]["Gerät"] == "Küche;extra"


def test_read_csv_bom_quotes_and_multiline_cells() -> None:
    data = (
        codecs.BOM_UTF8
        + b'Timestamp,Transcript\r\n2025-06-18T01:50:18Z,"alexa, say ""hi""\r\nthere"\r\n\r\n'
        + b"2025-06-18T01:51:00Z,alexa stop\r\n"
    )
    table = read_csv(data)
    assert table.header == ["Timestamp", "Transcript"]
    assert table.rows == [["2025-06-18T01:50:18Z", 'alexa, say "hi"\r\nthere'], ["2025-06-18T01:51:00Z", "alexa stop"]]
    assert table.row_numbers == [2, 4]  # as a spreadsheet numbers them: the blank line is row 3


def test_read_csv_tab_delimited_utf16() -> None:
    data = codecs.BOM_UTF16_LE + "a\tb\n1\t2\n".encode("utf-16-le")
    table = read_csv(data)
    assert (table.delimiter, table.header, table.rows) == ("\t", ["a", "b"], [["1", "2"]])


@pytest.mark.parametrize(("data", "message"), [(b"", "empty"), (b"a,b\x00\x00,c\n", "NUL"), (b"\n\n", "empty")])
def test_read_csv_rejects_what_is_not_a_table(data: bytes, message: str) -> None:
    with pytest.raises(TextError, match=message):
        read_csv(data)


def test_unique_names() -> None:
    assert unique_names(["a", "", "a", " b "]) == ["a", "#2", "a#3", "b"]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_data_or_a_text_error(data: bytes) -> None:
    for parse in (load_json, read_csv):
        try:
            parse(data)
        except TextError as exc:
            assert str(exc)
