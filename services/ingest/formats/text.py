"""Shared decoding for every importer: text encodings, CSV tables, numbers, dates, timestamps and safe XML."""

from __future__ import annotations

import codecs
import csv
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, cast

from services.core.messages import Reason
from services.ingest.formats.records import ImportRejected

# What a value error is about when it is not a column (`subject`).
VALUE = Reason('value')
DATE = Reason('date')
TIMESTAMP = Reason('timestamp')


class NotStreamable(Exception):
    """The file holds something the streaming path does not reproduce exactly: import it the materialising way.

    `rejection` is set when what the stream met is an error of the file (an unknown meter or measuring point, a
    value outside the time window), which the materialising pass names too, though perhaps after an earlier one.
    """

    def __init__(self, file: str, rejection: ImportRejected | None = None) -> None:
        super().__init__(file)
        self.rejection = rejection


class BadValue(Exception):
    """A cell or element value that cannot be read; the caller adds the file name and location."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return str(self.reason)


def subject(what: str | Reason) -> Reason:
    """What a value error is about: a column name, or a Reason that names it (`VALUE`, an XML attribute...)."""
    return what if isinstance(what, Reason) else Reason('column', name=what)


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # physical line where the row starts; the header is line 1
    fields: list[str]  # the raw cells
    index: dict[str, int]  # column name -> position, shared by every row of a table (rows are many)

    def get(self, column: str) -> str:
        """The stripped value of `column`, '' when the column or the cell is absent."""
        position = self.index.get(column)
        if position is None or position >= len(self.fields):
            return ''
        return self.fields[position].strip()

    @property
    def cells(self) -> dict[str, str]:
        return {name: self.get(name) for name in self.index}


@dataclass(frozen=True, slots=True)
class CsvTable:
    columns: tuple[str, ...]
    rows: list[CsvRow]


def decode_text(file: str, data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes, else windows-1251, the two encodings SPEC 6 allows."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode('utf-8')
        except UnicodeDecodeError as error:
            raise ImportRejected(file, Reason('bom_not_utf8', why=error.reason)) from None
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        pass
    # Any byte string is windows-1251 except for the one unassigned byte 0x98.
    try:
        return data.decode('cp1251')
    except UnicodeDecodeError:
        raise ImportRejected(file, Reason('unknown_encoding')) from None


def sniff_delimiter(header: str) -> str:
    """';' when the header line has one, else ','; column names never contain either."""
    return ';' if header.count(';') >= max(1, header.count(',')) else ','


_BLOCK = 1 << 20  # characters of text split into lines at a time: big files never become one list of lines


def iter_lines(text: str, *, keepends: bool = False) -> Iterator[str]:
    """The lines of `text` exactly as `text.splitlines()` gives them, a block at a time (see `line_blocks`)."""
    for lines in line_blocks(text, keepends=keepends):
        yield from lines


def line_blocks(text: str, *, keepends: bool = False, block: int = _BLOCK) -> Iterator[list[str]]:
    """`text.splitlines()` in lists of about a megabyte of text each.

    A block always ends just after a '\\n', so no line break (not even '\\r\\n') is cut in two and no block
    adds an empty line: the blocks' lines, one after the other, are the whole text's lines.
    """
    start, size = 0, len(text)
    while start < size:
        end = text.find('\n', start + block)
        end = size if end < 0 else end + 1
        yield text[start:end].splitlines(keepends)
        start = end


def first_line(text: str | Iterable[str]) -> tuple[int, str]:
    """The number and text of the first non-blank line of a text or of its `text_blocks`, (1, '') for none."""
    lines = iter_lines(text) if isinstance(text, str) else (line for block in text for line in block.splitlines())
    return next(((number, line) for number, line in enumerate(lines, start=1) if line.strip()), (1, ''))


_READ = 1 << 20  # bytes read from a file on disk at a time
HEAD_BYTES = 1 << 16  # bytes of a file on disk that tell its format


class OnDisk(os.PathLike[str]):
    """A file to import that stays on disk: the streaming parsers read it `block` bytes at a time.

    Where a parser needs the whole content (the formats that do not stream, and the fallback of those that
    do), `whole` reads it at once.
    """

    __slots__ = ('block', 'path')

    def __init__(self, path: str | os.PathLike[str], *, block: int = _READ) -> None:
        self.path = os.fspath(path)
        self.block = block

    def __fspath__(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return f'OnDisk({self.path!r}, block={self.block})'

    def chunks(self, start: int = 0) -> Iterator[bytes]:
        """The bytes from offset `start` to the end, `block` at a time (the last one shorter)."""
        with open(self.path, 'rb') as stream:
            stream.seek(start)
            while chunk := stream.read(self.block):
                yield chunk


Content = bytes | OnDisk  # what a parser reads: the bytes of a file, or a file on disk


def whole(data: Content) -> bytes:
    """All the bytes of `data` (read from disk when it is there)."""
    if isinstance(data, OnDisk):
        with open(data.path, 'rb') as stream:
            return stream.read()
    return data


def head(data: Content, size: int = HEAD_BYTES) -> bytes:
    """The first `size` bytes (enough to tell a format), or all of them for bytes: those are whole anyway."""
    if isinstance(data, OnDisk):
        with open(data.path, 'rb') as stream:
            return stream.read(size)
    return data


def contains(data: Content, byte: bytes, start: int = 0) -> bool:
    """Whether one byte occurs in `data` from offset `start` on, read a block at a time from disk."""
    if isinstance(data, OnDisk):
        return any(byte in chunk for chunk in data.chunks(start))
    return data.find(byte, start) >= 0


def _bom_at(data: Content, offset: int) -> bool:
    if isinstance(data, OnDisk):
        return head(data, offset + len(codecs.BOM_UTF8))[offset:] == codecs.BOM_UTF8
    return data.startswith(codecs.BOM_UTF8, offset)


def text_blocks(file: str, data: Content, *, block: int = _BLOCK, skip: int = 0) -> Iterator[str]:
    """`decode_text(file, data[skip:])` about a megabyte at a time, each block ending just after a line feed.

    The text of a big file never exists whole: the encoding is decided (and a bad file refused) by a first
    pass that decodes and drops each block, then the blocks are decoded again as they are read. A line feed
    byte is a line feed in UTF-8 and in windows-1251 alike, so no character is ever cut in two. A file on disk
    is read `data.block` bytes at a time (cut after its last line feed, the rest carried to the next read); a
    NUL byte in it refuses it as the whole-file format detection does.
    """
    first = skip + (len(codecs.BOM_UTF8) if _bom_at(data, skip) else 0)
    encoding = 'utf-8'
    try:
        for _ in _decoded(file, data, first, encoding, block):
            pass
    except UnicodeDecodeError as error:
        if first > skip:
            raise ImportRejected(file, Reason('bom_not_utf8', why=error.reason)) from None
        encoding = 'cp1251'  # any byte string is windows-1251 except for the one unassigned byte 0x98
        if contains(data, b'\x98', skip):
            raise ImportRejected(file, Reason('unknown_encoding')) from None
    return _decoded(file, data, first, encoding, block)


def _decoded(file: str, data: Content, start: int, encoding: str, block: int) -> Iterator[str]:
    for part in _line_parts(file, data, start, block):
        yield part.decode(encoding)


def _line_parts(file: str, data: Content, start: int, block: int) -> Iterator[bytes]:
    """The bytes from `start` in parts that end just after a line feed (the last one at the end)."""
    if not isinstance(data, OnDisk):
        size = len(data)
        while start < size:
            end = data.find(b'\n', start + block)
            end = size if end < 0 else end + 1
            yield data[start:end]
            start = end
        return
    pending: list[bytes] = []  # read, but not yet up to a line feed
    for chunk in data.chunks(start):
        if b'\x00' in chunk:
            raise ImportRejected(file, Reason('nul_bytes'))
        cut = chunk.rfind(b'\n') + 1
        if not cut:
            pending.append(chunk)
            continue
        yield b''.join([*pending, chunk[:cut]]) if pending else chunk[:cut]
        pending = [chunk[cut:]] if cut < len(chunk) else []
    if pending:
        yield b''.join(pending)


def read_csv(file: str, data: bytes, *, required: Iterable[str]) -> CsvTable:
    """The rows of a CSV file keyed by lower-case header names; rejects missing columns and overlong rows."""
    header, records = read_rows(file, data, required=required)
    index = {name: position for position, name in enumerate(header) if name}
    return CsvTable(header, [CsvRow(line, fields, index) for line, fields in records])


def read_rows(
    file: str, data: bytes, *, required: Iterable[str]
) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """The lower-case header and the non-blank rows as (line, raw cells): the cheapest form, for big files."""
    text = decode_text(file, data)
    lines = text.splitlines()
    first_line = next((line for line in lines if line.strip()), '')
    delimiter = sniff_delimiter(first_line)
    if '"' in text:
        records: Iterable[tuple[int, list[str]]] = _quoted_records(iter_lines(text, keepends=True), delimiter)
    else:  # without quotes a record is a line split at the delimiter: several times faster than csv.reader
        records = zip(range(1, len(lines) + 1), [line.split(delimiter) for line in lines], strict=True)
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, list[str]]] = []
    width = 0
    for record in records:
        fields = record[1]
        # The common row first, decided by its first cell; the full blank test only when that is empty.
        # csv.reader gives [] for a blank line of a quoted file: no first cell to look at.
        if header is not None and 0 < len(fields) <= width and (fields[0].strip() or ''.join(fields).strip()):
            rows.append(record)
            continue
        if not ''.join(fields).strip():
            continue
        if header is None:
            header = tuple(cell.strip().lstrip('\ufeff').lower() for cell in fields)
            _check_header(file, record[0], header, required)
            width = len(header)
            continue
        raise ImportRejected(file, Reason('field_count', n=len(fields), width=width), line=record[0])
    if header is None:
        raise ImportRejected(file, Reason('empty_file'), line=1)
    return header, rows


def iter_quoted(blocks: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every record of a quoted CSV given as `text_blocks`."""
    lines = (line for block in blocks for line in block.splitlines(keepends=True))
    return _quoted_records(lines, delimiter)


