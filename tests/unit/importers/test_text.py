"""Shared decoding: encodings, delimiters, numbers, dates, timestamps and safe XML."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.ingest.formats.records import ImportRejected
from services.ingest.formats.text import (
    BadValue,
    Content,
    NotStreamable,
    OnDisk,
    decode_text,
    first_line,
    line_blocks,
    load_xml,
    parse_date,
    parse_decimal,
    parse_timestamp,
    read_csv,
    sniff_delimiter,
    text_blocks,
    to_wh,
    xml_pieces,
)


def test_utf8_with_bom_utf8_without_bom_and_windows_1251_decode_to_the_same_text() -> None:
    text = 'адрес;счётчик'
    assert decode_text('f', b'\xef\xbb\xbf' + text.encode()) == text
    assert decode_text('f', text.encode()) == text
    assert decode_text('f', text.encode('cp1251')) == text


def test_a_byte_that_is_neither_utf8_nor_windows_1251_is_rejected() -> None:
    with pytest.raises(ImportRejected, match=r'^f: the text is neither UTF-8 nor windows-1251$'):
        decode_text('f', b'\x98abc')


def test_semicolon_wins_when_the_header_has_one_and_comma_is_the_fallback() -> None:
    assert sniff_delimiter('meter;obis;start') == ';'
    assert sniff_delimiter('meter,obis,start') == ','


def test_csv_rows_carry_their_physical_line_numbers_with_the_header_as_line_1() -> None:
    table = read_csv('f', b'A;B\n1;2\n\n3;4\n', required=('a',))
    assert [(row.line, row.get('a'), row.get('b')) for row in table.rows] == [(2, '1', '2'), (4, '3', '4')]


def test_a_missing_required_column_is_named_on_line_1() -> None:
    with pytest.raises(ImportRejected, match=r'^f: line 1: missing required column\(s\): b$'):
        read_csv('f', b'a;c\n1;2\n', required=('a', 'b'))


def test_an_unquoted_decimal_comma_in_a_comma_separated_row_is_rejected_with_a_hint() -> None:
    with pytest.raises(ImportRejected, match=r'^f: line 2: 3 fields but the header has 2 \(is a decimal comma'):
        read_csv('f', b'a,b\nx,1,5\n', required=('a',))


def test_a_quoted_decimal_comma_in_a_comma_separated_file_is_one_field() -> None:
    table = read_csv('f', b'a,b\nx,"1,5"\n', required=('a',))
    assert parse_decimal(table.rows[0].get('b')) == Decimal('1.5')


@pytest.mark.parametrize(
    ('text', 'expected'), [('1.5', '1.5'), ('1,5', '1.5'), (' 1 234,5 ', '1234.5'), ('-0.2', '-0.2')]
)
def test_decimals_accept_point_comma_and_grouping_spaces(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize('text', ['', 'abc', '1.234,5', '1..2'])
def test_text_that_is_not_a_number_is_a_bad_value(text: str) -> None:
    with pytest.raises(BadValue):
        parse_decimal(text)


def test_kwh_become_whole_wh_rounded_half_up_without_float_error() -> None:
    assert to_wh(Decimal('0.0005'), 3) == 1  # 0.5 Wh rounds up
    assert to_wh(Decimal('0.0004999'), 3) == 0  # 0.4999 Wh rounds down
    assert to_wh(Decimal('1.0045'), 3) == 1005  # 1004.5 Wh rounds up (float 1.0045 * 1000 = 1004.4999...)
    assert to_wh(Decimal('57751'), 0) == 57751


def test_dates_are_iso_or_russian_day_first() -> None:
    assert parse_date('2026-03-01') == date(2026, 3, 1)
    assert parse_date('01.03.2026') == date(2026, 3, 1)
    with pytest.raises(BadValue, match='does not exist'):
        parse_date('31.02.2026')
    with pytest.raises(BadValue, match='is not a date'):
        parse_date('03/01/2026')


def test_timestamps_with_an_offset_become_utc_and_without_one_are_refused() -> None:
    assert parse_timestamp('2026-03-01T00:30:00+03:00') == datetime(2026, 2, 28, 21, 30, tzinfo=UTC)
    assert parse_timestamp('2026-03-01T00:30:00Z') == datetime(2026, 3, 1, 0, 30, tzinfo=UTC)
    with pytest.raises(BadValue, match='has no UTC offset'):
        parse_timestamp('2026-03-01T00:30:00')


def test_xml_with_an_entity_declaration_is_refused_before_parsing() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>'
    with pytest.raises(ImportRejected, match=r'^f: XML with a DOCTYPE or ENTITY declaration is refused'):
        load_xml('f', bomb)


def test_xml_without_a_declaration_may_be_windows_1251() -> None:
    assert load_xml('f', '<a>Счётчик</a>'.encode('cp1251')).text == 'Счётчик'


def test_broken_xml_is_rejected_with_its_line() -> None:
    with pytest.raises(ImportRejected, match=r'^f: line 2: not well-formed XML'):
        load_xml('f', b'<a>\n<b></a>')


LINE_BREAKS = ['\n', '\r\n', '\r', '\x0b', '\x0c', '\x1c', '\x85', '\u2028']


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.one_of(st.sampled_from(['а;б', 'x;y', '', ' ', '"q"', 'ё']), st.sampled_from(LINE_BREAKS))),
    encoding=st.sampled_from(['utf-8', 'utf-8-sig', 'cp1251', 'broken']),
    block=st.integers(1, 12),
)
def test_text_blocks_are_the_decoded_text_cut_after_line_feeds_into_the_same_lines(
    pieces: list[str], encoding: str, block: int
) -> None:
    text = ''.join(pieces)
    data = b'\x98' + text.encode() if encoding == 'broken' else text.encode(encoding, 'replace')
    whole = same_text_or_refusal(data, data, block)
    if whole is not None:
        assert [line for lines in line_blocks(whole, block=block) for line in lines] == whole.splitlines()


def same_text_or_refusal(data: bytes, source: Content, block: int) -> str | None:
    """The text blocks of `source` join into the decoded `data`, cut after line feeds into the same lines; or
    they refuse it with the words the whole decoding uses (then None)."""
    try:
        whole = decode_text('f', data)
    except ImportRejected as rejected:
        with pytest.raises(ImportRejected) as raised:
            text_blocks('f', source, block=block)
        assert str(raised.value) == str(rejected)
        return None
    blocks = list(text_blocks('f', source, block=block))
    assert ''.join(blocks) == whole
    assert all(part.endswith('\n') for part in blocks[:-1])
    assert [line for part in blocks for line in part.splitlines()] == whole.splitlines()
    assert first_line(blocks) == first_line(whole)
    return whole


def on_disk(folder: Path, data: bytes, block: int) -> OnDisk:
    """`data` as a file on disk read `block` bytes at a time."""
    (folder / 'f').write_bytes(data)
    return OnDisk(folder / 'f', block=block)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pieces=st.lists(
        st.one_of(st.sampled_from(['а;б', 'x;y', '', ' ', '"q"', 'ё', '\x00']), st.sampled_from(LINE_BREAKS))
    ),
    encoding=st.sampled_from(['utf-8', 'utf-8-sig', 'cp1251', 'broken']),
    block=st.integers(1, 12),
    read=st.integers(1, 9),
)
def test_text_blocks_read_from_disk_in_any_pieces_are_the_same_text_and_lines_or_the_same_refusal(
    tmp_path: Path, pieces: list[str], encoding: str, block: int, read: int
) -> None:
    text = ''.join(pieces)
    data = b'\x98' + text.encode() if encoding == 'broken' else text.encode(encoding, 'replace')
    source = on_disk(tmp_path, data, read)  # reads of 1 to 9 bytes cut lines and two-byte characters
    if '\x00' in text:  # the format detection of the whole file refuses it; from disk the text blocks do
        with pytest.raises(ImportRejected, match='NUL' if encoding != 'broken' else '.'):
            list(text_blocks('f', source, block=block))
        return
    same_text_or_refusal(data, source, block)


def pieces_text(pieces: list[bytes | str]) -> bytes:
    return b''.join(piece if isinstance(piece, bytes) else piece.encode('utf-8') for piece in pieces)


@pytest.mark.parametrize(
    ('document', 'declared'),
    [
        ('<?xml version="1.0" encoding="windows-1251"?><message class="80020"><name>Тверь</name></message>', True),
        ('<?xml version="1.0" encoding="UTF-8"?>\n<message><name>Тверь</name></message>', True),
        ('\ufeff<message>\n<name>Тверь</name>\n</message>\n', False),
        ('<message>\n<name>Тверь</name>\n</message>\n', False),
    ],
)
@pytest.mark.parametrize('read', [1, 2, 3, 7, 64, 1 << 20])
def test_xml_pieces_from_disk_are_the_pieces_of_the_bytes(
    tmp_path: Path, document: str, declared: bool, read: int
) -> None:
    encoding = 'cp1251' if 'windows-1251' in document else 'utf-8'
    for data in (document.encode(encoding), document.encode('cp1251', 'replace')):
        if 'UTF-8' in document and encoding != 'utf-8':
            continue
        try:
            expected = pieces_text(list(xml_pieces('m.xml', data)))
        except ImportRejected as rejected:
            with pytest.raises(ImportRejected) as raised:
                list(xml_pieces('m.xml', on_disk(tmp_path, data, read)))
            assert str(raised.value) == str(rejected)
            continue
        assert pieces_text(list(xml_pieces('m.xml', on_disk(tmp_path, data, read)))) == expected
    assert declared == document.startswith('<?xml')


@pytest.mark.parametrize('read', [1, 2, 3, 4, 5, 9, 11, 1 << 20])
@pytest.mark.parametrize(
    'declaration', ['<!DOCTYPE m [<!ENTITY a "b">]>', '<!   doctype m>', '<!\n\tENTITY a "b">', '<!ENTITY a "b">']
)
def test_a_declaration_cut_by_any_read_of_a_file_on_disk_is_refused(
    tmp_path: Path, read: int, declaration: str
) -> None:
    data = f'<?xml version="1.0"?>\n{declaration}<message class="80020"/>'.encode()
    with pytest.raises(ImportRejected, match='DOCTYPE'):
        list(xml_pieces('m.xml', on_disk(tmp_path, data, read)))
    with pytest.raises(ImportRejected, match='DOCTYPE'):
        list(xml_pieces('m.xml', data))


@pytest.mark.parametrize('read', [1, 3, 1 << 20])
def test_xml_from_disk_with_a_nul_byte_anywhere_is_refused(tmp_path: Path, read: int) -> None:
    data = b'<message class="80020">' + b' ' * 100 + b'\x00</message>'
    with pytest.raises(ImportRejected, match='NUL'):
        list(xml_pieces('m.xml', on_disk(tmp_path, data, read)))


def test_xml_on_disk_whose_opening_has_no_tag_end_is_left_to_the_whole_document_reader(tmp_path: Path) -> None:
    data = b'<message class="80020" note="' + b'x' * (1 << 17) + b'"/>'
    with pytest.raises(NotStreamable):
        list(xml_pieces('m.xml', on_disk(tmp_path, data, 1 << 20)))
    assert pieces_text(list(xml_pieces('m.xml', data))) == data  # the bytes are whole: nothing to settle
