"""The staff and portal pages of real-name supervision, driven through the client as each persona would."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import timezone

from enterprises.flows import AssignmentFlow
from enterprises.models import AssignmentChange, GradeAssessment, ResponsibleAssignment
from supervision.models import GuidanceVisit, InspectionPlan, PresenceRequest, Reminder
from tests import factories as f
from tests.supervision import builders as b
from workflow.engine import open_human_task
from workflow.models import Notice, NoticeKind

pytestmark = pytest.mark.django_db

HENGDA = f.HENGDA
XINCAILIAO = f.XINCAILIAO


def text(response):
    return response.content.decode()


def overdue_rows(html):
    return re.findall(r'<tr class="[^"]*\bis-overdue\b[^"]*">(.*?)</tr>', html, re.S)


def designate_in_past(days=40, **kwargs):
    """Designated long enough ago that last month's monthly check is owed (and was not made)."""
    return b.designate(effective_from=timezone.localdate() - datetime.timedelta(days=days), **kwargs)


# --- dashboard, overdue list, export ---------------------------------------------------------------------------

def test_it_shows_the_dashboard_with_the_three_persons_of_a_designated_enterprise(committee, client_for):
    b.designate()
    case = f.ordered(items=1, level="major")  # a major hazard at the key enterprise: its leads see it
    html = text(client_for("officehead").get("/supervision/"))
    assert "履职看板" in html
    for name in ("黄国栋", "刘建华", "肖培明", HENGDA, "每月至少开展1次检查指导"):
        assert name in html, name
    assert "我负责的重点企业隐患" in html
    assert f"/cases/{case.pk}/" in html
    assert "须我到场履职" in html  # the major hazard called the leads to the site
    assert "<svg" in html and "c-required" in html  # the inline chart, no script library
    assert 'id="period-month"' in html and 'id="period-quarter"' in html and 'id="period-half_year"' in html


def test_it_lets_every_staff_member_see_the_dashboard_and_lists(committee, client_for):
    b.designate()
    client = client_for("inspector3")
    for url in ("/supervision/", "/supervision/overdue/", "/supervision/enterprises/", "/supervision/visits/",
                "/supervision/meetings/", "/supervision/reports/", "/supervision/presence/",
                "/supervision/reminders/", f"/supervision/enterprises/{f.enterprise().pk}/"):
        assert client.get(url).status_code == 200, url


def test_it_explains_a_bad_date_or_office_in_chinese_instead_of_failing(committee, client_for):
    client = client_for("officehead")
    for query in ("on=2026-13-45", "on=abc", "on=1899-01-01", "on=2999-01-01", "office=abc",
                  "office=99999999999999999999999"):
        r = client.get(f"/supervision/?{query}")
        assert r.status_code == 200, query
        assert "查看日期" in text(r) or "所选部室不存在" in text(r), query
    r = client.get("/supervision/?on=2026-13-45")
    assert "查看日期格式不正确" in text(r)


def test_it_looks_at_another_date_and_one_office(committee, client_for):
    designate_in_past()
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    office = b.staff("officehead").office
    html = text(client_for("officehead").get(f"/supervision/?on={last_month.isoformat()}&office={office.pk}"))
    assert f"{last_month.year}年{last_month.month}月" in html
    assert "刘建华" in html and "肖培明" not in html.split("履职汇总")[1]  # only the office's people


def test_it_marks_an_overdue_duty_red(committee, client_for):
    designate_in_past()
    html = text(client_for("officehead").get("/supervision/overdue/"))
    rows = overdue_rows(html)
    assert any(HENGDA in r and "刘建华" in r and "逾期未履职" in r for r in rows)
    dashboard = text(client_for("officehead").get("/supervision/"))
    assert any(HENGDA in r and "刘建华" in r for r in overdue_rows(dashboard))  # last month's, on the dashboard


