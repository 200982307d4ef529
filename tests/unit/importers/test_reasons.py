"""Russian wording of the stored English import messages (services.importers.reasons)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from services.ingest.formats.reasons import reason, russian

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted([*ROOT.glob('services/ingest/formats/*.py'), *ROOT.glob('services/ingest/*.py')])
HOLE = '\x00'  # stands for each {…} of an f-string
_LOCATION = re.compile(f'^{HOLE}: (?:(?:line [0-9{HOLE}]+|element {HOLE}): )?')
_REASON_CALLS = {'ImportRejected': 1, 'rejection': 1, 'BadValue': 0}  # the reason's argument position


def _shape(node: ast.expr) -> list[str]:
    """The template(s) of a string expression with each placeholder as HOLE; [] for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.Constant) else HOLE for v in node.values]
        return [re.sub(f'{HOLE}+', HOLE, ''.join(str(p) for p in parts))]
    if isinstance(node, ast.IfExp):
        return _shape(node.body) + _shape(node.orelse)
    return []


def _returns_text_or_record(function: ast.FunctionDef) -> bool:
    """`-> Record | str`: the parsers' way of returning a warning instead of a value."""
    returns = function.returns
    return isinstance(returns, ast.BinOp) and 'str' in {
        getattr(side, 'id', '') for side in (returns.left, returns.right)
    }


def _templates(tree: ast.Module) -> list[str]:
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, 'id', getattr(node.func, 'attr', ''))
            target = getattr(node.func, 'value', None)
            if name in _REASON_CALLS and len(node.args) > _REASON_CALLS[name]:
                found += _shape(node.args[_REASON_CALLS[name]])
            elif (name, getattr(target, 'attr', getattr(target, 'id', ''))) in {
                ('append', 'warnings'),
                ('add', 'notes'),
            }:
                found += _shape(node.args[0])
        elif isinstance(node, ast.Assign) and any(getattr(t, 'id', '') == 'reason' for t in node.targets):
            found += _shape(node.value)
        elif isinstance(node, ast.FunctionDef) and _returns_text_or_record(node):
            found += [s for r in ast.walk(node) if isinstance(r, ast.Return) and r.value for s in _shape(r.value)]
    return found


def _all_templates() -> list[tuple[str, str]]:
    out = []
    for path in SOURCES:
        for template in _templates(ast.parse(path.read_text(encoding='utf-8'))):
            bare = _LOCATION.sub('', template)
            if bare != HOLE:  # only a location around a reason built elsewhere
                out.append((path.name, bare))
    return out


def test_the_source_walk_finds_the_reasons_of_every_parser_and_the_storage() -> None:
    found = _all_templates()
    files = {name for name, _ in found}
    assert {'detect.py', 'text.py', 'obis_csv.py', 'xml80020.py', 'greenbutton.py', 'registry_csv.py'} <= files
    assert {'tariff_csv.py', 'normalise.py', 'registry.py', 'pipeline.py', '__init__.py'} <= files
    assert ('text.py', f"{HOLE} '{HOLE}' does not exist") in found
    assert ('greenbutton.py', 'zero-length reading dropped') in found
    assert len(found) > 80  # about 95 raise, append and return sites today


@pytest.mark.parametrize(('file', 'template'), _all_templates())
def test_every_english_reason_and_warning_has_a_russian_template(file: str, template: str) -> None:
    sample = template.replace(HOLE, '7')  # a template's {name} captures any text, digits included
    assert reason(sample) is not None, f'{file}: no Russian for {template!r}'


@pytest.mark.parametrize(
    ('english', 'expected'),
    [
        ("bad.csv: line 3: valid_from '31.06.2026' does not exist",
         "bad.csv: строка 3: дата valid_from '31.06.2026' не существует"),
        ('d.csv: line 4: unknown meter X-9 (not in the registry)',
         'd.csv: строка 4: неизвестный счётчик X-9 (его нет в реестре)'),
        ('d.csv: line 7: unknown OBIS code 1.0.9.9.0.255', 'd.csv: строка 7: неизвестный код OBIS 1.0.9.9.0.255'),
        ("d.csv: line 2: an interval of 45 minutes is not a whole multiple of meter M-1's 30-minute profile",
         'd.csv: строка 2: интервал длиной 45 мин не кратен 30-минутному профилю счётчика M-1'),
        ('d.csv: line 2: a value of 60 minutes was spread over 2 intervals of 30 minutes and marked estimated '
         '(and 4 more like it)',
         'd.csv: строка 2: значение за 60 мин разнесено по 2 интервалам длиной 30 мин и помечено как расчётное '
         '(и ещё подобных: 4)'),
        ('g.xml: element entry[4]/content/IntervalBlock[1]/IntervalReading[2]: zero-length reading dropped',
         'g.xml: элемент entry[4]/content/IntervalBlock[1]/IntervalReading[2]: показание нулевой длины отброшено'),
        ('m.xml: element area[1]/measuringpoint[@code=123456789012345]: unknown measuring point 123456789012345 '
         '(no registry meter has this point_code)',
         'm.xml: элемент area[1]/measuringpoint[@code=123456789012345]: неизвестная точка измерения '
         '123456789012345 (ни у одного счётчика в реестре нет такого point_code)'),
        ('d.csv: line 5: register A+ zone 0 at 2026-03-01 00:00 UTC again; this later value replaces the earlier one',
         'd.csv: строка 5: показание регистра A+, зона 0, на 2026-03-01 00:00 UTC повторяется; '
         'более позднее значение заменяет прежнее'),
        ('d.csv: A+ at 2026-03-01 00:00 UTC: this interval got two values; the later one in the file is kept',
         'd.csv: A+ за 2026-03-01 00:00 UTC: у интервала два значения; оставлено то, что дальше в файле'),
        ('e.txt: the file is empty', 'e.txt: файл пуст'),
        ('… and 12 more', '… и ещё 12'),
    ],
)  # fmt: skip
def test_real_messages_read_as_russian(english: str, expected: str) -> None:
    assert russian(english) == expected


def test_an_unknown_reason_keeps_its_english_and_gets_only_the_location_word() -> None:
    assert russian('x.csv: line 2: a brand-new complaint') == 'x.csv: строка 2: a brand-new complaint'
    assert russian('x.xml: element a/b: a brand-new complaint') == 'x.xml: элемент a/b: a brand-new complaint'
    assert russian('x.csv: a brand-new complaint') == 'x.csv: a brand-new complaint'
    assert russian('') == ''


def test_a_reason_that_itself_holds_a_colon_is_found_after_the_file_name() -> None:
    assert russian('x.xml: unknown XML encoding: koi9') == 'x.xml: неизвестная кодировка XML: koi9'
