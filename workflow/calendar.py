"""Working-day arithmetic on the State Council's calendar (调休 Saturdays included).

The admin table of holidays (Holiday) overrides chinese-calendar and extends it past the years it knows;
for an unknown year weekdays are counted and the result is marked provisional.
"""

import datetime
from dataclasses import dataclass

import chinese_calendar


MAX_TERM = datetime.timedelta(days=366)  # a date further off than this is a typing error


def cn_date(value):
    """2026年3月5日, as printed on notices and in messages."""
    return value.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月") if value else ""


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    provisional: bool


def _overrides(start, end):
    from .models import Holiday

    return dict(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def _package_is_workday(day):
    """(is_workday, known) from chinese-calendar; unknown years fall back to Monday–Friday."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def year_is_known(year):
    from .models import Holiday

    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
        return True
    except NotImplementedError:
        return Holiday.objects.filter(date__year=year).exists()


def is_workday(day):
    override = _overrides(day, day).get(day)
    if override is not None:
        return override
    return _package_is_workday(day)[0]


def add_working_days(start, days):
    """The day on which a period of `days` working days begun on `start` ends (the start day not counted)."""
    if days < 0:
        raise ValueError("days must be non-negative")
    overrides = _overrides(start, start + datetime.timedelta(days=days * 3 + 40))
    provisional = False
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if day in overrides:
            workday = overrides[day]
        else:
            workday, known = _package_is_workday(day)
            if not known and not year_is_known(day.year):
                provisional = True
        if workday:
            remaining -= 1
    return Deadline(day, provisional)


def add_period(start, period):
    if period.working_days:
        return add_working_days(start, period.days)
    return Deadline(start + datetime.timedelta(days=period.days), False)


def working_days_between(start, end):
    """Working days after `start` up to and including `end`."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        workday = overrides[day] if day in overrides else _package_is_workday(day)[0]
        count += workday
    return count
