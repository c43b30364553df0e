"""Pages of real-name supervision: the duty dashboard, key enterprises and their three responsible persons,
annual plans, duty records, reminders, and the enterprise's own page. Views parse input and call one service."""

import calendar
import datetime
from collections import defaultdict
from io import BytesIO

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises import services as ent_services
from enterprises.flows import AssignmentFlow
from enterprises.models import (
    AssignmentChange, ChangeState, Enterprise, GradeCadence, ResponsibleAssignment, ResponsibleRole, RiskGrade,
)
from hazards.forms import DecisionForm
from hazards.models import Inspection
from hazards.views import _attempt, enterprise_required, staff_required
from workflow.engine import ActionRefused, TaskClosed, open_human_task, user_may_act
from workflow.models import AuditEntry, Office, Staff
from workflow.roles import enterprise_of, staff_of

from . import duties, forms, periods, services
from . import boards as board_service
from . import reminders as reminder_service
from .models import DutyReport, GuidanceVisit, InspectionPlan, PresenceDuty, PresenceRequest, Reminder, SafetyMeeting

PER_PAGE = 30
OPEN_TASK = ("NEW", "ASSIGNED")
PERIOD_TABLES = [(periods.MONTH, gettext_lazy("本月")), (periods.QUARTER, gettext_lazy("本季度")),
                 (periods.HALF_YEAR, gettext_lazy("本半年"))]
EARLIEST = datetime.date(2000, 1, 1)
LEADERS_KEY = "leaders"


def _page(request, rows, per_page=PER_PAGE):
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def _record(form, call):
    """Like _attempt, but a refusal of the recorder's right (not staff, not a participant) is a form error too."""
    try:
        return call()
    except (ActionRefused, TaskClosed, PermissionDenied) as exc:
        form.add_error(None, exc.args[0] if exc.args else _("您无权执行此操作。"))
        return None


def _posted(request):
    """The POST data to bind, even when empty: an empty POST is explained field by field, not ignored."""
    return request.POST if request.method == "POST" else None


def _errors_form():
    """A bound empty form to carry a service's refusal of an action that has no fields of its own."""
    form = django_forms.Form(data={})
    form.is_valid()
    return form


def _enterprise_or_404(pk):
    if pk > forms.MAX_ID:  # a forged id too large for the database is not found, not a crash
        raise Http404
    return get_object_or_404(Enterprise, pk=pk)


def _id_param(value):
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


# --- dashboard -----------------------------------------------------------------------------------------------

def _day_param(request, today):
    """The date to look at (?on=YYYY-MM-DD) and the reason it was refused, if it was."""
    raw = (request.GET.get("on") or "").strip()
    if not raw:
        return today, None
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return today, _("查看日期格式不正确，请按“年-月-日”填写，如 2026-03-01。以下为今天的情况。")
    if day < EARLIEST or day > today:
        return today, _("查看日期须在2000年1月1日至今天之间。以下为今天的情况。")
    return day, None


def _office_param(request):
    """(selected value, office name to filter by, error) from ?office=<id> or ?office=leaders."""
    raw = (request.GET.get("office") or "").strip()
    if not raw:
        return "", None, None
    if raw == LEADERS_KEY:
        return raw, duties.LEADER_OFFICE, None
    office = Office.objects.filter(pk=_id_param(raw)).first() if _id_param(raw) else None
    if office is None:
        return "", None, _("所选部室不存在，以下为全部部室的情况。")
    return raw, office.name, None


def _sorted(rows):
    return sorted(rows, key=lambda d: (d.office != duties.LEADER_OFFICE, d.office, d.person, d.rule.pk,
                                       d.enterprise_name))


def _dashboard_data(request):
    today = timezone.localdate()
    day, day_error = _day_param(request, today)
    office_value, office_name, office_error = _office_param(request)
    everyone = duties.compute(start=day, end=day, today=today)
    rows = everyone if office_name is None else [d for d in everyone if d.office == office_name]
    tables = []
    for kind, label in PERIOD_TABLES:
        part = _sorted(d for d in rows if d.rule.period == kind)
        start, end = periods.bounds(kind, day)
        tables.append({"kind": kind, "label": label, "period": periods.label(kind, start), "start": start,
                       "end": end, "rows": part})
    return {"today": today, "day": day, "errors": [e for e in (day_error, office_error) if e], "rows": rows,
            "everyone": everyone,
            "tables": tables, "office_value": office_value, "office_name": office_name}


