"""Real-name supervision under hostile input: forged ids, garbage queries, wrong JSON types, empty and double
submits, out-of-order actions and wrong roles, on every supervision page and /api/v1/supervision/ endpoint.

What the product promises: a clear Chinese error on the page (a 4xx JSON error with a Chinese message on the API),
never a 500, nothing half-written (row counts and the audit trail unchanged on a refusal); wrong roles get 403,
another enterprise's records 404. The bugs this sweep found are fixed and their tests kept as regressions
(marked "regression:" below).

Clients are built with raise_request_exception=False, so a crash shows up as a 500 status.
"""

import datetime
import pathlib
import re

import pytest
from django.conf import settings
from django.utils import timezone

from enterprises import services as ent_services
from enterprises.models import (
    AssignmentChange, Enterprise, GradeAssessment, ResponsibleAssignment,
)
from hazards.flows import RectificationFlow
from supervision import reminders as reminder_service
from supervision import services as sv_services
from supervision.models import (
    BoardBatch, DutyReport, GuidanceVisit, InspectionPlan, PlannedVisit, PresenceDuty, PresenceRequest, Reminder,
    SafetyMeeting,
)
from tests import factories as f
from tests.sweep import api, json_text, page, shown_errors  # noqa: F401 - fixtures
from tests.supervision import builders as b
from workflow import audit
from workflow.models import AuditEntry, Notice, NoticeKind

pytestmark = pytest.mark.django_db

BIG = 10**20  # larger than any database integer
MAX_ID = 2**63 - 1
API = "/api/v1/supervision"
PERSONAS = ["inspector", "officehead", "buildhead", "supervisor", "xiaopeiming", "legal", "enterprise", "enterprise2"]
STAFF = ["inspector", "officehead", "buildhead", "supervisor", "xiaopeiming", "legal"]
# Latin words a Chinese message may hold: the API's own codes named in its messages, date formats, type names.
ALLOWED_LATIN = {
    "YYYY", "MM", "DD", "null", "str", "int", "list", "dict", "bool", "float",
    "red", "orange", "yellow", "blue", "designate", "change", "release", "approve", "reject", "submitted",
    "approved", "rejected", "month", "quarter", "half_year", "year", "kept", "open", "due_soon", "overdue",
    "work_meeting", "study", "resumption", "danger", "accident", "key_date",
    "enterprise", "year",  # "参数 enterprise 应为整数": the query parameter's own name
}


# --- helpers --------------------------------------------------------------------------------------------------

def snapshot():
    """Everything a refused request must leave untouched."""
    media = pathlib.Path(settings.MEDIA_ROOT)
    models = (AuditEntry, Notice, GradeAssessment, ResponsibleAssignment, AssignmentChange, GuidanceVisit,
              SafetyMeeting, DutyReport, PresenceRequest, PresenceDuty, InspectionPlan, PlannedVisit, BoardBatch)
    counts = {m.__name__: m.objects.count() for m in models}
    counts["read reminders"] = Reminder.objects.filter(read_at__isnull=False).count()
    counts["planned dates"] = sorted(PlannedVisit.objects.values_list("planned_on", flat=True))
    counts["grades"] = sorted(Enterprise.objects.values_list("risk_grade", flat=True))
    counts["files"] = sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0
    return counts


def assert_audit_intact():
    ok, message, _bad = audit.verify()
    assert ok, message


def english(text, echoed=None):
    allowed = set(ALLOWED_LATIN)
    values = echoed.values() if isinstance(echoed, dict) else []
    for value in values:
        for item in value if isinstance(value, (list, tuple)) else [value]:
            allowed.update(re.findall(r"[A-Za-z_]{3,}", str(item)))
    return [w for w in re.findall(r"[A-Za-z_]{3,}", text) if w not in allowed]


