"""Writes for duty records: checks, meetings, reports, presence at key moments, inspection plans."""

import calendar
import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, GradeCadence, ResponsibleRole
from enterprises.services import current_assignments, may_manage
from workflow import audit
from workflow.calendar import MAX_TERM, add_period, is_workday
from workflow.engine import ActionRefused
from workflow.models import Staff
from workflow.periods import get_period
from workflow.roles import staff_of

from .models import (
    DutyReport, GuidanceVisit, InspectionPlan, Occasion, PlannedVisit, PresenceDuty, PresenceRequest, SafetyMeeting,
)

PRESENCE_ROLES = (ResponsibleRole.ADMINISTRATIVE, ResponsibleRole.REGULATOR)


def _require_staff(user):
    staff = staff_of(user)
    if staff is None:
        raise PermissionDenied(_("仅管委会工作人员可以执行此操作。"))
    return staff


def _check_people(users, what):
    staff = {s.user_id: s for s in Staff.objects.filter(user__in=users)}
    missing = [u for u in users if u.pk not in staff]
    if missing:
        raise ActionRefused(_("%(w)s须为管委会工作人员。") % {"w": what})
    return staff


def _check_date(day, what):
    today = timezone.localdate()
    if day is None:
        raise ActionRefused(_("请填写%(w)s。") % {"w": what})
    if day > today:
        raise ActionRefused(_("%(w)s不能晚于今天。") % {"w": what})
    if day < today - MAX_TERM:
        raise ActionRefused(_("%(w)s不能早于一年前。") % {"w": what})


MAX_TEXT = 5000  # characters of a summary or minutes


def _text(value, what):
    value = (value or "").strip()
    if not value:
        raise ActionRefused(_("请填写%(w)s。") % {"w": what})
    if len(value) > MAX_TEXT:
        raise ActionRefused(_("%(w)s不能超过%(n)d字。") % {"w": what, "n": MAX_TEXT})
    return value


