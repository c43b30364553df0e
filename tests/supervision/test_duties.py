"""Duties owed versus done over chosen months: every expected number below is counted by hand from the records."""

import pytest

from supervision import duties
from supervision.models import DutyRule
from tests import factories as f
from tests.supervision import builders as b
from tests.supervision.builders import D

HENGDA = f.HENGDA
XIN = f.XINCAILIAO
JINXIN = "重庆黔江金鑫铝业有限公司"
KEPT, OPEN, DUE_SOON, OVERDUE = "kept", "open", "due_soon", "overdue"

pytestmark = pytest.mark.usefixtures("committee")


def _q1(today=D(2026, 4, 10), kinds=("month",)):
    return duties.compute(start=D(2026, 1, 1), end=D(2026, 3, 31), today=today, kinds=list(kinds))


# --- 1. a responsible person's monthly checks -------------------------------------------------------------------

def test_monthly_checks_of_the_two_committee_leads_over_three_months(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 1, 5))
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 1, 1))
    b.go(time_machine, D(2026, 1, 15))
    b.visit(hengda, D(2026, 1, 15), led_by="supervisor")
    b.go(time_machine, D(2026, 2, 10))
    f.inspection(ent=hengda, lead="inspector", co="officehead")  # 刘建华 takes part as an inspector
    b.go(time_machine, D(2026, 2, 20))
    b.visit(f.enterprise(f.XINCAILIAO), D(2026, 2, 20), led_by="supervisor")  # not his key enterprise
    b.go(time_machine, D(2026, 3, 12))
    b.visit(hengda, D(2026, 3, 12), led_by="supervisor")
    b.go(time_machine, D(2026, 4, 10))

    found = _q1()

    assert b.outcome(found, "admin_monthly_check") == {
        (D(2026, 1, 1), "黄国栋", HENGDA): (1, 1, KEPT),
        (D(2026, 2, 1), "黄国栋", HENGDA): (0, 1, OVERDUE),
        (D(2026, 3, 1), "黄国栋", HENGDA): (1, 1, KEPT),
    }
    assert b.outcome(found, "regulator_monthly_check") == {
        (D(2026, 1, 1), "刘建华", HENGDA): (0, 1, OVERDUE),
        (D(2026, 2, 1), "刘建华", HENGDA): (1, 1, KEPT),
        (D(2026, 3, 1), "刘建华", HENGDA): (0, 1, OVERDUE),
    }
    # as a leader, any check he led counts, the one at 正阳新材料 included
    assert b.outcome(found, "safety_monthly_led_check") == {
        (D(2026, 1, 1), "黄国栋", ""): (1, 1, KEPT),
        (D(2026, 2, 1), "黄国栋", ""): (1, 1, KEPT),
        (D(2026, 3, 1), "黄国栋", ""): (1, 1, KEPT),
    }
    rows = b.rows(found, "regulator_monthly_check")
    assert rows[(D(2026, 2, 1), "刘建华")].evidence == ["2026-02-10 监督检查"]
    assert rows[(D(2026, 2, 1), "刘建华")].office == "安全生产部"
    assert b.rows(found, "admin_monthly_check")[(D(2026, 1, 1), "黄国栋")].evidence == ["2026-01-15 检查指导"]
    assert b.rows(found, "admin_monthly_check")[(D(2026, 1, 1), "黄国栋")].office == "管委会领导"

    # the month in progress is open, not overdue
    april = b.outcome(duties.current(D(2026, 4, 10)), "admin_monthly_check")
    assert april == {(D(2026, 4, 1), "黄国栋", HENGDA): (0, 1, OPEN)}


def test_overdue_lists_only_ended_unkept_duties_newest_first(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 4, 10))
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 3, 1))
    b.visit(hengda, D(2026, 3, 12), led_by="supervisor", participants=["officehead"])

    late = [d for d in duties.overdue(today=D(2026, 4, 10), months=2)
            if d.rule.subject in ("administrative", "regulator")]
    # March both kept; April not ended; February before the designation: nothing owed
    assert late == []

    late = [(d.rule.code, d.start) for d in duties.overdue(today=D(2026, 5, 2), months=2)
            if d.rule.subject in ("administrative", "regulator")]
    assert late == [("admin_monthly_check", D(2026, 4, 1)), ("regulator_monthly_check", D(2026, 4, 1))]


# --- 2. half-year coverage across a year boundary -------------------------------------------------------------

