"""Writes for graded supervision and the three responsible persons: each in a transaction, with its audit row."""

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit, notices
from workflow.calendar import MAX_TERM, cn_date
from workflow.engine import ActionRefused, complete_human_task
from workflow.models import NoticeKind, Staff
from workflow.roles import staff_of

from .flows import APPROVER_PERMISSION, AssignmentFlow
from .models import (
    AssignmentChange, ChangeState, Enterprise, GradeAssessment, ResponsibleAssignment, ResponsibleRole, RiskGrade,
)

PHONE = re.compile(r"^[0-9][0-9\- ]{6,19}$")
ONE_DAY = datetime.timedelta(days=1)


def regulating_offices(enterprise):
    return {s.office_id for s in enterprise.sectors.all()}


def may_manage(user, enterprise):
    """Leaders and the heads of the offices regulating the enterprise's sectors manage its supervision."""
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.leader_role:
        return True
    return staff.is_office_head and staff.office_id in regulating_offices(enterprise)


def _require_manager(user, enterprise):
    if not may_manage(user, enterprise):
        raise PermissionDenied(_("仅园区领导或该企业行业监管部室负责人可以执行此操作。"))
    return staff_of(user)


def _lock_enterprise(pk):
    return Enterprise.objects.select_for_update().get(pk=pk)


def _audit(user, action, target, summary, **data):
    audit.record(actor=user, action=action, target=target, summary=summary, data=data)


# --- risk grade ------------------------------------------------------------------------------------------------

def grade_set(*, user, enterprise, grade, reason, set_on=None):
    set_on = set_on or timezone.localdate()
    _require_manager(user, enterprise)
    if grade not in RiskGrade.values:
        raise ActionRefused(_("风险等级须为红、橙、黄、蓝四级之一。"))
    if not (reason or "").strip():
        raise ActionRefused(_("请填写定级理由。"))
    today = timezone.localdate()
    if set_on > today:
        raise ActionRefused(_("定级日期不能晚于今天。"))
    if set_on < today - MAX_TERM:
        raise ActionRefused(_("定级日期不能早于一年前。"))
    with transaction.atomic():
        locked = _lock_enterprise(enterprise.pk)
        latest = locked.grade_assessments.order_by("-set_on", "-id").first()
        if latest and set_on < latest.set_on:
            raise ActionRefused(_("定级日期不能早于上次定级日期（%(d)s）。") % {"d": cn_date(latest.set_on)})
        if latest and (latest.grade, latest.set_on, latest.reason) == (grade, set_on, reason.strip()):
            raise ActionRefused(_("该定级已登记，请勿重复提交。"))  # a double submit
        assessment = GradeAssessment.objects.create(enterprise=locked, grade=grade, reason=reason.strip(),
                                                    set_on=set_on, set_by=user)
        previous = locked.risk_grade
        locked.risk_grade = grade
        locked.save(update_fields=["risk_grade"])
        _audit(user, "grade_set", assessment, _("%(e)s 风险等级定为%(g)s") % {
            "e": locked.name, "g": assessment.get_grade_display()},
            enterprise_id=locked.pk, grade=grade, previous=previous, reason=reason.strip(), set_on=set_on)
        if locked.is_key_supervised and previous != grade:
            issue_board(enterprise=locked, user=user)  # the board prints the grade: a new one replaces it
    return assessment


# --- three responsible persons ------------------------------------------------------------------------------

def current_assignments(enterprise, day=None):
    """{role: assignment} of who holds each role on `day` (today by default)."""
    day = day or timezone.localdate()
    rows = enterprise.responsible_assignments.held_on(day).select_related("staff__office", "staff__user")
    return {a.role: a for a in rows}


def _slots(*, administrative_staff, regulator_staff, enterprise_person, enterprise_phone):
    named = {}
    if administrative_staff is not None:
        named[ResponsibleRole.ADMINISTRATIVE] = administrative_staff
    if regulator_staff is not None:
        named[ResponsibleRole.REGULATOR] = regulator_staff
    if enterprise_person or enterprise_phone:
        named[ResponsibleRole.ENTERPRISE] = enterprise_person
    return named


