"""Pages of the penalty loop (行政处罚). Views parse input, call one service, and show its refusal as a message."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, DateField, ExpressionWrapper, F, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task

from workflow.calendar import add_working_days
from workflow.engine import ActionRefused, TaskClosed, user_may_act
from workflow.models import AuditEntry, Notice, NoticeKind, Staff
from workflow.periods import get_period
from workflow.roles import enterprise_of, staff_of

from . import penalty_forms as pf
from . import penalty_rules as rules
from . import penalty_services as ps
from . import selectors
from .flows import BlacklistFlow, PenaltyFlow
from .models import BlacklistEntry, PenaltyCase, PenaltyOrigin, PenaltyPolicy, PenaltyState
from .views import _attempt, enterprise_required, staff_required

OPEN_TASK = ("NEW", "ASSIGNED")
S = PenaltyState
DECIDING = [S.FILED, S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.DELIBERATION, S.AWAITING_DECISION]

# what the party may download: the approval forms (立案审批表、结案审批表) are internal
PARTY_NOTICES = [NoticeKind.PENALTY_NOTIFICATION, NoticeKind.HEARING_NOTIFICATION, NoticeKind.PENALTY_DECISION,
                 NoticeKind.SERVICE_RECEIPT]


# --- deadlines -----------------------------------------------------------------------------------------------

def deadline_info(case, today=None, *, party=False):
    """The next legal deadline of the case for display: label, date, days left, and whether to show it in red."""
    today = today or timezone.localdate()
    due = rules.next_deadline(case, today, party=party)
    if not due or not due[1]:
        return None
    label, date = due
    days = (date - today).days
    warning = None if party else rules.decision_warning(case, today)
    return {"label": label, "date": date, "days": days, "overdue": days < 0, "late": -days,
            "warning": warning, "urgent": days < 0 or warning is not None,
            "extra_warning": warning is not None and date != case.decision_due}


def _calendar_days(key):
    period = get_period(key)
    return -(-period.days * 7 // 5) if period.working_days else period.days


def _due_order(today):
    """A sort key for the queue, read in the database: the next deadline's date (penalty_rules.next_deadline).

    Deadlines stored on the case are used as they are; the short periods counted from the decision or from
    service (送达、公示、缴款) are placed by their start date plus the period in calendar days, close enough to
    order a queue. The exact date on each row comes from penalty_rules.next_deadline.
    """
    def plus(field, key):
        return ExpressionWrapper(F(field) + datetime.timedelta(days=_calendar_days(key)), output_field=DateField())

    fined = Q(decided_org_fine__gt=0) | Q(decided_person_fine__gt=0)
    return Case(
        When(state=S.NOTIFIED, statement_due__gte=today, then=F("statement_due")),
        When(state=S.NOTIFIED, hearing_rights=True, hearing_request_due__gte=today, then=F("hearing_request_due")),
        When(state=S.HEARING, hearing_on__isnull=False, then=F("hearing_on")),
        When(state__in=DECIDING, then=F("decision_due")),
        When(state=S.DECIDED, then=plus("decided_on", "service")),
        When(state=S.SERVED, then=plus("decided_on", "disclosure")),
        When(Q(state=S.EXECUTING, paid_on__isnull=True) & fined, then=plus("served_on", "payment")),
        default=Value(None, output_field=DateField()), output_field=DateField(),
    )


def _period_rows(case, today):
    """Every legal period of the case with its due date and where it stands."""
    rows = []

    def add(label, date, *, done=None, party=False, note=""):
        if date is None:
            return
        days = (date - today).days
        if done:
            status = "done"
        elif days < 0:
            status = "expired" if party else "overdue"
        else:
            status = "running"
        rows.append({"label": label, "date": date, "days": days, "late": -days, "status": status, "done": done,
                     "note": note})

    ended = timezone.localtime(case.closed_at).date() if case.state == S.DROPPED and case.closed_at else None
    add(_("作出处罚决定期限"), case.decision_due, done=case.decided_on or ended,
        note=_("行政处罚法第六十条") + (_("（已批准延长）") if case.extension_reason else ""))
    add(_("陈述申辩期限"), case.statement_due, party=True, note=_("行政处罚法第四十五条"))
    if case.hearing_rights:
        add(_("听证申请期限"), case.hearing_request_due, party=True, note=_("行政处罚法第六十四条"))
    add(_("听证日期"), case.hearing_on, done=case.hearing_on if case.hearing_record else None, note=case.hearing_place)
    if case.decided_on:
        add(_("决定书送达期限"), rules.due(case.decided_on, "service"), done=case.served_on,
            note=_("行政处罚法第六十一条"))
        add(_("公示期限"), rules.due(case.decided_on, "disclosure"), done=case.disclosed_on,
            note=_("安全生产法第七十八条"))
    if case.served_on and case.total_fine:
        add(_("缴纳罚款期限"), rules.payment_due(case), done=case.paid_on, note=_("行政处罚法第六十七条"))
    return rows


def _penalty_line(org_fine, person_fine, suspension, person=""):
    parts = []
    if org_fine:
        parts.append(_("对单位罚款 %(a)s 元") % {"a": pf.yuan(org_fine)})
    if person_fine:
        parts.append(_("对直接负责的主管人员%(p)s罚款 %(a)s 元") % {"p": person, "a": pf.yuan(person_fine)})
    if suspension:
        parts.append(_("责令停产停业整顿"))
    return "；".join(parts)


def money(case):
    """Amounts as the notices write them (30,000), for the templates."""
    return {
        "notified": _penalty_line(case.notified_org_fine, case.notified_person_fine, case.notified_suspension,
                                  case.responsible_person),
        "decided": _penalty_line(case.decided_org_fine, case.decided_person_fine, case.decided_suspension,
                                 case.responsible_person),
        "total": pf.yuan(case.total_fine), "paid": pf.yuan(case.paid_amount), "late_fee": pf.yuan(case.late_fee),
    }


def portal_cases(user):
    """The enterprise's penalty cases with their next deadline, for the portal's home page."""
    today = timezone.localdate()
    cases = selectors.visible_penalty_cases(user).select_related("office").order_by("-proposed_at", "-id")
    return [(c, deadline_info(c, today, party=True)) for c in cases]


# --- public record ---------------------------------------------------------------------------------------------

def _penalty_public_text(case):
    parts = []
    if case.decided_org_fine:
        parts.append(_("对当事人处人民币%(a)s元罚款") % {"a": pf.yuan(case.decided_org_fine)})
    if case.decided_suspension:
        parts.append(_("责令停产停业整顿"))
    if case.decided_person_fine:
        parts.append(_("对直接负责的主管人员处以罚款"))
    return "；".join(parts)


def public_record(case, decision_number=""):
    """What is published (安全生产法 Art. 78): no phone or identity numbers, no name of the person fined."""
    person = case.responsible_person.strip()

    def clean(text):
        text = rules.redact(text)
        return text.replace(person, _("[已隐去]")) if len(person) >= 2 else text

    provision = case.provision
    return {
        "pk": case.pk, "enterprise_name": case.enterprise.name, "uscc": case.enterprise.uscc,
        "decision_number": decision_number, "cause": clean(case.cause), "facts": clean(case.facts),
        "provision_title": provision.title if provision else "",
        "provision_violation": clean(provision.violation) if provision else "",
        "penalty": _penalty_public_text(case), "decided_on": case.decided_on, "disclosed_on": case.disclosed_on,
        "authority": case.office.name, "committee": settings.COMMITTEE_NAME,
    }


def _decision_notices():
    return Notice.objects.filter(kind=NoticeKind.PENALTY_DECISION, context__variant="organisation").order_by("id")


def _decision_number(case):
    notices = getattr(case, "decision_notices", None)
    if notices is None:
        notices = list(_decision_notices().filter(penalty_case=case))
    return notices[-1].number if notices else ""


def disclosure_list(request):
    """Public: the disclosed penalty decisions (行政执法公示), no login needed."""
    qs = selectors.disclosed_penalties().select_related("office").prefetch_related(
        Prefetch("notices", queryset=_decision_notices(), to_attr="decision_notices"))
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__iexact=q))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    records = [public_record(c, _decision_number(c)) for c in page.object_list]
    return render(request, "disclosure/list.html", {"page": page, "records": records, "q": q})


def disclosure_detail(request, pk):
    case = get_object_or_404(selectors.disclosed_penalties().select_related("office"), pk=pk)
    return render(request, "disclosure/detail.html", {"r": public_record(case, _decision_number(case))})


# --- staff: queue, proposal, case page ------------------------------------------------------------------------

@staff_required
def penalty_list(request):
    today = timezone.localdate()
    qs = PenaltyCase.objects.select_related("enterprise", "office", "provision")
    state = request.GET.get("state") or ""
    if state == "all":
        pass
    elif state in S.values:
        qs = qs.filter(state=state)
    else:
        state = ""
        qs = qs.filter(state__in=ps.OPEN_STATES)
    mine = bool(request.GET.get("mine"))
    if mine:
        qs = qs.filter(officers=request.user)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(cause__icontains=q))
    qs = qs.alias(due_sort=_due_order(today)).order_by(F("due_sort").asc(nulls_last=True), "-proposed_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "penalties/list.html", {
        "page": page, "rows": [(c, deadline_info(c, today)) for c in page.object_list], "states": S.choices,
        "state": state, "mine": mine, "q": q, "today": today,
    })


@staff_required
def penalty_new(request):
    params = request.POST if request.method == "POST" else request.GET
    hazard = inspection = None
    if params.get("hazard"):
        hazard = selectors.get_visible_hazard(request.user, params["hazard"])
        inspection = hazard.inspection
    elif params.get("inspection"):
        inspection = selectors.get_visible_inspection(request.user, params["inspection"])
    initial = {}
    if inspection:
        initial["enterprise"] = inspection.enterprise_id
    if hazard:
        initial["facts"] = _("%(d)s 检查发现：%(h)s（%(l)s）。") % {
            "d": inspection.inspected_on.strftime("%Y-%m-%d"), "h": hazard.description, "l": hazard.location}
    form = pf.ProposeForm(request.POST or None, initial=initial)
    if inspection:
        form.fields["enterprise"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = _attempt(form, lambda: ps.penalty_propose(
            user=request.user, enterprise=d["enterprise"], cause=d["cause"], facts=d["facts"],
            inspection=None if hazard else inspection, hazard=hazard,
            origin=PenaltyOrigin.INSPECTION_FINDING if inspection else PenaltyOrigin.MANUAL))
        if case:
            messages.success(request, _("处罚建议已提出，等待承办部室负责人审批立案。"))
            return redirect("penalty_detail", case.pk)
    return render(request, "penalties/new.html", {"form": form, "inspection": inspection, "hazard": hazard})


def _officer_names(case):
    return list(Staff.objects.filter(user__in=case.officers.all()).order_by("id").values_list(
        "full_name", "badge_number"))


def _open_tasks(case, user):
    tasks = Task.objects.filter(process__penaltyprocess__case=case, flow_task_type="HUMAN",
                                status__in=OPEN_TASK).select_related("owner__staff").order_by("id")
    return [(t, user_may_act(user, t)) for t in tasks]


def _can_extend(user, case):
    """Whether to offer the extension form; decision_extend checks it again."""
    return (user.has_perm(case.office.leader_permission) and not case.decided_on and not case.extension_reason
            and case.state in DECIDING)


def _earliest_hearing(today):
    return add_working_days(today, get_period("hearing_notice").days).date


@login_required
def penalty_detail(request, pk):
    case = selectors.get_visible_penalty_case(request.user, pk)
    if enterprise_of(request.user):
        return redirect("portal_penalty", case.pk)
    if staff_of(request.user) is None:
        raise Http404
    today = timezone.localdate()
    action = request.POST.get("action") if request.method == "POST" else None
    schedule_form = pf.HearingScheduleForm(request.POST if action == "schedule" else None, prefix="hearing",
                                           initial={"hearing_on": case.hearing_on, "place": case.hearing_place})
    extension_form = pf.ExtensionForm(request.POST if action == "extend" else None, prefix="ext")
    done = None
    if action == "schedule" and schedule_form.is_valid():
        d = schedule_form.cleaned_data
        done = _attempt(schedule_form, lambda: ps.hearing_schedule(
            user=request.user, case=case, hearing_on=d["hearing_on"], place=d["place"]))
        success = _("听证时间和地点已记录，请按期通知当事人。")
    elif action == "extend" and extension_form.is_valid():
        done = _attempt(extension_form, lambda: ps.decision_extend(
            user=request.user, case=case, reason=extension_form.cleaned_data["reason"]))
        success = _("已批准延长办案期限。")
    if done:
        messages.success(request, success)
        return redirect("penalty_detail", case.pk)
    is_officer = case.officers.filter(pk=request.user.pk).exists()
    return render(request, "penalties/detail.html", {
        "case": case, "today": today, "deadline": deadline_info(case, today), "periods": _period_rows(case, today),
        "money": money(case),
        "officers": _officer_names(case), "open_tasks": _open_tasks(case, request.user),
        "waiting_party": case.state == S.NOTIFIED and not rules.rights_periods_over(case, today),
        "statements": case.statements.select_related("filed_by__enterprise_account"),
        "notices": case.notices.order_by("issued_at", "id"),
        "audit": AuditEntry.objects.filter(penalty_case_id=case.pk).order_by("id"),
        "blacklist": BlacklistEntry.objects.filter(enterprise=case.enterprise, state__in=[
            BlacklistEntry.State.PROPOSED, BlacklistEntry.State.LISTED]),
        "can_schedule": is_officer and case.state == S.HEARING, "schedule_form": schedule_form,
        "earliest_hearing": _earliest_hearing(today) if case.state == S.HEARING else None,
        "can_extend": _can_extend(request.user, case), "extension_form": extension_form,
        "payment_due": rules.payment_due(case),
    })


# --- staff: task pages (reached through /tasks/<pk>/, see hazards.views.task_execute) --------------------------

def task_execute(request, task):
    """The page of one open PenaltyFlow or BlacklistFlow task."""
    if task.status not in OPEN_TASK:
        messages.info(request, _("该任务已处理完毕。"))
        return redirect(_task_return_url(task))
    node = task.flow_task
    revocable = node in (PenaltyFlow.investigate, PenaltyFlow.notify)  # the office head may revoke the filing here
    if not (user_may_act(request.user, task) or (revocable and _is_office_head(request.user, _task_case(task)))):
        raise PermissionDenied(_("您无权处理此任务。"))
    key = node.name if node.flow_class is PenaltyFlow else "blacklist_" + node.name
    handler = TASK_PAGES.get(key)
    if handler is None:
        raise Http404
    return handler(request, task)


def _task_return_url(task):
    if task.flow_task.flow_class is BlacklistFlow:
        return reverse("blacklist_list")
    return reverse("penalty_detail", args=[task.process.penaltyprocess.case_id])


def _task_case(task):
    return PenaltyCase.objects.select_related("enterprise", "office", "provision", "inspection", "hazard").get(
        pk=task.process.penaltyprocess.case_id)


def _action(request, default):
    return request.POST.get("action", default) if request.method == "POST" else None


def _bound(request, action, name):
    return request.POST if action == name else None


def _done(request, case, message):
    messages.success(request, message)
    return redirect("penalty_detail", case.pk)


def _failures(extra):
    """The bound forms that failed, for the summary at the top of the page (the form may be far below on a phone)."""
    failed = [f for f in extra.values() if isinstance(f, forms.BaseForm) and f.is_bound and f.errors]
    return {"failed": bool(failed), "failures": [e for f in failed for e in f.non_field_errors()]}


def _render(request, task, case, template, **extra):
    today = timezone.localdate()
    return render(request, template, {
        "task": task, "case": case, "today": today, "deadline": deadline_info(case, today), "money": money(case),
        "nav_section": "penalties", "officers": _officer_names(case), "statements": case.statements.all(),
        **_failures(extra), **extra,
    })


def _is_office_head(user, case):
    staff = staff_of(user)
    return bool(staff and staff.is_office_head and staff.office_id == case.office_id)


def _with_revoke(request, task, case, action, template, **extra):
    """Investigation and notification pages also carry the office head's 撤销立案 form."""
    revoke_form = pf.RevokeForm(_bound(request, action, "revoke"), prefix="revoke")
    if action == "revoke" and revoke_form.is_valid():
        if _attempt(revoke_form, lambda: ps.case_revoke(user=request.user, task_id=task.pk,
                                                         reason=revoke_form.cleaned_data["reason"])):
            return _done(request, case, _("已撤销立案，案件终止。"))
    return _render(request, task, case, template, revoke_form=revoke_form,
                   can_revoke=_is_office_head(request.user, case), **extra)