def _chart(summary):
    """Geometry of a horizontal bar chart: per person, duties owed (grey) and kept (green, red if any overdue)."""
    label_w, area, bar_h, gap = 150, 420, 16, 12
    most = max([r["duties"] for r in summary] or [1]) or 1
    bars = []
    for i, r in enumerate(summary):
        y = 8 + i * (bar_h + gap)
        total_w = round(area * r["duties"] / most, 1)
        kept_w = round(area * r["kept"] / most, 1)
        bars.append({**r, "y": y, "text_y": y + bar_h - 3, "total_w": total_w, "kept_w": kept_w,
                     "value_x": label_w + total_w + 8})
    return {"bars": bars, "label_x": label_w - 8, "bar_x": label_w, "height": 16 + len(summary) * (bar_h + gap),
            "width": label_w + area + 90, "bar_h": bar_h}


def _offices():
    return Office.objects.filter(is_legal_office=False).order_by("order", "id")


def _recent_overdue(data):
    """Duties of the periods just ended (last month, quarter, half-year) that were not kept."""
    today = data["today"]
    spans = {kind: [periods.previous(kind, today)] for kind, _label in PERIOD_TABLES}
    rows = [d for d in duties.compute(today=today, spans=spans)
            if d.status == duties.OVERDUE and (data["office_name"] is None or d.office == data["office_name"])]
    return _sorted(rows)


@staff_required
def dashboard(request):
    data = _dashboard_data(request)
    for message in data["errors"]:
        messages.error(request, message)
    people = duties.summarize(data["rows"], "person")
    user = request.user
    return render(request, "supervision/dashboard.html", {
        **data, "people": people, "by_office": duties.summarize(data["rows"], "office"), "chart": _chart(people),
        "offices": _offices(), "leaders_key": LEADERS_KEY,
        "my_hazards": reminder_service.key_enterprises_with_open_hazards(user)[:50],
        "my_presence": PresenceDuty.objects.filter(person=user, visit__isnull=True)
        .select_related("request__enterprise").order_by("request__due_by", "id"),
        "my_duties": [d for d in data["everyone"] if d.user_id == user.pk and d.status != duties.KEPT],
        "late": _recent_overdue(data),
        "nav_section": "supervision",
    })


EXPORT_HEADERS = [gettext_lazy("责任人"), gettext_lazy("所在部室"), gettext_lazy("职责"), gettext_lazy("企业"),
                  gettext_lazy("周期"), gettext_lazy("截止日期"), gettext_lazy("应完成"), gettext_lazy("已完成"),
                  gettext_lazy("状态"), gettext_lazy("履职记录"), gettext_lazy("未覆盖企业"), gettext_lazy("依据")]
EXPORT_WIDTHS = [12, 16, 30, 30, 16, 12, 8, 8, 12, 50, 30, 40]


