"""Every write of the penalty loop (行政处罚): one function per action, in a transaction, with its audit row."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import audit, notices
from workflow.calendar import add_period, add_working_days, cn_date
from workflow.engine import ActionRefused, complete_handle, complete_human_task
from workflow.models import NoticeKind, Staff
from workflow.periods import get_period
from workflow.roles import display_name, enterprise_of, staff_of

from . import penalty_rules as rules
from .flows import BlacklistFlow, PenaltyFlow
from .models import (
    BlacklistEntry, DropKind, Hazard, HazardState, PartyStatement, PenaltyCase, PenaltyOrigin, PenaltyProcess,
    PenaltyState, ServiceMethod,
)
from .services import apply_transition

OPEN_STATES = [s for s in PenaltyState.values if s not in (PenaltyState.CLOSED, PenaltyState.DROPPED)]


def _audit(user, action, case, summary, **data):
    audit.record(actor=user, action=action, target=case, summary=summary, data=data,
                 inspection_id=case.inspection_id, penalty_case_id=case.pk)


def _lock(pk):
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to the provision
    cases = PenaltyCase.objects.select_for_update(of=("self",))
    return cases.select_related("enterprise", "office", "provision").get(pk=pk)


def _case_of(task):
    return _lock(task.process.penaltyprocess.case_id)


def _require_officer(user, case):
    if not case.officers.filter(pk=user.pk).exists():
        raise PermissionDenied(_("仅本案承办人员可以办理此环节。"))


def _yuan(amount):
    return f"{amount:,}"


def _penalty_text(org_fine, person_fine, suspension, person):
    parts = []
    if org_fine:
        parts.append(_("对你单位处人民币%(a)s元罚款") % {"a": _yuan(org_fine)})
    if suspension:
        parts.append(_("责令停产停业整顿"))
    if person_fine:
        parts.append(_("对直接负责的主管人员%(p)s处人民币%(a)s元罚款") % {"p": person, "a": _yuan(person_fine)})
    return "；".join(parts)


def _context(case, **extra):
    provision = case.provision
    return {
        "enterprise": case.enterprise.snapshot(), "office_name": case.office.name,
        "issued_date": cn_date(timezone.localdate()), "cause": case.cause, "facts": case.facts,
        "evidence": case.evidence, "responsible_person": case.responsible_person,
        "officers": [{"name": s.full_name, "badge": s.badge_number}
                     for s in Staff.objects.filter(user__in=case.officers.all()).order_by("id")],
        "provision": {"title": provision.title, "violation": provision.violation,
                      "penalty_text": provision.penalty_text} if provision else None,
        "filed_on": cn_date(case.filed_on), "origin": case.get_origin_display(),
        **extra,
    }


def _issue(kind, case, user, context):
    return notices.issue(kind=kind, office=case.office, enterprise=case.enterprise, issued_by=user,
                         inspection=case.inspection, penalty_case=case, context=context)


def _notice_number(case, kind):
    return case.notices.filter(kind=kind).order_by("-id").values_list("number", flat=True).first() or ""


def _complete(task_id, user, node, action):
    return complete_human_task(task_id=task_id, user=user, nodes=[node], action=action)


# --- proposal and filing ------------------------------------------------------------------------------------

def penalty_propose(*, user, enterprise, cause, facts="", inspection=None, hazard=None, origin=PenaltyOrigin.MANUAL):
    """Propose a case: from a finding or a failed re-inspection, or by hand. The office head decides on filing."""
    if user is not None and staff_of(user) is None:
        raise PermissionDenied(_("仅管委会工作人员可以提出处罚建议。"))
    proposer = staff_of(user) if user is not None else None
    if proposer and proposer.office and proposer.office.is_legal_office:
        raise PermissionDenied(_("法制办负责法制审核，不能提出处罚建议。"))
    if not cause.strip():
        raise ActionRefused(_("请填写案由。"))
    if hazard is not None:
        inspection = hazard.inspection
    if inspection is not None and inspection.state == "draft":
        raise ActionRefused(_("请先提交检查记录，再据此提出处罚建议。"))
    if inspection is not None and inspection.enterprise_id != enterprise.pk:
        raise ActionRefused(_("来源检查不属于该企业。"))
    office = inspection.office if inspection else (staff_of(user).office if user else None)
    if office is None:
        raise ActionRefused(_("请从部室执法人员账号提出处罚建议。"))
    with transaction.atomic():
        if hazard is not None and PenaltyCase.objects.filter(hazard=hazard, state__in=OPEN_STATES).exists():
            raise ActionRefused(_("该隐患已有正在办理的处罚案件。"))
        case = PenaltyCase.objects.create(
            enterprise=enterprise, office=office, inspection=inspection, hazard=hazard, origin=origin, cause=cause,
            facts=facts, proposed_by=user or inspection.lead_inspector,
        )
        PenaltyFlow.start.run(case=case)
        _audit(user, "penalty_proposed", case, _("提出处罚建议：%(c)s") % {"c": cause}, origin=origin)
    return case


def propose_after_failed_reinspection(*, user, hazard, overdue):
    """安全生产法 Art. 102: a hazard not removed in time leads to a penalty case (proposed automatically)."""
    if PenaltyCase.objects.filter(hazard=hazard, state__in=OPEN_STATES).exists():
        return None
    cause = _("未按期消除事故隐患（隐患%(n)d：%(d)s）") % {"n": hazard.number, "d": hazard.description[:40]}
    facts = _("%(date)s 复查发现，责令限期整改的事故隐患“%(d)s”%(how)s。") % {
        "date": cn_date(timezone.localdate()), "d": hazard.description,
        "how": _("逾期未整改") if overdue else _("未整改到位")}
    return penalty_propose(user=user, enterprise=hazard.inspection.enterprise, cause=cause, facts=facts, hazard=hazard,
                           origin=PenaltyOrigin.OVERDUE if overdue else PenaltyOrigin.REINSPECTION_FAILED)


def missing_plans_check(*, today=None):
    """Daily: a major hazard whose governance plan is still missing after its deadline leads to a penalty case
    (安全生产法 Art. 102), proposed once per missed deadline. Returns the cases proposed."""
    today = today or timezone.localdate()
    proposed = []
    late = (Hazard.objects.filter(state=HazardState.AWAITING_PLAN, deadline__lt=today)
            .select_related("inspection__enterprise", "inspection__lead_inspector").order_by("deadline", "id"))
    for hazard in late:
        after_deadline = datetime.datetime.combine(hazard.deadline + datetime.timedelta(days=1), datetime.time(),
                                                   tzinfo=timezone.get_current_timezone())
        if PenaltyCase.objects.filter(hazard=hazard).filter(
                Q(state__in=OPEN_STATES) | Q(proposed_at__gte=after_deadline)).exists():
            continue
        cause = _("未按规定制定重大事故隐患治理方案（隐患%(n)d：%(d)s）") % {
            "n": hazard.number, "d": hazard.description[:40]}
        facts = _("重大事故隐患“%(d)s”的整改期限%(dl)s已届满，被检查单位仍未提交隐患治理方案，未采取措施消除事故隐患。") % {
            "d": hazard.description, "dl": cn_date(hazard.deadline)}
        proposed.append(penalty_propose(user=None, enterprise=hazard.inspection.enterprise, cause=cause, facts=facts,
                                        hazard=hazard, origin=PenaltyOrigin.OVERDUE))
    return proposed


def filing_decide(*, user, task_id, approve, officers=(), comment=""):
    """立案审批: the office head files the case and names at least two officers (行政处罚法 Art. 42), or refuses."""
    officers = list(officers)

    def action(task):
        case = _case_of(task)
        if not approve:
            if not comment.strip():
                raise ActionRefused(_("不予立案须写明理由。"))
            apply_transition(case, "drop", DropKind.NOT_FILED, comment)
            _audit(user, "penalty_not_filed", case, _("不予立案：%(r)s") % {"r": comment}, reason=comment)
            return case
        staff = {s.user_id: s for s in Staff.objects.filter(user__in=officers).select_related("office")}
        if len(set(officers)) < 2:
            raise ActionRefused(_("执法人员不得少于两人（行政处罚法第四十二条），请指定至少两名承办人员。"))
        if any(u.pk not in staff or staff[u.pk].office_id != case.office_id for u in officers):
            raise ActionRefused(_("承办人员须为%(o)s的执法人员。") % {"o": case.office.name})
        if any(not staff[u.pk].badge_number for u in officers):
            raise ActionRefused(_("承办人员须持有行政执法证件。"))
        today = timezone.localdate()
        apply_transition(case, "file", today, rules.due(today, "decision_limit"))
        case.officers.set(officers)
        _audit(user, "penalty_filed", case, _("批准立案，承办人员：%(o)s") % {
            "o": "、".join(staff[u.pk].full_name for u in officers)}, comment=comment)
        _issue(NoticeKind.CASE_FILING, case, user, _context(case, approved_by=display_name(user), comment=comment,
                                                               decision_due=cn_date(case.decision_due)))
        return case

    return _complete(task_id, user, PenaltyFlow.approve_filing, action)


def case_revoke(*, user, task_id, reason):
    """撤销立案: only the office head, with a reason, while the case is still being investigated."""
    staff = staff_of(user)
    if not reason.strip():
        raise ActionRefused(_("撤销立案须写明理由。"))

    def action(task):
        case = _case_of(task)
        if not (staff and staff.is_office_head and staff.office_id == case.office_id):
            raise PermissionDenied(_("撤销立案须经承办部室负责人批准。"))
        apply_transition(case, "drop", DropKind.REVOKED, reason)
        _audit(user, "penalty_revoked", case, _("撤销立案：%(r)s") % {"r": reason}, reason=reason)
        return case

    def head_of_office(user, task):
        case = task.process.penaltyprocess.case
        return bool(staff and staff.is_office_head and staff.office_id == case.office_id)

    return complete_human_task(task_id=task_id, user=user, nodes=[_task_node(task_id)], action=action,
                               take_over=head_of_office)


def _task_node(task_id):
    from viewflow.workflow.models import Task

    node = Task.objects.get(pk=task_id).flow_task
    if node not in (PenaltyFlow.investigate, PenaltyFlow.notify):
        raise ActionRefused(_("此环节不能撤销立案。"))
    return node


# --- investigation and notification -------------------------------------------------------------------------

def investigation_record(*, user, task_id, facts, evidence, provision, responsible_person="", complex_case=False):
    if not facts.strip() or not evidence.strip():
        raise ActionRefused(_("请写明违法事实和证据。"))

    def action(task):
        case = _case_of(task)
        _require_officer(user, case)
        case.facts, case.evidence, case.provision = facts, evidence, provision
        case.responsible_person, case.complex_case = responsible_person, complex_case
        apply_transition(case, "start_investigation")
        _audit(user, "penalty_investigated", case, _("调查取证完毕，依据 %(p)s") % {"p": provision.title},
               provision=provision.code, complex_case=complex_case)
        return case

    return _complete(task_id, user, PenaltyFlow.investigate, action)


def _notify(user, case, *, org_fine, person_fine, suspension):
    errors = rules.range_errors(case.provision, org_fine=org_fine, person_fine=person_fine, suspension=suspension,
                                person=case.responsible_person)
    if errors:
        raise ActionRefused(" ".join(errors))
    today = timezone.localdate()
    hearing = rules.has_hearing_rights(org_fine=org_fine, person_fine=person_fine, suspension=suspension)
    statement_due = rules.due(today, "statement_defence")
    hearing_due = rules.due(today, "hearing_request") if hearing else None
    renotified = case.state == PenaltyState.NOTIFIED
    apply_transition(case, "notify", org_fine=org_fine, person_fine=person_fine, suspension=suspension, notified_on=today,
                statement_due=statement_due, hearing_rights=hearing, hearing_request_due=hearing_due)
    case.hearing_record = ""  # a new notification opens the rights again
    case.save()
    _audit(user, "penalty_renotified" if renotified else "penalty_notified", case,
           _("制发行政处罚告知书：%(p)s") % {"p": _penalty_text(org_fine, person_fine, suspension, case.responsible_person)},
           org_fine=org_fine, person_fine=person_fine, suspension=suspension, statement_due=statement_due,
           hearing_rights=hearing, hearing_request_due=hearing_due)
    penalty = _penalty_text(org_fine, person_fine, suspension, case.responsible_person)
    _issue(NoticeKind.PENALTY_NOTIFICATION, case, user, _context(
        case, penalty=penalty, org_fine=_yuan(org_fine), person_fine=_yuan(person_fine), suspension=suspension,
        statement_due=cn_date(statement_due), hearing_rights=hearing, hearing_request_due=cn_date(hearing_due)))
    if hearing:
        _issue(NoticeKind.HEARING_NOTIFICATION, case, user, _context(
            case, penalty=penalty, hearing_request_due=cn_date(hearing_due)))
    return case


def notification_issue(*, user, task_id, org_fine, person_fine=0, suspension=False):
    def action(task):
        case = _case_of(task)
        _require_officer(user, case)
        return _notify(user, case, org_fine=org_fine, person_fine=person_fine, suspension=suspension)

    return _complete(task_id, user, PenaltyFlow.notify, action)


# --- the party's rights ----------------------------------------------------------------------------------

def _require_party(user, case):
    enterprise = enterprise_of(user)
    if enterprise is None or enterprise.pk != case.enterprise_id:
        raise PermissionDenied(_("仅本案当事人可以办理此事项。"))


def statement_file(*, user, case, text):
    """陈述申辩 within the period (3 working days) after the notification."""
    _require_party(user, case)
    if not text.strip():
        raise ActionRefused(_("请填写陈述申辩内容。"))
    with transaction.atomic():
        case = _lock(case.pk)
        if case.state not in (PenaltyState.NOTIFIED, PenaltyState.HEARING):
            raise ActionRefused(_("当前阶段不接受陈述申辩。"))
        if timezone.localdate() > case.statement_due:
            raise ActionRefused(_("陈述申辩期限已于 %(d)s 届满，不能再在线提交。") % {"d": cn_date(case.statement_due)})
        statement = PartyStatement.objects.create(case=case, kind=PartyStatement.Kind.STATEMENT, text=text,
                                                  filed_by=user)
        _audit(user, "statement_filed", case, _("当事人提出陈述申辩"), text=text[:200])
    return statement


def hearing_request(*, user, case, text=""):
    """行政处罚法 Art. 64: a hearing request within 5 working days of the notification."""
    _require_party(user, case)
    with transaction.atomic(), PenaltyFlow.lock(case.process.pk):
        case = _lock(case.pk)
        if not case.hearing_rights:
            raise ActionRefused(_("本案拟作出的处罚不属于听证范围。"))
        if case.state != PenaltyState.NOTIFIED:
            raise ActionRefused(_("当前阶段不能申请听证。"))
        if timezone.localdate() > case.hearing_request_due:
            raise ActionRefused(_("听证申请期限已于 %(d)s 届满（告知书送达之日起五个工作日内），不能再申请听证。") % {
                "d": cn_date(case.hearing_request_due)})
        PartyStatement.objects.create(case=case, kind=PartyStatement.Kind.HEARING_REQUEST,
                                      text=text or _("申请听证"), filed_by=user)
        apply_transition(case, "request_hearing")
        _audit(user, "hearing_requested", case, _("当事人申请听证"))
        complete_handle(process=case.process, node=PenaltyFlow.wait_party)
    return case


def hearing_schedule(*, user, case, hearing_on, place):
    """The hearing is notified at least 7 working days ahead (Art. 64)."""
    with transaction.atomic():
        case = _lock(case.pk)
        _require_officer(user, case)
        if case.state != PenaltyState.HEARING:
            raise ActionRefused(_("本案当前不在听证阶段。"))
        earliest = add_working_days(timezone.localdate(), get_period("hearing_notice").days).date
        if hearing_on < earliest:
            raise ActionRefused(_("应当在举行听证的七个工作日前通知当事人，听证日期最早为 %(d)s。") % {"d": cn_date(earliest)})
        if case.decision_due and hearing_on > case.decision_due:
            raise ActionRefused(_("听证日期不能晚于作出处罚决定的期限（%(d)s）。") % {"d": cn_date(case.decision_due)})
        if not place.strip():
            raise ActionRefused(_("请填写听证地点。"))
        case.hearing_on, case.hearing_place, case.hearing_scheduled_on = hearing_on, place, timezone.localdate()
        case.save()
        _audit(user, "hearing_scheduled", case, _("通知当事人于 %(d)s 在%(p)s举行听证") % {
            "d": cn_date(hearing_on), "p": place})
    return case


def hearing_record_submit(*, user, task_id, record):
    if not record.strip():
        raise ActionRefused(_("请填写听证笔录。"))

    def action(task):
        case = _case_of(task)
        _require_officer(user, case)
        if case.hearing_on is None:
            raise ActionRefused(_("尚未通知听证时间。"))
        if timezone.localdate() < case.hearing_on:
            raise ActionRefused(_("听证定于 %(d)s 举行，届时方可提交听证笔录。") % {"d": cn_date(case.hearing_on)})
        case.hearing_record = record
        apply_transition(case, "submit_for_legal_review")
        _audit(user, "hearing_held", case, _("举行听证，提交法制审核"))
        return case

    return _complete(task_id, user, PenaltyFlow.hold_hearing, action)


# --- review, deliberation and decision --------------------------------------------------------------------

def prepare_submit(*, user, task_id, renotify=None):
    """After the rights periods: send the case to legal review or to the decision, or notify again (heavier)."""

    def action(task):
        case = _case_of(task)
        _require_officer(user, case)
        if not rules.rights_periods_over(case):
            raise ActionRefused(_("陈述申辩或听证申请期限尚未届满。"))
        if renotify is not None:
            return _notify(user, case, **renotify)
        if rules.legal_review_required(case):
            apply_transition(case, "submit_for_legal_review")
            _audit(user, "penalty_to_legal_review", case, _("提交法制审核"))
        else:
            apply_transition(case, "ready_for_decision")
            _audit(user, "penalty_to_decision", case, _("提交负责人决定"))
        return case

    return _complete(task_id, user, PenaltyFlow.prepare_decision, action)


def legal_review_decide(*, user, task_id, approve, opinion):
    """法制审核 by the legal office (Art. 58)."""
    if not opinion.strip():
        raise ActionRefused(_("请填写法制审核意见。"))

    def action(task):
        case = _case_of(task)
        if not (staff_of(user) and staff_of(user).office and staff_of(user).office.is_legal_office):
            raise PermissionDenied(_("法制审核须由法制办人员办理。"))
        case.legal_opinion, case.legal_reviewed_by = opinion, user
        if not approve:
            apply_transition(case, "return_from_legal_review")
            _audit(user, "legal_review_returned", case, _("法制审核退回：%(o)s") % {"o": opinion}, opinion=opinion)
        elif rules.deliberation_required(case):
            apply_transition(case, "pass_legal_review_to_deliberation")
            _audit(user, "legal_review_passed", case, _("法制审核通过，提交集体讨论"), opinion=opinion)
        else:
            apply_transition(case, "ready_for_decision")
            _audit(user, "legal_review_passed", case, _("法制审核通过"), opinion=opinion)
        return case

    return _complete(task_id, user, PenaltyFlow.legal_review, action)


def deliberation_record(*, user, task_id, participants, held_on, conclusion):
    """集体讨论 (Art. 57): who took part, when, and what they concluded."""
    names = [n.strip() for n in participants.replace("，", "、").replace(",", "、").split("、") if n.strip()]
    if len(names) < 3:
        raise ActionRefused(_("集体讨论应由三名以上负责人参加，请列明参加人。"))
    if not conclusion.strip():
        raise ActionRefused(_("请写明集体讨论结论。"))
    if held_on > timezone.localdate():
        raise ActionRefused(_("讨论日期不能晚于今天。"))

    def action(task):
        case = _case_of(task)
        if case.filed_on and held_on < case.filed_on:
            raise ActionRefused(_("讨论日期不能早于立案日期（%(d)s）。") % {"d": cn_date(case.filed_on)})
        case.deliberation_participants = "、".join(names)
        case.deliberation_on, case.deliberation_conclusion = held_on, conclusion
        apply_transition(case, "ready_for_decision")
        _audit(user, "deliberation_recorded", case, _("集体讨论：%(c)s") % {"c": conclusion[:100]},
               participants=names, held_on=held_on)
        return case

    return _complete(task_id, user, PenaltyFlow.deliberate, action)


def decision_make(*, user, task_id, outcome, org_fine=0, person_fine=0, suspension=False, reason=""):
    """outcome: "decide" (penalty), "no_penalty" (不予处罚), or "renotify" (back for a new notification)."""

    def action(task):
        case = _case_of(task)
        if outcome == "no_penalty":
            if not reason.strip():
                raise ActionRefused(_("不予处罚须写明理由。"))
            apply_transition(case, "drop", DropKind.NO_PENALTY, reason)
            _audit(user, "penalty_not_imposed", case, _("决定不予处罚：%(r)s") % {"r": reason}, reason=reason)
            return case
        if outcome == "renotify":
            if not reason.strip():
                raise ActionRefused(_("退回重新告知须写明理由。"))
            apply_transition(case, "return_for_renotification")
            _audit(user, "penalty_returned_for_renotification", case, _("退回承办人员重新告知：%(r)s") % {"r": reason})
            return case
        today = timezone.localdate()
        if case.decision_due and today > case.decision_due:
            raise ActionRefused(_("已超过作出处罚决定的期限（%(d)s），须先经负责人批准延长办案期限。") % {
                "d": cn_date(case.decision_due)})
        if rules.legal_review_required(case) and case.legal_reviewed_by_id is None:
            raise ActionRefused(_("本案须经法制审核后方可作出决定（行政处罚法第五十八条）。"))
        if rules.deliberation_required(case) and not case.deliberation_conclusion:
            raise ActionRefused(_("本案须经负责人集体讨论决定（行政处罚法第五十七条）。"))
        if rules.heavier_than_notified(case, org_fine=org_fine, person_fine=person_fine, suspension=suspension):
            raise ActionRefused(_("处罚决定不得重于告知的处罚（行政处罚法第四十五条）；如需加重，请退回重新告知。"))
        errors = rules.range_errors(case.provision, org_fine=org_fine, person_fine=person_fine,
                                    suspension=suspension, person=case.responsible_person)
        if errors:
            raise ActionRefused(" ".join(errors))
        apply_transition(case, "decide", org_fine=org_fine, person_fine=person_fine, suspension=suspension,
                    decided_on=today, decided_by=user)
        penalty = _penalty_text(org_fine, person_fine, suspension, case.responsible_person)
        _audit(user, "penalty_decided", case, _("作出行政处罚决定：%(p)s") % {"p": penalty}, org_fine=org_fine,
               person_fine=person_fine, suspension=suspension)
        statements = list(case.statements.values_list("text", flat=True))
        base = _context(case, penalty=penalty, org_fine=_yuan(org_fine), person_fine=_yuan(person_fine),
                        suspension=suspension, decided_on=cn_date(today), statements=statements,
                        hearing_held=bool(case.hearing_record), legal_opinion=case.legal_opinion,
                        notification_number=_notice_number(case, NoticeKind.PENALTY_NOTIFICATION),
                        payment_days=get_period("payment").days)
        _issue(NoticeKind.PENALTY_DECISION, case, user, {**base, "variant": "organisation"})
        if person_fine:
            _issue(NoticeKind.PENALTY_DECISION, case, user, {
                **base, "variant": "individual", "individual_fine": _yuan(person_fine)})
        _check_repeat_offence(user, case)
        return case

    return _complete(task_id, user, PenaltyFlow.decide, action)


def _check_repeat_offence(user, case):
    found = rules.repeat_offence(case.enterprise)
    if found is None:
        return None
    kind, reason, cases = found
    if BlacklistEntry.objects.filter(enterprise=case.enterprise, kind=kind, state__in=[
            BlacklistEntry.State.PROPOSED, BlacklistEntry.State.LISTED]).exists():
        return None
    entry = BlacklistEntry.objects.create(enterprise=case.enterprise, kind=kind, reason=reason)
    entry.cases.set(cases)
    BlacklistFlow.start.run(entry=entry)
    _audit(user, "blacklist_proposed", case, _("%(k)s：%(r)s") % {"k": entry.get_kind_display(), "r": reason},
           kind=kind)
    return entry


def decision_extend(*, user, case, reason):
    """A recorded, approved extension of the 90-day period, once, by the leader in charge."""
    if not reason.strip():
        raise ActionRefused(_("延长办案期限须写明理由。"))
    with transaction.atomic():
        case = _lock(case.pk)
        if not user.has_perm(case.office.leader_permission):
            raise PermissionDenied(_("延长办案期限须经分管负责人批准。"))
        if case.decided_on or case.state in (PenaltyState.PROPOSED, PenaltyState.CLOSED, PenaltyState.DROPPED):
            raise ActionRefused(_("本案当前不需要延长办案期限。"))
        if case.extension_reason:
            raise ActionRefused(_("办案期限已经延长过一次。"))
        extension = get_period("decision_extension")
        case.decision_due = add_period(case.decision_due, extension).date
        case.extension_reason = reason
        case.save()
        _audit(user, "penalty_deadline_extended", case, _("批准延长办案期限至 %(d)s：%(r)s") % {
            "d": cn_date(case.decision_due), "r": reason}, decision_due=case.decision_due)
    return case


# --- service, disclosure, execution, closing -----------------------------------------------------------------

def service_record(*, user, task_id, served_on, method, recipient, witness="", consent=False):
    """送达 on the spot or within 7 working days, with its proof (Art. 61)."""
    if not recipient.strip():
        raise ActionRefused(_("请填写受送达人。"))
    if method == ServiceMethod.LEFT and not witness.strip():
        raise ActionRefused(_("留置送达须有见证人签名或记录见证人。"))
    if method == ServiceMethod.ELECTRONIC and not consent:
        raise ActionRefused(_("电子送达须经当事人同意。"))

    def action(task):
        case = _case_of(task)
        _require_officer(user, case)
        if served_on < case.decided_on or served_on > timezone.localdate():
            raise ActionRefused(_("送达日期应在作出决定之日至今天之间。"))
        service_due = rules.due(case.decided_on, "service")
        apply_transition(case, "serve", served_on=served_on, service_method=method, recipient=recipient, witness=witness)
        _audit(user, "penalty_served", case, _("%(m)s行政处罚决定书，受送达人 %(r)s") % {
            "m": case.get_service_method_display(), "r": recipient}, late=served_on > service_due)
        _issue(NoticeKind.SERVICE_RECEIPT, case, user, _context(
            case, served_on=cn_date(served_on), method=case.get_service_method_display(), recipient=recipient,
            witness=witness, documents=list(case.notices.filter(kind=NoticeKind.PENALTY_DECISION).order_by("id").values_list(
                "number", flat=True)), payment_due=cn_date(rules.payment_due(case))))
        return case

    return _complete(task_id, user, PenaltyFlow.serve, action)


def disclosure_publish(*, user, task_id):
    """行政执法公示 within 7 working days of the decision (安全生产法 Art. 78)."""

    def action(task):
        case = _case_of(task)
        _require_officer(user, case)
        today = timezone.localdate()
        apply_transition(case, "disclose", today)
        _audit(user, "penalty_disclosed", case, _("在行政执法公示栏公示处罚决定"),
               late=today > rules.due(case.decided_on, "disclosure"))
        return case

    return _complete(task_id, user, PenaltyFlow.disclose, action)


def payment_record(*, user, task_id, paid_on, amount, receipt):
    """Execution: the fine and any late fee (3% a day, capped at the fine; Art. 72) are recorded as paid."""
    if not receipt.strip():
        raise ActionRefused(_("请填写缴款凭证号。"))

    def action(task):
        case = _case_of(task)
        _require_officer(user, case)
        if paid_on > timezone.localdate() or paid_on < case.served_on:
            raise ActionRefused(_("缴款日期应在送达之日至今天之间。"))
        fee = rules.late_fee(case, paid_on)
        owed = case.total_fine + fee
        if amount != owed:
            raise ActionRefused(_("应缴金额为 %(o)s 元（罚款 %(f)s 元，加处罚款 %(l)s 元），登记金额不符。") % {
                "o": _yuan(owed), "f": _yuan(case.total_fine), "l": _yuan(fee)})
        case.paid_on, case.paid_amount, case.late_fee, case.payment_receipt = paid_on, amount, fee, receipt
        case.save()
        _audit(user, "penalty_paid", case, _("登记缴纳罚款 %(a)s 元") % {"a": _yuan(amount)}, late_fee=fee,
               receipt=receipt)
        return case

    return _complete(task_id, user, PenaltyFlow.record_payment, action)


REQUIRED_DOCUMENTS = [NoticeKind.CASE_FILING, NoticeKind.PENALTY_NOTIFICATION, NoticeKind.PENALTY_DECISION,
                      NoticeKind.SERVICE_RECEIPT]


def closing_approve(*, user, task_id, comment=""):
    """结案审批: only when every document of the case is issued and execution is recorded."""

    def action(task):
        case = _case_of(task)
        if case.total_fine and not case.paid_on:
            raise ActionRefused(_("罚款尚未缴纳，不能结案。"))
        issued = set(case.notices.values_list("kind", flat=True))
        missing = [NoticeKind(k).label for k in REQUIRED_DOCUMENTS if k not in issued]
        if case.hearing_rights and NoticeKind.HEARING_NOTIFICATION not in issued:
            missing.append(NoticeKind.HEARING_NOTIFICATION.label)
        if missing:
            raise ActionRefused(_("以下文书尚未制发，不能结案：%(m)s") % {"m": "、".join(missing)})
        if case.disclosed_on is None:
            raise ActionRefused(_("处罚决定尚未公示，不能结案。"))
        apply_transition(case, "close")
        _audit(user, "penalty_closed", case, _("结案"), comment=comment)
        _issue(NoticeKind.CASE_CLOSING, case, user, _context(
            case, penalty=_penalty_text(case.decided_org_fine, case.decided_person_fine, case.decided_suspension,
                                        case.responsible_person),
            decided_on=cn_date(case.decided_on), served_on=cn_date(case.served_on), paid_on=cn_date(case.paid_on),
            paid_amount=_yuan(case.paid_amount), late_fee=_yuan(case.late_fee), receipt=case.payment_receipt,
            approved_by=display_name(user), comment=comment,
            documents=[{"kind": n.kind_label, "number": n.number} for n in case.notices.order_by("issued_at", "id")]))
        return case

    return _complete(task_id, user, PenaltyFlow.approve_closing, action)


def penalty_deadlines_check(*, today=None):
    """Daily: hand cases whose statement and hearing-request periods are over back to their officers."""
    today = today or timezone.localdate()
    moved = []
    for process in PenaltyProcess.objects.filter(case__state=PenaltyState.NOTIFIED).select_related("case"):
        if rules.rights_periods_over(process.case, today):
            with transaction.atomic():
                if complete_handle(process=process, node=PenaltyFlow.wait_party):
                    audit.record(actor=None, action="rights_periods_over", target=process.case,
                                 summary=_("陈述申辩和听证申请期限届满"), penalty_case_id=process.case_id)
                    moved.append(process.case)
    return moved


# --- blacklist --------------------------------------------------------------------------------------------

def blacklist_decide(*, user, task_id, approve, comment=""):
    if not approve and not comment.strip():
        raise ActionRefused(_("不予列入须写明理由。"))

    def action(task):
        entry = BlacklistEntry.objects.select_for_update().get(pk=task.process.blacklistprocess.entry_id)
        apply_transition(entry, "approve" if approve else "reject")
        entry.decided_by = user
        entry.save()
        audit.record(actor=user, action="blacklist_listed" if approve else "blacklist_rejected", target=entry,
                     summary=(_("%(e)s：%(k)s") if approve else _("%(e)s：不予%(k)s")) % {
                         "e": entry.enterprise.name, "k": entry.get_kind_display()}, data={"comment": comment})
        return entry

    return complete_human_task(task_id=task_id, user=user, nodes=[BlacklistFlow.approve], action=action)


def blacklist_delist(*, user, entry, reason):
    if not user.has_perm("workflow.leader"):
        raise PermissionDenied(_("移出黑名单须经负责人批准。"))
    if not reason.strip():
        raise ActionRefused(_("移出黑名单须写明理由。"))
    with transaction.atomic():
        entry = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
        apply_transition(entry, "delist", reason)
        entry.delisted_by = user
        entry.save()
        audit.record(actor=user, action="blacklist_delisted", target=entry,
                     summary=_("%(e)s 移出黑名单：%(r)s") % {"e": entry.enterprise.name, "r": reason})
    return entry