def _lock_user(user):
    """Serialize one person's submissions, so a double submit finds the first one."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _audit(user, action, target, summary, **data):
    audit.record(actor=user, action=action, target=target, summary=summary, data=data)


# --- checks and guidance visits -----------------------------------------------------------------------------

def visit_record(*, user, enterprise, visited_on, led_by, participants=(), summary, occasion=Occasion.ROUTINE,
                 problems_found=0):
    """Record a check or guidance visit; the recorder took part, or is a leader or office head."""
    staff = _require_staff(user)
    participants = [u for u in participants if u.pk != led_by.pk]
    people = [led_by, *participants]
    if user not in people and not (staff.leader_role or staff.is_office_head):
        raise PermissionDenied(_("只能登记本人参加的检查指导。"))
    _check_people(people, _("带队人和参加人员"))
    _check_date(visited_on, _("检查日期"))
    summary = _text(summary, _("检查指导情况"))
    if occasion not in Occasion.values:
        raise ActionRefused(_("请选择检查事由。"))
    if problems_found is None or problems_found < 0 or problems_found > 999:
        raise ActionRefused(_("发现问题数须为0至999。"))
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        if GuidanceVisit.objects.filter(enterprise=enterprise, visited_on=visited_on, led_by=led_by,
                                        occasion=occasion, summary=summary).exists():
            raise ActionRefused(_("该检查指导已登记，请勿重复提交。"))
        visit = GuidanceVisit.objects.create(enterprise=enterprise, visited_on=visited_on, led_by=led_by,
                                             summary=summary, occasion=occasion, problems_found=problems_found,
                                             recorded_by=user)
        visit.participants.set(participants)
        attended = list(PresenceDuty.objects.select_for_update().filter(
            request__enterprise=enterprise, visit__isnull=True, person__in=people,
            request__occurred_on__lte=visited_on))
        for duty in attended:
            duty.visit = visit
            duty.save(update_fields=["visit"])
        _audit(user, "visit_recorded", visit, _("%(e)s %(d)s 检查指导") % {"e": enterprise.name, "d": visited_on},
               enterprise_id=enterprise.pk, visited_on=visited_on, led_by=led_by.pk,
               participants=[u.pk for u in participants], occasion=occasion, presence=[d.pk for d in attended])
    return visit


# --- meetings and reports ------------------------------------------------------------------------------------

def meeting_record(*, user, kind, title, held_on, chaired_by, attendees, minutes, on_behalf_of=None):
    """Record a meeting; the recorder chaired or attended it, or is a leader or office head (as for visits)."""
    recorder = _require_staff(user)
    from .models import MeetingKind

    if kind not in MeetingKind.values:
        raise ActionRefused(_("请选择会议类别。"))
    title = _text(title, _("会议名称"))
    minutes = _text(minutes, _("会议纪要"))
    _check_date(held_on, _("会议日期"))
    attendees = [u for u in attendees if u.pk != chaired_by.pk]
    if not attendees:
        raise ActionRefused(_("请选择参会人员。"))
    people = {chaired_by.pk, *(u.pk for u in attendees), getattr(on_behalf_of, "pk", None)}
    if user.pk not in people and not (recorder.leader_role or recorder.is_office_head):
        raise PermissionDenied(_("只能登记本人主持或参加的会议。"))
    staff = _check_people([chaired_by, *attendees], _("主持人和参会人员"))
    if on_behalf_of is not None:
        principal = Staff.objects.filter(user=on_behalf_of, leader_role=Staff.LeaderRole.PRINCIPAL).exists()
        if not principal or on_behalf_of.pk == chaired_by.pk:
            raise ActionRefused(_("委托人须为园区主要负责人，且不是主持人本人。"))
        if not staff[chaired_by.pk].leader_role:
            raise ActionRefused(_("受委托主持会议的须为园区分管负责人。"))
    with transaction.atomic():
        _lock_user(user)
        if SafetyMeeting.objects.filter(kind=kind, title=title, held_on=held_on, chaired_by=chaired_by,
                                        minutes=minutes).exists():
            raise ActionRefused(_("该会议已登记，请勿重复提交。"))
        meeting = SafetyMeeting.objects.create(kind=kind, title=title, held_on=held_on, chaired_by=chaired_by,
                                               on_behalf_of=on_behalf_of, minutes=minutes, recorded_by=user)
        meeting.attendees.set(attendees)
        _audit(user, "meeting_recorded", meeting, _("%(d)s %(t)s") % {"d": held_on, "t": title}, kind=kind,
               chaired_by=chaired_by.pk, attendees=[u.pk for u in attendees],
               on_behalf_of=getattr(on_behalf_of, "pk", None))
    return meeting


def report_record(*, user, reporter, received_by, reported_on, summary):
    _require_staff(user)
    staff = _check_people([reporter, received_by], _("汇报人和听取人"))
    if user.pk not in (reporter.pk, received_by.pk) and not staff_of(user).leader_role:
        raise PermissionDenied(_("只能登记本人汇报或听取的履职汇报。"))
    if not staff[reporter.pk].leader_role:
        raise ActionRefused(_("汇报人须为园区领导班子成员。"))
    if staff[received_by.pk].leader_role != Staff.LeaderRole.PRINCIPAL:
        raise ActionRefused(_("听取人须为园区主要负责人。"))
    if reporter.pk == received_by.pk:
        raise ActionRefused(_("汇报人与听取人不能是同一人。"))
    _check_date(reported_on, _("汇报日期"))
    summary = _text(summary, _("汇报内容"))
    with transaction.atomic():
        _lock_user(user)
        if DutyReport.objects.filter(reporter=reporter, received_by=received_by, reported_on=reported_on,
                                     summary=summary).exists():
            raise ActionRefused(_("该履职汇报已登记，请勿重复提交。"))
        report = DutyReport.objects.create(reporter=reporter, received_by=received_by, reported_on=reported_on,
                                           summary=summary, recorded_by=user)
        _audit(user, "report_recorded", report, _("%(d)s 履职汇报") % {"d": reported_on},
               reporter=reporter.pk, received_by=received_by.pk)
    return report


# --- presence at key moments -----------------------------------------------------------------------------

def _raise_presence(*, enterprise, occasion, occurred_on, description, user=None, hazard=None):
    held = current_assignments(enterprise, occurred_on)
    leads = [held[r] for r in PRESENCE_ROLES if r in held and held[r].staff_id]
    if not enterprise.is_key_supervised or not leads:
        return None
    request = PresenceRequest.objects.create(
        enterprise=enterprise, occasion=occasion, occurred_on=occurred_on,
        due_by=add_period(occurred_on, get_period("presence")).date, description=description, hazard=hazard,
        raised_by=user)
    for a in leads:
        PresenceDuty.objects.create(request=request, role=a.role, person_id=a.staff.user_id)
    audit.record(actor=user, action="presence_requested", target=request,
                 summary=_("%(e)s %(o)s，要求责任人到场履职") % {"e": enterprise.name, "o": request.get_occasion_display()},
                 data={"enterprise_id": enterprise.pk, "occasion": occasion, "due_by": request.due_by,
                       "people": [a.staff.user_id for a in leads]},
                 inspection_id=getattr(hazard, "inspection_id", None))
    transaction.on_commit(lambda: _notify_presence(request.pk))
    return request


def _notify_presence(request_id):
    from .tasks import send_presence_reminders

    send_presence_reminders.enqueue(request_id)


def presence_request_raise(*, user, enterprise, occasion, occurred_on, description):
    """Staff record a key moment (resumption after stoppage, danger, accident, key date)."""
    staff = _require_staff(user)
    if not (staff.leader_role or staff.is_office_head):
        raise PermissionDenied(_("仅园区领导或部室负责人可以登记特殊时期到场要求。"))
    if occasion not in (Occasion.RESUMPTION, Occasion.DANGER, Occasion.ACCIDENT, Occasion.KEY_DATE):
        raise ActionRefused(_("请选择到场事由（复工复产、出现险情、发生事故或重要节点）。"))
    _check_date(occurred_on, _("发生日期"))
    description = _text(description, _("情况说明"))
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if not enterprise.is_key_supervised:
            raise ActionRefused(_("该企业不是重点管控企业，没有须到场的责任人。"))
        if PresenceRequest.objects.filter(enterprise=enterprise, occasion=occasion, occurred_on=occurred_on,
                                          description=description).exists():
            raise ActionRefused(_("该到场要求已登记，请勿重复提交。"))
        request = _raise_presence(enterprise=enterprise, occasion=occasion, occurred_on=occurred_on,
                                  description=description, user=user)
        if request is None:
            raise ActionRefused(_("该企业尚未明确行政负责人和行业监管部门负责人。"))
    return request


def major_hazard_found(*, hazard, user):
    """Called inside the order approval: a major hazard at a key enterprise calls its leads to the site."""
    enterprise = hazard.inspection.enterprise
    if PresenceRequest.objects.filter(hazard=hazard).exists():
        return None
    return _raise_presence(enterprise=enterprise, occasion=Occasion.MAJOR_HAZARD,
                           occurred_on=timezone.localdate(), user=user, hazard=hazard,
                           description=_("发现重大事故隐患：%(d)s") % {"d": hazard.description[:200]})


# --- annual inspection plans ----------------------------------------------------------------------------------

def _require_manager(user, enterprise):
    if not may_manage(user, enterprise):
        raise PermissionDenied(_("仅园区领导或该企业行业监管部室负责人可以编制检查计划。"))


def _first_workday(day):
    for _i in range(15):
        if is_workday(day):
            return day
        day += datetime.timedelta(days=1)
    return day


def planned_dates(enterprise_id, year, interval_months, count):
    """Spread `count` visits `interval_months` apart, offset per enterprise so the park's work is even."""
    offset = enterprise_id % max(1, interval_months)
    dates = []
    for i in range(count):
        month = 1 + offset + i * interval_months
        if month > 12:
            break
        day = 8 + (enterprise_id * 7) % 14
        day = min(day, calendar.monthrange(year, month)[1])
        dates.append(_first_workday(datetime.date(year, month, day)))
    return dates