def _sheet(workbook, title, rows):
    """One sheet of a write-only workbook (streams rows: a park's year of duties is thousands of them)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = workbook.create_sheet(title)
    for index, width in enumerate(EXPORT_WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.freeze_panes = "A2"
    head_fill, head_font = PatternFill("solid", fgColor="DCE6F1"), Font(bold=True)
    red, red_font = PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006")
    top = Alignment(vertical="top", wrap_text=True)

    def cell(value, overdue=False, date=False):
        c = WriteOnlyCell(sheet, value=value)
        c.alignment = top
        if overdue:
            c.fill, c.font = red, red_font
        if date:
            c.number_format = "yyyy-mm-dd"
        return c

    header = []
    for h in EXPORT_HEADERS:
        c = WriteOnlyCell(sheet, value=str(h))
        c.fill, c.font = head_fill, head_font
        header.append(c)
    sheet.append(header)
    for d in rows:
        overdue = d.status == duties.OVERDUE
        values = [d.person, d.office, d.rule.name, d.enterprise_name, d.period_label, d.end, d.required, d.done,
                  d.status_label, "；".join(d.evidence), "；".join(d.missing), d.rule.basis]
        sheet.append([cell(v, overdue, date=(i == 5)) for i, v in enumerate(values)])
    return sheet


@staff_required
def dashboard_export(request):
    from openpyxl import Workbook

    data = _dashboard_data(request)
    workbook = Workbook(write_only=True)
    for table in data["tables"]:
        _sheet(workbook, str(table["label"]), table["rows"])
    late = duties.overdue(today=data["today"])
    if data["office_name"] is not None:
        late = [d for d in late if d.office == data["office_name"]]
    _sheet(workbook, _("逾期"), late)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = _("实名制监管履职情况_%(d)s.xlsx") % {"d": data["day"].isoformat()}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@staff_required
def overdue(request):
    today = timezone.localdate()
    office_value, office_name, office_error = _office_param(request)
    if office_error:
        messages.error(request, office_error)
    rows = duties.overdue(today=today)
    if office_name is not None:
        rows = [d for d in rows if d.office == office_name]
    return render(request, "supervision/overdue.html", {
        "page": _page(request, rows, 50), "total": len(rows), "offices": _offices(), "office_value": office_value,
        "leaders_key": LEADERS_KEY, "today": today, "nav_section": "supervision",
    })


@staff_required
def person(request, user_id):
    if user_id > forms.MAX_ID:
        raise Http404
    staff = get_object_or_404(Staff.objects.select_related("office", "user"), user_id=user_id)
    today = timezone.localdate()
    start = periods.month_start(today, 11)  # the last 12 months, this one included
    rows = [d for d in duties.compute(start=start, end=today, today=today) if d.user_id == staff.user_id]
    rows.sort(key=lambda d: (d.end, -d.rule.pk), reverse=True)
    summary = duties.summarize(rows, "person")
    held = (ResponsibleAssignment.objects.filter(staff=staff).select_related("enterprise")
            .order_by("end_date", "enterprise__name", "-start_date"))
    return render(request, "supervision/person.html", {
        "staff": staff, "page": _page(request, rows, 50), "summary": summary[0] if summary else None,
        "start": start, "today": today, "assignments": held, "nav_section": "supervision",
        "role_label": forms.staff_label(staff),
    })


# --- key enterprises --------------------------------------------------------------------------------------

def _holders(enterprise_ids, day):
    held = defaultdict(dict)
    rows = ResponsibleAssignment.objects.filter(enterprise_id__in=enterprise_ids).held_on(day).select_related("staff")
    for a in rows:
        held[a.enterprise_id][a.role] = a
    return held


def _people(held):
    return [(ResponsibleRole(role).label, held.get(role)) for role in ResponsibleRole.values]


@staff_required
def enterprise_list(request):
    show_all = request.GET.get("all") == "1"
    grade = request.GET.get("grade") or ""
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]  # PostgreSQL refuses NUL in text
    qs = Enterprise.objects.all() if show_all else Enterprise.objects.filter(is_key_supervised=True)
    if grade in RiskGrade.values:
        qs = qs.filter(risk_grade=grade)
    else:
        grade = ""
    if q:
        qs = qs.filter(name__icontains=q)
    page = _page(request, qs.order_by("name").prefetch_related("sectors"))
    ids = [e.pk for e in page.object_list]
    held = _holders(ids, timezone.localdate())
    boards = board_service.latest_boards(ids)
    rows = [(e, _people(held.get(e.pk, {})), boards.get(e.pk)) for e in page.object_list]
    return render(request, "supervision/enterprise_list.html", {
        "page": page, "rows": rows, "show_all": show_all, "grade": grade, "grades": RiskGrade.choices, "q": q,
        "nav_section": "supervision",
        "may_plan": bool(staff_of(request.user).leader_role or staff_of(request.user).is_office_head),
        "plan_years": [timezone.localdate().year, timezone.localdate().year + 1],
    })


def _recent_checks(enterprise, limit=10):
    found = []
    for v in enterprise.guidance_visits.select_related("led_by__staff").order_by("-visited_on", "-id")[:limit]:
        found.append({"on": v.visited_on, "kind": _("检查指导"), "occasion": v.get_occasion_display(),
                      "lead": v.led_by, "summary": v.summary, "link": None})
    for i in (Inspection.objects.filter(enterprise=enterprise).select_related("lead_inspector__staff", "office")
              .order_by("-inspected_on", "-id")[:limit]):
        found.append({"on": i.inspected_on, "kind": _("监督检查"), "occasion": str(i.office), "lead": i.lead_inspector,
                      "summary": i.summary or i.place, "link": reverse("case_detail", args=[i.pk])})
    found.sort(key=lambda c: c["on"], reverse=True)
    return found[:limit]


def _enterprise_context(request, enterprise, *, grade_form=None):
    today = timezone.localdate()
    can_manage = ent_services.may_manage(request.user, enterprise)
    if grade_form is None and can_manage:
        grade_form = forms.GradeForm(initial={"grade": enterprise.risk_grade})
    history = defaultdict(list)
    for a in enterprise.responsible_assignments.select_related("staff", "change").order_by("role", "-start_date"):
        history[a.role].append(a)
    changes = list(enterprise.assignment_changes.select_related(
        "administrative_staff", "regulator_staff", "requested_by__staff", "decided_by__staff")[:20])
    pending = []
    for change in changes:
        if change.state == ChangeState.SUBMITTED:
            process = getattr(change, "process", None)
            task = open_human_task(process, AssignmentFlow.approve) if process else None
            pending.append((change, task, task is not None and user_may_act(request.user, task)))
    plans = enterprise.inspection_plans.annotate(planned=Count("visits")).order_by("-year")
    by_year = {p.year: p for p in plans}
    plan_years = sorted({today.year, today.year + 1} | set(by_year), reverse=True)
    return {
        "enterprise": enterprise, "can_manage": can_manage, "grade_form": grade_form, "today": today,
        "grades": enterprise.grade_assessments.select_related("set_by__staff"),
        "cadence": GradeCadence.objects.filter(grade=enterprise.risk_grade).first() if enterprise.risk_grade else None,
        "current": _people(ent_services.current_assignments(enterprise, today)),
        "history": [(ResponsibleRole(r).label, history.get(r, [])) for r in ResponsibleRole.values],
        "changes": changes, "pending": pending, "plans": [(y, by_year.get(y)) for y in plan_years],
        "presence": enterprise.presence_requests.prefetch_related("duties__person__staff", "duties__visit")[:10],
        "checks": _recent_checks(enterprise),
        "boards": board_service.board_notices().filter(enterprise=enterprise)[:5],
        "sectors": enterprise.sectors.select_related("office"),
        "audit": AuditEntry.objects.filter(data__enterprise_id=enterprise.pk).order_by("-id")[:30],
        "nav_section": "supervision",
    }


@staff_required
def enterprise_detail(request, pk):
    enterprise = _enterprise_or_404(pk)
    return render(request, "supervision/enterprise_detail.html", _enterprise_context(request, enterprise))


@staff_required
def grade_set(request, pk):
    enterprise = _enterprise_or_404(pk)
    if request.method != "POST":
        return redirect("supervision_enterprise", pk)
    if not ent_services.may_manage(request.user, enterprise):
        raise PermissionDenied(_("仅园区领导或该企业行业监管部室负责人可以确定风险等级。"))
    form = forms.GradeForm(request.POST)
    previous = enterprise.risk_grade
    if form.is_valid():
        d = form.cleaned_data
        if _attempt(form, lambda: ent_services.grade_set(user=request.user, enterprise=enterprise, grade=d["grade"],
                                                         reason=d["reason"], set_on=d["set_on"])):
            reissued = enterprise.is_key_supervised and previous != d["grade"]
            messages.success(request, _("风险等级已确定，公示牌已重新制发。") if reissued else _("风险等级已确定。"))
            return redirect("supervision_enterprise", pk)
    context = _enterprise_context(request, enterprise, grade_form=form)
    return render(request, "supervision/enterprise_detail.html", context)


@staff_required
def assignment_propose(request, pk):
    enterprise = _enterprise_or_404(pk)
    if not ent_services.may_manage(request.user, enterprise):
        raise PermissionDenied(_("仅园区领导或该企业行业监管部室负责人可以提出三个责任人人选或调整。"))
    kind = AssignmentChange.Kind.CHANGE if enterprise.is_key_supervised else AssignmentChange.Kind.DESIGNATE
    form = forms.AssignmentForm(_posted(request), initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(form, lambda: ent_services.assignment_propose(user=request.user, enterprise=enterprise, **d)):
            messages.success(request, _("已提交，等待主要负责人或分管安全生产负责人审批。"))
            return redirect("supervision_enterprise", pk)
    return render(request, "supervision/assign_form.html", {
        "enterprise": enterprise, "form": form, "current": _people(ent_services.current_assignments(enterprise)),
        "sectors": enterprise.sectors.select_related("office"), "nav_section": "supervision",
        "pending": enterprise.assignment_changes.filter(state=ChangeState.SUBMITTED).first(),
    })


def assignment_task(request, task):
    """The approval page of AssignmentFlow.approve (reached through hazards.views.task_execute)."""
    change = (AssignmentChange.objects.select_related("enterprise", "administrative_staff", "regulator_staff",
                                                      "requested_by__staff")
              .get(pk=task.process.assignmentprocess.change_id))
    enterprise = change.enterprise
    if task.status not in OPEN_TASK:
        messages.info(request, _("该任务已处理完毕。"))
        return redirect("supervision_enterprise", enterprise.pk)
    if not user_may_act(request.user, task):
        raise PermissionDenied(_("您无权处理此任务。"))
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        if _attempt(form, lambda: ent_services.assignment_decide(
                user=request.user, task_id=task.pk, approve=approve, comment=form.cleaned_data["comment"])):
            messages.success(request, _("已批准，责任人自生效日期起任职，公示牌已制发。") if approve
                             else _("已退回。"))
            return redirect("supervision_enterprise", enterprise.pk)
    today = timezone.localdate()
    held = ent_services.current_assignments(enterprise, max(today, change.effective_from))
    release = change.kind == AssignmentChange.Kind.RELEASE
    proposed = {
        ResponsibleRole.ADMINISTRATIVE: change.administrative_staff and {
            "name": change.administrative_staff.full_name, "position": forms.staff_label(change.administrative_staff),
            "phone": change.administrative_staff.phone},
        ResponsibleRole.REGULATOR: change.regulator_staff and {
            "name": change.regulator_staff.full_name, "position": forms.staff_label(change.regulator_staff),
            "phone": change.regulator_staff.phone},
        ResponsibleRole.ENTERPRISE: change.enterprise_person and {
            "name": change.enterprise_person, "position": change.enterprise_position,
            "phone": change.enterprise_phone},
    }
    rows = [(ResponsibleRole(r).label, held.get(r), proposed[r] or None) for r in ResponsibleRole.values]
    return render(request, "supervision/assignment_task.html", {
        "task": task, "change": change, "enterprise": enterprise, "form": form, "rows": rows, "release": release,
        "sectors": enterprise.sectors.select_related("office"), "nav_section": "supervision",
    })


# --- annual inspection plans -------------------------------------------------------------------------------

def _checks_in_year(enterprise, year):
    found = []
    for v in enterprise.guidance_visits.filter(visited_on__year=year).select_related("led_by__staff"):
        found.append({"on": v.visited_on, "kind": _("检查指导"), "lead": v.led_by, "link": None, "inspection": False})
    for i in Inspection.objects.filter(enterprise=enterprise, inspected_on__year=year).select_related(
            "lead_inspector__staff"):
        found.append({"on": i.inspected_on, "kind": _("监督检查"), "lead": i.lead_inspector,
                      "link": reverse("case_detail", args=[i.pk]), "inspection": True})
    found.sort(key=lambda c: c["on"])
    return found


def _plan_rows(plan, checks, today):
    by_month = defaultdict(list)
    for c in checks:
        by_month[c["on"].month].append(c)
    rows = []
    for v in plan.visits.all():
        month_end = v.planned_on.replace(day=calendar.monthrange(v.planned_on.year, v.planned_on.month)[1])
        found = by_month.get(v.planned_on.month, [])
        if found:
            status, label = "done", _("已检查")
        elif month_end < today:
            status, label = "missed", _("未检查")
        else:
            status, label = "pending", _("待检查")
        rows.append({"visit": v, "status": status, "label": label, "checks": found})
    return rows


@staff_required
@require_POST
def plans_generate(request):
    """Generate the year's plan of every graded enterprise the user manages (current or next year)."""
    year = _id_param(request.POST.get("year"))
    errors = _errors_form()
    plans = _attempt(errors, lambda: services.plans_generate_all(user=request.user, year=year or 0))
    if plans:
        messages.success(request, _("已为%(n)d家企业生成%(y)d年度检查计划。") % {"n": len(plans), "y": year})
    for message in errors.non_field_errors():
        messages.error(request, message)
    return redirect("supervision_enterprises")


