"""Rules of the three responsible persons and of risk grades (enterprises.services), each refusal leaving no trace."""

import pytest
from django.core.exceptions import PermissionDenied

from enterprises import services
from enterprises.models import (
    AssignmentChange, ChangeState, GradeAssessment, ResponsibleAssignment, ResponsibleRole,
)
from tests import factories as f
from tests.supervision import builders as b
from tests.supervision.builders import D
from workflow.engine import ActionRefused
from workflow.models import AuditEntry, Notice, NoticeKind

pytestmark = pytest.mark.usefixtures("committee")

TODAY = D(2026, 3, 10)


@pytest.fixture(autouse=True)
def clock(time_machine):
    b.go(time_machine, TODAY)


def _counts():
    return (AssignmentChange.objects.count(), ResponsibleAssignment.objects.count(), AuditEntry.objects.count(),
            Notice.objects.count())


def _propose(ent=None, *, user="officehead", kind=AssignmentChange.Kind.DESIGNATE, effective_from=TODAY,
             admin="supervisor", regulator="officehead", person="李国强", phone="13800000001"):
    return services.assignment_propose(
        user=f.user(user), enterprise=ent or f.enterprise(), kind=kind, effective_from=effective_from,
        reason="年度重点管控企业", administrative_staff=b.staff(admin) if admin else None,
        regulator_staff=b.staff(regulator) if regulator else None, enterprise_person=person,
        enterprise_position="总经理", enterprise_phone=phone)


def _boards(ent):
    return list(Notice.objects.filter(kind=NoticeKind.LISTING_BOARD, enterprise=ent).order_by("id")
                .values_list("number", flat=True))


def _held(ent, day=TODAY):
    return {role: a.person_name for role, a in services.current_assignments(ent, day).items()}


# --- refusals that write nothing ----------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    ({"person": "", "phone": ""}, "三个责任人须全部明确，尚缺：企业（单位）责任人。"),
    ({"admin": None}, "三个责任人须全部明确，尚缺：行政负责人。"),
    ({"admin": None, "regulator": None}, "三个责任人须全部明确，尚缺：行政负责人、行业监管部门负责人。"),
    ({"regulator": "buildhead"}, "行业监管部门负责人须为监管该企业行业领域的部室（安全生产部）的负责人，孙伟不符合。"),
    ({"admin": "officehead"}, "行政负责人须由园区领导担任，刘建华不是园区领导。"),
    ({"phone": "12"}, "企业（单位）责任人电话格式不正确（7至20位数字）。"),
    ({"effective_from": D(2027, 6, 1)}, "生效日期须在前后一年之内。"),
])
def test_a_broken_designation_is_refused_and_writes_nothing(kwargs, message):
    before = _counts()
    with pytest.raises(ActionRefused) as refused:
        _propose(**kwargs)
    assert str(refused.value) == message
    assert _counts() == before
    assert not f.enterprise().is_key_supervised


@pytest.mark.parametrize("username", ["enterprise", "inspector", "builder", "buildhead"])
def test_only_leaders_and_the_regulating_office_head_may_propose(username):
    before = _counts()
    with pytest.raises(PermissionDenied):
        _propose(user=username)
    assert _counts() == before


def test_an_office_head_or_unauthorised_person_cannot_approve():
    change = _propose()
    task = b.approve_task(change)
    for username in ("officehead", "inspector", "enterprise"):
        with pytest.raises(PermissionDenied):
            services.assignment_decide(user=f.user(username), task_id=task, approve=True)
    change.refresh_from_db()
    assert change.state == ChangeState.SUBMITTED
    assert ResponsibleAssignment.objects.count() == 0


def test_the_proposer_cannot_approve_his_own_change():
    change = _propose(user="supervisor")
    before = _counts()
    with pytest.raises(ActionRefused, match="提出人不能审批自己提出的责任人确定或调整。"):
        services.assignment_decide(user=f.user("supervisor"), task_id=b.approve_task(change), approve=True)
    change.refresh_from_db()
    assert change.state == ChangeState.SUBMITTED
    assert _counts() == before
    services.assignment_decide(user=f.user("xiaopeiming"), task_id=b.approve_task(change), approve=True)
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED


def test_a_second_pending_change_is_refused():
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 1, 1))
    services.assignment_propose(user=f.user("officehead"), enterprise=ent, kind=AssignmentChange.Kind.CHANGE,
                                effective_from=TODAY, reason="人员调整", administrative_staff=b.staff("dengbo"))
    before = _counts()
    with pytest.raises(ActionRefused, match="该企业已有待审批的责任人确定或调整，请等待审批完成。"):
        services.assignment_propose(user=f.user("supervisor"), enterprise=ent, kind=AssignmentChange.Kind.CHANGE,
                                    effective_from=TODAY, reason="人员调整", administrative_staff=b.staff("chenxulong"))
    assert _counts() == before