def test_it_exports_the_duty_tables_to_a_real_excel_file(committee, client_for):
    from openpyxl import load_workbook

    designate_in_past()
    r = client_for("officehead").get("/supervision/export.xlsx")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in r["Content-Disposition"] and "filename*=utf-8''" in r["Content-Disposition"]
    assert "%E5%AE%9E%E5%90%8D%E5%88%B6" in r["Content-Disposition"]  # 实名制, percent-encoded
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["本月", "本季度", "本半年", "逾期"]
    month = book["本月"]
    assert [c.value for c in month[1]][:4] == ["责任人", "所在部室", "职责", "企业"]
    people = {(row[0], row[3]) for row in month.iter_rows(min_row=2, values_only=True)}
    assert ("刘建华", HENGDA) in people and ("黄国栋", HENGDA) in people
    late = [row for row in book["逾期"].iter_rows(min_row=2) if row[0].value == "刘建华" and row[3].value == HENGDA]
    assert late and late[0][8].value == "逾期未履职"
    assert late[0][0].fill.fgColor.rgb.endswith("FFC7CE")  # the overdue row is filled red


def test_it_shows_one_persons_duties_and_404s_for_someone_not_staff(committee, client_for, users):
    designate_in_past()
    client = client_for("inspector")
    html = text(client.get(f"/supervision/people/{users['officehead'].pk}/"))
    assert "刘建华" in html and HENGDA in html and "逾期未履职" in html
    assert client.get(f"/supervision/people/{users['enterprise'].pk}/").status_code == 404
    assert client.get("/supervision/people/999999/").status_code == 404


# --- key enterprises, grades, the three responsible persons ---------------------------------------------------

def test_it_lists_key_enterprises_with_their_persons_and_board(committee, client_for):
    b.designate()
    client = client_for("inspector")
    html = text(client.get("/supervision/enterprises/"))
    board = Notice.objects.get(kind=NoticeKind.LISTING_BOARD, enterprise=f.enterprise())
    assert HENGDA in html and XINCAILIAO not in html
    assert "黄国栋" in html and "刘建华" in html and "李国强" in html
    assert f"/notices/{board.pk}/pdf/" in html
    assert XINCAILIAO in text(client.get("/supervision/enterprises/?all=1"))


def test_it_refuses_a_bad_grade_in_chinese_and_writes_nothing(committee, client_for):
    ent = f.enterprise()
    client = client_for("officehead")
    r = client.post(f"/supervision/enterprises/{ent.pk}/grade/",
                    {"grade": "purple", "reason": "涉及有限空间作业", "set_on": timezone.localdate().isoformat()})
    assert r.status_code == 200
    assert "风险等级须为红、橙、黄、蓝四级之一" in text(r)
    assert not GradeAssessment.objects.exists()
    ent.refresh_from_db()
    assert ent.risk_grade == ""

    r = client.post(f"/supervision/enterprises/{ent.pk}/grade/",
                    {"grade": "orange", "reason": "涉及有限空间作业", "set_on": timezone.localdate().isoformat()})
    assert r.status_code == 302
    ent.refresh_from_db()
    assert ent.risk_grade == "orange" and GradeAssessment.objects.count() == 1
    assert "橙色" in text(client.get(f"/supervision/enterprises/{ent.pk}/"))


def test_it_gives_403_to_someone_who_may_not_grade_or_propose(committee, client_for):
    ent = f.enterprise()
    client = client_for("inspector")
    r = client.post(f"/supervision/enterprises/{ent.pk}/grade/",
                    {"grade": "red", "reason": "x", "set_on": timezone.localdate().isoformat()})
    assert r.status_code == 403
    assert client.get(f"/supervision/enterprises/{ent.pk}/assign/").status_code == 403
    assert client_for("buildhead").get(f"/supervision/enterprises/{ent.pk}/assign/").status_code == 403
    assert not GradeAssessment.objects.exists()


def _proposal(ent, regulator="officehead", **extra):
    return {"kind": "designate", "effective_from": timezone.localdate().isoformat(), "reason": "年度重点管控企业",
            "administrative_staff": b.staff("supervisor").pk, "regulator_staff": b.staff(regulator).pk,
            "enterprise_person": "李国强", "enterprise_position": "总经理", "enterprise_phone": "13800000001",
            **extra}