def plan_generate(*, user, enterprise, year):
    _require_manager(user, enterprise)
    today = timezone.localdate()
    if year not in (today.year, today.year + 1):
        raise ActionRefused(_("只能编制本年度或下一年度的检查计划。"))
    if not enterprise.risk_grade:
        raise ActionRefused(_("该企业尚未确定风险等级，不能生成检查计划。"))
    cadence = GradeCadence.objects.filter(grade=enterprise.risk_grade).first()
    if cadence is None:
        raise ActionRefused(_("分级监管频次表中没有该风险等级，请先由系统管理员设置。"))
    with transaction.atomic():
        if InspectionPlan.objects.select_for_update().filter(enterprise=enterprise, year=year).exists():
            raise ActionRefused(_("该企业%(y)d年度的检查计划已存在。") % {"y": year})
        plan = InspectionPlan.objects.create(enterprise=enterprise, year=year, grade=enterprise.risk_grade,
                                             yearly_cap=cadence.yearly_cap, created_by=user)
        count = min(cadence.planned_per_year, cadence.yearly_cap)
        PlannedVisit.objects.bulk_create(PlannedVisit(plan=plan, planned_on=d) for d in
                                         planned_dates(enterprise.pk, year, cadence.interval_months, count))
        _audit(user, "plan_generated", plan, _("%(e)s %(y)d年度检查计划") % {"e": enterprise.name, "y": year},
               enterprise_id=enterprise.pk, year=year, grade=plan.grade, visits=plan.visits.count())
    return plan