@pytest.mark.parametrize("effective_from", [D(2026, 3, 1), D(2026, 2, 20)])
def test_a_change_overlapping_the_current_holder_is_refused(effective_from):
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 3, 1))
    before = _counts()
    with pytest.raises(ActionRefused) as refused:
        b.change_holder(ent, admin="dengbo", effective_from=effective_from)
    assert str(refused.value) == "行政负责人任职期间重叠：黄国栋自2026年3月1日起任职，新的生效日期须晚于该日期。"
    assert _counts() == before
    assert _held(ent)[ResponsibleRole.ADMINISTRATIVE] == "黄国栋"


def test_a_change_to_the_same_person_is_refused():
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 1, 1))
    with pytest.raises(ActionRefused, match="行政负责人未发生变化（现任为黄国栋）。"):
        b.change_holder(ent, admin="supervisor", effective_from=D(2026, 3, 2))


def test_designating_a_key_enterprise_twice_is_refused():
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 1, 1))
    with pytest.raises(ActionRefused, match="该企业已是重点管控企业"):
        _propose(ent)


# --- approval, rejection, release ---------------------------------------------------------------------------

def test_designation_approved_writes_holders_audit_and_the_first_board():
    ent = f.enterprise()
    change = _propose(ent, effective_from=D(2026, 3, 1))
    assert AuditEntry.objects.filter(action="assignment_proposed", target_id=str(change.pk)).count() == 1
    assert _held(ent) == {}
    services.assignment_decide(user=f.user("xiaopeiming"), task_id=b.approve_task(change), approve=True,
                               comment="同意")
    ent.refresh_from_db()
    assert ent.is_key_supervised
    assert _held(ent) == {ResponsibleRole.ADMINISTRATIVE: "黄国栋", ResponsibleRole.REGULATOR: "刘建华",
                          ResponsibleRole.ENTERPRISE: "李国强"}
    approved = AuditEntry.objects.get(action="assignment_approved", target_id=str(change.pk))
    assert approved.actor == f.user("xiaopeiming")
    assert approved.data["administrative"] == "黄国栋" and approved.data["regulator"] == "刘建华"
    assert _boards(ent) == ["正阳园安公示〔2026〕1号"]
    board = Notice.objects.get(kind=NoticeKind.LISTING_BOARD, enterprise=ent)
    people = {p["role"]: (p["name"], p["position"]) for p in board.context["people"]}
    assert people == {"administrative": ("黄国栋", "分管安全生产负责人"), "regulator": ("刘建华", "安全生产部负责人"),
                      "enterprise": ("李国强", "总经理")}


def test_a_change_closes_the_old_holder_the_day_before_and_reissues_the_board():
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 1, 1))
    change = b.change_holder(ent, admin="dengbo", effective_from=D(2026, 3, 16))
    old = ResponsibleAssignment.objects.get(enterprise=ent, role=ResponsibleRole.ADMINISTRATIVE,
                                            person_name="黄国栋")
    new = ResponsibleAssignment.objects.get(enterprise=ent, role=ResponsibleRole.ADMINISTRATIVE, person_name="邓波")
    assert (old.start_date, old.end_date) == (D(2026, 1, 1), D(2026, 3, 15))
    assert (new.start_date, new.end_date, new.change_id) == (D(2026, 3, 16), None, change.pk)
    # the other two roles are untouched
    assert ResponsibleAssignment.objects.filter(enterprise=ent, end_date__isnull=False).count() == 1
    assert _held(ent, D(2026, 3, 15))[ResponsibleRole.ADMINISTRATIVE] == "黄国栋"
    assert _held(ent, D(2026, 3, 16)) == {ResponsibleRole.ADMINISTRATIVE: "邓波", ResponsibleRole.REGULATOR: "刘建华",
                                          ResponsibleRole.ENTERPRISE: "李国强"}
    assert _boards(ent) == ["正阳园安公示〔2026〕1号", "正阳园安公示〔2026〕2号"]
    latest = Notice.objects.filter(kind=NoticeKind.LISTING_BOARD, enterprise=ent).latest("id")
    assert [p["name"] for p in latest.context["people"]] == ["邓波", "刘建华", "李国强"]
    actions = list(AuditEntry.objects.filter(target_id=str(change.pk), target_type="enterprises.assignmentchange")
                   .values_list("action", flat=True))
    assert actions == ["assignment_proposed", "assignment_approved"]


