"""Working days on the State Council's calendar (行政处罚法 Art. 85): holidays skipped, 调休 Saturdays counted."""

import datetime

from workflow.calendar import add_working_days, is_workday, working_days_between
from workflow.models import Holiday

D = datetime.date


def test_it_skips_national_day_2026(db):
    # 2026-09-30 (Wed) + 3 working days: Oct 1-7 is the holiday; Oct 10 (Sat) is a 调休 working day
    result = add_working_days(D(2026, 9, 30), 3)
    assert result.provisional is False
    assert result.date == D(2026, 10, 10)


def test_it_counts_a_tiaoxiu_saturday_as_a_working_day(db):
    assert is_workday(D(2026, 10, 10)) is True  # Saturday worked in exchange for National Day
    assert is_workday(D(2026, 10, 3)) is False


def test_it_skips_spring_festival_2026(db):
    # Spring Festival 2026: Feb 15-23 off; Feb 14 (Sat) and Feb 28 (Sat) are 调休 working days
    assert add_working_days(D(2026, 2, 13), 1).date == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1).date == D(2026, 2, 24)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2


def test_a_period_crossing_into_an_unknown_year_is_provisional_and_does_not_crash(db):
    result = add_working_days(D(2026, 12, 28), 10)
    assert result.provisional is True
    assert result.date == D(2027, 1, 11)  # weekdays only until the State Council announces 2027


def test_the_admin_table_overrides_and_extends_the_package(db):
    Holiday.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    Holiday.objects.create(date=D(2027, 1, 4), is_workday=False, name="元旦调休")
    result = add_working_days(D(2026, 12, 31), 2)
    assert result.date == D(2027, 1, 6)
    assert result.provisional is False  # 2027 now has entries in the table