def _approve_filing(request, task):
    case = _task_case(task)
    form = pf.FilingForm(request.POST or None, office=case.office)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approve = d["decision"] == "approve"
        if _attempt(form, lambda: ps.filing_decide(user=request.user, task_id=task.pk, approve=approve,
                                                    officers=d["officers"], comment=d["comment"])):
            return _done(request, case, _("已批准立案，立案审批表已制发。") if approve else _("已决定不予立案，案件终止。"))
    return _render(request, task, case, "penalties/task_approve_filing.html", form=form)


def _investigate(request, task):
    case = _task_case(task)
    action = _action(request, "investigate")
    form = pf.InvestigationForm(_bound(request, action, "investigate"), initial={
        "facts": case.facts, "evidence": case.evidence, "provision": case.provision_id,
        "responsible_person": case.responsible_person, "complex_case": case.complex_case})
    if action == "investigate" and form.is_valid():
        d = form.cleaned_data
        if _attempt(form, lambda: ps.investigation_record(
                user=request.user, task_id=task.pk, facts=d["facts"], evidence=d["evidence"], provision=d["provision"],
                responsible_person=d["responsible_person"], complex_case=d["complex_case"])):
            return _done(request, case, _("调查取证已记录，请制发行政处罚告知书。"))
    return _with_revoke(request, task, case, action, "penalties/task_investigate.html", form=form)


