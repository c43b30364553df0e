"""Calendar periods of duties: month, quarter, half-year, year."""

import calendar
import datetime

MONTH, QUARTER, HALF_YEAR, YEAR = "month", "quarter", "half_year", "year"
_MONTHS = {MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12}


def bounds(kind, day):
    """(first day, last day) of the period of `kind` containing `day`."""
    size = _MONTHS[kind]
    first_month = (day.month - 1) // size * size + 1
    last_month = first_month + size - 1
    start = datetime.date(day.year, first_month, 1)
    end = datetime.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return start, end


def month_start(day, back=0):
    """The first day of the month `back` months before the month of `day`."""
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return datetime.date(year, month + 1, 1)


def previous(kind, day):
    start, _end = bounds(kind, day)
    return bounds(kind, start - datetime.timedelta(days=1))


def between(kind, start, end):
    """Every period of `kind` overlapping [start, end], oldest first."""
    periods = []
    day = start
    while day <= end:
        period = bounds(kind, day)
        periods.append(period)
        day = period[1] + datetime.timedelta(days=1)
    return periods


def label(kind, start):
    if kind == MONTH:
        return f"{start.year}年{start.month}月"
    if kind == QUARTER:
        return f"{start.year}年第{'一二三四'[(start.month - 1) // 3]}季度"
    if kind == HALF_YEAR:
        return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
    return f"{start.year}年"