@staff_required
def plan(request, pk, year):
    if not 2000 <= year <= 2100:
        raise Http404
    enterprise = _enterprise_or_404(pk)
    current = InspectionPlan.objects.filter(enterprise=enterprise, year=year).first()
    add_form = forms.PlanVisitForm(prefix="add")
    errors = _errors_form()
    if request.method == "POST":
        action = request.POST.get("action")
        done, success = None, ""
        if action == "generate":
            done = _attempt(errors, lambda: services.plan_generate(user=request.user, enterprise=enterprise,
                                                                    year=year))
            success = _("已按风险等级生成年度检查计划。")
        elif current is None:
            errors.add_error(None, _("该年度尚无检查计划，请先生成。"))
        elif action == "add":
            add_form = forms.PlanVisitForm(request.POST, prefix="add")
            if add_form.is_valid():
                d = add_form.cleaned_data
                done = _attempt(add_form, lambda: services.plan_visit_add(
                    user=request.user, plan=current, planned_on=d["planned_on"], note=d["note"]))
                success = _("已增加计划检查。")
        elif action in ("move", "remove"):
            visit = current.visits.filter(pk=_id_param(request.POST.get("visit"))).first()
            if visit is None:
                raise Http404
            if action == "move":
                move_form = forms.PlanMoveForm(request.POST, prefix=f"move-{visit.pk}")
                if move_form.is_valid():
                    done = _attempt(errors, lambda: services.plan_visit_move(
                        user=request.user, visit=visit, planned_on=move_form.cleaned_data["planned_on"]))
                    success = _("计划日期已调整。")
                else:
                    errors.add_error(None, _("请填写有效的调整日期。"))
            else:
                done = _attempt(errors, lambda: services.plan_visit_remove(user=request.user, visit=visit))
                success = _("已取消该次计划检查。")
        else:
            errors.add_error(None, _("未知的操作。"))
        if done:
            messages.success(request, success)
            return redirect("supervision_plan", enterprise.pk, year)
    today = timezone.localdate()
    checks = _checks_in_year(enterprise, year)
    cadence = GradeCadence.objects.filter(grade=enterprise.risk_grade).first() if enterprise.risk_grade else None
    cap = current.yearly_cap if current else (cadence.yearly_cap if cadence else None)
    # The cap limits supervisory inspections (监督检查); the leads' monthly guidance visits are owed by the seed.
    inspections = sum(1 for c in checks if c["inspection"])
    return render(request, "supervision/plan.html", {
        "enterprise": enterprise, "year": year, "plan": current, "rows": _plan_rows(current, checks, today) if current
        else [], "checks": checks, "cap": cap, "inspections": inspections, "visits": len(checks) - inspections,
        "over_cap": cap is not None and inspections > cap,
        "cadence": cadence, "can_manage": ent_services.may_manage(request.user, enterprise), "add_form": add_form,
        "errors": errors.non_field_errors(), "today": today, "nav_section": "supervision",
        "can_generate": current is None and year in (today.year, today.year + 1),
    })