def _hearing_thresholds():
    policy = PenaltyPolicy.current()
    return {"org": pf.yuan(policy.hearing_org_fine), "person": pf.yuan(policy.hearing_person_fine),
            "org_value": policy.hearing_org_fine, "person_value": policy.hearing_person_fine}


def _notify(request, task):
    case = _task_case(task)
    action = _action(request, "notify")
    form = pf.PenaltyAmountForm(_bound(request, action, "notify"))
    hearing = None
    if action == "notify" and form.is_valid():
        amounts = form.amounts()
        hearing = rules.has_hearing_rights(**amounts)
        if _attempt(form, lambda: ps.notification_issue(user=request.user, task_id=task.pk, **amounts)):
            return _done(request, case, _("行政处罚告知书和听证告知书已制发。") if hearing else _("行政处罚告知书已制发。"))
    return _with_revoke(
        request, task, case, action, "penalties/task_notify.html", form=form, hearing=hearing,
        thresholds=_hearing_thresholds(), provision_range=pf.provision_range(case.provision) if case.provision else "",
        statement_days=get_period("statement_defence").days, hearing_days=get_period("hearing_request").days)


def _prepare_decision(request, task):
    case = _task_case(task)
    action = _action(request, "submit")
    submit_form = forms.Form(_bound(request, action, "submit"))
    renotify_form = pf.PenaltyAmountForm(_bound(request, action, "renotify"), prefix="renotify", initial={
        "org_fine": case.notified_org_fine, "person_fine": case.notified_person_fine,
        "suspension": case.notified_suspension})
    if action == "submit" and submit_form.is_valid():
        result = _attempt(submit_form, lambda: ps.prepare_submit(user=request.user, task_id=task.pk))
        if result:
            return _done(request, case, _("已提交法制审核。") if result.state == S.LEGAL_REVIEW else _("已提交负责人作出决定。"))
    elif action == "renotify" and renotify_form.is_valid():
        if _attempt(renotify_form, lambda: ps.prepare_submit(user=request.user, task_id=task.pk,
                                                              renotify=renotify_form.amounts())):
            return _done(request, case, _("已重新制发行政处罚告知书，当事人的陈述申辩期限重新计算。"))
    return _render(request, task, case, "penalties/task_prepare_decision.html", submit_form=submit_form,
                   renotify_form=renotify_form, legal_review=rules.legal_review_required(case),
                   deliberation=rules.deliberation_required(case))