def _plan_date(plan, planned_on, visit=None):
    if plan.year < timezone.localdate().year:  # a past year's plan is the record compared with what happened
        raise ActionRefused(_("%(y)d年度的检查计划已结束，不能再调整。") % {"y": plan.year})
    if planned_on is None or planned_on.year != plan.year:
        raise ActionRefused(_("计划日期须在%(y)d年内。") % {"y": plan.year})
    same_day = plan.visits.filter(planned_on=planned_on)
    if visit is not None:
        same_day = same_day.exclude(pk=visit.pk)
    if same_day.exists():
        raise ActionRefused(_("%(d)s已有计划检查，请勿重复安排。") % {"d": planned_on.isoformat()})


def plan_visit_add(*, user, plan, planned_on, note=""):
    _require_manager(user, plan.enterprise)
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        _plan_date(plan, planned_on)
        if plan.visits.count() >= plan.yearly_cap:
            raise ActionRefused(_("计划检查次数已达年度上限（%(n)d次）。") % {"n": plan.yearly_cap})
        visit = PlannedVisit.objects.create(plan=plan, planned_on=planned_on, note=(note or "").strip()[:100])
        _audit(user, "plan_visit_added", plan, _("增加计划检查 %(d)s") % {"d": planned_on}, planned_on=planned_on)
    return visit


def plan_visit_move(*, user, visit, planned_on):
    _require_manager(user, visit.plan.enterprise)
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=visit.plan_id)
        visit = PlannedVisit.objects.select_for_update().get(pk=visit.pk)
        _plan_date(plan, planned_on, visit)
        before = visit.planned_on
        visit.planned_on = planned_on
        visit.save(update_fields=["planned_on"])
        _audit(user, "plan_visit_moved", visit.plan, _("计划检查 %(a)s 调整为 %(b)s") % {"a": before, "b": planned_on},
               before=before, after=planned_on)
    return visit


def plan_visit_remove(*, user, visit):
    _require_manager(user, visit.plan.enterprise)
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=visit.plan_id)
        if plan.year < timezone.localdate().year:
            raise ActionRefused(_("%(y)d年度的检查计划已结束，不能再调整。") % {"y": plan.year})
        if plan.visits.count() <= 1:
            raise ActionRefused(_("年度计划至少保留一次检查。"))
        day = visit.planned_on
        visit.delete()
        _audit(user, "plan_visit_removed", plan, _("取消计划检查 %(d)s") % {"d": day}, planned_on=day)
    return plan


def resumption_after_major_hazard(*, hazard, user):
    """Called inside the closure approval: a closed major hazard lets a stopped key enterprise resume work."""
    if not hazard.measures:
        return None
    return _raise_presence(enterprise=hazard.inspection.enterprise, occasion=Occasion.RESUMPTION,
                           occurred_on=timezone.localdate(), user=user,
                           description=_("重大事故隐患销号，恢复生产：%(d)s") % {"d": hazard.description[:200]})


def plans_generate_all(*, user, year):
    """The year's plan of every graded enterprise the user manages that has none yet, in one transaction."""
    _require_staff(user)
    candidates = (Enterprise.objects.exclude(risk_grade="").exclude(inspection_plans__year=year)
                  .prefetch_related("sectors").order_by("name"))
    mine = [e for e in candidates if may_manage(user, e)]
    if not mine:
        raise ActionRefused(_("没有需要生成%(y)d年度计划的企业：已定级企业均已有计划，或不在您的监管范围内。") % {"y": year})
    with transaction.atomic():
        return [plan_generate(user=user, enterprise=e, year=year) for e in mine]