# --- duty records ---------------------------------------------------------------------------------------------

def _mine(request):
    return request.GET.get("mine") == "1"


@staff_required
def visit_list(request):
    qs = GuidanceVisit.objects.select_related("enterprise", "led_by__staff").prefetch_related("participants__staff")
    enterprise_id = _id_param(request.GET.get("enterprise"))
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if _mine(request):
        qs = qs.filter(Q(led_by=request.user) | Q(participants=request.user)).distinct()
    return render(request, "supervision/visit_list.html", {
        "page": _page(request, qs), "mine": _mine(request),
        "enterprise": Enterprise.objects.filter(pk=enterprise_id).first() if enterprise_id else None,
        "nav_section": "supervision",
    })


@staff_required
def visit_new(request):
    initial = {"led_by": request.user.pk}
    enterprise_id = _id_param(request.GET.get("enterprise"))
    if enterprise_id:
        initial["enterprise"] = enterprise_id
    if request.GET.get("occasion"):
        initial["occasion"] = request.GET["occasion"]
    form = forms.VisitForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _record(form, lambda: services.visit_record(
                user=request.user, enterprise=d["enterprise"], visited_on=d["visited_on"], led_by=d["led_by"],
                participants=list(d["participants"]), summary=d["summary"], occasion=d["occasion"],
                problems_found=d["problems_found"])):
            messages.success(request, _("检查指导已登记。"))
            return redirect("supervision_visits")
    return render(request, "supervision/record_form.html", {
        "form": form, "title": _("登记检查指导"), "back": reverse("supervision_visits"), "back_label": _("检查指导"),
        "help": _("园区领导、部室负责人到企业检查指导后登记；带队人和参加人员均计入其履职。"), "nav_section": "supervision",
    })