def test_it_refuses_a_regulator_from_the_wrong_office_in_chinese_and_writes_nothing(committee, client_for):
    ent = f.enterprise()  # 恒达机械: 工贸 and 有限空间, regulated by 安全生产部
    r = client_for("officehead").post(f"/supervision/enterprises/{ent.pk}/assign/",
                                      _proposal(ent, regulator="buildhead"))
    assert r.status_code == 200
    assert "行业监管部门负责人须为监管该企业行业领域的部室（安全生产部）的负责人，孙伟不符合" in text(r)
    assert not AssignmentChange.objects.exists()
    assert not ResponsibleAssignment.objects.exists()


def test_it_refuses_an_unfilled_role_and_a_forged_id(committee, client_for):
    ent = f.enterprise()
    client = client_for("officehead")
    r = client.post(f"/supervision/enterprises/{ent.pk}/assign/", _proposal(ent, enterprise_person="",
                                                                           enterprise_phone=""))
    assert "三个责任人须全部明确" in text(r)
    r = client.post(f"/supervision/enterprises/{ent.pk}/assign/", _proposal(ent, regulator_staff=10**20))
    assert r.status_code == 200 and "errorlist" in text(r)
    assert not AssignmentChange.objects.exists()


def test_it_approves_a_designation_on_the_task_page(committee, client_for):
    ent = f.enterprise()
    r = client_for("officehead").post(f"/supervision/enterprises/{ent.pk}/assign/", _proposal(ent))
    assert r.status_code == 302
    change = AssignmentChange.objects.get()
    task = open_human_task(change.process, AssignmentFlow.approve)
    url = f"/tasks/{task.pk}/"

    assert client_for("inspector").get(url).status_code == 403
    assert client_for("inspector").post(url, {"decision": "approve"}).status_code == 403
    leader = client_for("xiaopeiming")
    html = text(leader.get(url))
    assert "现任与拟任" in html and "黄国栋" in html and "刘建华" in html and "李国强" in html
    assert f"/tasks/{task.pk}/" in text(leader.get(f"/supervision/enterprises/{ent.pk}/"))  # pending, with a link

    r = leader.post(url, {"decision": "approve", "comment": "同意"})
    assert r.status_code == 302 and r.url == f"/supervision/enterprises/{ent.pk}/"
    change.refresh_from_db()
    assert change.state == "approved"
    assert ResponsibleAssignment.objects.filter(enterprise=ent, end_date__isnull=True).count() == 3
    assert Notice.objects.filter(kind=NoticeKind.LISTING_BOARD, enterprise=ent).count() == 1
    ent.refresh_from_db()
    assert ent.is_key_supervised
    again = leader.get(url, follow=True)
    assert "该任务已处理完毕" in text(again)


def test_it_lets_the_proposer_not_approve_and_a_rejection_needs_a_reason(committee, client_for):
    ent = f.enterprise()
    client_for("supervisor").post(f"/supervision/enterprises/{ent.pk}/assign/", _proposal(ent))
    change = AssignmentChange.objects.get()
    url = f"/tasks/{open_human_task(change.process, AssignmentFlow.approve).pk}/"
    r = client_for("supervisor").post(url, {"decision": "approve"})
    assert "提出人不能审批自己提出的" in text(r)
    r = client_for("xiaopeiming").post(url, {"decision": "reject", "comment": ""})
    assert "退回须填写理由" in text(r)
    change.refresh_from_db()
    assert change.state == "submitted" and not ResponsibleAssignment.objects.exists()


# --- annual plans -------------------------------------------------------------------------------------------------