def _hold_hearing(request, task):
    case = _task_case(task)
    action = _action(request, "record")
    form = pf.HearingRecordForm(_bound(request, action, "record"))
    schedule_form = pf.HearingScheduleForm(_bound(request, action, "schedule"), prefix="hearing",
                                           initial={"hearing_on": case.hearing_on, "place": case.hearing_place})
    if action == "record" and form.is_valid():
        if _attempt(form, lambda: ps.hearing_record_submit(user=request.user, task_id=task.pk,
                                                            record=form.cleaned_data["record"])):
            return _done(request, case, _("听证笔录已提交，案件进入法制审核。"))
    elif action == "schedule" and schedule_form.is_valid():
        d = schedule_form.cleaned_data
        if _attempt(schedule_form, lambda: ps.hearing_schedule(user=request.user, case=case,
                                                                hearing_on=d["hearing_on"], place=d["place"])):
            messages.success(request, _("听证时间和地点已记录，请按期通知当事人。"))
            return redirect("task_execute", task.pk)
    return _render(request, task, case, "penalties/task_hold_hearing.html", form=form, schedule_form=schedule_form,
                   earliest_hearing=_earliest_hearing(timezone.localdate()),
                   hearing_requests=case.statements.filter(kind="hearing_request"))


def _legal_review(request, task):
    case = _task_case(task)
    form = pf.LegalReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approve = d["decision"] == "approve"
        result = _attempt(form, lambda: ps.legal_review_decide(user=request.user, task_id=task.pk, approve=approve,
                                                                opinion=d["opinion"]))
        if result:
            return _done(request, case, {
                S.DELIBERATION: _("法制审核通过，提交负责人集体讨论。"),
                S.AWAITING_DECISION: _("法制审核通过，提交负责人作出决定。"),
            }.get(result.state, _("已退回承办人员。")))
    return _render(request, task, case, "penalties/task_legal_review.html", form=form,
                   deliberation=rules.deliberation_required(case))


