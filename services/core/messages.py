"""Messages as codes with parameters: import rejections and warnings, and the rules of tariff rates.

A `Reason` is a code and its parameters. It is stored as such (JSON) and becomes text only when it is shown,
in the language of the reader. The English text of a code is its template in `TEMPLATES`, which is the SPEC §6
contract of the command line, the API and the import log; it is also the gettext message id, with the code as
the message context (`msgctxt "code"` in locales/ru/pipeline.po), so that one English text may read differently
in Russian. A parameter may itself be a Reason (what a value error is about, the reason of a located message);
it is rendered in the same language.

A new reason is one line in `TEMPLATES` (code: English template) and its Russian in the catalog; a test checks
that every code has its Russian and that every `Reason(...)` in the code names a known code with its parameters.
"""

from __future__ import annotations

from string import Formatter
from typing import Any, TypeAlias

from services.core import i18n

Param: TypeAlias = 'str | int | Reason'

TEMPLATES: dict[str, str] = {
    # where a reason is (SPEC §6: the header is line 1), and folded warnings
    'at_line': '{file}: line {line}: {reason}',
    'at_element': '{file}: element {element}: {reason}',
    'in_file': '{file}: {reason}',
    'more_like_it': '{notice} (and {n} more like it)',
    'more_warnings': '… and {n} more',  # the import log keeps the first warnings only
    # what a value error is about: a column, an XML attribute, or a quantity named in words
    'column': '{name}',
    'date_column': '{name}',
    'attribute': '{name}',
    'value': 'value',
    'energy_value': 'energy value',
    'relay_state': 'relay state',
    'event_code': 'event code',
    'date': 'date',
    'timestamp': 'timestamp',
    # the file as a whole
    'empty_file': 'the file is empty',
    'nul_bytes': 'not a text file (it contains NUL bytes)',
    'xml_nul_bytes': 'not a text file (NUL bytes; UTF-16 is not supported)',
    'bom_not_utf8': 'not valid UTF-8 although it starts with a UTF-8 BOM ({why})',
    'unknown_encoding': 'the text is neither UTF-8 nor windows-1251',
    'unknown_xml': 'XML, but neither an 80020 message (<message class="80020">) nor a Green Button feed (ESPI Atom)',
    'unknown_content': 'unrecognised content: expected a registry, OBIS meter-data or tariff CSV header, '
                       'an 80020 XML message or a Green Button feed',
    'xml_declarations': 'XML with a DOCTYPE or ENTITY declaration is refused (entity expansion)',
    'xml_malformed': 'not well-formed XML: {why}',
    'xml_encoding': 'unknown XML encoding: {why}',
    'field_count': '{n} fields but the header has {width} (is a decimal comma unquoted?)',
    'missing_columns': 'missing required column(s): {names}',
    'duplicated_columns': 'duplicated column(s): {names}',
    'unknown_columns': 'ignored unknown column(s): {names}',
    # values (`what` is one of the subjects above)
    'not_a_number': "{what} '{value}' is not a number",
    'not_a_whole_number': "{what} '{value}' is not a whole number",
    'not_a_date': "{what} '{value}' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
    'no_such_date': "{what} '{value}' does not exist",
    'not_iso_timestamp': "{what} '{value}' is not an ISO 8601 timestamp",
    'no_utc_offset': "{what} '{value}' has no UTC offset (write it like 2026-03-01T00:30:00+03:00)",
    'negative': "{what} '{value}' is negative",
    'not_hhmm': "{what} '{value}' is not a time HHMM",
    'end_of_day': "{what} '{value}' is the end of the day",
    'empty': '{column} is empty',
    'not_one_of': '{column} must be one of {allowed}, not {value}',
    'out_of_range': '{column} must be {low}..{high}, not {value}',
    # the registry
    'point_code_digits': "point_code '{code}' must be 15 digits",
    'removed_before_installed': 'removed_on {removed} is before installed_on {installed}',
    'replaced_by_itself': 'meter {serial} cannot be replaced by itself',
    'meter_listed_twice': 'meter {serial} is already listed on line {line}',
    'point_code_twice': 'point_code {code} is already given to meter {serial} on line {line}',
    'point_code_taken': 'point_code {code} belongs to meter {serial} in the registry',
    'replaced_by_unknown': 'replaced_by names meter {serial}, which is not in the registry',
    # tariff rates: the CSV, the operator's form and pricing.put_rate (services.metering.tariffs)
    'tariff_zones': 'tariff_zones must be 1, 2 or 3, not {value}',
    'zone_not_in_tariff': "zone '{zone}' must be one of {allowed} for {n} zone(s)",
    'rate_not_positive': 'the rate must be above zero, e.g. 5.62',
    'rate_too_high': 'the rate must be below {limit} RUB per kWh',
    'rate_decimals': 'at most four digits after the decimal point',
    'group_too_long': 'the tariff group must be at most {n} characters long',
    'rate_given_twice': 'the same rate is already given on line {line}',
    # meter data CSV keyed by OBIS code
    'obis_format': "OBIS code '{code}' is not written as 1-0:1.29.0*255, 1.0.1.29.0.255 or 1.29.0",
    'unknown_obis': 'unknown OBIS code {code}',
    'unknown_status': "status '{status}' is not one of ok, estimated, missing",
    'end_empty': 'end is empty (interval energy needs start and end)',
    'ends_before_start_at': 'ends before it starts ({end} < {start})',
    'ends_before_start': 'ends before it starts',
    'negative_duration': 'ends before it starts (negative duration)',
    'unit_energy': "unit '{unit}' does not fit {energy} energy (use {units})",
    'unit_quantity': "unit '{unit}' does not fit {quantity} (use {units})",
    'unit_unknown': "unit '{unit}' is unknown",
    'unit_not_wanted': "unit '{unit}' given for a value without a unit",
    'relay_state_range': 'relay state must be 0, 1 or 2, not {value}',
    'unknown_journal': 'unknown SPODES journal {journal} in OBIS 0.0.96.11.{journal}.255',
    'negative_event_code': 'event code must not be negative, not {code}',
    'zero_length_interval': 'zero-length interval at {start} dropped',
    'relay_without_value': 'relay state without a value skipped',
    'quantity_without_value': '{quantity} without a value skipped',
    # XML 80020
    'not_80020_root': 'the root element is not <message class="80020">',
    'no_area': 'no <area> element',
    'day_not_a_date': "day '{day}' is not a date YYYYMMDD",
    'point_without_code': 'measuring point without a code',
    'channel_code': "channel code '{code}' is not 01, 02, 03 or 04",
    'value_status': "value status '{status}' is not 0 or 1",
    'start_in_clock_gap': 'starts at {start}, which the clock change skips in {zone}',
    'period_in_clock_gap': 'period at {start} skipped by the clock change dropped',
    'zero_length_period': 'zero-length period dropped',
    # Green Button
    'not_atom_root': 'the root element is not an Atom <feed>',
    'no_usage_point': 'the feed has no UsagePoint entry',
    'block_without_reading': 'IntervalBlock without any MeterReading in the feed',
    'unlinked_entry': 'cannot tell which {kind} this entry belongs to from its links',
    'no_reading_type': 'the MeterReading links to no ReadingType entry',
    'not_energy_reading': 'ReadingType {name} has uom {uom}, flowDirection {flow}: not Wh/varh energy, skipped',
    'several_usage_points': 'the feed has energy readings for {n} UsagePoints; a given meter names only one',
    'untitled_usage_point': 'the UsagePoint has no title to match a meter; name the meter',
    'no_start': 'timePeriod/start is missing',
    'no_duration': 'timePeriod/duration is missing and the ReadingType has no intervalLength',
    'zero_length_reading': 'zero-length reading dropped',
    # a value given twice in one file
    'interval_again': '{energy} at {at} UTC again; this later value replaces the earlier one',
    'interval_again_missing': '{energy} at {at} UTC again but missing; the earlier value is kept',
    'register_again': 'register {energy} zone {zone} at {at} UTC again; this later value replaces the earlier one',
    'register_again_missing': 'register {energy} zone {zone} at {at} UTC again but missing; the earlier value is kept',
    'spread_collision': '{energy} at {at} UTC: this interval got two values; the later one in the file is kept',
    # storing meter data
    'unknown_meter': 'unknown meter {serial} (not in the registry)',
    'unknown_point': 'unknown measuring point {code} (no registry meter has this point_code)',
    'not_whole_profile': "an interval of {minutes} minutes is not a whole multiple of meter {serial}'s "
                         '{profile}-minute profile',
    'spread': 'a value of {minutes} minutes was spread over {parts} intervals of {profile} minutes and marked '
              'estimated',
    'database_refused': 'the database refused the data ({why})',
    'internal_error': 'internal error while reading the file (reference {ref} in the server log)',
    # plausible ranges (services.ingest.formats.limits)
    'number_too_long': "{what} '{value}' has too many digits",
    'number_too_large': "{what} '{value}' is too large",
    'time_unrepresentable': "{what} '{value}' is too far in the past or the future",
    'date_out_of_range': "{what} '{value}' is not between {low} and {high}",
    'time_outside_window': 'time {at} UTC is outside the accepted {earliest} .. {latest} UTC',
    'interval_energy_too_large': 'energy {wh} Wh is more than the {limit} Wh possible in this interval '
                                 '(at most 1000 kW)',
    'energy_too_large': 'energy {wh} Wh is more than the register holds ({limit} Wh)',
    'quantity_range': '{quantity} {value} is outside {low} .. {high}',
    'volts': '{n} V',
    'amperes': '{n} A',
    'watts': '{n} W',
    'event_code_range': 'event code {code} is larger than {limit}',
    # the upload page
    'file_too_large': 'the file is larger than {mb} MB',
    'stopped': 'stopped',
}  # fmt: skip


