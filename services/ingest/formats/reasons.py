"""Russian wording of the stored English import messages, for the Russian operator pages.

The parsers, the command line and the API speak English (SPEC 6: 'FILE: line N: reason'); the import log stores
that text. The pages translate it on display by this table of the fixed English templates. A template's
`{name}` captures any text; `{name:kind}` also converts the capture (see `_convert`). Quoted values, numbers,
column names and paths pass through untouched. Text no template knows keeps its English reason and gets only
its location word translated, so a new message never breaks a page.
"""

from __future__ import annotations

import re
from string import Formatter

# Words the parsers pass as `what` that are not column names.
_TERMS = {
    'value': 'значение',
    'energy value': 'значение энергии',
    'relay state': 'состояние реле',
    'event code': 'код события',
    'date': 'значение',
    'timestamp': 'значение',
}
_NOUNS = {'date': 'дата', 'field': 'значение', 'attr': 'атрибут'}

# Reasons and warnings, without the 'FILE: line N: ' part; the first template that matches wins.
_REASONS: tuple[tuple[str, str], ...] = (
    # text.py, detect.py: the file as a whole
    ('the file is empty', 'файл пуст'),
    ('not a text file (it contains NUL bytes)', 'это не текстовый файл (в нём есть байты NUL)'),
    ('not a text file (NUL bytes; UTF-16 is not supported)',
     'это не текстовый файл (байты NUL; UTF-16 не поддерживается)'),
    ('not valid UTF-8 although it starts with a UTF-8 BOM ({why})',
     'текст начинается с метки BOM UTF-8, но это не UTF-8 ({why})'),
    ('the text is neither UTF-8 nor windows-1251', 'текст не в кодировке UTF-8 и не в windows-1251'),
    ('XML, but neither an 80020 message (<message class="80020">) nor a Green Button feed (ESPI Atom)',
     'это XML, но не сообщение 80020 (<message class="80020">) и не лента Green Button (ESPI Atom)'),
    ('unrecognised content: expected a registry, OBIS meter-data or tariff CSV header, '
     'an 80020 XML message or a Green Button feed',
     'содержимое не распознано: ожидается заголовок CSV реестра, данных счётчиков OBIS или тарифов, '
     'XML-сообщение 80020 или лента Green Button'),
    ('XML with a DOCTYPE or ENTITY declaration is refused (entity expansion)',
     'XML с объявлением DOCTYPE или ENTITY не принимается (раскрытие сущностей)'),
    ('not well-formed XML: {why}', 'XML составлен с ошибками: {why}'),
    ('unknown XML encoding: {why}', 'неизвестная кодировка XML: {why}'),
    ('{n} fields but the header has {width} (is a decimal comma unquoted?)',
     'полей: {n}, а в заголовке их {width} (может быть, десятичная запятая не взята в кавычки?)'),
    ('missing required column(s): {names}', 'нет обязательных столбцов: {names}'),
    ('duplicated column(s): {names}', 'столбцы повторяются: {names}'),
    ('ignored unknown column(s): {names}', 'неизвестные столбцы пропущены: {names}'),
    # values
    ("{what:date} '{text}' does not exist", "{what} '{text}' не существует"),
    ("{what:field} '{text}' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
     "{what} '{text}' не является датой (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)"),
    ("{what:field} '{text}' is not a number", "{what} '{text}' не является числом"),
    ("{what:field} '{text}' is not a whole number", "{what} '{text}' не является целым числом"),
    ("{what:field} '{text}' is not an ISO 8601 timestamp", "{what} '{text}' не является меткой времени ISO 8601"),
    ("{what:field} '{text}' has no UTC offset (write it like {example})",
     "{what} '{text}' указано без смещения от UTC (пишите так: {example})"),
    ("{what:field} '{text}' is negative", "{what} '{text}' отрицательное"),
    ("{what:attr} '{text}' is not a time HHMM", "{what} '{text}' не является временем ЧЧММ"),
    ("{what:attr} '{text}' is the end of the day", "{what} '{text}' означает конец суток"),
    ('end is empty (interval energy needs start and end)',
     'не заполнен столбец end (для энергии за интервал нужны start и end)'),
    ('{column} is empty', 'не заполнен столбец {column}'),
    ('tariff_zones must be 1, 2 or 3, not {value}', 'значение tariff_zones должно быть 1, 2 или 3, а не {value}'),
    ('relay state must be 0, 1 or 2, not {value}', 'состояние реле должно быть 0, 1 или 2, а не {value}'),
    ('{column} must be one of {allowed}, not {value}',
     'значение {column} должно быть одним из: {allowed}, а не {value}'),
    ('{column} must be {low}..{high}, not {value}', 'значение {column} должно быть от {low} до {high}, а не {value}'),
    ("point_code '{code}' must be 15 digits", "point_code '{code}' должен состоять из 15 цифр"),
    ('removed_on {removed} is before installed_on {installed}',
     'дата removed_on {removed} раньше даты installed_on {installed}'),
    ("zone '{zone}' must be one of {allowed} for {n} zone(s)",
     "зона '{zone}' должна быть одной из: {allowed} (зон в тарифе: {n})"),
    ("status '{status}' is not one of ok, estimated, missing",
     "статус '{status}' должен быть одним из: ok, estimated, missing"),
    ("value status '{status}' is not 0 or 1", "статус значения '{status}' должен быть 0 или 1"),
    ("OBIS code '{code}' is not written as 1-0:1.29.0*255, 1.0.1.29.0.255 or 1.29.0",
     "код OBIS '{code}' записан не в виде 1-0:1.29.0*255, 1.0.1.29.0.255 или 1.29.0"),
    ('unknown OBIS code {code}', 'неизвестный код OBIS {code}'),
    ('unknown SPODES journal {journal} in OBIS {code}', 'неизвестный журнал СПОДЭС {journal} в OBIS {code}'),
    ('event code must not be negative, not {code}', 'код события не может быть отрицательным: {code}'),
    ("unit '{unit}' does not fit {energy} energy (use {units})",
     "единица '{unit}' не подходит для энергии {energy} (используйте {units})"),
    ("unit '{unit}' does not fit {quantity} (use {units})",
     "единица '{unit}' не подходит для величины {quantity} (используйте {units})"),
    ("unit '{unit}' is unknown", "единица '{unit}' неизвестна"),
    ("unit '{unit}' given for a value without a unit", "единица '{unit}' указана для безразмерного значения"),
    ('ends before it starts (negative duration)', 'заканчивается раньше, чем начинается (отрицательная длительность)'),
    ('ends before it starts ({end} < {start})', 'заканчивается раньше, чем начинается ({end} < {start})'),
    ('ends before it starts', 'заканчивается раньше, чем начинается'),
    # warnings of dropped or skipped values
    ('zero-length interval at {start} dropped', 'интервал нулевой длины с началом {start} отброшен'),
    ('zero-length period dropped', 'период нулевой длины отброшен'),
    ('zero-length reading dropped', 'показание нулевой длины отброшено'),
    ('period at {start} skipped by the clock change dropped',
     'период с началом {start} выпадает при переводе часов и отброшен'),
    ('relay state without a value skipped', 'состояние реле без значения пропущено'),
    ('{quantity} without a value skipped', 'величина {quantity} без значения пропущена'),
    ('{reading:reason}, skipped', '{reading}; пропущено'),
    ('ReadingType {name} has uom {uom}, flowDirection {flow}: not Wh/varh energy',
     'у ReadingType {name} uom {uom} и flowDirection {flow}: это не энергия в Wh/varh'),
    ('{what:value} again but missing; the earlier value is kept',
     '{what} повторяется без значения; оставлено прежнее значение'),
    ('{what:value} again; this later value replaces the earlier one',
     '{what} повторяется; более позднее значение заменяет прежнее'),
    ('{what:value}: this interval got two values; the later one in the file is kept',
     '{what}: у интервала два значения; оставлено то, что дальше в файле'),
    ('a value of {minutes} minutes was spread over {parts} intervals of {profile} minutes and marked estimated',
     'значение за {minutes} мин разнесено по {parts} интервалам длиной {profile} мин и помечено как расчётное'),
    # 80020 XML
    ('the root element is not <message class="80020">', 'корневой элемент — не <message class="80020">'),
    ('no <area> element', 'нет элемента <area>'),
    ("day '{day}' is not a date YYYYMMDD", "день '{day}' не является датой ГГГГММДД"),
    ('measuring point without a code', 'точка измерения без кода'),
    ("channel code '{code}' is not 01, 02, 03 or 04", "код канала '{code}' должен быть 01, 02, 03 или 04"),
    ('starts at {start}, which the clock change skips in {zone}',
     'начинается в {start}, а это время выпадает при переводе часов в {zone}'),
    # Green Button
    ('the root element is not an Atom <feed>', 'корневой элемент — не Atom <feed>'),
    ('the feed has no UsagePoint entry', 'в ленте нет записи UsagePoint'),
    ('IntervalBlock without any MeterReading in the feed', 'IntervalBlock есть, а MeterReading в ленте нет ни одного'),
    ('cannot tell which {kind} this entry belongs to from its links',
     'по ссылкам записи не понять, к какому {kind} она относится'),
    ('the MeterReading links to no ReadingType entry', 'MeterReading не ссылается ни на одну запись ReadingType'),
    ('the feed has energy readings for {n} UsagePoints; a given meter names only one',
     'в ленте энергия для нескольких UsagePoint ({n}), а указан только один счётчик'),
    ('the UsagePoint has no title to match a meter; name the meter',
     'у UsagePoint нет заголовка, по которому найти счётчик; укажите счётчик'),
    ('timePeriod/start is missing', 'нет timePeriod/start'),
    ('timePeriod/duration is missing and the ReadingType has no intervalLength',
     'нет timePeriod/duration, и в ReadingType нет intervalLength'),
    # the registry and the database
    ('meter {serial} is already listed on line {line}', 'счётчик {serial} уже указан в строке {line}'),
    ('meter {serial} cannot be replaced by itself', 'счётчик {serial} не может заменить сам себя'),
    ('the same rate is already given on line {line}', 'такая же ставка уже указана в строке {line}'),
    ('unknown meter {serial} (not in the registry)', 'неизвестный счётчик {serial} (его нет в реестре)'),
    ('unknown measuring point {code} (no registry meter has this point_code)',
     'неизвестная точка измерения {code} (ни у одного счётчика в реестре нет такого point_code)'),
    ("an interval of {minutes} minutes is not a whole multiple of meter {serial}'s {profile}-minute profile",
     'интервал длиной {minutes} мин не кратен {profile}-минутному профилю счётчика {serial}'),
    ('point_code {code} is already given to meter {serial} on line {line}',
     'point_code {code} уже присвоен счётчику {serial} в строке {line}'),
    ('point_code {code} belongs to meter {serial} in the registry',
     'point_code {code} в реестре принадлежит счётчику {serial}'),
    ('replaced_by names meter {serial}, which is not in the registry',
     'в replaced_by указан счётчик {serial}, которого нет в реестре'),
    ('the database refused the data ({why})', 'база данных не приняла данные ({why})'),
    ('stopped', 'импорт прерван'),
    ('this interval got two values; the later one in the file is kept',
     'у интервала два значения; оставлено то, что дальше в файле'),
    ('… and {n} more', '… и ещё {n}'),  # the import log keeps the first warnings only
)  # fmt: skip

