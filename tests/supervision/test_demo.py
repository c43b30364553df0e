"""The supervision demo: twelve key enterprises with printed boards and a year of records in which some duties
are kept and some are not, loaded through the real services, once."""

import datetime

import pytest

from enterprises.models import (
    AssignmentChange, Enterprise, GradeAssessment, ResponsibleAssignment, ResponsibleRole,
)
from enterprises.services import current_assignments
from supervision import boards, duties
from supervision.demo import KEY, load_supervision
from supervision.models import (
    DutyReport, GuidanceVisit, InspectionPlan, PresenceDuty, PresenceRequest, Reminder, SafetyMeeting,
)
from tests import factories as f
from workflow.models import AuditEntry, Notice, Staff
from workflow.notices import ensure_pdf

ROLES = ["行政负责人", "行业监管部门负责人", "企业（单位）责任人"]


@pytest.fixture
def demo(committee):
    assert load_supervision() > 0


def _flat(text):
    return text.replace(" ", "").replace("\n", "")


def test_twelve_key_enterprises_each_with_a_board_printing_its_three_persons(demo):
    key = list(Enterprise.objects.filter(is_key_supervised=True))
    assert len(key) == 12 == len(KEY)
    assert {e.risk_grade for e in key} == {"red", "orange", "yellow", "blue"}
    assert not Staff.objects.filter(user__username__in=["xiaopeiming", "officehead", "buildhead"], phone="").exists()
    for enterprise, board in boards.current_boards():
        assert board is not None, enterprise
        held = current_assignments(enterprise)
        assert set(held) == set(ResponsibleRole.values)
        notice = ensure_pdf(board.pk)
        with notice.pdf.open("rb") as fh:
            text = _flat(f.pdf_text(fh.read()))
        assert enterprise.name in text and board.number in text
        for role in ROLES:
            assert role in text, (enterprise, role)
        for a in held.values():
            assert a.person_name in text and a.phone in text, (enterprise, a.person_name)
        assert enterprise.get_risk_grade_display() in text
    # the regulator lead heads the office of the sector: 孙伟 for construction and gas, 刘建华 elsewhere
    regulators = {e.name: current_assignments(e)[ResponsibleRole.REGULATOR].person_name for e in key}
    assert regulators["重庆正阳建工集团有限公司"] == regulators["重庆黔江天然气有限责任公司"] == "孙伟"
    assert regulators["重庆黔江金鑫铝业有限公司"] == "刘建华"


def test_an_administrative_lead_replaced_mid_month_keeps_the_history_and_a_new_board(demo):
    muye = f.enterprise("重庆正阳木业有限公司")
    rows = list(ResponsibleAssignment.objects.filter(enterprise=muye, role=ResponsibleRole.ADMINISTRATIVE)
                .order_by("start_date"))
    assert [a.person_name for a in rows] == ["丁荣华", "李德重"]
    assert rows[0].end_date is not None and rows[1].start_date.day == 15
    assert AssignmentChange.objects.get(enterprise=muye, kind="change").state == "approved"
    assert Notice.objects.filter(kind="listing_board", enterprise=muye).count() == 2
    assert boards.current_board(muye).context["people"][0]["name"] == "李德重"
    yiyao = f.enterprise("重庆正阳医药化工有限公司")
    assert [g.grade for g in GradeAssessment.objects.filter(enterprise=yiyao)] == ["red", "orange"]


def test_the_year_shows_duties_kept_and_duties_overdue(demo, today):
    overdue = duties.overdue(today=today)
    assert overdue
    codes = {(d.rule.code, d.person) for d in overdue}
    assert ("admin_half_year_coverage", "陈煦龙") in codes  # never went to one of his enterprises for half a year
    assert ("principal_monthly_led_check", "肖培明") in codes
    assert ("other_quarterly_report", "陈煦龙") in codes
    assert any(code == "admin_monthly_check" for code, _p in codes)
    assert any(code == "regulator_monthly_check" for code, _p in codes)
    past = duties.compute(start=today.replace(day=1) - datetime.timedelta(days=200), end=today,
                          today=today)
    assert any(d.status == duties.KEPT and d.end < today for d in past)
    current = duties.current(today)
    assert not any(d.status == duties.OVERDUE for d in current)
    if today.day >= 8:  # the month's first visits fall from the 4th on
        assert any(d.status == duties.KEPT for d in current if d.rule.period == "month")
    kept = [d for d in past if d.rule.code == "principal_quarterly_meeting" and d.status == duties.KEPT]
    assert len(kept) >= 2  # including the quarter chaired on the principal's behalf
    assert SafetyMeeting.objects.filter(on_behalf_of__username="xiaopeiming", chaired_by__username="supervisor").count() == 1
    # presence at key moments: one attended, one overdue
    attended = PresenceDuty.objects.filter(visit__isnull=False)
    waiting = PresenceDuty.objects.filter(visit__isnull=True)
    assert attended.count() == 2 and waiting.count() == 2
    assert waiting.first().request.due_by < today
    assert PresenceRequest.objects.count() == 2


def test_loading_twice_creates_nothing_new(demo):
    models = [Enterprise, GradeAssessment, AssignmentChange, ResponsibleAssignment, GuidanceVisit, SafetyMeeting,
              DutyReport, PresenceRequest, PresenceDuty, InspectionPlan, Notice, AuditEntry, Reminder]
    before = {m.__name__: m.objects.count() for m in models}
    assert load_supervision() == 0
    assert {m.__name__: m.objects.count() for m in models} == before
    assert before["InspectionPlan"] == 12


def test_a_batch_print_of_all_the_demo_boards_finishes_with_one_file(demo, django_capture_on_commit_callbacks):
    import io

    from pypdf import PdfReader

    from supervision.models import BoardBatch

    with django_capture_on_commit_callbacks(execute=True):
        batch, started = boards.batch_start(user=f.user("supervisor"), paper="A3")
    assert started
    batch = BoardBatch.objects.get(pk=batch.pk)
    assert (batch.state, batch.done, batch.total) == ("done", 12, 12)
    with batch.pdf.open("rb") as fh:
        data = fh.read()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 12
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (1191, 842)
    text = _flat(f.pdf_text(data))
    for name, *_rest in KEY:
        assert name in text
