"""Import messages as codes (services.core.messages): one table of English templates, Russian from the catalog."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from services.core import i18n
from services.core.messages import TEMPLATES, Reason, placeholders, render, sentence
from services.ingest.formats import Notice
from tests.unit.importers.message_examples import EXAMPLES, PERIOD, READING, R, at, on

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted(path for folder in ('services', 'pages', 'cli', 'jobs') for path in (ROOT / folder).rglob('*.py'))


def _codes(reason: Reason) -> set[str]:
    nested = (_codes(value) for value in reason.params.values() if isinstance(value, Reason))
    return {reason.code}.union(*nested)


@pytest.mark.parametrize('code', sorted(TEMPLATES))
def test_every_code_has_a_russian_template_that_needs_no_parameter_the_english_lacks(code: str) -> None:
    russian = i18n.pgettext(code, TEMPLATES[code], language='ru')
    assert code == 'in_file' or russian != TEMPLATES[code], f'add msgctxt "{code}" to locales/ru/pipeline.po'
    assert placeholders(russian) <= placeholders(TEMPLATES[code])


def test_every_code_has_an_example_with_the_english_it_had_before_codes() -> None:
    shown = set().union(*(_codes(notice.reason) for notice, _ in EXAMPLES))
    located = {'at_line', 'at_element', 'in_file', 'more_like_it', 'more_warnings'}  # added by Notice and the log
    assert set(TEMPLATES) - located - shown == set()


@pytest.mark.parametrize(('notice', 'english'), EXAMPLES)
def test_rendering_in_english_gives_the_text_of_the_command_line_the_api_and_the_log(
    notice: Notice, english: str
) -> None:
    assert str(notice) == notice.text('en') == english


@pytest.mark.parametrize(('notice', 'english'), EXAMPLES)
def test_a_notice_comes_back_from_its_stored_json_and_reads_in_russian(notice: Notice, english: str) -> None:
    stored = Notice.from_json(notice.to_json())
    assert stored == notice
    russian = stored.text('ru')
    assert russian.startswith(f'{notice.file}: ')
    assert russian != english or notice.reason.code == 'not_a_number'  # only a number is the same in both


@pytest.mark.parametrize(
    ('notice', 'russian'),
    [
        (at(3, R('no_such_date', what=R('date_column', name='valid_from'), value='31.06.2026'), 'bad.csv'),
         "bad.csv: строка 3: дата valid_from '31.06.2026' не существует"),
        (at(3, R('not_iso_timestamp', what=R('column', name='start'), value='yesterday'), 'bad.csv'),
         "bad.csv: строка 3: значение start 'yesterday' не является меткой времени ISO 8601"),
        (at(4, R('unknown_meter', serial='X-9')), 'd.csv: строка 4: неизвестный счётчик X-9 (его нет в реестре)'),
        (at(2, R('negative', what=R('energy_value'), value='-1')),
         "d.csv: строка 2: значение энергии '-1' отрицательное"),
        (on(PERIOD, R('not_hhmm', what=R('attribute', name='start'), value='0160')),
         f"m.xml: элемент {PERIOD}: атрибут start '0160' не является временем ЧЧММ"),
        (at(2, R('not_whole_profile', minutes='45', serial='M-1', profile=30)),
         'd.csv: строка 2: интервал длиной 45 мин не кратен 30-минутному профилю счётчика M-1'),
        (at(2, R('spread', minutes=60, parts=2, profile=30), more=4),
         'd.csv: строка 2: значение за 60 мин разнесено по 2 интервалам длиной 30 мин и помечено как расчётное '
         '(и ещё подобных: 4)'),
        (on(READING, R('zero_length_reading'), 'g.xml'),
         f'g.xml: элемент {READING}: показание нулевой длины отброшено'),
        (at(5, R('register_again', energy='A+', zone=0, at='2026-03-01 00:00')),
         'd.csv: строка 5: показание регистра A+, зона 0, на 2026-03-01 00:00 UTC повторяется; '
         'более позднее значение заменяет прежнее'),
        (Notice('d.csv', R('spread_collision', energy='A+', at='2026-03-01 00:00')),
         'd.csv: A+ за 2026-03-01 00:00 UTC: у интервала два значения; оставлено то, что дальше в файле'),
        (Notice('x.xml', R('xml_encoding', why='koi9')), 'x.xml: неизвестная кодировка XML: koi9'),
        (Notice('e.txt', R('empty_file')), 'e.txt: файл пуст'),
    ],
)  # fmt: skip
def test_real_messages_read_as_russian(notice: Notice, russian: str) -> None:
    assert notice.text('ru') == russian


def test_the_log_s_count_of_left_out_warnings_reads_in_both_languages() -> None:
    assert (render(R('more_warnings', n=12)), render(R('more_warnings', n=12), 'ru')) == ('… and 12 more', '… и ещё 12')


def test_a_reason_shown_next_to_a_form_field_is_a_sentence() -> None:
    assert sentence(R('rate_not_positive'), 'ru') == 'Ставка должна быть больше нуля, например 5,62.'
    assert sentence(R('rate_decimals'), 'en') == 'At most four digits after the decimal point.'


def test_stored_data_of_an_unknown_code_or_a_strange_parameter_is_refused() -> None:
    with pytest.raises(ValueError, match='not a stored reason'):
        Reason.from_json({'code': 'a_code_of_a_later_version', 'params': {}})
    with pytest.raises(ValueError, match='not a stored parameter'):
        Reason.from_json({'code': 'unknown_meter', 'params': {'serial': [1, 2]}})
    with pytest.raises(ValueError, match='not a stored notice'):
        Notice.from_json({'file': 'a.csv', 'line': 'two', 'reason': {'code': 'empty_file', 'params': {}}})


def _reason_calls() -> list[tuple[str, str, set[str]]]:
    """(file:line, code, parameter names) of every Reason(...) in the product's code."""
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if isinstance(node, ast.Call) and getattr(node.func, 'id', '') == 'Reason':
                where = f'{path.relative_to(ROOT)}:{node.lineno}'
                first = node.args[0] if node.args else None
                codes = [first] if not isinstance(first, ast.IfExp) else [first.body, first.orelse]
                names = {keyword.arg or '**' for keyword in node.keywords}
                for code in codes:
                    found.append((where, code.value if isinstance(code, ast.Constant) else repr(code), names))
    return found


def test_the_source_walk_finds_the_reasons_of_the_parsers_the_storage_and_the_pages() -> None:
    files = {where.split(':')[0] for where, _, _ in _reason_calls()}
    assert {'services/ingest/formats/obis_csv.py', 'services/ingest/normalise.py', 'pages/operator/imports.py'} <= files
    assert len(_reason_calls()) > 90  # about a hundred places today


@pytest.mark.parametrize(('where', 'code', 'names'), _reason_calls())
def test_every_reason_in_the_code_names_a_known_code_with_the_parameters_of_its_template(
    where: str, code: str, names: set[str]
) -> None:
    assert code in TEMPLATES, f'{where}: write the code as a literal of services.core.messages.TEMPLATES'
    assert names == placeholders(TEMPLATES[code]), where