def test_it_generates_and_edits_a_plan_and_404s_outside_the_years(committee, client_for):
    ent = f.enterprise()
    client = client_for("officehead")
    client.post(f"/supervision/enterprises/{ent.pk}/grade/",
                {"grade": "red", "reason": "重大风险", "set_on": timezone.localdate().isoformat()})
    year = timezone.localdate().year
    url = f"/supervision/enterprises/{ent.pk}/plans/{year}/"
    assert client.get(f"/supervision/enterprises/{ent.pk}/plans/1999/").status_code == 404
    assert client.get(f"/supervision/enterprises/{ent.pk}/plans/2101/").status_code == 404
    assert client.post(url, {"action": "generate"}).status_code == 302
    plan = InspectionPlan.objects.get(enterprise=ent, year=year)
    planned = plan.visits.count()
    assert planned >= 1
    html = text(client.get(url))
    assert "计划检查与实际情况" in html and ("待检查" in html or "未检查" in html)

    r = client.post(url, {"action": "add", "add-planned_on": f"{year - 1}-06-01"})
    assert "计划日期须在" in text(r) and plan.visits.count() == planned
    visit = plan.visits.first()
    r = client.post(url, {"action": "move", "visit": visit.pk, f"move-{visit.pk}-planned_on": f"{year}-12-01"})
    assert r.status_code == 302
    visit.refresh_from_db()
    assert visit.planned_on == datetime.date(year, 12, 1)
    assert client_for("inspector").post(url, {"action": "remove", "visit": visit.pk}).status_code == 403
    assert client.post(url, {"action": "remove", "visit": 10**20}).status_code == 404


def test_it_flags_inspections_over_the_yearly_cap_but_not_guidance_visits(committee, client_for):
    from enterprises.models import GradeCadence
    from supervision import services as sv_services

    ent = f.enterprise()
    b.designate(ent)
    GradeCadence.objects.filter(grade="red").update(yearly_cap=1)  # the committee's table, as set in the admin
    client = client_for("officehead")
    client.post(f"/supervision/enterprises/{ent.pk}/grade/",
                {"grade": "red", "reason": "重大风险", "set_on": timezone.localdate().isoformat()})
    year = timezone.localdate().year
    ent.refresh_from_db()
    sv_services.plan_generate(user=f.user("officehead"), enterprise=ent, year=year)
    url = f"/supervision/enterprises/{ent.pk}/plans/{year}/"
    b.visit(ent, timezone.localdate(), led_by="supervisor")
    html = text(client.get(url))
    assert "超过年度检查上限" not in html and "另有检查指导 1 次" in html
    f.inspection(ent=ent)
    f.inspection(ent=ent)
    html = text(client.get(url))
    assert "本年度已监督检查 2 次，超过年度检查上限 1 次" in html


# --- duty records ------------------------------------------------------------------------------------------------