def _check_change(*, enterprise, kind, effective_from, administrative_staff, regulator_staff, enterprise_person,
                  enterprise_position, enterprise_phone, exclude_change=None):
    """Every rule of a designation or change; raises ActionRefused with the first broken one."""
    today = timezone.localdate()
    if effective_from is None:
        raise ActionRefused(_("请填写生效日期。"))
    if not (today - MAX_TERM <= effective_from <= today + MAX_TERM):
        raise ActionRefused(_("生效日期须在前后一年之内。"))
    named = _slots(administrative_staff=administrative_staff, regulator_staff=regulator_staff,
                   enterprise_person=enterprise_person, enterprise_phone=enterprise_phone)
    held = current_assignments(enterprise, max(today, effective_from))
    if kind == AssignmentChange.Kind.DESIGNATE:
        if enterprise.is_key_supervised:
            raise ActionRefused(_("该企业已是重点管控企业，请使用“调整责任人”。"))
        missing = [str(ResponsibleRole(r).label) for r in ResponsibleRole.values if r not in named]
        if missing:
            raise ActionRefused(_("三个责任人须全部明确，尚缺：%(m)s。") % {"m": "、".join(missing)})
    elif kind == AssignmentChange.Kind.CHANGE:
        if not enterprise.is_key_supervised:
            raise ActionRefused(_("该企业不是重点管控企业，请先确定三个责任人。"))
        if not named:
            raise ActionRefused(_("请至少填写一名调整后的责任人。"))
    elif kind == AssignmentChange.Kind.RELEASE:
        if not enterprise.is_key_supervised:
            raise ActionRefused(_("该企业不是重点管控企业。"))
        if named:
            raise ActionRefused(_("解除重点管控时不应填写责任人。"))
    else:
        raise ActionRefused(_("未知的调整类别。"))
    if ResponsibleRole.ENTERPRISE in named:
        if not (enterprise_person or "").strip():
            raise ActionRefused(_("请填写企业（单位）责任人姓名。"))
        if not PHONE.match(enterprise_phone or ""):
            raise ActionRefused(_("企业（单位）责任人电话格式不正确（7至20位数字）。"))
    if administrative_staff is not None and not administrative_staff.leader_role:
        raise ActionRefused(_("行政负责人须由园区领导担任，%(n)s不是园区领导。") % {"n": administrative_staff.full_name})
    if regulator_staff is not None:
        offices = regulating_offices(enterprise)
        if not (regulator_staff.is_office_head and regulator_staff.office_id in offices):
            names = "、".join(sorted({s.office.name for s in enterprise.sectors.select_related("office")}))
            raise ActionRefused(_("行业监管部门负责人须为监管该企业行业领域的部室（%(o)s）的负责人，%(n)s不符合。") % {
                "o": names, "n": regulator_staff.full_name})
    for role, person in named.items():
        current = held.get(role)
        if current is not None and role != ResponsibleRole.ENTERPRISE and current.staff_id == person.pk:
            raise ActionRefused(_("%(r)s未发生变化（现任为%(n)s）。") % {"r": ResponsibleRole(role).label,
                                                                  "n": current.person_name})
    roles = list(named) if kind != AssignmentChange.Kind.RELEASE else list(held)
    for role in roles:
        for a in enterprise.responsible_assignments.filter(role=role):
            starts_after = a.start_date >= effective_from
            ended_after = a.end_date is not None and a.end_date >= effective_from
            if starts_after or ended_after:
                raise ActionRefused(_("%(r)s任职期间重叠：%(n)s自%(s)s起任职，新的生效日期须晚于该日期。") % {
                    "r": ResponsibleRole(role).label, "n": a.person_name, "s": cn_date(a.start_date)})
    pending = enterprise.assignment_changes.filter(state=ChangeState.SUBMITTED)
    if exclude_change is not None:
        pending = pending.exclude(pk=exclude_change.pk)
    if pending.exists():
        raise ActionRefused(_("该企业已有待审批的责任人确定或调整，请等待审批完成。"))


def assignment_propose(*, user, enterprise, kind, effective_from, reason, administrative_staff=None,
                       regulator_staff=None, enterprise_person="", enterprise_position="", enterprise_phone=""):
    _require_manager(user, enterprise)
    if not (reason or "").strip():
        raise ActionRefused(_("请填写理由。"))
    fields = dict(administrative_staff=administrative_staff, regulator_staff=regulator_staff,
                  enterprise_person=(enterprise_person or "").strip(),
                  enterprise_position=(enterprise_position or "").strip(),
                  enterprise_phone=(enterprise_phone or "").strip())
    with transaction.atomic():
        locked = _lock_enterprise(enterprise.pk)
        _check_change(enterprise=locked, kind=kind, effective_from=effective_from, **fields)
        change = AssignmentChange.objects.create(enterprise=locked, kind=kind, effective_from=effective_from,
                                                 reason=reason.strip(), requested_by=user, **fields)
        AssignmentFlow.start.run(change=change)
        _audit(user, "assignment_proposed", change, _("%(e)s：提出%(k)s") % {
            "e": locked.name, "k": change.get_kind_display()}, **_change_data(change))
    return change


def _change_data(change):
    return {
        "enterprise_id": change.enterprise_id, "kind": change.kind, "effective_from": change.effective_from,
        "administrative": getattr(change.administrative_staff, "full_name", ""),
        "regulator": getattr(change.regulator_staff, "full_name", ""),
        "enterprise_person": change.enterprise_person, "enterprise_phone": change.enterprise_phone,
    }