def _deliberate(request, task):
    case = _task_case(task)
    form = pf.DeliberationForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(form, lambda: ps.deliberation_record(user=request.user, task_id=task.pk,
                                                          participants=d["participants"], held_on=d["held_on"],
                                                          conclusion=d["conclusion"])):
            return _done(request, case, _("集体讨论已记录，提交负责人作出决定。"))
    return _render(request, task, case, "penalties/task_deliberate.html", form=form)


def _decide(request, task):
    case = _task_case(task)
    form = pf.DecideForm(request.POST or None, initial={
        "outcome": "decide", "org_fine": case.notified_org_fine, "person_fine": case.notified_person_fine,
        "suspension": case.notified_suspension})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        outcome = d["outcome"]
        if _attempt(form, lambda: ps.decision_make(user=request.user, task_id=task.pk, outcome=outcome,
                                                    reason=d["reason"], **form.amounts())):
            return _done(request, case, {
                "decide": _("已作出行政处罚决定，行政处罚决定书已制发，请在七个工作日内送达。"),
                "no_penalty": _("已决定不予行政处罚，案件终止。"),
            }.get(outcome, _("已退回承办人员重新告知。")))
    return _render(request, task, case, "penalties/task_decide.html", form=form,
                   can_extend=_can_extend(request.user, case),
                   past_due=bool(case.decision_due and timezone.localdate() > case.decision_due))