def test_it_records_a_guidance_visit_and_shows_it(committee, client_for, users):
    ent = f.enterprise()
    client = client_for("officehead")
    assert client.get("/supervision/visits/new/").status_code == 200
    data = {"enterprise": ent.pk, "visited_on": timezone.localdate().isoformat(), "occasion": "routine",
            "led_by": users["officehead"].pk, "participants": [users["inspector"].pk],
            "summary": "检查有限空间作业审批和监护落实情况", "problems_found": 2}
    r = client.post("/supervision/visits/new/", data, follow=True)
    assert r.status_code == 200
    visit = GuidanceVisit.objects.get()
    assert visit.led_by == users["officehead"] and list(visit.participants.all()) == [users["inspector"]]
    html = text(r)
    assert "检查指导已登记" in html and "检查有限空间作业审批和监护落实情况" in html and HENGDA in html

    future = {**data, "visited_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}
    r = client.post("/supervision/visits/new/", future)
    assert r.status_code == 200 and "检查日期不能晚于今天" in text(r)
    r = client_for("inspector3").post("/supervision/visits/new/", data)  # not a participant
    assert r.status_code == 200 and "只能登记本人参加的检查指导" in text(r)
    assert GuidanceVisit.objects.count() == 1


def test_it_records_a_meeting_and_a_report(committee, client_for, users):
    client = client_for("xiaopeiming")
    r = client.post("/supervision/meetings/new/", {
        "kind": "work_meeting", "title": "一季度安全生产工作会", "held_on": timezone.localdate().isoformat(),
        "chaired_by": users["xiaopeiming"].pk, "attendees": [users["supervisor"].pk, users["officehead"].pk],
        "minutes": "部署一季度重点工作。"}, follow=True)
    assert "会议已登记" in text(r) and "一季度安全生产工作会" in text(r)
    r = client_for("dengbo").post("/supervision/reports/new/", {
        "reporter": users["dengbo"].pk, "received_by": users["xiaopeiming"].pk,
        "reported_on": timezone.localdate().isoformat(), "summary": "汇报分管领域履职情况。"}, follow=True)
    assert "履职汇报已登记" in text(r) and "汇报分管领域履职情况" in text(r)
    r = client_for("dengbo").post("/supervision/reports/new/", {
        "reporter": users["dengbo"].pk, "received_by": users["dengbo"].pk,
        "reported_on": timezone.localdate().isoformat(), "summary": "x"})
    assert r.status_code == 200 and "errorlist" in text(r)  # the listener must be the principal leader


def test_it_raises_a_presence_request_and_shows_who_attended(committee, client_for, users):
    b.designate()
    ent = f.enterprise()
    assert client_for("inspector").get("/supervision/presence/new/").status_code == 403
    r = client_for("officehead").post("/supervision/presence/new/", {
        "enterprise": ent.pk, "occasion": "resumption", "occurred_on": timezone.localdate().isoformat(),
        "description": "停产整顿后复工复产"}, follow=True)
    assert PresenceRequest.objects.count() == 1
    html = text(r)
    assert "停产整顿后复工复产" in html and html.count("待到场") >= 2
    b.visit(ent, timezone.localdate(), led_by="supervisor")
    html = text(client_for("officehead").get("/supervision/presence/"))
    assert "已到场" in html and "待到场" in html


# --- reminders, navigation, who may see what -------------------------------------------------------------------

def test_it_lists_reminders_unread_bold_and_marks_only_ones_own_read(committee, client_for, users):
    for n in range(2):
        Reminder.objects.create(user=users["officehead"], key=f"k{n}", kind="due_soon", message=f"本月须完成检查{n}")
    other = Reminder.objects.create(user=users["inspector"], key="k", kind="overdue", message="他人的提醒")
    client = client_for("officehead")
    html = text(client.get("/supervision/reminders/"))
    assert '<strong class="r-text">本月须完成检查0</strong>' in html and "他人的提醒" not in html
    assert re.search(r'class="nav-reminders"[^>]*>提醒<span class="count-badge">2</span>', text(client.get("/cases/")))
    r = client.post("/supervision/reminders/", follow=True)
    assert "已将2条提醒标为已读" in text(r)
    assert not Reminder.objects.filter(user=users["officehead"], read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert '<strong class="r-text">' not in text(client.get("/supervision/reminders/"))
    assert "nav-reminders" not in text(client.get("/cases/"))
    Reminder.objects.create(user=users["enterprise"], key="h", kind="hazard", message="重点管控企业隐患已逾期")
    portal = client_for("enterprise")
    assert "重点管控企业隐患已逾期" in text(portal.get("/supervision/reminders/"))  # their own, on the same page
    assert "他人的提醒" not in text(portal.get("/supervision/reminders/"))


def test_it_keeps_enterprise_users_out_of_staff_pages_and_shows_their_own_enterprise(committee, client_for):
    b.designate()
    b.designate(f.enterprise(XINCAILIAO), person="王建军", phone="13800000002")
    client = client_for("enterprise")
    for url in ("/supervision/", "/supervision/export.xlsx", "/supervision/overdue/", "/supervision/enterprises/",
                f"/supervision/enterprises/{f.enterprise().pk}/", "/supervision/visits/new/"):
        assert client.get(url).status_code == 403, url
    html = text(client.get("/portal/supervision/"))
    board = Notice.objects.get(kind=NoticeKind.LISTING_BOARD, enterprise=f.enterprise())
    other = Notice.objects.get(kind=NoticeKind.LISTING_BOARD, enterprise=f.enterprise(XINCAILIAO))
    assert "黄国栋" in html and "刘建华" in html and "李国强" in html
    assert f"/notices/{board.pk}/pdf/" in html
    assert XINCAILIAO not in html and "王建军" not in html and f"/notices/{other.pk}/pdf/" not in html
    assert "三个责任人" in text(client.get("/portal/"))
    assert client_for("officehead").get("/portal/supervision/").status_code == 403


def test_it_sends_anonymous_visitors_to_the_login_page(committee):
    client = Client()
    for url in ("/supervision/", "/supervision/reminders/", "/portal/supervision/"):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith("/accounts/login/"), url


def test_it_shows_the_supervision_entry_in_the_staff_navigation(committee, client_for):
    html = text(client_for("inspector").get("/cases/"))
    assert 'href="/supervision/"' in html and "实名制监管" in html


def test_it_answers_forged_ids_and_garbage_with_errors_not_crashes(committee, users):
    b.designate()
    ent = f.enterprise()
    client = Client(raise_request_exception=False)
    client.force_login(users["officehead"])
    big = 10**20
    for url in ("/supervision/?on=0000-00-00&office=-1",
                "/supervision/enterprises/?grade=purple&page=abc&q=" + "x" * 300,
                f"/supervision/visits/?enterprise={big}&page=9999", "/supervision/presence/?open=1&mine=1",
                f"/supervision/visits/new/?enterprise={big}&occasion=nonsense", "/supervision/overdue/?office=abc",
                f"/supervision/people/{big}/", f"/supervision/enterprises/{big}/"):
        assert client.get(url).status_code in (200, 404), url
    forms = {
        "/supervision/visits/new/": {"enterprise": big, "led_by": "abc", "participants": [big], "problems_found": -1,
                                     "visited_on": "2026-02-30", "summary": ""},
        "/supervision/meetings/new/": {"kind": "party", "chaired_by": big, "attendees": ["x"], "held_on": "x"},
        "/supervision/reports/new/": {"reporter": big, "received_by": "", "reported_on": "1900-01-01"},
        "/supervision/presence/new/": {"enterprise": big, "occasion": "major_hazard", "occurred_on": "x"},
        f"/supervision/enterprises/{ent.pk}/grade/": {"grade": "red", "reason": "x", "set_on": "2026-02-30"},
        f"/supervision/enterprises/{ent.pk}/assign/": {"kind": "foo", "effective_from": "x", "reason": "",
                                                       "administrative_staff": "abc"},
        f"/supervision/enterprises/{ent.pk}/plans/{timezone.localdate().year}/": {"action": "zzz"},
    }
    for url, data in forms.items():
        r = client.post(url, data)
        assert r.status_code == 200, url
        assert "errorlist" in text(r), url
    Reminder.objects.create(user=users["officehead"], key="k", kind="due_soon", message="本月须完成检查")
    client.post("/supervision/reminders/", {"id": big})
    assert Reminder.objects.filter(read_at__isnull=True).count() == 1  # a forged id marks none
    assert not GradeAssessment.objects.exists() and GuidanceVisit.objects.count() == 0


def test_it_speaks_chinese_on_every_supervision_page(committee, client_for, users):
    from tests.workflow.test_i18n import visible_text

    ent = f.enterprise()
    b.designate(ent)
    b.visit(ent, timezone.localdate(), led_by="supervisor", participants=["officehead"])
    client_for("officehead").post(f"/supervision/enterprises/{ent.pk}/assign/", _proposal(
        ent, kind="change", regulator_staff="", enterprise_person="", enterprise_phone="",
        administrative_staff=b.staff("dengbo").pk, effective_from=(timezone.localdate() + datetime.timedelta(days=1))))
    change = AssignmentChange.objects.get(state="submitted")
    task = open_human_task(change.process, AssignmentFlow.approve)
    allowed = {"PDF", "Excel"}
    year = timezone.localdate().year
    pages = [("officehead", u) for u in (
        "/supervision/", "/supervision/overdue/", "/supervision/enterprises/", f"/supervision/enterprises/{ent.pk}/",
        f"/supervision/enterprises/{ent.pk}/assign/", f"/supervision/enterprises/{ent.pk}/plans/{year}/",
        "/supervision/visits/", "/supervision/visits/new/", "/supervision/meetings/", "/supervision/meetings/new/",
        "/supervision/reports/", "/supervision/reports/new/", "/supervision/presence/", "/supervision/presence/new/",
        "/supervision/reminders/", f"/supervision/people/{users['supervisor'].pk}/")]
    pages += [("enterprise", "/portal/supervision/"), ("xiaopeiming", f"/tasks/{task.pk}/")]
    for who, url in pages:
        words = {w for node in visible_text(client_for(who).get(url)) for w in re.findall(r"[A-Za-z]{2,}", node)}
        assert words <= allowed, (url, words - allowed)