def assert_json_error(response, status, *fragments):
    assert response.status_code == status, (response.status_code, response.content.decode()[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    text = json_text(response)
    assert text.strip() and not english(text, getattr(response, "sent", None)), text
    for fragment in fragments:
        assert fragment in text, text


def assert_refused_on_page(response, *fragments):
    assert response.status_code in (200, 400), response.status_code
    errors = shown_errors(response)
    assert errors and not english(errors, getattr(response, "sent", None)), errors
    for fragment in fragments:
        assert fragment in errors, errors


def assert_forbidden_page(response, fragment):
    assert response.status_code == 403, response.status_code
    assert fragment in response.content.decode()


@pytest.fixture
def world(committee, users, today):
    """恒达 (officehead regulates it) and 正阳新材料 designated 40 days ago; 恒达 graded red with this year's plan."""
    hengda, xin = f.enterprise(), f.enterprise(f.XINCAILIAO)
    b.designate(hengda, effective_from=today - datetime.timedelta(days=40))
    b.designate(xin, admin="dengbo", effective_from=today - datetime.timedelta(days=40), proposer="supervisor")
    ent_services.grade_set(user=users["officehead"], enterprise=hengda, grade="red", reason="涉及有限空间作业")
    hengda.refresh_from_db()
    plan = sv_services.plan_generate(user=users["officehead"], enterprise=hengda, year=today.year)
    xin.refresh_from_db()
    return {"hengda": hengda, "xin": xin, "plan": plan}


def free_day(plan):
    """A workday-free date of the plan's year with no planned visit on it."""
    taken = set(plan.visits.values_list("planned_on", flat=True))
    day = datetime.date(plan.year, 12, 31)
    while day in taken:
        day -= datetime.timedelta(days=1)
    return day


def pending_designation(users, today, proposer="officehead", name="重庆黔江金鑫铝业有限公司"):
    ent = Enterprise.objects.get(name=name)
    return ent_services.assignment_propose(
        user=users[proposer], enterprise=ent, kind="designate", effective_from=today, reason="年度重点管控企业",
        administrative_staff=b.staff("supervisor"), regulator_staff=b.staff("officehead"), enterprise_person="杨帆",
        enterprise_position="总经理", enterprise_phone="13800000009")


def visit_data(users, world, today):
    return {"enterprise": world["hengda"].pk, "visited_on": today.isoformat(), "occasion": "routine",
            "led_by": users["officehead"].pk, "participants": [users["supervisor"].pk], "summary": "检查有限空间作业审批",
            "problems_found": 0}


def meeting_data(users, today):
    return {"kind": "study", "title": "安全生产形势分析会", "held_on": today.isoformat(),
            "chaired_by": users["supervisor"].pk, "attendees": [users["officehead"].pk], "minutes": "分析本季度形势"}


def report_data(users, today):
    return {"reporter": users["supervisor"].pk, "received_by": users["xiaopeiming"].pk,
            "reported_on": today.isoformat(), "summary": "汇报分管领域履职情况"}


def presence_data(world, today):
    return {"enterprise": world["hengda"].pk, "occasion": "danger", "occurred_on": today.isoformat(),
            "description": "储罐区出现泄漏险情"}


# === pages: reading ==============================================================================================

def test_supervision_pages_shrug_off_garbage_query_strings(page, world):
    h = world["hengda"].pk
    urls = [
        "/supervision/?on=2026-13-45", "/supervision/?on=../../", "/supervision/?on=99999-01-01",
        "/supervision/?on=0001-01-01", "/supervision/?on=%00", "/supervision/?office=abc",
        f"/supervision/?office={BIG}",
        "/supervision/?office=-1", "/supervision/?office=%00", "/supervision/?page=-1", "/supervision/?period=xyz",
        "/supervision/export.xlsx?on=2026-13-45&office=abc", "/supervision/overdue/?page=-1&office=abc",
        f"/supervision/overdue/?page={BIG}", "/supervision/enterprises/?all=1&grade=xyz&q=%00&page=-1",
        "/supervision/enterprises/?q=" + "长" * 3000, f"/supervision/enterprises/{h}/?page=abc",
        "/supervision/visits/?enterprise=abc&mine=maybe&page=-1", f"/supervision/visits/?enterprise={BIG}",
        "/supervision/visits/new/?enterprise=abc&occasion=<script>x", f"/supervision/visits/new/?enterprise={BIG}",
        "/supervision/meetings/?mine=1&page=abc", "/supervision/reports/?page=-1", "/supervision/presence/?open=x",
        "/supervision/reminders/?page=-1", "/supervision/boards/?page=x",
    ]
    leads_only = ["/supervision/presence/new/?enterprise=abc", f"/supervision/presence/new/?enterprise={BIG}"]
    for username in ("officehead", "inspector", "legal"):
        client = page(username)
        for url in urls + (leads_only if username == "officehead" else []):
            r = client.get(url)
            assert r.status_code == 200, (username, url, r.status_code)
            if r["Content-Type"].startswith("text/html"):
                assert "<script>x" not in r.content.decode(), url
    for query, message in (("on=2026-13-45", "查看日期格式不正确"), ("on=99999-01-01", "查看日期格式不正确"),
                           ("on=0001-01-01", "查看日期须在2000年1月1日至今天之间"),
                           ("office=abc", "所选部室不存在"), (f"office={BIG}", "所选部室不存在")):
        assert message in page("officehead").get(f"/supervision/?{query}").content.decode(), query


def test_regression_a_nul_in_the_enterprise_search_is_dropped_not_sent_to_the_database(page, world):
    # regression: ?q= kept the NUL, which PostgreSQL refuses in a text parameter (a 500 there)
    r = page("officehead").get("/supervision/enterprises/?q=恒达%00")
    assert r.status_code == 200
    assert f.HENGDA in r.content.decode()


@pytest.mark.parametrize("url", [
    "/supervision/people/{big}/", "/supervision/people/999999/", "/supervision/people/{ent_user}/",
    "/supervision/enterprises/{big}/", "/supervision/enterprises/999999/", "/supervision/enterprises/{big}/grade/",
    "/supervision/enterprises/{big}/assign/", "/supervision/enterprises/{big}/plans/2026/",
    "/supervision/enterprises/{h}/plans/{big}/", "/supervision/enterprises/{h}/plans/99999/",
    "/supervision/enterprises/{h}/plans/1999/", "/supervision/boards/batches/{big}/",
    "/supervision/boards/batches/{big}/status/", "/supervision/boards/batches/{big}/pdf/",
    "/supervision/boards/batches/999999/pdf/", "/tasks/{big}/",
])
def test_forged_or_huge_ids_are_a_chinese_404_on_supervision_pages(page, users, world, url):
    r = page("officehead").get(url.format(big=BIG, h=world["hengda"].pk, ent_user=users["enterprise"].pk))
    assert r.status_code == 404
    assert "不存在" in r.content.decode()


def test_anonymous_visitors_are_sent_to_log_in_and_write_nothing(page, api, world):
    h = world["hengda"].pk
    anonymous = page()
    gets = ["/supervision/", "/supervision/export.xlsx", "/supervision/overdue/", "/supervision/enterprises/",
            f"/supervision/enterprises/{h}/", f"/supervision/enterprises/{h}/plans/2026/", "/supervision/visits/",
            "/supervision/reminders/", "/supervision/boards/", "/portal/supervision/"]
    for url in gets:
        r = anonymous.get(url)
        assert r.status_code == 302 and r.url.startswith("/accounts/login/"), url
    before = snapshot()
    posts = [f"/supervision/enterprises/{h}/grade/", f"/supervision/enterprises/{h}/assign/",
             f"/supervision/enterprises/{h}/plans/2026/", "/supervision/visits/new/", "/supervision/meetings/new/",
             "/supervision/reports/new/", "/supervision/presence/new/", "/supervision/reminders/",
             "/supervision/boards/"]
    for url in posts:
        r = anonymous.post(url, {"grade": "blue", "reason": "x", "action": "generate", "paper": "A4"})
        assert r.status_code == 302 and r.url.startswith("/accounts/login/"), url
    client = api()
    for url in ("/enterprises/", f"/enterprises/{h}/", "/duties/", "/reminders/", "/visits/"):
        assert_json_error(client.get(API + url), 403, "请先登录")
    assert_json_error(client.post(f"{API}/enterprises/{h}/grade/", {"grade": "blue", "reason": "x"}, format="json"),
                      403, "请先登录")
    assert snapshot() == before


def test_enterprise_users_get_403_on_every_staff_supervision_page(page, users, world, today):
    h = world["hengda"].pk
    task = b.approve_task(pending_designation(users, today))
    before = snapshot()
    for username in ("enterprise", "enterprise2"):
        client = page(username)
        for url in ("/supervision/", "/supervision/export.xlsx", "/supervision/overdue/",
                    f"/supervision/people/{users['officehead'].pk}/", "/supervision/enterprises/",
                    f"/supervision/enterprises/{h}/", f"/supervision/enterprises/{h}/plans/{today.year}/",
                    "/supervision/visits/", "/supervision/visits/new/", "/supervision/meetings/new/",
                    "/supervision/reports/new/", "/supervision/presence/", "/supervision/presence/new/",
                    "/supervision/boards/", f"/tasks/{task}/"):
            assert_forbidden_page(client.get(url), "仅管委会工作人员")
        for url, data in ((f"/supervision/enterprises/{h}/grade/", {"grade": "blue", "reason": "x"}),
                          (f"/supervision/enterprises/{h}/plans/{today.year}/", {"action": "generate"}),
                          ("/supervision/visits/new/", visit_data(users, world, today)),
                          ("/supervision/presence/new/", presence_data(world, today)),
                          ("/supervision/boards/", {"paper": "A4"}), (f"/tasks/{task}/", {"decision": "approve"})):
            assert_forbidden_page(client.post(url, data), "仅管委会工作人员")
    assert snapshot() == before


def test_staff_get_403_on_the_enterprise_supervision_portal(page):
    for username in STAFF:
        assert_forbidden_page(page(username).get("/portal/supervision/"), "仅企业用户")


def test_an_enterprise_never_downloads_another_enterprises_listing_board(page, api, world):
    mine = Notice.objects.filter(kind=NoticeKind.LISTING_BOARD, enterprise=world["hengda"]).first()
    theirs = Notice.objects.filter(kind=NoticeKind.LISTING_BOARD, enterprise=world["xin"]).first()
    assert page("enterprise").get(f"/notices/{mine.pk}/pdf/").status_code == 200
    for username, notice in (("enterprise", theirs), ("enterprise2", mine)):
        assert page(username).get(f"/notices/{notice.pk}/pdf/").status_code == 404, username
        assert api(username).get(f"/api/v1/notices/{notice.pk}/pdf/").status_code == 404, username


# === pages: writing ==============================================================================================

def test_regression_an_empty_post_is_explained_field_by_field(page, users, world, today):
    # regression: an empty POST left the form unbound; the page came back with no message at all
    task = b.approve_task(pending_designation(users, today))
    ent = Enterprise.objects.get(name="重庆武陵山食品有限公司")
    before = snapshot()
    for username, url, fragment in (
            ("officehead", "/supervision/visits/new/", "该字段是必填项"),
            ("supervisor", "/supervision/meetings/new/", "该字段是必填项"),
            ("supervisor", "/supervision/reports/new/", "该字段是必填项"),
            ("officehead", "/supervision/presence/new/", "该字段是必填项"),
            ("officehead", f"/supervision/enterprises/{ent.pk}/assign/", "该字段是必填项"),
            ("officehead", f"/supervision/enterprises/{world['hengda'].pk}/grade/", "请选择风险等级"),
            ("officehead", f"/supervision/enterprises/{world['hengda'].pk}/plans/{today.year}/", "未知的操作"),
            ("xiaopeiming", f"/tasks/{task}/", "该字段是必填项"),
            ("officehead", "/supervision/boards/", "请选择纸张规格")):
        assert_refused_on_page(page(username).post(url, {}), fragment)
    assert snapshot() == before


def test_grade_page_refuses_bad_input_wrong_roles_and_a_double_submit(page, world, today):
    url = f"/supervision/enterprises/{world['hengda'].pk}/grade/"
    good = {"grade": "orange", "reason": "年度复核", "set_on": today.isoformat()}
    head = page("officehead")
    before = snapshot()
    for change, message in [
        ({"grade": "xyz"}, "风险等级须为红、橙、黄、蓝四级之一"), ({"grade": ""}, "请选择风险等级"),
        ({"reason": ""}, "请填写定级理由"), ({"reason": "长" * 301}, "不超过 300"), ({"reason": "复核\x00"}, "空字符"),
        ({"set_on": "99999-01-01"}, "输入一个有效的日期"), ({"set_on": "2026-02-30"}, "输入一个有效的日期"),
        ({"set_on": (today + datetime.timedelta(days=1)).isoformat()}, "定级日期不能晚于今天"),
        ({"set_on": "1900-01-01"}, "定级日期不能早于一年前"),
    ]:
        assert_refused_on_page(head.post(url, {**good, **change}), message)
    for username in ("inspector", "buildhead", "legal"):  # buildhead's office does not regulate 恒达
        assert_forbidden_page(page(username).post(url, good), "仅园区领导或该企业行业监管部室负责人可以确定风险等级")
    assert snapshot() == before
    assert head.post(url, good).status_code == 302
    written = snapshot()
    # regression: the same grading posted twice made a second, identical grade assessment
    assert_refused_on_page(head.post(url, good), "该定级已登记，请勿重复提交")
    assert snapshot() == written
    assert_audit_intact()


def test_assignment_page_refuses_bad_input_wrong_roles_and_a_second_proposal(page, world, today):
    ent = Enterprise.objects.get(name="重庆武陵山食品有限公司")
    url = f"/supervision/enterprises/{ent.pk}/assign/"
    good = {"kind": "designate", "effective_from": today.isoformat(), "reason": "年度重点管控企业",
            "administrative_staff": b.staff("supervisor").pk, "regulator_staff": b.staff("officehead").pk,
            "enterprise_person": "田晓东", "enterprise_position": "总经理", "enterprise_phone": "13800000009"}
    head = page("officehead")
    before = snapshot()
    for change, message in [
        ({"administrative_staff": str(BIG)}, "选择一个有效的选项"), ({"administrative_staff": "abc"}, "选择一个有效的选项"),
        ({"administrative_staff": "-1"}, "选择一个有效的选项"),
        ({"administrative_staff": b.staff("inspector").pk}, "选择一个有效的选项"),
        ({"regulator_staff": b.staff("buildhead").pk}, "孙伟不符合"),
        ({"effective_from": "99999-01-01"}, "输入一个有效的日期"), ({"effective_from": "2999-01-01"}, "生效日期须在前后一年之内"),
        ({"effective_from": "1900-01-01"}, "生效日期须在前后一年之内"), ({"kind": "xyz"}, "选择一个有效的选项"),
        ({"kind": "release"}, "该企业不是重点管控企业"), ({"enterprise_person": "田\x00"}, "空字符"),
        ({"enterprise_phone": "abc"}, "电话格式不正确"), ({"reason": ""}, "该字段是必填项"),
        ({"regulator_staff": ""}, "尚缺：行业监管部门负责人"),
    ]:
        assert_refused_on_page(head.post(url, {**good, **change}), message)
    for username in ("inspector", "buildhead", "legal"):
        assert_forbidden_page(page(username).post(url, good), "仅园区领导或该企业行业监管部室负责人可以提出")
    assert snapshot() == before
    assert head.post(url, good).status_code == 302
    written = snapshot()
    assert_refused_on_page(head.post(url, good), "该企业已有待审批的责任人确定或调整")
    assert_refused_on_page(page("supervisor").post(url, good), "该企业已有待审批的责任人确定或调整")
    assert snapshot() == written


def test_approval_page_refuses_bad_input_wrong_people_the_proposer_and_a_second_decision(page, users, world, today):
    task = b.approve_task(pending_designation(users, today))
    own = b.approve_task(pending_designation(users, today, proposer="supervisor", name="重庆正阳纺织服饰有限公司"))
    url = f"/tasks/{task}/"
    principal = page("xiaopeiming")
    before = snapshot()
    assert_refused_on_page(principal.post(url, {"decision": "maybe"}), "选择一个有效的选项")
    assert_refused_on_page(principal.post(url, {"decision": "reject"}), "退回须填写理由")
    assert_refused_on_page(principal.post(url, {"decision": "reject", "comment": "长" * 301}), "不超过 300")
    for username in ("officehead", "buildhead", "inspector", "legal"):
        assert_forbidden_page(page(username).post(url, {"decision": "approve"}), "您无权处理此任务")
    # a leader who may approve cannot approve the proposal they made themselves
    assert_refused_on_page(page("supervisor").post(f"/tasks/{own}/", {"decision": "approve"}),
                           "提出人不能审批自己提出的责任人确定或调整")
    assert snapshot() == before
    assert principal.post(url, {"decision": "approve"}).status_code == 302
    written = snapshot()
    for username, data in (("xiaopeiming", {"decision": "approve"}), ("supervisor", {"decision": "reject",
                                                                                     "comment": "不同意"})):
        r = page(username).post(url, data, follow=True)
        assert "该任务已处理完毕" in r.content.decode(), username
    assert snapshot() == written
    assert_audit_intact()


def test_plan_page_refuses_bad_actions_foreign_visits_other_years_and_a_second_generation(page, world, today):
    hengda, plan = world["hengda"], world["plan"]
    url = f"/supervision/enterprises/{hengda.pk}/plans/{today.year}/"
    visit = plan.visits.first()
    head = page("officehead")
    before = snapshot()
    for data, message in [
        ({"action": "xyz"}, "未知的操作"), ({"action": "generate"}, f"该企业{today.year}年度的检查计划已存在"),
        ({"action": "add", "add-planned_on": "99999-01-01"}, "输入一个有效的日期"),
        ({"action": "add", "add-planned_on": f"{today.year + 1}-01-05"}, f"计划日期须在{today.year}年内"),
        ({"action": "add", "add-planned_on": free_day(plan).isoformat(), "add-note": "长" * 101}, "不超过 100"),
        ({"action": "move", "visit": visit.pk, f"move-{visit.pk}-planned_on": "x"}, "请填写有效的调整日期"),
        ({"action": "move", "visit": visit.pk, f"move-{visit.pk}-planned_on": f"{today.year - 1}-06-01"},
         f"计划日期须在{today.year}年内"),
    ]:
        assert_refused_on_page(head.post(url, data), message)
    for data in ({"action": "move", "visit": "abc"}, {"action": "move", "visit": str(BIG)},
                 {"action": "remove", "visit": "-1"}):
        assert head.post(url, data).status_code == 404, data
    # a planned visit of another enterprise's plan (or of another year) is not found under this plan's URL
    xin_url = f"/supervision/enterprises/{world['xin'].pk}/plans/{today.year}/"
    assert_refused_on_page(head.post(xin_url, {"action": "remove", "visit": visit.pk}), "该年度尚无检查计划")
    for username in ("inspector", "buildhead", "legal"):
        r = page(username).post(url, {"action": "remove", "visit": visit.pk})
        assert_forbidden_page(r, "仅园区领导或该企业行业监管部室负责人可以编制检查计划")
    assert snapshot() == before
    next_url = f"/supervision/enterprises/{hengda.pk}/plans/{today.year + 1}/"
    assert head.post(next_url, {"action": "generate"}).status_code == 302
    written = snapshot()
    assert_refused_on_page(head.post(next_url, {"action": "generate"}), f"该企业{today.year + 1}年度的检查计划已存在")
    assert head.post(url, {"action": "move", "visit": InspectionPlan.objects.get(year=today.year + 1).visits.first().pk,
                           "move-0-planned_on": f"{today.year}-06-01"}).status_code == 404
    assert_refused_on_page(head.post(f"/supervision/enterprises/{hengda.pk}/plans/{today.year - 1}/",
                                     {"action": "generate"}), "只能编制本年度或下一年度的检查计划")
    assert snapshot() == written


def test_regression_a_plan_takes_no_second_visit_on_the_same_day(page, world):
    # regression: the same date added twice (a double submit) made two planned visits on one day
    plan = world["plan"]
    url = f"/supervision/enterprises/{world['hengda'].pk}/plans/{plan.year}/"
    head = page("officehead")
    day = free_day(plan)
    if plan.visits.count() >= plan.yearly_cap:
        pytest.skip("the plan is full")
    assert head.post(url, {"action": "add", "add-planned_on": day.isoformat()}).status_code == 302
    written = snapshot()
    assert_refused_on_page(head.post(url, {"action": "add", "add-planned_on": day.isoformat()}), "已有计划检查")
    other = plan.visits.exclude(planned_on=day).first()
    assert_refused_on_page(head.post(url, {"action": "move", "visit": other.pk,
                                           f"move-{other.pk}-planned_on": day.isoformat()}), "已有计划检查")
    assert snapshot() == written


@pytest.mark.parametrize("kind", ["visit", "meeting", "report", "presence"])
def test_record_pages_refuse_bad_input(page, users, world, today, kind):
    ent_user = users["enterprise"].pk
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    url, username, good, cases = {
        "visit": ("/supervision/visits/new/", "officehead", visit_data(users, world, today), [
            ({"enterprise": str(BIG)}, "选择一个有效的选项"), ({"enterprise": "abc"}, "选择一个有效的选项"),
            ({"participants": ["abc"]}, "选择一个有效的选项"), ({"participants": [str(BIG)]}, "选择一个有效的选项"),
            ({"participants": [ent_user]}, "选择一个有效的选项"), ({"led_by": ent_user}, "选择一个有效的选项"),
            ({"visited_on": "99999-01-01"}, "输入一个有效的日期"), ({"visited_on": tomorrow}, "检查日期不能晚于今天"),
            ({"visited_on": "1900-01-01"}, "检查日期不能早于一年前"), ({"problems_found": "-1"}, "大于或等于0"),
            ({"problems_found": str(BIG)}, "小于或等于999"), ({"summary": "\x00"}, "空字符"),
            ({"occasion": "xyz"}, "选择一个有效的选项"),
        ]),
        "meeting": ("/supervision/meetings/new/", "supervisor", meeting_data(users, today), [
            ({"attendees": []}, "该字段是必填项"), ({"attendees": [str(BIG)]}, "选择一个有效的选项"),
            ({"attendees": [users["supervisor"].pk]}, "请选择参会人员"),
            ({"on_behalf_of": str(BIG)}, "选择一个有效的选项"), ({"on_behalf_of": users["inspector"].pk}, "选择一个有效的选项"),
            ({"chaired_by": users["inspector"].pk, "on_behalf_of": users["xiaopeiming"].pk}, "须为园区分管负责人"),
            ({"held_on": "99999-12-31"}, "输入一个有效的日期"), ({"held_on": tomorrow}, "会议日期不能晚于今天"),
            ({"kind": "x"}, "选择一个有效的选项"), ({"title": "\x00"}, "空字符"), ({"title": "长" * 101}, "不超过 100"),
        ]),
        "report": ("/supervision/reports/new/", "supervisor", report_data(users, today), [
            ({"reporter": users["inspector"].pk}, "选择一个有效的选项"),
            ({"received_by": users["supervisor"].pk}, "选择一个有效的选项"),
            ({"reporter": users["xiaopeiming"].pk}, "汇报人与听取人不能是同一人"),
            ({"reporter": str(BIG)}, "选择一个有效的选项"), ({"reported_on": "x"}, "输入一个有效的日期"),
            ({"reported_on": tomorrow}, "汇报日期不能晚于今天"),
        ]),
        "presence": ("/supervision/presence/new/", "officehead", presence_data(world, today), [
            ({"occasion": "routine"}, "选择一个有效的选项"), ({"occasion": "major_hazard"}, "选择一个有效的选项"),
            ({"enterprise": Enterprise.objects.get(name="重庆黔江金鑫铝业有限公司").pk}, "选择一个有效的选项"),
            ({"occurred_on": tomorrow}, "发生日期不能晚于今天"), ({"enterprise": str(BIG)}, "选择一个有效的选项"),
            ({"description": "长" * 301}, "不超过 300"),
        ]),
    }[kind]
    client = page(username)
    before = snapshot()
    for change, message in cases:
        assert_refused_on_page(client.post(url, {**good, **change}), message)
    assert snapshot() == before


def test_regression_a_huge_summary_is_refused_not_stored(page, api, users, world, today):
    # regression: a 200,000-character summary was stored as a visit record (page and API alike)
    before = snapshot()
    data = {**visit_data(users, world, today), "summary": "长" * 200000}
    assert_refused_on_page(page("officehead").post("/supervision/visits/new/", data), "检查指导情况不能超过5000字")
    assert_json_error(api("officehead").post(f"{API}/visits/", data, format="json"), 400, "检查指导情况不能超过5000字")
    minutes = {**meeting_data(users, today), "minutes": "长" * 5001}
    assert_json_error(api("supervisor").post(f"{API}/meetings/", minutes, format="json"), 400, "会议纪要不能超过5000字")
    assert snapshot() == before


def test_record_pages_refuse_people_who_took_no_part(page, users, world, today):
    before = snapshot()
    for username in ("inspector", "legal"):
        assert_refused_on_page(page(username).post("/supervision/visits/new/", visit_data(users, world, today)),
                               "只能登记本人参加的检查指导")
        assert_refused_on_page(page(username).post("/supervision/reports/new/", report_data(users, today)),
                               "只能登记本人汇报或听取的履职汇报")
        assert_forbidden_page(page(username).post("/supervision/presence/new/", presence_data(world, today)),
                              "仅园区领导或部室负责人可以登记特殊时期到场要求")
    assert snapshot() == before


def test_regression_a_meeting_is_recorded_only_by_a_participant_or_a_lead(page, api, users, today):
    # regression: any staff member (an inspector, the legal office) could record a meeting they did not attend,
    # crediting leaders with meeting duties; visits and reports already refused this
    data = meeting_data(users, today)
    before = snapshot()
    for username in ("inspector", "legal"):
        assert_refused_on_page(page(username).post("/supervision/meetings/new/", data), "只能登记本人主持或参加的会议")
        assert_json_error(api(username).post(f"{API}/meetings/", data, format="json"), 403, "只能登记本人主持或参加的会议")
    assert snapshot() == before
    # an attendee may record it, and so may an office head who did not attend
    assert page("inspector").post("/supervision/meetings/new/", {**data, "attendees": [users["inspector"].pk]}
                                  ).status_code == 302
    assert api("buildhead").post(f"{API}/meetings/", {**data, "title": "专题会"}, format="json").status_code == 201


@pytest.mark.parametrize("kind", ["visit", "meeting", "report", "presence"])
def test_regression_a_record_posted_twice_is_stored_once(page, users, world, today, kind):
    # regression: a double submit stored the same visit, meeting, report or presence request twice
    url, username, data, message = {
        "visit": ("/supervision/visits/new/", "officehead", visit_data(users, world, today), "该检查指导已登记"),
        "meeting": ("/supervision/meetings/new/", "supervisor", meeting_data(users, today), "该会议已登记"),
        "report": ("/supervision/reports/new/", "supervisor", report_data(users, today), "该履职汇报已登记"),
        "presence": ("/supervision/presence/new/", "officehead", presence_data(world, today), "该到场要求已登记"),
    }[kind]
    client = page(username)
    assert client.post(url, data).status_code == 302
    written = snapshot()
    assert_refused_on_page(client.post(url, data), message, "请勿重复提交")
    assert snapshot() == written
    assert_audit_intact()


def reminder(user, key):
    return Reminder.objects.create(user=user, key=key, kind=Reminder.Kind.OVERDUE, message="上月检查指导未完成")


def test_reminders_page_never_marks_someone_elses_reminder(page, users, world):
    theirs, mine = reminder(users["supervisor"], "a"), reminder(users["officehead"], "b")
    head = page("officehead")
    for value in (theirs.pk, "abc", str(BIG), "-1", "1 OR 1=1"):
        r = head.post("/supervision/reminders/", {"id": value}, follow=True)
        assert "已将0条提醒标为已读" in r.content.decode(), value
    assert not Reminder.objects.filter(read_at__isnull=False).exists()
    assert page("admin").get("/supervision/reminders/").status_code == 403  # neither staff nor enterprise
    head.post("/supervision/reminders/", {"id": mine.pk})
    assert list(Reminder.objects.filter(read_at__isnull=False)) == [mine]


def test_board_batch_page_refuses_bad_paper_and_returns_the_same_batch_on_a_double_submit(page, world):
    before = snapshot()
    for data in ({"paper": "A5"}, {"paper": "\x00"}, {"paper": ""}):
        r = page("officehead").post("/supervision/boards/", data)
        assert r.status_code == 400
        assert "请选择纸张规格（A4或A3）" in shown_errors(r)
    assert snapshot() == before
    inspector = page("inspector")
    first = inspector.post("/supervision/boards/", {"paper": "A4"})
    assert first.status_code == 302
    written = snapshot()
    second = inspector.post("/supervision/boards/", {"paper": "A4"})
    assert second.status_code == 302 and second.url == first.url
    assert snapshot() == written


def test_regression_a_batch_whose_file_was_removed_is_a_404_not_a_crash(page, users, world):
    # regression: a finished batch whose PDF had been removed from storage crashed the download (500)
    batch = BoardBatch.objects.create(requested_by=users["officehead"], paper="A4", total=2, state="done",
                                      pdf="boards/2026/removed.pdf", finished_at=timezone.now())
    r = page("officehead").get(f"/supervision/boards/batches/{batch.pk}/pdf/")
    assert r.status_code == 404
    assert page("officehead").get(f"/supervision/boards/batches/{batch.pk}/").status_code == 200
    queued = BoardBatch.objects.create(requested_by=users["officehead"], paper="A3")
    assert page("officehead").get(f"/supervision/boards/batches/{queued.pk}/pdf/").status_code == 404


# === API: reading ================================================================================================

def test_api_garbage_query_parameters_are_a_chinese_400(api, world):
    client = api("officehead")
    for url, field in [
        ("/enterprises/?grade=xyz", "grade"), ("/enterprises/?grade=%00", "grade"),
        ("/assignment-changes/?enterprise=abc", "enterprise"), ("/visits/?enterprise=abc", "enterprise"),
        ("/visits/?from=2026-13-45", "from"), ("/visits/?from=99999-01-01", "from"), ("/meetings/?to=x", "to"),
        ("/reports/?from=../../", "from"), ("/presence-requests/?enterprise=1.5", "enterprise"),
        ("/plans/?year=abc", "year"), ("/duties/?period=xyz", "period"), ("/duties/?on=2026-13-45", "on"),
        ("/duties/?status=xyz", "status"), ("/duties/?user=abc", "user"), ("/duties/overdue/?months=999", "months"),
        ("/duties/overdue/?months=abc", "months"),
        # regression: a huge id in ?enterprise= crashed the lists (OverflowError, 500)
        (f"/assignment-changes/?enterprise={BIG}", "enterprise"), (f"/visits/?enterprise={BIG}", "enterprise"),
        (f"/plans/?enterprise={BIG}", "enterprise"), (f"/presence-requests/?enterprise={BIG}", "enterprise"),
        (f"/plans/?year={BIG}", "year"),
        # regression: ?state= went to the database unchecked (a NUL is a 500 on PostgreSQL)
        ("/assignment-changes/?state=%00", "state"), ("/assignment-changes/?state=xyz", "state"),
        # regression: ?on= took any date, unlike the dashboard
        ("/duties/?on=0001-01-01", "on"), ("/duties/?on=1999-12-31", "on"), ("/duties/?on=2999-01-01", "on"),
    ]:
        r = client.get(API + url)
        assert_json_error(r, 400)
        assert field in r.json(), (url, r.json())
    assert "查看日期须在2000年1月1日至今天之间" in json_text(client.get(f"{API}/duties/?on=1999-12-31"))
    for url in ("/enterprises/?page=-1", f"/duties/?page={BIG}", "/reminders/?page=abc"):
        assert_json_error(client.get(API + url), 404)


@pytest.mark.parametrize("url", [
    "/enterprises/{big}/", "/enterprises/abc/", "/enterprises/-1/", "/assignment-changes/{big}/",
    "/assignment-changes/abc/", "/visits/{big}/", "/meetings/{big}/", "/reports/{big}/", "/presence-requests/{big}/",
    "/plans/{big}/", "/plans/abc/", "/planned-visits/{big}/", "/planned-visits/abc/", "/cadence/{big}/",
    "/duty-rules/abc/", "/no-such-endpoint/",
])
def test_api_forged_ids_are_a_chinese_404(api, world, url):
    assert_json_error(api("officehead").get(API + url.format(big=BIG)), 404)


def test_api_enterprise_users_read_only_their_own_record(api, users, world, today):
    h, x = world["hengda"].pk, world["xin"].pk
    for username, mine, theirs in (("enterprise", h, x), ("enterprise2", x, h)):
        client = api(username)
        listed = client.get(f"{API}/enterprises/?all=1")
        assert [e["id"] for e in listed.json()["results"]] == [mine]
        assert client.get(f"{API}/enterprises/{mine}/").status_code == 200
        assert_json_error(client.get(f"{API}/enterprises/{theirs}/"), 404)
        for url in ("/assignment-changes/", "/visits/", "/meetings/", "/reports/", "/presence-requests/", "/plans/",
                    f"/planned-visits/{world['plan'].visits.first().pk}/", "/duties/", "/duties/overdue/",
                    "/cadence/", "/duty-rules/"):
            assert_json_error(client.get(API + url), 403, "仅管委会工作人员")
    before = snapshot()
    client = api("enterprise")
    assert_json_error(client.post(f"{API}/enterprises/{h}/grade/", {"grade": "blue", "reason": "x"}, format="json"),
                      403, "企业用户只能查看本企业的监管信息")
    for url, data in (("/visits/", visit_data(users, world, today)),
                      ("/presence-requests/", presence_data(world, today)),
                      ("/plans/", {"enterprise": h, "year": today.year + 1})):
        assert_json_error(client.post(API + url, data, format="json"), 403, "仅管委会工作人员")
    assert snapshot() == before


# === API: writing ================================================================================================

@pytest.mark.parametrize("body", ["[1, 2]", "null", '"x"', "5", "true", "[]", "{", "\x00"])
def test_api_non_object_bodies_are_a_chinese_400(api, users, world, today, body):
    task = b.approve_task(pending_designation(users, today))
    h = world["hengda"].pk
    urls = ["/visits/", "/meetings/", "/reports/", "/presence-requests/", "/plans/", "/assignment-changes/",
            f"/plans/{world['plan'].pk}/visits/", "/reminders/read/", f"/assignment-tasks/{task}/",
            f"/enterprises/{h}/grade/"]
    client = api("xiaopeiming")
    before = snapshot()
    for url in urls:
        assert_json_error(client.post(API + url, body, content_type="application/json"), 400)
    assert_json_error(client.patch(f"{API}/planned-visits/{world['plan'].visits.first().pk}/", body,
                                   content_type="application/json"), 400)
    assert snapshot() == before


def test_api_wrong_types_in_fields_are_a_chinese_400(api, users, world, today):
    h = world["hengda"].pk
    ent = Enterprise.objects.get(name="重庆武陵山食品有限公司")
    proposal = {"enterprise": ent.pk, "kind": "designate", "effective_from": today.isoformat(), "reason": "年度重点管控",
                "administrative_staff": users["supervisor"].pk, "regulator_staff": users["officehead"].pk,
                "enterprise_person": "田晓东", "enterprise_position": "总经理", "enterprise_phone": "13800000009"}
    cases = [
        (f"/enterprises/{h}/grade/", {"grade": "red", "reason": "r"}, [
            ({"grade": 1}, "grade"), ({"grade": ["red"]}, "grade"), ({"grade": None}, "grade"),
            ({"reason": ["r"]}, "reason"), ({"reason": "r\x00"}, "reason"), ({"reason": "长" * 301}, "reason"),
            ({"set_on": "99999-01-01"}, "set_on"), ({"set_on": 20260101}, "set_on"),
            ({"set_on": (today + datetime.timedelta(days=1)).isoformat()}, "detail"),
            ({"set_on": "0001-01-01"}, "detail"),
        ]),
        ("/assignment-changes/", proposal, [
            ({"enterprise": BIG}, "enterprise"), ({"enterprise": "abc"}, "enterprise"),
            ({"enterprise": [1]}, "enterprise"),
            ({"enterprise": None}, "enterprise"), ({"kind": "xyz"}, "kind"), ({"kind": ["designate"]}, "kind"),
            # regression: a staff id too large for the database crashed the proposal (OverflowError, 500)
            ({"administrative_staff": BIG}, "administrative_staff"),
            ({"administrative_staff": str(BIG)}, "administrative_staff"),
            ({"regulator_staff": "9" * 30}, "regulator_staff"), ({"regulator_staff": MAX_ID + 1}, "regulator_staff"),
            ({"administrative_staff": "abc"}, "administrative_staff"),
            ({"administrative_staff": [1]}, "administrative_staff"),
            ({"administrative_staff": True}, "administrative_staff"), ({"regulator_staff": -1}, "regulator_staff"),
            ({"regulator_staff": 1.5}, "regulator_staff"), ({"administrative_staff": users["enterprise"].pk},
                                                             "administrative_staff"),
            ({"administrative_staff": users["inspector"].pk}, "detail"), ({"regulator_staff": users["buildhead"].pk},
                                                                          "detail"),
            ({"effective_from": "99999-01-01"}, "effective_from"), ({"effective_from": "2999-01-01"}, "detail"),
            ({"effective_from": "0001-01-01"}, "detail"), ({"enterprise_person": "长" * 31}, "enterprise_person"),
            ({"enterprise_person": "田\x00"}, "enterprise_person"), ({"enterprise_phone": ["1"]}, "enterprise_phone"),
            ({"enterprise_phone": "abc"}, "detail"), ({"reason": "   "}, "reason"), ({"enterprise": h}, "detail"),
        ]),
        ("/visits/", visit_data(users, world, today), [
            ({"participants": ["abc"]}, "participants"), ({"participants": [BIG]}, "participants"),
            ({"participants": None}, "participants"), ({"participants": "abc"}, "participants"),
            ({"participants": users["supervisor"].pk}, "participants"), ({"participants": [users["enterprise"].pk]},
                                                                         "detail"),
            ({"led_by": [1]}, "led_by"), ({"led_by": BIG}, "led_by"), ({"led_by": users["enterprise"].pk}, "detail"),
            ({"visited_on": "99999-01-01"}, "visited_on"), ({"visited_on": "2999-01-01"}, "detail"),
            ({"visited_on": "0001-01-01"}, "detail"), ({"problems_found": "abc"}, "problems_found"),
            ({"problems_found": -1}, "problems_found"), ({"problems_found": BIG}, "problems_found"),
            ({"summary": "\x00"}, "summary"), ({"summary": ""}, "summary"), ({"summary": ["a"]}, "summary"),
            ({"occasion": "xyz"}, "occasion"), ({"occasion": None}, "occasion"), ({"enterprise": BIG}, "enterprise"),
        ]),
        ("/meetings/", meeting_data(users, today), [
            ({"attendees": []}, "detail"), ({"attendees": [BIG]}, "attendees"), ({"attendees": "x"}, "attendees"),
            ({"on_behalf_of": BIG}, "on_behalf_of"), ({"on_behalf_of": users["inspector"].pk}, "detail"),
            ({"held_on": "99999-12-31"}, "held_on"), ({"kind": "x"}, "kind"), ({"title": "长" * 101}, "title"),
            ({"title": "\x00"}, "title"), ({"attendees": [users["enterprise"].pk]}, "detail"),
            ({"chaired_by": None}, "chaired_by"),
        ]),
        ("/reports/", report_data(users, today), [
            ({"reporter": users["inspector"].pk}, "detail"), ({"received_by": users["supervisor"].pk}, "detail"),
            ({"reporter": users["xiaopeiming"].pk}, "detail"), ({"reporter": BIG}, "reporter"),
            ({"reported_on": "x"}, "reported_on"), ({"reporter": users["enterprise"].pk}, "detail"),
        ]),
        ("/presence-requests/", presence_data(world, today), [
            ({"occasion": "routine"}, "occasion"), ({"occasion": "major_hazard"}, "occasion"),
            ({"occurred_on": "2999-01-01"}, "detail"), ({"description": "长" * 301}, "description"),
            ({"enterprise": BIG}, "enterprise"),
            ({"enterprise": Enterprise.objects.get(name="重庆黔江金鑫铝业有限公司").pk}, "detail"),
        ]),
        ("/plans/", {"enterprise": h, "year": today.year + 1}, [
            ({"year": "abc"}, "year"), ({"year": 99999}, "year"), ({"year": BIG}, "year"), ({"year": 2000}, "detail"),
            ({"enterprise": BIG}, "enterprise"), ({"enterprise": Enterprise.objects.get(name="重庆武陵山食品有限公司").pk},
                                                  "detail"),
        ]),
        (f"/plans/{world['plan'].pk}/visits/", {"planned_on": free_day(world["plan"]).isoformat()}, [
            ({"planned_on": f"{today.year + 1}-03-02"}, "detail"), ({"planned_on": "99999-01-01"}, "planned_on"),
            ({"planned_on": None}, "planned_on"), ({"note": "长" * 101}, "note"), ({"note": "\x00"}, "note"),
        ]),
    ]
    before = snapshot()
    for url, good, changes in cases:
        username = "supervisor" if url in ("/meetings/", "/reports/") else "officehead"
        client = api(username)
        for change, field in changes:
            r = client.post(API + url, {**good, **change}, format="json")
            assert_json_error(r, 400)
            assert field in r.json(), (url, change, r.json())
    assert snapshot() == before


def test_api_wrong_roles_get_a_chinese_403(api, users, world, today):
    h = world["hengda"].pk
    ent = Enterprise.objects.get(name="重庆武陵山食品有限公司")
    proposal = {"enterprise": ent.pk, "kind": "designate", "effective_from": today.isoformat(), "reason": "年度重点管控",
                "administrative_staff": users["supervisor"].pk, "regulator_staff": users["officehead"].pk,
                "enterprise_person": "田晓东", "enterprise_position": "总经理", "enterprise_phone": "13800000009"}
    task = b.approve_task(pending_designation(users, today))
    visit = world["plan"].visits.first()
    before = snapshot()
    for username in ("inspector", "buildhead", "legal"):
        client = api(username)
        assert_json_error(client.post(f"{API}/enterprises/{h}/grade/", {"grade": "blue", "reason": "x"},
                                      format="json"), 403, "仅园区领导或该企业行业监管部室负责人")
        assert_json_error(client.post(f"{API}/assignment-changes/", proposal, format="json"), 403,
                          "仅园区领导或该企业行业监管部室负责人")
        assert_json_error(client.post(f"{API}/assignment-tasks/{task}/", {"decision": "approve"}, format="json"),
                          403, "您无权处理此任务")
        assert_json_error(client.post(f"{API}/plans/", {"enterprise": h, "year": today.year + 1}, format="json"),
                          403, "编制检查计划")
        assert_json_error(client.patch(f"{API}/planned-visits/{visit.pk}/", {"planned_on": free_day(
            world["plan"]).isoformat()}, format="json"), 403, "编制检查计划")
        assert_json_error(client.delete(f"{API}/planned-visits/{visit.pk}/"), 403, "编制检查计划")
    for username in ("inspector", "legal"):
        assert_json_error(api(username).post(f"{API}/presence-requests/", presence_data(world, today), format="json"),
                          403, "仅园区领导或部室负责人")
        assert_json_error(api(username).post(f"{API}/visits/", visit_data(users, world, today), format="json"),
                          403, "只能登记本人参加的检查指导")
        assert_json_error(api(username).post(f"{API}/reports/", report_data(users, today), format="json"),
                          403, "只能登记本人汇报或听取的履职汇报")
    assert_json_error(api("officehead").put(f"{API}/planned-visits/{visit.pk}/", {"planned_on": "2026-01-01"},
                                            format="json"), 405)
    assert snapshot() == before


def test_api_double_submits_write_once(api, users, world, today):
    ent = Enterprise.objects.get(name="重庆武陵山食品有限公司")
    proposal = {"enterprise": ent.pk, "kind": "designate", "effective_from": today.isoformat(), "reason": "年度重点管控",
                "administrative_staff": users["supervisor"].pk, "regulator_staff": users["officehead"].pk,
                "enterprise_person": "田晓东", "enterprise_position": "总经理", "enterprise_phone": "13800000009"}
    for username, url, data, message in [
        ("officehead", "/assignment-changes/", proposal, "该企业已有待审批的责任人确定或调整"),
        ("officehead", "/plans/", {"enterprise": world["hengda"].pk, "year": today.year + 1}, "检查计划已存在"),
        ("officehead", f"/enterprises/{world['hengda'].pk}/grade/", {"grade": "orange", "reason": "复核"},
         "该定级已登记"),  # regression
        ("officehead", f"/plans/{world['plan'].pk}/visits/", {"planned_on": free_day(world["plan"]).isoformat()},
         "已有计划检查"),  # regression
        ("officehead", "/visits/", visit_data(users, world, today), "该检查指导已登记"),  # regression
        ("supervisor", "/meetings/", meeting_data(users, today), "该会议已登记"),  # regression
        ("supervisor", "/reports/", report_data(users, today), "该履职汇报已登记"),  # regression
        ("officehead", "/presence-requests/", presence_data(world, today), "该到场要求已登记"),  # regression
    ]:
        client = api(username)
        assert client.post(API + url, data, format="json").status_code == 201, url
        written = snapshot()
        assert_json_error(client.post(API + url, data, format="json"), 400, message)
        assert snapshot() == written, url
    assert_audit_intact()


def test_api_out_of_order_actions_are_refused(api, users, world, today):
    task = b.approve_task(pending_designation(users, today))
    principal = api("xiaopeiming")
    before = snapshot()
    # the proposer approving their own proposal
    own = b.approve_task(pending_designation(users, today, proposer="supervisor", name="重庆正阳纺织服饰有限公司"))
    proposed = snapshot()
    assert_json_error(api("supervisor").post(f"{API}/assignment-tasks/{own}/", {"decision": "approve"},
                                             format="json"), 400, "提出人不能审批自己提出的")
    # a task of another flow (the order approval of an inspection) under the assignment endpoint
    case = f.submitted(items=1)
    foreign = f.task_id(case, RectificationFlow.approve_order)
    submitted = snapshot()
    assert_json_error(api("officehead").post(f"{API}/assignment-tasks/{foreign}/", {"decision": "approve"},
                                             format="json"), 400, "此任务不是该操作对应的环节")
    for task_id in (BIG, 999999, MAX_ID):
        assert_json_error(principal.post(f"{API}/assignment-tasks/{task_id}/", {"decision": "approve"},
                                         format="json"), 404)
    assert snapshot() == submitted
    assert before["AssignmentChange"] + 1 == proposed["AssignmentChange"]
    # approving twice: the second is a conflict, by the same leader or another
    assert principal.post(f"{API}/assignment-tasks/{task}/", {"decision": "approve"}, format="json").status_code == 200
    approved = snapshot()
    assert_json_error(principal.post(f"{API}/assignment-tasks/{task}/", {"decision": "approve"}, format="json"),
                      409, "已由他人处理完毕")
    assert_json_error(api("supervisor").post(f"{API}/assignment-tasks/{task}/", {"decision": "reject",
                                                                                "comment": "不同意"}, format="json"),
                      409, "已由他人处理完毕")
    # releasing an enterprise that is not key-supervised; changing one that has no three persons yet
    ent = Enterprise.objects.get(name="重庆正阳木业有限公司")
    for kind, message in (("release", "该企业不是重点管控企业"), ("change", "请先确定三个责任人")):
        assert_json_error(api("officehead").post(f"{API}/assignment-changes/", {
            "enterprise": ent.pk, "kind": kind, "effective_from": today.isoformat(), "reason": "x"}, format="json"),
            400, message)
    assert snapshot() == approved
    assert_audit_intact()


def test_api_planned_visits_stay_in_their_plans_year_and_past_plans_are_closed(api, users, world, today):
    head = api("officehead")
    plan = world["plan"]
    visits = list(plan.visits.all())
    nxt = head.post(f"{API}/plans/", {"enterprise": world["hengda"].pk, "year": today.year + 1}, format="json")
    assert nxt.status_code == 201
    next_visit = nxt.json()["visits"][0]["id"]
    before = snapshot()
    assert_json_error(head.patch(f"{API}/planned-visits/{visits[0].pk}/", {"planned_on": f"{today.year + 1}-03-02"},
                                 format="json"), 400, f"计划日期须在{today.year}年内")
    assert_json_error(head.patch(f"{API}/planned-visits/{next_visit}/", {"planned_on": f"{today.year}-03-02"},
                                 format="json"), 400, f"计划日期须在{today.year + 1}年内")
    # regression: a past year's plan (the record compared with what happened) could still be edited
    past = InspectionPlan.objects.create(enterprise=world["hengda"], year=today.year - 1, grade="red", yearly_cap=24,
                                         created_by=users["officehead"])
    first = PlannedVisit.objects.create(plan=past, planned_on=datetime.date(today.year - 1, 3, 9))
    PlannedVisit.objects.create(plan=past, planned_on=datetime.date(today.year - 1, 4, 9))
    before = snapshot()
    message = f"{today.year - 1}年度的检查计划已结束"
    assert_json_error(head.patch(f"{API}/planned-visits/{first.pk}/", {"planned_on": f"{today.year - 1}-05-06"},
                                 format="json"), 400, message)
    assert_json_error(head.delete(f"{API}/planned-visits/{first.pk}/"), 400, message)
    assert_json_error(head.post(f"{API}/plans/{past.pk}/visits/", {"planned_on": f"{today.year - 1}-06-05"},
                                format="json"), 400, message)
    assert snapshot() == before
    # the last visit of a plan stays
    for v in visits[:-1]:
        assert head.delete(f"{API}/planned-visits/{v.pk}/").status_code == 204
    emptied = snapshot()
    assert_json_error(head.delete(f"{API}/planned-visits/{visits[-1].pk}/"), 400, "年度计划至少保留一次检查")
    assert snapshot() == emptied
    assert_audit_intact()


def test_api_reminders_are_read_only_by_their_owner_and_bad_ids_are_a_400(api, users, world, today):
    reminder_service.run(today)  # the real job, and one of another person's for certain
    theirs, mine = reminder(users["supervisor"], "a"), reminder(users["officehead"], "b")
    head = api("officehead")
    before = snapshot()
    # regression: an id too large for the database crashed the request (OverflowError, 500)
    for body in ({"ids": ["abc"]}, {"ids": [BIG]}, {"ids": [MAX_ID + 1]}, {"ids": "abc"}, {"ids": None},
                 {"ids": [-1]}, {"ids": [0]}):
        assert_json_error(head.post(f"{API}/reminders/read/", body, format="json"), 400)
    r = head.post(f"{API}/reminders/read/", {"ids": [theirs.pk]}, format="json")
    assert r.status_code == 200 and r.json()["marked"] == 0
    assert snapshot() == before
    listed = head.get(f"{API}/reminders/").json()
    assert listed["count"] == Reminder.objects.filter(user=users["officehead"]).count()
    assert theirs.pk not in [x["id"] for x in listed["results"]] and mine.pk in [x["id"] for x in listed["results"]]
    r = head.post(f"{API}/reminders/read/", {"ids": [mine.pk, theirs.pk]}, format="json")
    assert r.json()["marked"] == 1
    assert Reminder.objects.get(pk=theirs.pk).read_at is None