def test_half_year_coverage_across_the_year_boundary(time_machine):
    hengda, jinxin = f.enterprise(), f.enterprise(JINXIN)
    b.go(time_machine, D(2026, 1, 5))
    b.designate(hengda, effective_from=D(2025, 12, 1))
    b.designate(jinxin, effective_from=D(2025, 12, 1))
    b.visit(hengda, D(2025, 12, 31), led_by="supervisor")
    b.visit(jinxin, D(2026, 1, 2), led_by="supervisor")

    def coverage(today):
        found = duties.compute(start=D(2025, 7, 1), end=D(2026, 6, 30), today=today, kinds=["half_year"])
        return found, {**b.outcome(found, "admin_half_year_coverage"),
                       **b.outcome(found, "regulator_half_year_coverage")}

    found, result = coverage(D(2026, 1, 5))
    assert result == {
        (D(2025, 7, 1), "黄国栋", ""): (1, 2, OVERDUE),
        (D(2026, 1, 1), "黄国栋", ""): (1, 2, OPEN),
        (D(2025, 7, 1), "刘建华", ""): (0, 2, OVERDUE),
        (D(2026, 1, 1), "刘建华", ""): (0, 2, OPEN),
    }
    rows = b.rows(found, "admin_half_year_coverage")
    assert rows[(D(2025, 7, 1), "黄国栋")].missing == [JINXIN]
    assert rows[(D(2025, 7, 1), "黄国栋")].period_label == "2025年下半年"
    assert rows[(D(2026, 1, 1), "黄国栋")].missing == [HENGDA]  # 31 Dec counts for H2 only
    assert rows[(D(2026, 1, 1), "黄国栋")].period_label == "2026年上半年"

    b.go(time_machine, D(2026, 1, 6))
    b.visit(hengda, D(2026, 1, 6), led_by="supervisor")
    _found, result = coverage(D(2026, 1, 6))
    assert result[(D(2026, 1, 1), "黄国栋", "")] == (2, 2, KEPT)
    assert result[(D(2025, 7, 1), "黄国栋", "")] == (1, 2, OVERDUE)


# --- 3. a responsible person replaced mid-month --------------------------------------------------------------

@pytest.mark.parametrize("visitor,day,done,status", [
    ("supervisor", D(2026, 3, 3), 1, KEPT),      # (a) A checked while he held the role: B's month is kept
    ("supervisor", D(2026, 3, 20), 0, OVERDUE),  # (b) A after his tenure: does not count
    ("dengbo", D(2026, 3, 10), 0, OVERDUE),      # (c) B before his tenure: does not count
    ("supervisor", D(2026, 3, 15), 1, KEPT),     # A's last day
    ("dengbo", D(2026, 3, 16), 1, KEPT),         # B's first day
])
def test_holder_replaced_mid_month(time_machine, visitor, day, done, status):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 4, 10))
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 1, 1))
    b.change_holder(hengda, admin="dengbo", effective_from=D(2026, 3, 16))
    b.visit(hengda, day, led_by=visitor)

    found = _q1()
    admin = b.outcome(found, "admin_monthly_check")
    assert admin[(D(2026, 3, 1), "邓波", HENGDA)] == (done, 1, status)
    march = [d for d in found if d.rule.code == "admin_monthly_check" and d.start == D(2026, 3, 1)]
    assert [(d.person, d.user_id) for d in march] == [("邓波", f.user("dengbo").pk)]
    assert (D(2026, 3, 1), "黄国栋", HENGDA) not in admin
    assert admin[(D(2026, 2, 1), "黄国栋", HENGDA)] == (0, 1, OVERDUE)  # February stays A's


def test_future_replacement_does_not_take_the_current_month(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 3, 10))
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 1, 1))
    b.change_holder(hengda, admin="dengbo", effective_from=D(2026, 3, 16))  # approved in advance
    march = b.outcome(duties.current(D(2026, 3, 10)), "admin_monthly_check")
    assert march == {(D(2026, 3, 1), "黄国栋", HENGDA): (0, 1, OPEN)}


