"""Duty records (visits, meetings, reports, presence, plans): each rule refuses with Chinese text and writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from supervision import services
from supervision.models import (
    DutyReport, GuidanceVisit, InspectionPlan, PlannedVisit, PresenceDuty, PresenceRequest, SafetyMeeting,
)
from tests import factories as f
from tests.supervision import builders as b
from tests.supervision.builders import D
from workflow.calendar import is_workday
from workflow.engine import ActionRefused
from workflow.models import AuditEntry

pytestmark = pytest.mark.usefixtures("committee")

TODAY = D(2026, 3, 10)  # a Tuesday


@pytest.fixture(autouse=True)
def clock(time_machine):
    b.go(time_machine, TODAY)


def _audits(action):
    return AuditEntry.objects.filter(action=action).count()


# --- checks and guidance visits -----------------------------------------------------------------------------

def test_a_visit_is_recorded_with_its_people_and_an_audit_row():
    visit = b.visit(f.enterprise(), D(2026, 3, 9), led_by="supervisor", participants=["officehead", "supervisor"],
                    recorder="officehead", problems_found=2)
    visit.refresh_from_db()
    assert (visit.visited_on, visit.led_by, visit.recorded_by, visit.problems_found) == (
        D(2026, 3, 9), f.user("supervisor"), f.user("officehead"), 2)
    assert list(visit.participants.all()) == [f.user("officehead")]  # the leader is not listed twice
    assert _audits("visit_recorded") == 1


@pytest.mark.parametrize("kwargs,error,message", [
    ({"on": D(2026, 3, 11)}, ActionRefused, "检查日期不能晚于今天。"),
    ({"on": D(2025, 3, 8)}, ActionRefused, "检查日期不能早于一年前。"),
    ({"on": None}, ActionRefused, "请填写检查日期。"),
    ({"summary": "   "}, ActionRefused, "请填写检查指导情况。"),
    ({"participants": ["enterprise"]}, ActionRefused, "带队人和参加人员须为管委会工作人员。"),
    ({"led_by": "enterprise", "recorder": "supervisor"}, ActionRefused, "带队人和参加人员须为管委会工作人员。"),
    ({"occasion": "party"}, ActionRefused, "请选择检查事由。"),
    ({"problems_found": -1}, ActionRefused, "发现问题数须为0至999。"),
    ({"recorder": "enterprise"}, PermissionDenied, "仅管委会工作人员可以执行此操作。"),
    ({"recorder": "inspector2"}, PermissionDenied, "只能登记本人参加的检查指导。"),
])
def test_a_bad_visit_is_refused_and_nothing_is_written(kwargs, error, message):
    args = {"on": D(2026, 3, 9), "led_by": "inspector", "summary": "检查有限空间作业审批", **kwargs}
    with pytest.raises(error) as refused:
        b.visit(f.enterprise(), args.pop("on"), **args)
    assert str(refused.value) == message
    assert GuidanceVisit.objects.count() == 0 and _audits("visit_recorded") == 0


# --- meetings and reports ------------------------------------------------------------------------------------

def test_a_meeting_on_behalf_of_the_principal_is_recorded():
    meeting = b.meeting(D(2026, 3, 2), kind="work_meeting", chaired_by="supervisor", on_behalf_of="xiaopeiming",
                        attendees=["dengbo", "officehead"], recorder="officehead")
    assert (meeting.chaired_by, meeting.on_behalf_of) == (f.user("supervisor"), f.user("xiaopeiming"))
    assert set(meeting.attendees.all()) == {f.user("dengbo"), f.user("officehead")}
    assert _audits("meeting_recorded") == 1


@pytest.mark.parametrize("kwargs,message", [
    ({"attendees": []}, "请选择参会人员。"),
    ({"attendees": ["supervisor"]}, "请选择参会人员。"),  # only the chair
    ({"minutes": " "}, "请填写会议纪要。"),
    ({"title": ""}, "请填写会议名称。"),
    ({"kind": "party"}, "请选择会议类别。"),
    ({"on": D(2026, 3, 11)}, "会议日期不能晚于今天。"),
    ({"attendees": ["enterprise"]}, "主持人和参会人员须为管委会工作人员。"),
    ({"on_behalf_of": "dengbo"}, "委托人须为园区主要负责人，且不是主持人本人。"),
    ({"on_behalf_of": "xiaopeiming", "chaired_by": "xiaopeiming"}, "委托人须为园区主要负责人，且不是主持人本人。"),
    ({"on_behalf_of": "xiaopeiming", "chaired_by": "officehead"}, "受委托主持会议的须为园区分管负责人。"),
])
def test_a_bad_meeting_is_refused_and_nothing_is_written(kwargs, message):
    args = {"on": D(2026, 3, 2), "kind": "work_meeting", "chaired_by": "supervisor", "attendees": ["dengbo"],
            **kwargs}
    with pytest.raises(ActionRefused) as refused:
        b.meeting(args.pop("on"), recorder="supervisor", **args)
    assert str(refused.value) == message
    assert SafetyMeeting.objects.count() == 0 and _audits("meeting_recorded") == 0


def test_a_report_to_the_principal_is_recorded():
    report = b.report(D(2026, 3, 5), reporter="dengbo")
    assert (report.reporter, report.received_by) == (f.user("dengbo"), f.user("xiaopeiming"))
    assert _audits("report_recorded") == 1


@pytest.mark.parametrize("reporter,received_by,user,error,message", [
    ("officehead", "xiaopeiming", "officehead", ActionRefused, "汇报人须为园区领导班子成员。"),
    ("dengbo", "supervisor", "dengbo", ActionRefused, "听取人须为园区主要负责人。"),
    ("xiaopeiming", "xiaopeiming", "xiaopeiming", ActionRefused, "汇报人与听取人不能是同一人。"),
    ("dengbo", "xiaopeiming", "inspector", PermissionDenied, "只能登记本人汇报或听取的履职汇报。"),
    ("dengbo", "xiaopeiming", "enterprise", PermissionDenied, "仅管委会工作人员可以执行此操作。"),
])
def test_a_bad_report_is_refused(reporter, received_by, user, error, message):
    with pytest.raises(error) as refused:
        services.report_record(user=f.user(user), reporter=f.user(reporter), received_by=f.user(received_by),
                               reported_on=D(2026, 3, 5), summary="汇报履职情况")
    assert str(refused.value) == message
    assert DutyReport.objects.count() == 0


def test_a_report_needs_a_summary_and_a_past_date():
    with pytest.raises(ActionRefused, match="请填写汇报内容。"):
        b.report(D(2026, 3, 5), reporter="dengbo", summary="")
    with pytest.raises(ActionRefused, match="汇报日期不能晚于今天。"):
        b.report(D(2026, 3, 11), reporter="dengbo")
    assert DutyReport.objects.count() == 0


# --- presence at key moments ---------------------------------------------------------------------------------

def test_presence_request_calls_both_leads_and_a_visit_marks_attendance():
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 1, 1))
    ent.refresh_from_db()
    b.visit(ent, D(2026, 3, 9), led_by="supervisor")  # before the moment: not an answer to it
    request = services.presence_request_raise(user=f.user("officehead"), enterprise=ent, occasion="resumption",
                                              occurred_on=TODAY, description="停产整顿后复工复产")
    assert (request.occurred_on, request.due_by) == (TODAY, D(2026, 3, 13))  # three working days: Wed, Thu, Fri
    duties = {d.role: (d.person.username, d.attended) for d in request.duties.all()}
    assert duties == {"administrative": ("supervisor", False), "regulator": ("officehead", False)}
    assert _audits("presence_requested") == 1

    b.visit(ent, TODAY, led_by="supervisor", occasion="resumption")
    duties = {d.role: (d.person.username, d.attended) for d in PresenceDuty.objects.filter(request=request)}
    assert duties == {"administrative": ("supervisor", True), "regulator": ("officehead", False)}


@pytest.mark.parametrize("username,kwargs,error,message", [
    ("officehead", {"designated": False}, ActionRefused, "该企业不是重点管控企业，没有须到场的责任人。"),
    ("inspector", {}, PermissionDenied, "仅园区领导或部室负责人可以登记特殊时期到场要求。"),
    ("officehead", {"occasion": "major_hazard"}, ActionRefused, "请选择到场事由（复工复产、出现险情、发生事故或重要节点）。"),
    ("officehead", {"occurred_on": D(2026, 3, 11)}, ActionRefused, "发生日期不能晚于今天。"),
    ("officehead", {"description": ""}, ActionRefused, "请填写情况说明。"),
])
def test_a_bad_presence_request_is_refused(username, kwargs, error, message):
    ent = f.enterprise()
    if kwargs.pop("designated", True):
        b.designate(ent, effective_from=D(2026, 1, 1))
    args = {"occasion": "danger", "occurred_on": TODAY, "description": "有限空间作业出现险情", **kwargs}
    with pytest.raises(error) as refused:
        services.presence_request_raise(user=f.user(username), enterprise=ent, **args)
    assert str(refused.value) == message
    assert PresenceRequest.objects.count() == 0 and PresenceDuty.objects.count() == 0


# --- annual inspection plans ---------------------------------------------------------------------------------

def _graded(grade, ent=None):
    from enterprises.services import grade_set

    ent = ent or f.enterprise()
    grade_set(user=f.user("officehead"), enterprise=ent, grade=grade, reason="年度评估")
    ent.refresh_from_db()
    return ent


def _plan_dates(plan):
    return list(PlannedVisit.objects.filter(plan=plan).order_by("planned_on").values_list("planned_on", flat=True))


def test_a_red_enterprise_gets_one_visit_a_month():
    plan = services.plan_generate(user=f.user("officehead"), enterprise=_graded("red"), year=2026)
    dates = _plan_dates(plan)
    assert [d.month for d in dates] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert all(d.year == 2026 and is_workday(d) for d in dates)
    assert (plan.grade, plan.yearly_cap) == ("red", 24)
    assert _audits("plan_generated") == 1


def test_a_blue_enterprise_gets_two_visits_six_months_apart_and_a_cap_of_four():
    plan = services.plan_generate(user=f.user("supervisor"), enterprise=_graded("blue"), year=2026)
    first, second = _plan_dates(plan)
    assert second.month - first.month == 6 and 1 <= first.month <= 6
    assert is_workday(first) and is_workday(second)
    assert plan.yearly_cap == 4

    services.plan_visit_add(user=f.user("officehead"), plan=plan, planned_on=D(2026, 4, 14), note="复查")
    services.plan_visit_add(user=f.user("officehead"), plan=plan, planned_on=D(2026, 10, 13))
    with pytest.raises(ActionRefused, match=r"计划检查次数已达年度上限（4次）。"):
        services.plan_visit_add(user=f.user("officehead"), plan=plan, planned_on=D(2026, 11, 10))
    assert len(_plan_dates(plan)) == 4
    with pytest.raises(ActionRefused, match="计划日期须在2026年内。"):
        services.plan_visit_move(user=f.user("officehead"), visit=plan.visits.first(), planned_on=D(2027, 1, 5))

    for visit in list(plan.visits.all())[:3]:
        services.plan_visit_remove(user=f.user("officehead"), visit=visit)
    with pytest.raises(ActionRefused, match="年度计划至少保留一次检查。"):
        services.plan_visit_remove(user=f.user("officehead"), visit=plan.visits.get())
    assert len(_plan_dates(plan)) == 1


def test_plan_rules():
    ent = f.enterprise()
    with pytest.raises(ActionRefused, match="该企业尚未确定风险等级，不能生成检查计划。"):
        services.plan_generate(user=f.user("officehead"), enterprise=ent, year=2026)
    ent = _graded("yellow", ent)
    with pytest.raises(PermissionDenied):
        services.plan_generate(user=f.user("inspector"), enterprise=ent, year=2026)
    with pytest.raises(PermissionDenied):
        services.plan_generate(user=f.user("buildhead"), enterprise=ent, year=2026)  # not his sector
    with pytest.raises(ActionRefused, match="只能编制本年度或下一年度的检查计划。"):
        services.plan_generate(user=f.user("officehead"), enterprise=ent, year=2028)
    plan = services.plan_generate(user=f.user("officehead"), enterprise=ent, year=2026)
    assert len(_plan_dates(plan)) == 4  # yellow: every three months
    with pytest.raises(ActionRefused, match="该企业2026年度的检查计划已存在。"):
        services.plan_generate(user=f.user("supervisor"), enterprise=ent, year=2026)
    assert InspectionPlan.objects.count() == 1
    services.plan_generate(user=f.user("supervisor"), enterprise=ent, year=2027)
    assert InspectionPlan.objects.count() == 2


def test_it_generates_the_plans_of_every_graded_enterprise_the_office_head_regulates_at_once(committee, client_for):
    from enterprises import services as ent_services
    from enterprises.models import Enterprise
    from supervision.models import InspectionPlan
    from tests.factories import enterprise, user

    year = datetime.date.today().year
    hengda, chem, builder_co = (enterprise(), enterprise("重庆正阳新材料科技有限公司"),
                                Enterprise.objects.get(name="重庆正阳建工集团有限公司"))
    for ent, grade in ((hengda, "red"), (chem, "blue"), (builder_co, "yellow")):
        ent_services.grade_set(user=user("supervisor"), enterprise=ent, grade=grade, reason="年度定级")
    response = client_for("officehead").post("/supervision/plans/generate/", {"year": year}, follow=True)
    assert "已为2家企业生成" in response.content.decode()
    plans = {p.enterprise.name: p.visits.count() for p in InspectionPlan.objects.filter(year=year)}
    assert plans == {hengda.name: 12, chem.name: 2}  # 建工 is regulated by 规划建设部, not 刘建华's office
    response = client_for("officehead").post("/supervision/plans/generate/", {"year": year}, follow=True)
    assert "没有需要生成" in response.content.decode()
    assert InspectionPlan.objects.count() == 2
    api = client_for("buildhead").post("/api/v1/supervision/plans/generate-all/", {"year": year},
                                       content_type="application/json")
    assert api.status_code == 201 and [p["enterprise"] for p in api.json()] != []
    assert InspectionPlan.objects.filter(enterprise=builder_co, year=year).exists()
    refused = client_for("inspector").post("/api/v1/supervision/plans/generate-all/", {"year": year + 5},
                                           content_type="application/json")
    assert refused.status_code in (400, 403)
    assert InspectionPlan.objects.count() == 3