def _serve(request, task):
    case = _task_case(task)
    form = pf.ServiceForm(request.POST or None, initial={
        "served_on": timezone.localdate(), "method": "in_person", "recipient": case.enterprise.legal_representative})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(form, lambda: ps.service_record(user=request.user, task_id=task.pk, **d)):
            return _done(request, case, _("已记录送达，送达回执已制发。请在七个工作日内公示处罚决定。"))
    return _render(request, task, case, "penalties/task_serve.html", form=form,
                   decisions=case.notices.filter(kind=NoticeKind.PENALTY_DECISION).order_by("id"),
                   service_due=rules.due(case.decided_on, "service"))


def _disclose(request, task):
    case = _task_case(task)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _attempt(form, lambda: ps.disclosure_publish(user=request.user, task_id=task.pk)):
            return _done(request, case, _("处罚决定已在行政执法公示栏公示。"))
    return _render(request, task, case, "penalties/task_disclose.html", form=form,
                   r=public_record(case, _decision_number(case)),
                   disclosure_due=rules.due(case.decided_on, "disclosure"))


def _record_payment(request, task):
    case = _task_case(task)
    today = timezone.localdate()
    fee = rules.late_fee(case, today)
    owed = case.total_fine + fee
    form = pf.PaymentForm(request.POST or None, initial={"paid_on": today, "amount": owed})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(form, lambda: ps.payment_record(user=request.user, task_id=task.pk, **d)):
            return _done(request, case, _("罚款缴纳已登记，请报部室负责人审批结案。"))
    return _render(request, task, case, "penalties/task_record_payment.html", form=form, fee_text=pf.yuan(fee),
                   owed_text=pf.yuan(owed), payment_due=rules.payment_due(case))