def test_a_role_taken_over_in_the_last_days_of_a_month_is_owed_from_the_next_month(time_machine):
    """duty_handover = 7 days: March 25-31 are the last seven days of March."""
    hengda, xin = f.enterprise(), f.enterprise(f.XINCAILIAO)
    b.go(time_machine, D(2026, 3, 20))
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 1, 1))
    b.designate(xin, admin="dengbo", regulator="officehead", effective_from=D(2026, 3, 26), proposer="supervisor")
    b.change_holder(hengda, admin="dingronghua", effective_from=D(2026, 3, 28))
    b.go(time_machine, D(2026, 4, 10))
    b.visit(hengda, D(2026, 4, 2), led_by="dingronghua")
    b.visit(xin, D(2026, 4, 3), led_by="dengbo")

    found = duties.compute(start=D(2026, 3, 1), end=D(2026, 4, 10), today=D(2026, 4, 10), kinds=("month",))
    admin = b.outcome(found, "admin_monthly_check")
    assert admin == {
        # 黄国栋 stays answerable for March at 恒达 (丁荣华 took over on the 28th) and missed it
        (D(2026, 3, 1), "黄国栋", HENGDA): (0, 1, OVERDUE),
        # 正阳新材料 became a key enterprise on the 26th: nothing owed for March
        (D(2026, 4, 1), "丁荣华", HENGDA): (1, 1, KEPT),
        (D(2026, 4, 1), "邓波", XIN): (1, 1, KEPT),
    }


# --- 4. leaders ------------------------------------------------------------------------------------------------

def test_leaders_duties_over_a_quarter(time_machine):
    b.go(time_machine, D(2026, 4, 10))
    b.visit(f.enterprise(), D(2026, 2, 12), led_by="xiaopeiming")
    b.meeting(D(2026, 1, 20), kind="study", chaired_by="supervisor", attendees=["xiaopeiming", "dengbo"])
    b.meeting(D(2026, 2, 20), kind="work_meeting", chaired_by="supervisor", on_behalf_of="xiaopeiming",
              attendees=["dingronghua"], title="一季度安全生产工作会议")
    b.report(D(2026, 3, 5), reporter="dengbo")
    b.report(D(2026, 4, 8), reporter="lidezhong")  # second quarter

    found = _q1(kinds=("month", "quarter"))
    q1 = D(2026, 1, 1)
    assert b.outcome(found, "principal_quarterly_meeting") == {(q1, "肖培明", ""): (1, 1, KEPT)}
    assert b.outcome(found, "principal_quarterly_study") == {(q1, "肖培明", ""): (1, 1, KEPT)}
    assert b.outcome(found, "principal_quarterly_heard_report") == {(q1, "肖培明", ""): (1, 1, KEPT)}
    assert b.outcome(found, "principal_monthly_led_check") == {
        (D(2026, 1, 1), "肖培明", ""): (0, 1, OVERDUE),
        (D(2026, 2, 1), "肖培明", ""): (1, 1, KEPT),
        (D(2026, 3, 1), "肖培明", ""): (0, 1, OVERDUE),
    }
    # 黄国栋 chaired a study in January and a work meeting in February
    assert b.outcome(found, "safety_monthly_study") == {
        (D(2026, 1, 1), "黄国栋", ""): (1, 1, KEPT),
        (D(2026, 2, 1), "黄国栋", ""): (1, 1, KEPT),
        (D(2026, 3, 1), "黄国栋", ""): (0, 1, OVERDUE),
    }
    assert b.outcome(found, "other_quarterly_study") == {
        (q1, "邓波", ""): (1, 1, KEPT),
        (q1, "丁荣华", ""): (1, 1, KEPT),
        (q1, "李德重", ""): (0, 1, OVERDUE),
        (q1, "陈煦龙", ""): (0, 1, OVERDUE),
    }
    assert b.outcome(found, "other_quarterly_report") == {
        (q1, "邓波", ""): (1, 1, KEPT),
        (q1, "丁荣华", ""): (0, 1, OVERDUE),
        (q1, "李德重", ""): (0, 1, OVERDUE),
        (q1, "陈煦龙", ""): (0, 1, OVERDUE),
    }
    led = b.outcome(found, "other_monthly_led_check")
    assert len(led) == 12 and {v for v in led.values()} == {(0, 1, OVERDUE)}

    q2 = duties.compute(start=D(2026, 4, 1), end=D(2026, 4, 10), today=D(2026, 4, 10), kinds=["quarter"])
    assert b.outcome(q2, "other_quarterly_report")[(D(2026, 4, 1), "李德重", "")] == (1, 1, KEPT)
    assert b.outcome(q2, "principal_quarterly_heard_report") == {(D(2026, 4, 1), "肖培明", ""): (1, 1, KEPT)}