# What a duplicated value is (services.importers._what and the folded notes of services.ingest.normalise).
_VALUES: tuple[tuple[str, str], ...] = (
    ('register {energy} zone {zone} at {at} UTC', 'показание регистра {energy}, зона {zone}, на {at} UTC'),
    ('{energy} at {at} UTC', '{energy} за {at} UTC'),
)

_LOCATION = re.compile(r'(?P<file>.*?): (?:line (?P<line>\d+)|element (?P<element>\S+)): (?P<rest>.*)', re.DOTALL)
_MORE_LIKE_IT = re.compile(r' \(and (\d+) more like it\)$')
_MORE = re.compile(r'… and (\d+) more')

Rule = tuple[re.Pattern[str], dict[str, str], str]


def _compile(table: tuple[tuple[str, str], ...]) -> list[Rule]:
    rules = []
    for english, russian_text in table:
        pattern, kinds = '', {}
        for literal, name, kind, _ in Formatter().parse(english):
            pattern += re.escape(literal)
            if name is not None:
                pattern += f'(?P<{name}>.+?)'
                kinds[name] = kind or ''
        rules.append((re.compile(pattern, re.DOTALL), kinds, russian_text))
    return rules


_REASON_RULES = _compile(_REASONS)
_VALUE_RULES = _compile(_VALUES)