def _staff_assignment(change, role, staff):
    return ResponsibleAssignment(enterprise=change.enterprise, role=role, staff=staff, person_name=staff.full_name,
                                 position=_staff_position(staff), phone=staff.phone or "", start_date=change.effective_from,
                                 change=change)


def _staff_position(staff):
    if staff.leader_role:
        return str(Staff.LeaderRole(staff.leader_role).label)
    return _("%(o)s负责人") % {"o": staff.office.name} if staff.office else ""


def assignment_decide(*, user, task_id, approve, comment=""):
    if not approve and not (comment or "").strip():
        raise ActionRefused(_("退回须填写理由。"))

    def action(task):
        change = AssignmentChange.objects.select_for_update().get(pk=task.process.assignmentprocess.change_id)
        if change.requested_by_id == user.pk:
            raise ActionRefused(_("提出人不能审批自己提出的责任人确定或调整。"))
        enterprise = _lock_enterprise(change.enterprise_id)
        change.enterprise = enterprise
        if not approve:
            change.reject(by=user, comment=comment.strip())
            change.save()
            _audit(user, "assignment_rejected", change, _("%(e)s：退回%(k)s：%(c)s") % {
                "e": enterprise.name, "k": change.get_kind_display(), "c": comment}, comment=comment)
            return change
        _check_change(enterprise=enterprise, kind=change.kind, effective_from=change.effective_from,
                      administrative_staff=change.administrative_staff, regulator_staff=change.regulator_staff,
                      enterprise_person=change.enterprise_person, enterprise_position=change.enterprise_position,
                      enterprise_phone=change.enterprise_phone, exclude_change=change)
        change.approve(by=user, comment=(comment or "").strip())
        change.save()
        _apply(change, enterprise)
        _audit(user, "assignment_approved", change, _("%(e)s：批准%(k)s") % {
            "e": enterprise.name, "k": change.get_kind_display()}, comment=comment, **_change_data(change))
        if change.kind != AssignmentChange.Kind.RELEASE:
            issue_board(enterprise=enterprise, user=user, change=change)
        return change

    return complete_human_task(task_id=task_id, user=user, nodes=[AssignmentFlow.approve], action=action)


def _apply(change, enterprise):
    held = current_assignments(enterprise, max(timezone.localdate(), change.effective_from))
    new = []
    if change.administrative_staff_id:
        new.append(_staff_assignment(change, ResponsibleRole.ADMINISTRATIVE, change.administrative_staff))
    if change.regulator_staff_id:
        new.append(_staff_assignment(change, ResponsibleRole.REGULATOR, change.regulator_staff))
    if change.enterprise_person:
        new.append(ResponsibleAssignment(
            enterprise=enterprise, role=ResponsibleRole.ENTERPRISE, person_name=change.enterprise_person,
            position=change.enterprise_position, phone=change.enterprise_phone, start_date=change.effective_from,
            change=change))
    ending = [held[a.role] for a in new if a.role in held]
    if change.kind == AssignmentChange.Kind.RELEASE:
        ending = list(held.values())
    for a in ending:
        a.end_date = change.effective_from - ONE_DAY
        a.save(update_fields=["end_date"])
    ResponsibleAssignment.objects.bulk_create(new)
    enterprise.is_key_supervised = change.kind != AssignmentChange.Kind.RELEASE
    enterprise.save(update_fields=["is_key_supervised"])


def board_context(enterprise, day=None):
    held = current_assignments(enterprise, day)
    people = []
    for role in ResponsibleRole.values:
        a = held.get(role)
        people.append({"role": role, "role_label": str(ResponsibleRole(role).label),
                       "name": a.person_name if a else "", "position": a.position if a else "",
                       "phone": a.phone if a else ""})
    grade = enterprise.get_risk_grade_display() if enterprise.risk_grade else ""
    return {"enterprise": enterprise.snapshot(), "grade": enterprise.risk_grade, "grade_label": grade,
            "people": people, "sectors": [s.name for s in enterprise.sectors.all()],
            "issued_date": cn_date(timezone.localdate())}


def issue_board(*, enterprise, user, change=None):
    """Number and record the listing board (公示牌) of the enterprise's current three responsible persons."""
    held = current_assignments(enterprise, max(timezone.localdate(), change.effective_from if change else
                                               timezone.localdate()))
    regulator = held.get(ResponsibleRole.REGULATOR)
    if regulator is None or regulator.staff is None:
        raise ActionRefused(_("该企业尚未明确行业监管部门负责人，不能制发公示牌。"))
    day = max(timezone.localdate(), change.effective_from) if change else None
    context = {**board_context(enterprise, day), "change_id": getattr(change, "pk", None),
               "effective_from": cn_date(change.effective_from) if change else ""}
    return notices.issue(kind=NoticeKind.LISTING_BOARD, office=regulator.staff.office, enterprise=enterprise,
                         issued_by=user, context=context)


def may_approve(user):
    return user.has_perm(APPROVER_PERMISSION)