class Reason:
    """A code of `TEMPLATES` with its parameters: `Reason('not_a_number', what=..., value='abc')`."""

    __slots__ = ('code', 'params')

    def __init__(self, code: str, /, **params: Param) -> None:
        self.code = code
        self.params = params

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reason) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items()))))

    def __repr__(self) -> str:
        params = ''.join(f', {name}={value!r}' for name, value in self.params.items())
        return f'Reason({self.code!r}{params})'

    def __str__(self) -> str:
        return render(self, 'en')

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data: {'code': ..., 'params': {...}}, a Reason parameter nested the same way."""
        params = {name: value.to_json() if isinstance(value, Reason) else value for name, value in self.params.items()}
        return {'code': self.code, 'params': params}

    @classmethod
    def from_json(cls, data: Any) -> Reason:
        """The Reason of `to_json` data; ValueError for data that is not one or for a code this version lacks."""
        if not isinstance(data, dict) or data.get('code') not in TEMPLATES or not isinstance(data.get('params'), dict):
            raise ValueError(f'not a stored reason: {data!r}')
        params: dict[str, Param] = {}
        for name, value in data['params'].items():
            if isinstance(value, dict):
                params[name] = cls.from_json(value)
            elif isinstance(value, str | int) and not isinstance(value, bool):
                params[name] = value
            else:
                raise ValueError(f'not a stored parameter: {value!r}')
        return cls(data['code'], **params)


def render(reason: Reason, lang: str = 'en') -> str:
    """The text of `reason` in `lang`; English is the template itself, the SPEC §6 contract, never overridden."""
    template = TEMPLATES[reason.code]
    if lang != 'en':
        template = i18n.pgettext(reason.code, template, language=lang)
    values = {name: render(v, lang) if isinstance(v, Reason) else v for name, v in reason.params.items()}
    return template.format_map(values)


def sentence(reason: Reason, lang: str) -> str:
    """The text as a sentence, for a form field: capital letter and full stop ('Не больше четырёх знаков…')."""
    text = render(reason, lang)
    return text[:1].upper() + text[1:] + ('' if text.endswith('.') else '.')


def placeholders(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}
