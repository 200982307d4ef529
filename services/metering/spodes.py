"""SPODES meter event catalogue (СПОДЭС, СТО 34.01-5.1-006, annex D tables): text, severity and episode pairs.

Events arrive as (journal N of OBIS 0.0.96.11.N.255, code). Severities follow SPEC section 7; a start code and
its end code form one episode (power off -> power on, magnetic field start -> end, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

JOURNALS: dict[int, tuple[str, str]] = {
    0: ('Напряжение', 'Voltage'),
    1: ('Ток', 'Current'),
    2: ('Включение/выключение и реле нагрузки', 'Power on/off and load relay'),
    3: ('Коррекция данных и программирование', 'Data correction and programming'),
    4: ('Внешние воздействия', 'External influence'),
    5: ('Коммуникационные события', 'Communication'),
    6: ('Контроль доступа', 'Access control'),
    7: ('Самодиагностика', 'Self-diagnostics'),
    8: ('Превышение tg φ', 'Reactive power factor (tg φ)'),
    9: ('Качество сети', 'Power quality'),
    13: ('Коррекция времени', 'Clock correction'),
}


@dataclass(frozen=True)
class EventKind:
    journal: int
    code: int
    severity: str  # 'critical' | 'warning' | 'info'
    text_ru: str
    text_en: str
    ends: int | None = None  # code of the event that ends this one's episode
    ended_by: int | None = None  # for an end event: the code of the start event it closes


_PHASES = (('А', 'A'), ('В', 'B'), ('С', 'C'))


def _per_phase(
    first: int, what: tuple[str, str], *, start: tuple[str, str], end: tuple[str, str]
) -> dict[int, tuple[str, str]]:
    """Start/end texts (ru, en) for phases A, B, C: codes first, first+1 for A, first+2, first+3 for B, ..."""
    texts: dict[int, tuple[str, str]] = {}
    for offset, (phase_ru, phase_en) in enumerate(_PHASES):
        for step, (word_ru, word_en) in enumerate((start, end)):
            texts[first + 2 * offset + step] = (
                f'Фаза {phase_ru}: {what[0]} {word_ru}',
                f'Phase {phase_en} {what[1]} {word_en}',
            )
    return texts


_STARTED, _ENDED = ('— начало', 'started'), ('— окончание', 'ended')


_TEXTS: dict[int, dict[int, tuple[str, str]]] = {
    0: {
        **_per_phase(1, ('напряжение', 'voltage'), start=('пропало', 'lost'), end=('восстановлено', 'restored')),
        7: ('Перенапряжение любой фазы — начало', 'Overvoltage on any phase started'),
        8: ('Перенапряжение любой фазы — окончание', 'Overvoltage on any phase ended'),
        9: ('Низкое напряжение любой фазы — начало', 'Undervoltage on any phase started'),
        10: ('Низкое напряжение любой фазы — окончание', 'Undervoltage on any phase ended'),
        11: ('Несимметрия напряжений выше порога — начало', 'Voltage unbalance above threshold started'),
        12: ('Несимметрия напряжений выше порога — окончание', 'Voltage unbalance above threshold ended'),
        **_per_phase(13, ('перенапряжение', 'overvoltage'), start=_STARTED, end=_ENDED),
        **_per_phase(19, ('провал напряжения', 'voltage dip'), start=_STARTED, end=_ENDED),
        25: ('Неправильная последовательность фаз — начало', 'Wrong phase sequence started'),
        26: ('Неправильная последовательность фаз — окончание', 'Wrong phase sequence ended'),
        27: ('Прерывание напряжения', 'Voltage interruption'),
        28: ('Восстановление напряжения после прерывания', 'Voltage restored after interruption'),
    },
    1: {
        **_per_phase(1, ('экспорт', 'export'), start=_STARTED, end=_ENDED),
        7: ('Обрыв трансформатора тока фазы А', 'Current transformer of phase A open'),
        8: ('Трансформатор тока фазы А восстановлен', 'Current transformer of phase A restored'),
        9: ('Обрыв трансформатора тока фазы В', 'Current transformer of phase B open'),
        10: ('Трансформатор тока фазы В восстановлен', 'Current transformer of phase B restored'),
        11: ('Обрыв трансформатора тока фазы С', 'Current transformer of phase C open'),
        12: ('Трансформатор тока фазы С восстановлен', 'Current transformer of phase C restored'),
        13: ('Разбаланс токов — начало', 'Current imbalance started'),
        14: ('Разбаланс токов — окончание', 'Current imbalance ended'),
        15: ('Замыкание трансформатора тока — начало', 'Current transformer short circuit started'),
        16: ('Замыкание трансформатора тока — окончание', 'Current transformer short circuit ended'),
        17: ('Превышение тока любой фазы — начало', 'Overcurrent on any phase started'),
        18: ('Превышение тока любой фазы — окончание', 'Overcurrent on any phase ended'),
        **_per_phase(19, ('ток при отсутствии напряжения', 'current without voltage'), start=_STARTED, end=_ENDED),
        **_per_phase(25, ('превышение максимального тока', 'maximum current exceeded'), start=_STARTED, end=_ENDED),
        31: ('Ток без напряжения (обрыв нейтрали) — начало', 'Current without voltage (broken neutral) started'),
        32: ('Ток без напряжения (обрыв нейтрали) — окончание', 'Current without voltage (broken neutral) ended'),
        33: ('Обратный поток мощности — начало', 'Reverse power flow started'),
        34: ('Обратный поток мощности — окончание', 'Reverse power flow ended'),
        35: ('Разнонаправленная мощность по фазам — начало', 'Opposite power directions on phases started'),
        36: ('Разнонаправленная мощность по фазам — окончание', 'Opposite power directions on phases ended'),
        37: ('Ток при выключенном реле нагрузки — начало', 'Current with the load relay open started'),
        38: ('Ток при выключенном реле нагрузки — окончание', 'Current with the load relay open ended'),
    },
    2: {
        1: ('Выключение питания счётчика', 'Meter power off'),
        2: ('Включение питания счётчика', 'Meter power on'),
        3: ('Дистанционное отключение абонента', 'Consumer disconnected remotely'),
        4: ('Дистанционное подключение абонента', 'Consumer connected remotely'),
        5: ('Получено разрешение на включение', 'Reconnection enabled'),
        6: ('Реле нагрузки выключено абонентом', 'Load relay opened by the consumer'),
        7: ('Реле нагрузки включено абонентом', 'Load relay closed by the consumer'),
        8: ('Отключение: превышен лимит мощности', 'Tripped: power limit exceeded'),
        9: ('Отключение: превышен максимальный ток', 'Tripped: maximum current exceeded'),
        10: ('Отключение: воздействие магнитного поля', 'Tripped: magnetic field'),
        11: ('Отключение: перенапряжение', 'Tripped: overvoltage'),
        12: ('Включение: напряжение в норме', 'Reconnected: voltage back to normal'),
        13: ('Отключение: ток при отсутствии напряжения', 'Tripped: current without voltage'),
        14: ('Отключение: разбаланс токов', 'Tripped: current imbalance'),
        15: ('Отключение: перегрев', 'Tripped: over-temperature'),
        16: ('Включение резервного питания', 'Backup power on'),
        17: ('Отключение резервного питания', 'Backup power off'),
        18: ('Отключение: вскрыта клеммная крышка или корпус', 'Tripped: terminal cover or case opened'),
        19: ('Отключение: превышен лимит энергии по тарифу', 'Tripped: tariff energy limit exceeded'),
        20: ('Включение после отключения по мощности', 'Reconnected after a power-limit trip'),
        21: ('Включение после отключения по току', 'Reconnected after an overcurrent trip'),
        22: ('Включение после отключения по разбалансу токов', 'Reconnected after a current-imbalance trip'),
        23: ('Включение: температура в норме', 'Reconnected: temperature back to normal'),
        24: ('Включение: магнитное поле в норме', 'Reconnected: magnetic field gone'),
        25: ('Отключение реле через арбитр', 'Relay opened by the arbitrator'),
        26: ('Включение реле через арбитр', 'Relay closed by the arbitrator'),
        29: ('Полное пропадание питания счётчика', 'Complete loss of meter power'),
    },
    3: {
        1: ('Изменены адрес или скорость RS-485-1', 'RS-485-1 address or baud rate changed'),
        3: ('Установка времени', 'Clock set'),
        4: ('Изменены параметры перехода на летнее время', 'Daylight-saving settings changed'),
        5: ('Изменён сезонный профиль тарифного расписания', 'Tariff season profile changed'),
        6: ('Изменён недельный профиль тарифного расписания', 'Tariff week profile changed'),
        7: ('Изменён суточный профиль тарифного расписания', 'Tariff day profile changed'),
        9: ('Активация тарифного расписания', 'Tariff schedule activated'),
        10: ('Изменён расчётный день и час', 'Billing day and hour changed'),
        13: ('Изменён пароль на чтение', 'Read password changed'),
        14: ('Изменён пароль на запись', 'Write password changed'),
        15: ('Изменены данные точки учёта', 'Metering point data changed'),
        19: ('Изменён лимит мощности для отключения', 'Power limit for disconnection changed'),
        50: ('Изменён режим управления реле', 'Relay control mode changed'),
        65: ('Обновление встроенного ПО', 'Firmware updated'),
        68: ('Коррекция времени', 'Clock corrected'),
        145: ('Изменён часовой пояс', 'Time zone changed'),
    },
    4: {
        1: ('Магнитное поле — начало', 'Magnetic field started'),
        2: ('Магнитное поле — окончание', 'Magnetic field ended'),
        3: ('Сработала электронная пломба клеммной крышки', 'Terminal cover seal broken'),
        4: ('Сработала электронная пломба корпуса', 'Case seal broken'),
        5: ('Сработала электронная пломба внешнего датчика', 'External sensor seal broken'),
        6: ('Воздействие радиочастотного поля — начало', 'RF field started'),
        7: ('Воздействие радиочастотного поля — окончание', 'RF field ended'),
    },
    5: {
        1: ('Соединение разорвано', 'Connection closed'),
        2: ('Соединение установлено', 'Connection established'),
    },
    6: {
        1: ('Попытка несанкционированного доступа', 'Unauthorised access attempt'),
        2: ('Нарушение требований протокола', 'Protocol violation'),
        3: ('Блокировка после неверных паролей', 'Locked after too many wrong passwords'),
        4: ('Ошибка проверки встроенного ПО', 'Firmware verification failed'),
    },
    7: {
        1: ('Инициализация счётчика', 'Meter initialised'),
        2: ('Измерительный блок — ошибка', 'Measuring unit error'),
        3: ('Измерительный блок — норма', 'Measuring unit OK'),
        4: ('Вычислительный блок — ошибка', 'Processing unit error'),
        5: ('Часы реального времени — ошибка', 'Real-time clock error'),
        6: ('Часы реального времени — норма', 'Real-time clock OK'),
        7: ('Блок питания — ошибка', 'Power supply error'),
        8: ('Блок питания — норма', 'Power supply OK'),
        9: ('Дисплей — ошибка', 'Display error'),
        10: ('Дисплей — норма', 'Display OK'),
        11: ('Блок памяти — ошибка', 'Memory error'),
        12: ('Блок памяти — норма', 'Memory OK'),
        13: ('Память программ — ошибка', 'Program memory error'),
        14: ('Память программ — норма', 'Program memory OK'),
        15: ('Тактирование ядра — ошибка', 'Core clocking error'),
        16: ('Тактирование ядра — норма', 'Core clocking OK'),
        17: ('Тактирование часов — ошибка', 'Clock oscillator error'),
        18: ('Тактирование часов — норма', 'Clock oscillator OK'),
        19: ('Вычислительный блок — норма', 'Processing unit OK'),
    },
    8: {
        1: ('tg φ выше порога — начало', 'tg φ above threshold started'),
        2: ('tg φ выше порога — окончание', 'tg φ above threshold ended'),
    },
    13: {
        1: ('Коррекция времени', 'Clock corrected'),
    },
}

# start code -> end code, per journal
_PAIRS: dict[int, dict[int, int]] = {
    0: {code: code + 1 for code in range(1, 27, 2)} | {27: 28},
    1: {code: code + 1 for code in range(1, 39, 2)},
    2: {1: 2, 3: 4, 6: 7, 8: 20, 9: 21, 10: 24, 11: 12, 14: 22, 15: 23, 16: 17, 25: 26},
    4: {1: 2, 6: 7},
    7: {2: 3, 4: 19, 5: 6, 7: 8, 9: 10, 11: 12, 13: 14, 15: 16, 17: 18},
    8: {1: 2},
}
_ENDS: dict[int, dict[int, int]] = {
    journal: {end: start for start, end in pairs.items()} for journal, pairs in _PAIRS.items()
}

_CRITICAL: dict[int, frozenset[int]] = {
    4: frozenset({1, 3, 4, 5, 6}),
    7: frozenset({2, 4, 5, 7, 9, 11, 13, 15, 17}),
    6: frozenset({3, 4}),
    1: frozenset({7, 9, 11, 15, 37}),
}
_WARNING: dict[int, frozenset[int]] = {
    0: frozenset(range(7, 27)),
    1: frozenset({13, 17, *range(25, 31)}),
    2: frozenset({*range(8, 16), 18}),
}


def severity(journal: int, code: int) -> str:
    """'critical', 'warning' or 'info' as SPEC 7 colours it; every clock-correction entry is a warning."""
    if is_episode_end(journal, code):  # "end" and "OK" counterparts are information (SPEC §7)
        return 'info'
    if code in _CRITICAL.get(journal, frozenset()):
        return 'critical'
    if journal == 13 or code in _WARNING.get(journal, frozenset()):
        return 'warning'
    return 'info'


def describe(journal: int, code: int) -> EventKind:
    """The catalogue entry; an unknown code gets a generic text «Событие N:code» / 'Event N:code'."""
    text_ru, text_en = _TEXTS.get(journal, {}).get(code, (f'Событие {journal}:{code}', f'Event {journal}:{code}'))
    return EventKind(
        journal=journal,
        code=code,
        severity=severity(journal, code),
        text_ru=text_ru,
        text_en=text_en,
        ends=episode_end_code(journal, code),
        ended_by=_ENDS.get(journal, {}).get(code),
    )


def episode_end_code(journal: int, code: int) -> int | None:
    """The code that ends the episode `code` starts, or None when it starts none."""
    return _PAIRS.get(journal, {}).get(code)


def is_episode_end(journal: int, code: int) -> bool:
    return code in _ENDS.get(journal, {})