def _approve_closing(request, task):
    case = _task_case(task)
    form = pf.CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _attempt(form, lambda: ps.closing_approve(user=request.user, task_id=task.pk,
                                                      comment=form.cleaned_data["comment"])):
            return _done(request, case, _("已批准结案，结案审批表已制发。"))
    return _render(request, task, case, "penalties/task_approve_closing.html", form=form,
                   notices=case.notices.order_by("issued_at", "id"))


def _blacklist_approve(request, task):
    entry = BlacklistEntry.objects.select_related("enterprise").get(pk=task.process.blacklistprocess.entry_id)
    form = pf.BlacklistDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        approve = d["decision"] == "approve"
        if _attempt(form, lambda: ps.blacklist_decide(user=request.user, task_id=task.pk, approve=approve,
                                                       comment=d["comment"])):
            messages.success(request, _("已同意列入。") if approve else _("已决定不予列入。"))
            return redirect("blacklist_list")
    return render(request, "penalties/task_blacklist_approve.html", {
        "task": task, "entry": entry, "form": form, "nav_section": "blacklist",
        "cases": entry.cases.select_related("office").order_by("-decided_on", "-id"),
    })


TASK_PAGES = {
    "approve_filing": _approve_filing,
    "investigate": _investigate,
    "notify": _notify,
    "prepare_decision": _prepare_decision,
    "hold_hearing": _hold_hearing,
    "legal_review": _legal_review,
    "deliberate": _deliberate,
    "decide": _decide,
    "serve": _serve,
    "disclose": _disclose,
    "record_payment": _record_payment,
    "approve_closing": _approve_closing,
    "blacklist_approve": _blacklist_approve,
}


# --- blacklist -------------------------------------------------------------------------------------------------