@staff_required
def meeting_list(request):
    qs = SafetyMeeting.objects.select_related("chaired_by__staff", "on_behalf_of__staff").prefetch_related(
        "attendees__staff")
    if _mine(request):
        qs = qs.filter(Q(chaired_by=request.user) | Q(attendees=request.user) | Q(on_behalf_of=request.user)).distinct()
    return render(request, "supervision/meeting_list.html", {
        "page": _page(request, qs), "mine": _mine(request), "nav_section": "supervision"})


@staff_required
def meeting_new(request):
    form = forms.MeetingForm(_posted(request), initial={"chaired_by": request.user.pk})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _record(form, lambda: services.meeting_record(
                user=request.user, kind=d["kind"], title=d["title"], held_on=d["held_on"],
                chaired_by=d["chaired_by"], attendees=list(d["attendees"]), minutes=d["minutes"],
                on_behalf_of=d["on_behalf_of"])):
            messages.success(request, _("会议已登记。"))
            return redirect("supervision_meetings")
    return render(request, "supervision/record_form.html", {
        "form": form, "title": _("登记安全生产会议"), "back": reverse("supervision_meetings"),
        "back_label": _("安全生产会议"), "nav_section": "supervision",
        "help": _("主持人和参会人员计入“研究分析安全生产工作”；安全生产工作会议计入主持人（或委托人）的会议职责。"),
    })


