"""Counts behind the timeline: recordings per day and per hour of day, flagged ones apart. No Qt."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

import numpy as np

from voicearchive.model import CaseItem

NIGHT_START, NIGHT_END = 22, 6  # night is 22:00 to 06:00 local time


def is_night(hour: float) -> bool:
    return hour >= NIGHT_START or hour < NIGHT_END


def local_zone() -> tzinfo:
    """The machine's time zone (the person's own clock, where night-time means something)."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


@dataclass
class TimelineData:
    """Recordings placed in local time: one point each, plus per-day and per-hour counts."""

    keys: list[str]
    days: np.ndarray  # (n,) int proleptic Gregorian ordinal of the local day
    hours: np.ndarray  # (n,) float hour of day, 0 <= h < 24 (minutes as fractions)
    flagged: np.ndarray  # (n,) bool
    day_totals: dict[date, int] = field(default_factory=dict)
    day_flagged: dict[date, int] = field(default_factory=dict)
    hour_totals: np.ndarray = field(default_factory=lambda: np.zeros(24, dtype=np.int64))
    hour_flagged: np.ndarray = field(default_factory=lambda: np.zeros(24, dtype=np.int64))
    undated: int = 0  # recordings whose time is unknown

    @classmethod
    def from_items(cls, items: Iterable[CaseItem], zone: tzinfo) -> "TimelineData":
        keys: list[str] = []
        days: list[int] = []
        hours: list[float] = []
        flags: list[bool] = []
        undated = 0
        for it in items:
            when = it.rec.recorded_at
            if when is None:
                undated += 1
                continue
            local = when.astimezone(zone)
            keys.append(it.rec.key)
            days.append(local.toordinal())
            hours.append(local.hour + local.minute / 60 + local.second / 3600)
            flags.append(it.flagged)
        data = cls(
            keys=keys,
            days=np.asarray(days, dtype=np.int64),
            hours=np.asarray(hours, dtype=np.float64),
            flagged=np.asarray(flags, dtype=bool),
            undated=undated,
        )
        if keys:
            ordinals, totals = np.unique(data.days, return_counts=True)
            data.day_totals = {date.fromordinal(int(o)): int(c) for o, c in zip(ordinals, totals)}
            f_ord, f_cnt = np.unique(data.days[data.flagged], return_counts=True)
            data.day_flagged = {date.fromordinal(int(o)): int(c) for o, c in zip(f_ord, f_cnt)}
            whole = data.hours.astype(np.int64)
            data.hour_totals = np.bincount(whole, minlength=24)
            data.hour_flagged = np.bincount(whole[data.flagged], minlength=24)
        return data

    @property
    def flagged_at_night(self) -> int:
        return int(sum(self.hour_flagged[h] for h in range(24) if is_night(h)))


# How the bars under the timeline count: per day over a few months, then per week, month or year.
DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"
DAYS_MAX, WEEKS_MAX, MONTHS_MAX = 120, 2 * 366, 12 * 366  # the longest range (in days) each unit is used for


def bin_unit(first: date, last: date) -> str:
    """The bar width that keeps a range of days readable: day, week, month or year."""
    span = (last - first).days
    return DAY if span <= DAYS_MAX else WEEK if span <= WEEKS_MAX else MONTH if span <= MONTHS_MAX else YEAR


def bin_start(day: date, unit: str) -> date:
    if unit == WEEK:
        return date.fromordinal(day.toordinal() - day.weekday())  # Monday
    if unit == MONTH:
        return day.replace(day=1)
    if unit == YEAR:
        return day.replace(month=1, day=1)
    return day


def bin_last(start: date, unit: str) -> date:
    """The last day (inclusive) of the bin that begins at ``start``."""
    if unit == WEEK:
        return date.fromordinal(start.toordinal() + 6)
    if unit == MONTH:
        following = (start.replace(year=start.year + 1, month=1) if start.month == 12
                     else start.replace(month=start.month + 1))
        return date.fromordinal(following.toordinal() - 1)
    if unit == YEAR:
        return start.replace(month=12, day=31)
    return start


@dataclass
class Bins:
    """Recordings per bar: each bar covers ``starts[i]`` to ``lasts[i]`` (inclusive)."""

    unit: str
    starts: list[date]
    lasts: list[date]
    totals: list[int]
    flagged: list[int]

    def at(self, day: date) -> int:
        """The index of the bar holding ``day``, or -1."""
        start = bin_start(day, self.unit)
        try:
            return self.starts.index(start)
        except ValueError:
            return -1


def bins(data: TimelineData, unit: str | None = None) -> Bins:
    """``data``'s per-day counts gathered into bars of ``unit`` (chosen from the range if None)."""
    days = sorted(data.day_totals)
    if unit is None:
        unit = bin_unit(days[0], days[-1]) if days else DAY
    totals: dict[date, int] = {}
    flagged: dict[date, int] = {}
    for day in days:
        start = bin_start(day, unit)
        totals[start] = totals.get(start, 0) + data.day_totals[day]
        flagged[start] = flagged.get(start, 0) + data.day_flagged.get(day, 0)
    starts = sorted(totals)
    return Bins(unit, starts, [bin_last(s, unit) for s in starts], [totals[s] for s in starts],
                [flagged[s] for s in starts])