def _apply(rules: list[Rule], text: str) -> str | None:
    for pattern, kinds, russian_text in rules:
        match = pattern.fullmatch(text)
        if match:
            return russian_text.format(**{name: _convert(match[name], kind) for name, kind in kinds.items()})
    return None


def _convert(text: str, kind: str) -> str:
    if kind == 'reason':
        return reason(text) or text
    if kind == 'value':
        return _apply(_VALUE_RULES, text) or text
    if kind in _NOUNS:
        if kind == 'date' and text == 'date':
            return 'дата'
        return _TERMS.get(text) or f'{_NOUNS[kind]} {text}'
    return text


def reason(text: str) -> str | None:
    """The Russian of one English reason or warning without its location; None when no template knows it."""
    return _apply(_REASON_RULES, text)


def russian(text: str) -> str:
    """A stored English import message or warning in Russian; unknown reasons stay English after the location."""
    if _MORE.fullmatch(text):
        return reason(text) or text
    suffix = ''
    if folded := _MORE_LIKE_IT.search(text):
        text, suffix = text[: folded.start()], f' (и ещё подобных: {folded[1]})'
    located = _LOCATION.fullmatch(text)
    if located:
        where = f'строка {located["line"]}' if located['line'] else f'элемент {located["element"]}'
        rest = located['rest']
        return f'{located["file"]}: {where}: {reason(rest) or rest}{suffix}'
    start = text.find(': ')
    while start >= 0:  # 'FILE: reason': the file name itself may hold ': ', so try each split
        translated = reason(text[start + 2 :])
        if translated is not None:
            return f'{text[: start + 2]}{translated}{suffix}'
        start = text.find(': ', start + 2)
    return text + suffix
