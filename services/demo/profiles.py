"""Synthetic but realistic consumption of the demo utility (SPEC §5 "Realistic demo data"). Pure functions."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Household:
    """How a home uses electricity: kWh per half-hour at the shape's peaks, and what it heats with."""

    base: float  # always-on load, kWh per half-hour (fridge, router)
    morning: float  # extra at the morning peak
    evening: float  # extra at the evening peak
    day: float  # extra during the day
    heating_per_degree: float = 0.0  # electric heating, kWh per half-hour per degree below 16 °C
    solar_peak: float = 0.0  # export at a clear summer noon, kWh per half-hour
    seasonal: float = 0.3  # lighting and being at home: winter above summer
    night: float = 0.0  # loads moved to the cheap night zone (water heater, washing machine), kWh per half-hour


FLAT_ELECTRIC_STOVE = Household(base=0.07, morning=0.30, evening=0.55, day=0.08)
# A two-zone flat runs its water heater and washing machine at night: 25–35 % of its energy falls there.
FLAT_TWO_ZONE = Household(base=0.06, morning=0.25, evening=0.45, day=0.06, night=0.2)
HOUSE_HEATED = Household(base=0.12, morning=0.35, evening=0.60, day=0.15, heating_per_degree=0.055, solar_peak=0.9)
GARAGE = Household(base=0.012, morning=0.0, evening=0.06, day=0.01, seasonal=0.6)
FLAT_GAS_STOVE = Household(base=0.05, morning=0.18, evening=0.35, day=0.05)


def outdoor_temperature(moment: datetime) -> float:
    """A Central-Russia year: about −10 °C in mid-January, +18 °C in mid-July, colder at night."""
    doy = moment.timetuple().tm_yday
    season = 4.0 - 14.0 * math.cos(2 * math.pi * (doy - 15) / 365.25)
    return season - 3.0 * math.cos(2 * math.pi * (moment.hour - 4) / 24)


def shape(hour: float, weekend: bool) -> tuple[float, float, float]:
    """Weights of the morning, day and evening parts at a local hour; weekends start later and are flatter."""
    shift = 1.5 if weekend else 0.0
    morning = math.exp(-((hour - 7.5 - shift) ** 2) / 1.2)
    evening = math.exp(-((hour - 20.0) ** 2) / 4.0) * (0.85 if weekend else 1.0)
    day = (1.0 if 9 + shift <= hour < 18 else 0.0) * (1.8 if weekend else 1.0)
    return morning, day, evening


def half_hour_wh(home: Household, moment: datetime, rng: random.Random) -> tuple[int, int]:
    """(A+ Wh, A− Wh) of the half hour starting at local `moment`."""
    hour = moment.hour + moment.minute / 60 + 0.25
    weekend = moment.weekday() >= 5
    morning, day, evening = shape(hour, weekend)
    doy = moment.timetuple().tm_yday
    winter = 0.5 + 0.5 * math.cos(2 * math.pi * (doy - 15) / 365.25)  # 1 in January, 0 in July
    kwh = home.base * (0.8 + 0.4 * rng.random())
    kwh += (home.morning * morning + home.day * day + home.evening * evening) * (1 + home.seasonal * winter)
    kwh *= 0.75 + 0.5 * rng.random()
    if home.night and (hour >= 23 or hour < 4):
        kwh += home.night * (0.6 + 0.8 * rng.random())
    if rng.random() < 0.03:  # kettle, washing machine, oven
        kwh += 0.3 + 0.5 * rng.random()
    kwh += home.heating_per_degree * max(0.0, 16.0 - outdoor_temperature(moment)) * (0.85 + 0.3 * rng.random())
    export = 0.0
    if home.solar_peak and 6 <= hour <= 19:
        sun = max(0.0, math.sin(math.pi * (hour - 6) / 13)) * (1 - winter) ** 1.5 * rng.uniform(0.3, 1.0)
        produced = home.solar_peak * sun
        used_here = min(kwh, produced)
        kwh -= used_here
        export = produced - used_here
    return round(kwh * 1000), round(export * 1000)


def reactive_wh(active_wh: int, rng: random.Random) -> int:
    """R+ of a household: 20–40 % of A+."""
    return round(active_wh * rng.uniform(0.2, 0.4))


def local(instant: int, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(instant, tz)