@pytest.mark.parametrize("chair,on_behalf_of,done", [
    ("supervisor", "xiaopeiming", 1),
    ("supervisor", None, 0),
    ("xiaopeiming", None, 1),
])
def test_principal_meeting_counts_when_chaired_by_him_or_on_his_behalf(time_machine, chair, on_behalf_of, done):
    b.go(time_machine, D(2026, 4, 10))
    b.meeting(D(2026, 3, 2), kind="work_meeting", chaired_by=chair, on_behalf_of=on_behalf_of,
              attendees=["dengbo", "officehead"])
    found = _q1(kinds=("quarter",))
    assert b.outcome(found, "principal_quarterly_meeting") == {
        (D(2026, 1, 1), "肖培明", ""): (done, 1, KEPT if done else OVERDUE)}


# --- 5. status boundaries and the configurable table ----------------------------------------------------------

def _march(today):
    found = duties.compute(start=D(2026, 3, 1), end=D(2026, 3, 31), today=today, kinds=["month"])
    return b.outcome(found, "admin_monthly_check")[(D(2026, 3, 1), "黄国栋", HENGDA)]


def test_status_boundaries_of_a_monthly_duty(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 4, 10))
    b.designate(hengda, effective_from=D(2026, 3, 1))
    # remind_days_before is 5 for monthly duties: the last five days of the month are "due soon"
    assert _march(D(2026, 3, 26)) == (0, 1, OPEN)
    assert _march(D(2026, 3, 27)) == (0, 1, DUE_SOON)
    assert _march(D(2026, 3, 31)) == (0, 1, DUE_SOON)
    assert _march(D(2026, 4, 1)) == (0, 1, OVERDUE)

    b.visit(hengda, D(2026, 3, 10), led_by="supervisor")
    assert _march(D(2026, 3, 9)) == (0, 1, OPEN)  # as of the 9th the check had not happened yet
    assert _march(D(2026, 3, 10)) == (1, 1, KEPT)
    assert _march(D(2026, 3, 28)) == (1, 1, KEPT)
    assert _march(D(2026, 4, 10)) == (1, 1, KEPT)


def test_the_rule_table_decides_the_numbers(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 4, 10))
    b.designate(hengda, effective_from=D(2026, 3, 1))
    b.visit(hengda, D(2026, 3, 10), led_by="supervisor")
    assert _march(D(2026, 4, 10)) == (1, 1, KEPT)

    DutyRule.objects.filter(code="admin_monthly_check").update(required=2)
    assert _march(D(2026, 4, 10)) == (1, 2, OVERDUE)
    b.visit(hengda, D(2026, 3, 24), led_by="supervisor")
    assert _march(D(2026, 4, 10)) == (2, 2, KEPT)

    DutyRule.objects.filter(code="admin_monthly_check").update(required=3, remind_days_before=10)
    assert _march(D(2026, 3, 21)) == (1, 3, OPEN)      # 10 days left
    assert _march(D(2026, 3, 22)) == (1, 3, DUE_SOON)  # 9 days left

    DutyRule.objects.filter(code="admin_monthly_check").update(active=False)
    found = duties.compute(start=D(2026, 3, 1), end=D(2026, 3, 31), today=D(2026, 4, 10), kinds=["month"])
    assert b.outcome(found, "admin_monthly_check") == {}


def test_summarize_counts_per_person(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 4, 10))
    b.designate(hengda, effective_from=D(2026, 1, 1))
    b.visit(hengda, D(2026, 1, 15), led_by="supervisor")
    b.visit(hengda, D(2026, 3, 12), led_by="supervisor")
    found = [d for d in _q1() if d.rule.code == "admin_monthly_check"]
    assert b.outcome(found, "admin_monthly_check")  # three months
    [total] = duties.summarize(found)
    assert (total["name"], total["duties"], total["kept"], total["overdue"], total["rate"]) == ("黄国栋", 3, 2, 1, 67)


def test_overdue_looks_back_exactly_the_given_number_of_months(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 3, 10))
    b.designate(hengda, effective_from=D(2025, 12, 1))
    late = sorted((d.rule.code, d.start) for d in duties.overdue(today=D(2026, 3, 10), months=3)
                  if d.rule.subject in ("administrative", "regulator"))
    # January, February and March: March has not ended; December and the second half of 2025 are out of range
    assert late == [("admin_monthly_check", D(2026, 1, 1)), ("admin_monthly_check", D(2026, 2, 1)),
                    ("regulator_monthly_check", D(2026, 1, 1)), ("regulator_monthly_check", D(2026, 2, 1))]