@staff_required
def blacklist_list(request):
    qs = BlacklistEntry.objects.select_related("enterprise", "decided_by__staff", "delisted_by__staff")
    qs = qs.prefetch_related(Prefetch("cases", queryset=PenaltyCase.objects.order_by("-decided_on", "-id")))
    state = request.GET.get("state") or ""
    if state in BlacklistEntry.State.values:
        qs = qs.filter(state=state)
    else:
        state = ""
    page = Paginator(qs.order_by("-proposed_at", "-id"), 30).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    tasks = {t.entry_id: t for t in Task.objects.filter(
        process__blacklistprocess__entry__in=entries, flow_task_type="HUMAN", status__in=OPEN_TASK,
    ).annotate(entry_id=F("process__blacklistprocess__entry_id"))}
    rows = [(e, tasks.get(e.pk), tasks.get(e.pk) is not None and user_may_act(request.user, tasks[e.pk]))
            for e in entries]
    return render(request, "penalties/blacklist.html", {
        "page": page, "rows": rows, "states": BlacklistEntry.State.choices, "state": state,
        "can_delist": request.user.has_perm("workflow.leader"),
    })


@staff_required
@require_POST
def blacklist_delist(request, pk):
    entry = get_object_or_404(BlacklistEntry, pk=pk)
    form = pf.DelistForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("blacklist_list")
    try:
        ps.blacklist_delist(user=request.user, entry=entry, reason=form.cleaned_data["reason"])
        messages.success(request, _("已将 %(e)s 移出黑名单。") % {"e": entry.enterprise.name})
    except (ActionRefused, TaskClosed) as exc:
        messages.error(request, exc.args[0])
    return redirect("blacklist_list")


# --- enterprise portal -------------------------------------------------------------------------------------------

@enterprise_required
def portal_penalty(request, pk):
    case = selectors.get_visible_penalty_case(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    statement_form = pf.StatementForm(_bound(request, action, "statement"), prefix="statement")
    hearing_form = pf.HearingRequestForm(_bound(request, action, "hearing"), prefix="hearing")
    done = None
    if action == "statement" and statement_form.is_valid():
        done = _attempt(statement_form, lambda: ps.statement_file(
            user=request.user, case=case, text=statement_form.cleaned_data["text"]))
        success = _("陈述申辩已提交，管委会将在作出决定前进行复核。")
    elif action == "hearing" and hearing_form.is_valid():
        done = _attempt(hearing_form, lambda: ps.hearing_request(
            user=request.user, case=case, text=hearing_form.cleaned_data["text"]))
        success = _("听证申请已提交。管委会将在举行听证的七个工作日前通知听证的时间和地点。")
    if done:
        messages.success(request, success)
        return redirect("portal_penalty", case.pk)
    today = timezone.localdate()
    statement_open = case.state in (S.NOTIFIED, S.HEARING) and bool(case.statement_due) and today <= case.statement_due
    hearing_open = (case.hearing_rights and case.state == S.NOTIFIED and bool(case.hearing_request_due)
                    and today <= case.hearing_request_due)
    payment_due = rules.payment_due(case)
    fee = rules.late_fee(case, today) if case.served_on and case.total_fine and not case.paid_on else 0
    return render(request, "portal/penalty.html", {
        "case": case, "today": today, "deadline": deadline_info(case, today, party=True), "money": money(case),
        "notices": case.notices.filter(kind__in=PARTY_NOTICES).order_by("issued_at", "id"),
        "statements": case.statements.all(), "statement_form": statement_form, "hearing_form": hearing_form,
        "statement_open": statement_open, "hearing_open": hearing_open,
        "statement_expired": bool(case.statement_due) and today > case.statement_due,
        "hearing_expired": bool(case.hearing_request_due) and today > case.hearing_request_due,
        "payment_due": payment_due, "fee_text": pf.yuan(fee), "owed_text": pf.yuan(case.total_fine + fee),
        "payment_overdue": bool(payment_due) and not case.paid_on and today > payment_due,
    })