def test_a_rejection_needs_a_comment_and_changes_nothing():
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 1, 1))
    change = services.assignment_propose(user=f.user("officehead"), enterprise=ent,
                                         kind=AssignmentChange.Kind.CHANGE, effective_from=TODAY,
                                         reason="人员调整", administrative_staff=b.staff("dengbo"))
    task = b.approve_task(change)
    before = _counts()
    with pytest.raises(ActionRefused, match="退回须填写理由。"):
        services.assignment_decide(user=f.user("xiaopeiming"), task_id=task, approve=False, comment="  ")
    assert _counts() == before
    services.assignment_decide(user=f.user("xiaopeiming"), task_id=task, approve=False, comment="人选不合适")
    change.refresh_from_db()
    assert (change.state, change.comment, change.decided_by) == (ChangeState.REJECTED, "人选不合适",
                                                                 f.user("xiaopeiming"))
    assert AuditEntry.objects.filter(action="assignment_rejected", target_id=str(change.pk)).count() == 1
    assert _held(ent)[ResponsibleRole.ADMINISTRATIVE] == "黄国栋"
    assert len(_boards(ent)) == 1
    # once rejected, a new proposal is possible again
    b.change_holder(ent, admin="chenxulong", effective_from=TODAY)
    assert _held(ent)[ResponsibleRole.ADMINISTRATIVE] == "陈煦龙"


def test_release_ends_all_three_and_clears_the_key_flag():
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 1, 1))
    change = services.assignment_propose(user=f.user("officehead"), enterprise=ent,
                                         kind=AssignmentChange.Kind.RELEASE, effective_from=TODAY,
                                         reason="企业停产搬迁")
    services.assignment_decide(user=f.user("supervisor"), task_id=b.approve_task(change), approve=True)
    ent.refresh_from_db()
    assert not ent.is_key_supervised
    ends = sorted(ResponsibleAssignment.objects.filter(enterprise=ent).values_list("role", "end_date"))
    assert ends == [("administrative", D(2026, 3, 9)), ("enterprise", D(2026, 3, 9)), ("regulator", D(2026, 3, 9))]
    assert _held(ent) == {}
    assert len(_boards(ent)) == 1  # no board for a released enterprise
    assert AuditEntry.objects.filter(action="assignment_approved", target_id=str(change.pk)).count() == 1
    with pytest.raises(ActionRefused, match="该企业不是重点管控企业"):
        services.assignment_propose(user=f.user("officehead"), enterprise=ent, kind=AssignmentChange.Kind.RELEASE,
                                    effective_from=TODAY, reason="再次解除")


# --- risk grade ---------------------------------------------------------------------------------------------

def test_grade_history_and_board_reissued_only_when_the_grade_changes(time_machine):
    ent = f.enterprise()
    b.designate(ent, effective_from=D(2026, 1, 1))
    services.grade_set(user=f.user("officehead"), enterprise=ent, grade="yellow", reason="年度评估", set_on=D(2026, 3, 2))
    b.go(time_machine, D(2026, 3, 20))
    services.grade_set(user=f.user("officehead"), enterprise=ent, grade="red", reason="发现重大事故隐患")
    services.grade_set(user=f.user("supervisor"), enterprise=ent, grade="red", reason="复核维持")
    ent.refresh_from_db()
    assert ent.risk_grade == "red"
    history = list(GradeAssessment.objects.filter(enterprise=ent).order_by("set_on", "id")
                   .values_list("grade", "set_on"))
    assert history == [("yellow", D(2026, 3, 2)), ("red", D(2026, 3, 20)), ("red", D(2026, 3, 20))]
    graded = list(AuditEntry.objects.filter(action="grade_set").order_by("id").values_list("data", flat=True))
    assert [(d["previous"], d["grade"]) for d in graded] == [("", "yellow"), ("yellow", "red"), ("red", "red")]
    # designation board + yellow + red; the unchanged second red prints nothing new
    assert _boards(ent) == ["正阳园安公示〔2026〕1号", "正阳园安公示〔2026〕2号", "正阳园安公示〔2026〕3号"]
    latest = Notice.objects.filter(kind=NoticeKind.LISTING_BOARD, enterprise=ent).latest("id")
    assert latest.context["grade"] == "red"


def test_grade_rules():
    ent = f.enterprise()
    with pytest.raises(PermissionDenied):
        services.grade_set(user=f.user("buildhead"), enterprise=ent, grade="red", reason="x")
    with pytest.raises(ActionRefused, match="风险等级须为红、橙、黄、蓝四级之一。"):
        services.grade_set(user=f.user("officehead"), enterprise=ent, grade="purple", reason="x")
    with pytest.raises(ActionRefused, match="请填写定级理由。"):
        services.grade_set(user=f.user("officehead"), enterprise=ent, grade="red", reason=" ")
    with pytest.raises(ActionRefused, match="定级日期不能晚于今天。"):
        services.grade_set(user=f.user("officehead"), enterprise=ent, grade="red", reason="x", set_on=D(2026, 3, 11))
    services.grade_set(user=f.user("officehead"), enterprise=ent, grade="blue", reason="年度评估", set_on=TODAY)
    with pytest.raises(ActionRefused, match="定级日期不能早于上次定级日期"):
        services.grade_set(user=f.user("officehead"), enterprise=ent, grade="red", reason="x", set_on=D(2026, 3, 9))
    ent.refresh_from_db()
    assert ent.risk_grade == "blue" and GradeAssessment.objects.filter(enterprise=ent).count() == 1
    assert _boards(ent) == []  # not a key enterprise: no board