def _quoted_records(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records of csv.reader with the physical line each starts on (a quoted cell may span lines)."""
    reader = csv.reader(lines, delimiter=delimiter)
    next_line = 1
    for fields in reader:
        line, next_line = next_line, reader.line_num + 1
        yield line, fields


def check_header(file: str, line: int, header: tuple[str, ...], required: Iterable[str]) -> None:
    """ImportRejected at the header's line for a missing or a repeated column."""
    _check_header(file, line, header, required)


def _check_header(file: str, line: int, header: tuple[str, ...], required: Iterable[str]) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRejected(file, Reason('missing_columns', names=', '.join(missing)), line=line)
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        raise ImportRejected(file, Reason('duplicated_columns', names=', '.join(duplicated)), line=line)


_NUMBER = re.compile(r'[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?')
# No value we read needs more: 18 digits is a BIGINT, 30 characters hold any number a meter writes. Longer
# fields are refused before any arithmetic (Python's int() refuses 4,300 digits, Decimal overflows at 10^999999).
MAX_DIGITS = 18
MAX_NUMBER_CHARS = 40
MAX_MAGNITUDE = 18  # decimal exponent of the largest number accepted: below 10^19 (BIGINT is 9.2 × 10^18)


def clip(text: str, width: int = 32) -> str:
    """A value as a message quotes it: at most `width` characters, a 5,000-digit field ends in '…'."""
    return text if len(text) <= width else text[: width - 1] + '…'


def parse_decimal(text: str, what: str | Reason = VALUE) -> Decimal:
    """A number with '.' or ',' as the decimal separator; spaces (also non-breaking) between digits allowed.

    Finite and below 10^19 in magnitude, written in at most 40 characters: anything else is refused here,
    so no later arithmetic can overflow (`1e999999999`, a 40-digit kWh value, a 5,000-digit field).
    """
    cleaned = re.sub(r'[\s\u00a0\u202f]', '', text).replace(',', '.')
    if len(cleaned) > MAX_NUMBER_CHARS:
        raise BadValue(Reason('number_too_long', what=subject(what), value=clip(text.strip())))
    if not _NUMBER.fullmatch(cleaned):
        raise BadValue(Reason('not_a_number', what=subject(what), value=clip(text)))
    amount = Decimal(cleaned)
    if amount and amount.adjusted() > MAX_MAGNITUDE:
        raise BadValue(Reason('number_too_large', what=subject(what), value=clip(text.strip())))
    return amount


def parse_int(text: str, what: str | Reason) -> int:
    """A whole number of at most 18 digits (what a BIGINT holds), so that no later step can overflow."""
    cleaned = text.strip()
    if not re.fullmatch(r'[+-]?\d+', cleaned):
        raise BadValue(Reason('not_a_whole_number', what=subject(what), value=clip(text)))
    if len(cleaned.lstrip('+-').lstrip('0')) > MAX_DIGITS:
        raise BadValue(Reason('number_too_long', what=subject(what), value=clip(cleaned)))
    return int(cleaned)


def text_to_wh(text: str, power_of_ten: int, what: str | Reason = VALUE) -> int:
    """A non-negative number written in kWh (power 3) or Wh (power 0) as whole Wh, exactly."""
    wh = fast_wh(text, power_of_ten)
    return wh if wh is not None else to_wh(parse_decimal(text, what), power_of_ten, what, written=text)


def fast_wh(text: str, power_of_ten: int) -> int | None:
    """Whole Wh of a plain number ('0,125' kWh, '250' Wh) by integer arithmetic, None for anything else.

    A year of half hours is millions of values: Decimal for each would dominate the import.
    """
    whole, _, fraction = text.replace(',', '.').partition('.')
    if not (whole.isascii() and whole.isdigit() and fraction.isascii() and len(whole) <= 15):
        return None
    if power_of_ten == 3 and len(fraction) <= 3 and (fraction.isdigit() or not fraction):
        return int(whole) * 1000 + (int(fraction.ljust(3, '0')) if fraction else 0)
    if power_of_ten == 0 and not fraction and '.' not in text and ',' not in text:
        return int(whole)
    return None


def to_wh(amount: Decimal, power_of_ten: int, what: str | Reason = VALUE, *, written: str = '') -> int:
    """amount × 10^power_of_ten rounded half up to a whole Wh, in Decimal so that no float error creeps in.

    BadValue when the result would not be below 10^19 Wh (the column's range is checked later, precisely).
    """
    if not amount.is_finite() or (amount and amount.adjusted() + power_of_ten > MAX_MAGNITUDE):
        raise BadValue(Reason('number_too_large', what=subject(what), value=clip(written or str(amount))))
    if not amount or amount.adjusted() + power_of_ten < -2:
        return 0  # less than a hundredth of a Wh: also for 1e-999999999, which would underflow
    return int(amount.scaleb(power_of_ten).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_ISO_DATE = re.compile(r'(\d{4})-(\d{2})-(\d{2})')
_RU_DATE = re.compile(r'(\d{1,2})\.(\d{1,2})\.(\d{4})')


# Registry and tariff dates: a meter may be decades old, a rate set years ahead; year 1 or 9999 is a typo that
# would later overflow the arithmetic of meter lives and billing periods.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2100, 12, 31)


def parse_date(text: str, what: str | Reason = DATE) -> date:
    """`YYYY-MM-DD` or `DD.MM.YYYY`, from 1900-01-01 to 2100-12-31."""
    cleaned = text.strip()
    named = what if isinstance(what, Reason) else Reason('date_column', name=what)
    try:
        if match := _ISO_DATE.fullmatch(cleaned):
            day = date(int(match[1]), int(match[2]), int(match[3]))
        elif match := _RU_DATE.fullmatch(cleaned):
            day = date(int(match[3]), int(match[2]), int(match[1]))
        else:
            raise BadValue(Reason('not_a_date', what=subject(what), value=clip(text)))
    except ValueError:
        raise BadValue(Reason('no_such_date', what=named, value=text)) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise BadValue(Reason('date_out_of_range', what=named, value=cleaned, low=str(FIRST_DATE), high=str(LAST_DATE)))
    return day


@lru_cache(maxsize=1 << 16)  # a file repeats the same stamps for every meter: parse each once
def parse_timestamp(text: str, what: str | Reason = TIMESTAMP) -> datetime:
    """ISO 8601 with a UTC offset, returned in UTC; without an offset the moment is ambiguous, so it is refused."""
    cleaned = text.strip()
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise BadValue(Reason('not_iso_timestamp', what=subject(what), value=clip(text))) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise BadValue(Reason('no_utc_offset', what=subject(what), value=clip(text)))
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+03:00 or 9999-12-31T23:00-03:00 has no UTC time
        raise BadValue(Reason('time_unrepresentable', what=subject(what), value=clip(cleaned))) from None


# Expat expands internal entities, so a DOCTYPE with nested entities ("billion laughs") can exhaust memory.
# No exchange format we read needs a DTD, and defusedxml is not a dependency, so any DOCTYPE or ENTITY is
# refused before parsing. NUL bytes are refused too: they mean UTF-16/32 or a binary file, where the
# byte-level check could not see the declarations.
_DTD = re.compile(rb'<!\s*(DOCTYPE|ENTITY)', re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb'^\s*<\?xml[^>]*encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\']')


# The end of a piece that may be the start of a declaration the next piece completes: '<', '<!', '<! DOCT'...
_DTD_START = re.compile(rb'<(!\s*([A-Za-z]{0,6}))?\Z')


def xml_pieces(file: str, data: Content) -> Iterator[bytes | str]:
    """What `load_xml` parses, in pieces of about a megabyte for an XMLPullParser (the same checks first).

    From disk: NotStreamable when the first `HEAD_BYTES` bytes do not settle whether the document declares its
    encoding (the whole-document parser then reads it).
    """
    _safe_xml(file, data)
    opening = head(data)
    first = len(codecs.BOM_UTF8) if opening.startswith(codecs.BOM_UTF8) else 0
    if not _DECLARED_ENCODING.match(memoryview(opening)[first:]):
        if isinstance(data, OnDisk) and len(opening) == HEAD_BYTES and b'>' not in opening[first:]:
            raise NotStreamable(file)
        return text_blocks(file, data, skip=first)
    if isinstance(data, OnDisk):
        return data.chunks(first)
    return (data[start : start + _BLOCK] for start in range(first, len(data), _BLOCK))


def xml_events(file: str, data: Content) -> Iterator[list[tuple[str, Any]]]:
    """A pull parser's 'start' and 'end' events over `xml_pieces`, a piece at a time; NotStreamable for a document
    it cannot read (the whole-document parser then names why)."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=('start', 'end'))
    for piece in xml_pieces(file, data):
        try:
            parser.feed(piece)
            events = cast(list[tuple[str, Any]], list(parser.read_events()))  # 'start' and 'end' only
        except (ET.ParseError, LookupError):
            raise NotStreamable(file) from None
        yield events
    try:
        parser.close()
    except ET.ParseError:
        raise NotStreamable(file) from None


def _safe_xml(file: str, data: Content) -> None:
    if not isinstance(data, OnDisk):
        if b'\x00' in data:
            raise ImportRejected(file, Reason('xml_nul_bytes'))
        if _DTD.search(data):
            raise ImportRejected(file, Reason('xml_declarations'))
        return
    carried = b''  # the end of the previous piece that a declaration may continue from
    for chunk in data.chunks():
        if b'\x00' in chunk:
            raise ImportRejected(file, Reason('xml_nul_bytes'))
        piece = carried + chunk if carried else chunk
        if _DTD.search(piece):
            raise ImportRejected(file, Reason('xml_declarations'))
        ending = _DTD_START.search(piece)
        if ending is None:
            carried = b''
        elif ending[1] is None:
            carried = b'<'
        else:  # '<!', any spaces and the letters so far: the spaces change no match, so they are not carried
            carried = b'<!' + ending[2]


def load_xml(file: str, data: bytes) -> ET.Element:
    """The parsed root element; the XML declaration's encoding is respected, else UTF-8 or windows-1251."""
    _safe_xml(file, data)
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    source: bytes | str = body
    if not _DECLARED_ENCODING.match(body):
        source = decode_text(file, body)
    try:
        return ET.fromstring(source)  # noqa: S314 - DOCTYPE/ENTITY refused above, see _DTD
    except ET.ParseError as error:
        raise ImportRejected(file, Reason('xml_malformed', why=error.msg), line=error.position[0]) from None
    except LookupError as error:
        raise ImportRejected(file, Reason('xml_encoding', why=clip(str(error), 80))) from None


@lru_cache(maxsize=1024)  # a document repeats a handful of names on every element
def local_name(tag: str) -> str:
    """Element or attribute name without its namespace, lower-cased: formats we read vary in case."""
    return tag.rsplit('}', 1)[-1].lower()