@staff_required
def report_list(request):
    qs = DutyReport.objects.select_related("reporter__staff", "received_by__staff")
    if _mine(request):
        qs = qs.filter(Q(reporter=request.user) | Q(received_by=request.user))
    return render(request, "supervision/report_list.html", {
        "page": _page(request, qs), "mine": _mine(request), "nav_section": "supervision"})


@staff_required
def report_new(request):
    principal = Staff.objects.filter(leader_role=Staff.LeaderRole.PRINCIPAL).first()
    initial = {"received_by": getattr(principal, "user_id", None)}
    if staff_of(request.user).leader_role and staff_of(request.user).leader_role != Staff.LeaderRole.PRINCIPAL:
        initial["reporter"] = request.user.pk
    form = forms.ReportForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _record(form, lambda: services.report_record(
                user=request.user, reporter=d["reporter"], received_by=d["received_by"],
                reported_on=d["reported_on"], summary=d["summary"])):
            messages.success(request, _("履职汇报已登记。"))
            return redirect("supervision_reports")
    return render(request, "supervision/record_form.html", {
        "form": form, "title": _("登记履职汇报"), "back": reverse("supervision_reports"), "back_label": _("履职汇报"),
        "help": _("班子成员向主要负责人专题汇报安全生产履职情况后登记，同时计入汇报人和听取人的职责。"),
        "nav_section": "supervision",
    })


