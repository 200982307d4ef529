"""Which of the five formats a file holds, judged from its content: file names in an inbox are not reliable."""

from __future__ import annotations

import codecs
import re

from services.core.messages import Reason
from services.ingest.formats.records import ImportRejected
from services.ingest.formats.text import (
    HEAD_BYTES,
    Content,
    OnDisk,
    first_line,
    head,
    sniff_delimiter,
    text_blocks,
)

FORMATS = ('registry', 'obis_csv', 'xml80020', 'greenbutton', 'tariffs')

# Header columns that identify each CSV format (SPEC 6.1, 6.2, 6.5); the rest of a header may vary.
_CSV_SIGNATURES = (
    ('registry', frozenset({'account_number', 'meter_serial'})),
    ('obis_csv', frozenset({'meter', 'obis'})),
    ('obis_csv', frozenset({'obis', 'start', 'value'})),
    ('tariffs', frozenset({'tariff_zones', 'zone', 'rub_per_kwh'})),
)
_XML_START = re.compile(rb'^\s*<')
_MESSAGE_80020 = re.compile(rb'<\s*message\b[^>]*\bclass\s*=\s*["\']\s*80020\s*["\']', re.IGNORECASE)
_ESPI = re.compile(rb'http://naesb\.org/espi', re.IGNORECASE)
_ATOM_FEED = re.compile(rb'<\s*(\w+:)?feed\b', re.IGNORECASE)


def detect_format(data: bytes, file_name: str = '') -> str:
    """One of FORMATS; raises ImportRejected naming `file_name` when the content is none of them."""
    body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    if not body or body.isspace():  # as `not body.strip()`, without a copy of a big file
        raise ImportRejected(file_name, Reason('empty_file'))
    if b'\x00' in body:
        raise ImportRejected(file_name, Reason('nul_bytes'))
    if _XML_START.match(body):
        return _xml_format(file_name, body)
    return _csv_format(file_name, body)


def opening_format(data: Content, file_name: str = '') -> str:
    """`detect_format` of bytes; of a file on disk, judged from its first 64 KiB (cut after a line feed).

    For a file on disk it is a guess the streaming parsers confirm: they refuse (NUL bytes, an encoding the
    rest of the file changes) or give up (`csv_format` of the header they read is another) where the whole
    file would be judged otherwise.
    """
    if not isinstance(data, OnDisk):
        return detect_format(data, file_name)
    opening = head(data)
    if len(opening) == HEAD_BYTES and (cut := opening.rfind(b'\n') + 1):
        opening = opening[:cut]  # no character cut in two
    return detect_format(opening, file_name)


def _xml_format(file_name: str, body: bytes) -> str:
    if _MESSAGE_80020.search(body):
        return 'xml80020'
    if _ESPI.search(body) and _ATOM_FEED.search(body):
        return 'greenbutton'
    raise ImportRejected(file_name, Reason('unknown_xml'))


def _csv_format(file_name: str, body: bytes) -> str:
    header_number, header = first_line(text_blocks(file_name, body))
    format_name = csv_format(header)
    if format_name is None:
        raise ImportRejected(file_name, Reason('unknown_content'), line=header_number)
    return format_name


def csv_format(header: str) -> str | None:
    """The CSV format whose columns the header line names, None for none."""
    columns = {cell.strip().strip('"').lower() for cell in header.split(sniff_delimiter(header))}
    return next((format_name for format_name, signature in _CSV_SIGNATURES if signature <= columns), None)