def _may_raise_presence(user):
    staff = staff_of(user)
    return staff is not None and bool(staff.leader_role or staff.is_office_head)


@staff_required
def presence_list(request):
    today = timezone.localdate()
    qs = PresenceRequest.objects.select_related("enterprise", "hazard").prefetch_related(
        "duties__person__staff", "duties__visit")
    open_only = request.GET.get("open") == "1"
    if open_only:
        qs = qs.filter(duties__visit__isnull=True).distinct()
    if _mine(request):
        qs = qs.filter(duties__person=request.user).distinct()
    return render(request, "supervision/presence_list.html", {
        "page": _page(request, qs), "mine": _mine(request), "open_only": open_only, "today": today,
        "may_raise": _may_raise_presence(request.user), "nav_section": "supervision",
    })


@staff_required
def presence_new(request):
    if not _may_raise_presence(request.user):
        raise PermissionDenied(_("仅园区领导或部室负责人可以登记特殊时期到场要求。"))
    initial = {}
    if _id_param(request.GET.get("enterprise")):
        initial["enterprise"] = _id_param(request.GET.get("enterprise"))
    form = forms.PresenceForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _record(form, lambda: services.presence_request_raise(
                user=request.user, enterprise=d["enterprise"], occasion=d["occasion"],
                occurred_on=d["occurred_on"], description=d["description"])):
            messages.success(request, _("已登记，已通知该企业的行政负责人和行业监管部门负责人到场履职。"))
            return redirect("supervision_presence")
    return render(request, "supervision/record_form.html", {
        "form": form, "title": _("登记特殊时期到场要求"), "back": reverse("supervision_presence"),
        "back_label": _("到场履职"), "nav_section": "supervision",
        "help": _("重点管控企业复工复产、出现险情、发生事故或遇重要节点时登记，系统通知其行政负责人和行业监管部门负责人到场；到场后登记检查指导即记为已到场。"),
    })


# --- reminders --------------------------------------------------------------------------------------------------

@login_required
def reminders(request):
    """The user's own reminders; staff and enterprise users alike (a key enterprise's hazards reach both)."""
    if staff_of(request.user) is None and enterprise_of(request.user) is None:
        raise PermissionDenied(_("仅管委会工作人员和企业用户可以访问此页面。"))
    mine = Reminder.objects.filter(user=request.user)
    if request.method == "POST":
        unread = mine.filter(read_at__isnull=True)
        if request.POST.get("id"):  # one reminder; a forged id marks none
            unread = unread.filter(pk=_id_param(request.POST["id"]) or 0)
        count = unread.update(read_at=timezone.now())  # the user's own flag; no rule or audit involved
        messages.success(request, _("已将%(n)d条提醒标为已读。") % {"n": count})
        return redirect("supervision_reminders")
    return render(request, "supervision/reminders.html", {
        "page": _page(request, mine), "unread": mine.filter(read_at__isnull=True).count(),
        "nav_section": "supervision",
    })


# --- enterprise portal ---------------------------------------------------------------------------------------

@enterprise_required
def portal_supervision(request):
    enterprise = enterprise_of(request.user)
    context = ent_services.board_context(enterprise) if enterprise.is_key_supervised else None
    return render(request, "supervision/portal.html", {
        "enterprise": enterprise, "people": context["people"] if context else [],
        "grade": enterprise.grade_assessments.order_by("-set_on", "-id").first(),
        "cadence": GradeCadence.objects.filter(grade=enterprise.risk_grade).first() if enterprise.risk_grade else None,
        "board": board_service.current_board(enterprise),
        "today": timezone.localdate(),
    })
