"""Pages. Views parse input, call one service, and show its refusal as a message; no rules live here."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task

from workflow import notices as notice_service
from workflow.engine import ActionRefused, TaskClosed, user_may_act
from workflow.models import AuditEntry, Notice, NoticeKind
from workflow.roles import enterprise_of, staff_of

from . import forms, selectors, services
from enterprises.flows import AssignmentFlow

from .flows import BlacklistFlow, ExtensionFlow, PenaltyFlow, PlanFlow, RectificationFlow
from .models import Attachment, HazardLevel, HazardState, InspectionState, RectificationProcess
from .throttle import LoginThrottleForm


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginThrottleForm
    redirect_authenticated_user = True


def staff_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if staff_of(request.user) is None:
            raise PermissionDenied(_("仅管委会工作人员可以访问此页面。"))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def enterprise_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if enterprise_of(request.user) is None:
            raise PermissionDenied(_("仅企业用户可以访问此页面。"))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@login_required
def home(request):
    """Each role lands on its own work."""
    if enterprise_of(request.user):
        return redirect("portal")
    staff = staff_of(request.user)
    if staff is None:
        return redirect("admin:index") if request.user.is_staff else redirect("logout_page")
    if staff.is_office_head or staff.leader_role or (staff.office and staff.office.is_legal_office):
        return redirect("workflow:queue")
    return redirect("workflow:inbox") if Task.objects.filter(
        owner=request.user, status="ASSIGNED").exists() else redirect("case_list")


def logout_page(request):
    return render(request, "registration/no_role.html", status=403)


def _attempt(form, call):
    """Run a service call; a refusal becomes a form error. Returns the result or None."""
    try:
        return call()
    except (ActionRefused, TaskClosed) as exc:
        form.add_error(None, exc.args[0] if exc.args else str(exc))
        return None


# --- staff: lists ---------------------------------------------------------------------------------------

@staff_required
def case_list(request):
    state = request.GET.get("state") or ""
    overdue = bool(request.GET.get("overdue"))
    qs = selectors.inspection_list(request.user, state=state if state in InspectionState.values else None,
                                   overdue=overdue)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    page.object_list = selectors.with_counts(page.object_list)
    return render(request, "hazards/case_list.html", {
        "page": page, "states": InspectionState.choices, "state": state, "overdue": overdue,
    })


@staff_required
def hazard_list(request):
    state = request.GET.get("state") or None
    level = request.GET.get("level") or None
    qs = selectors.hazard_ledger(
        request.user, state=state if state in HazardState.values else None,
        level=level if level in HazardLevel.values else None, overdue=bool(request.GET.get("overdue")),
        search=(request.GET.get("q") or "").strip() or None,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "hazards/hazard_list.html", {
        "page": page, "states": HazardState.choices, "levels": HazardLevel.choices, "state": state or "",
        "level": level or "", "overdue": bool(request.GET.get("overdue")), "q": request.GET.get("q", ""),
        "today": timezone.localdate(),
    })


# --- staff: inspection --------------------------------------------------------------------------------------

@staff_required
def inspection_new(request):
    form = forms.InspectionForm(request.POST or None, initial={
        "inspected_on": timezone.localdate(), "signature": "signed", "inspectors": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        inspection = _attempt(form, lambda: services.inspection_create(
            user=request.user, enterprise=d["enterprise"], sector=d["sector"], inspectors=d["inspectors"],
            place=d["place"], enterprise_representative=d["enterprise_representative"],
            inspected_on=d["inspected_on"], signature=d["signature"], refusal_note=d["refusal_note"],
            summary=d["summary"]))
        if inspection:
            messages.success(request, _("检查已创建，请逐项登记发现的隐患。"))
            return redirect("case_detail", inspection.pk)
    return render(request, "hazards/inspection_form.html", {"form": form, "title": _("开展现场检查")})


def _draft_or_back(request, inspection):
    """None when the user may edit the draft; else a redirect back with the reason (403 for outsiders)."""
    try:
        services.check_draft_editor(request.user, inspection)
    except ActionRefused as exc:
        messages.error(request, exc.args[0])
        return redirect("case_detail", inspection.pk)
    return None


@staff_required
def inspection_edit(request, pk):
    inspection = selectors.get_visible_inspection(request.user, pk)
    if (back := _draft_or_back(request, inspection)) is not None:
        return back
    initial = {"place": inspection.place, "enterprise_representative": inspection.enterprise_representative,
               "signature": inspection.signature, "refusal_note": inspection.refusal_note,
               "summary": inspection.summary, "inspectors": list(inspection.inspectors.values_list("pk", flat=True))}
    form = forms.InspectionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(form, lambda: services.inspection_update(
                user=request.user, inspection=inspection, inspectors=d["inspectors"], place=d["place"],
                enterprise_representative=d["enterprise_representative"], signature=d["signature"],
                refusal_note=d["refusal_note"], summary=d["summary"])):
            return redirect("case_detail", inspection.pk)
    return render(request, "hazards/inspection_form.html", {"form": form, "title": _("修改检查记录"),
                                                            "inspection": inspection})


@login_required
def case_detail(request, pk):
    inspection = selectors.get_visible_inspection(request.user, pk)
    if enterprise_of(request.user):
        return redirect("portal_case", pk)
    if staff_of(request.user) is None:
        raise Http404
    hazards = inspection.hazards.select_related("sector", "supervising_leader").prefetch_related("attachments")
    tasks = Task.objects.filter(process__rectificationprocess__inspection=inspection, flow_task_type="HUMAN",
                                status__in=["NEW", "ASSIGNED"]).select_related("owner")
    ext_tasks = Task.objects.filter(process__extensionprocess__extension_request__hazard__inspection=inspection,
                                    flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    plan_tasks = Task.objects.filter(process__planprocess__plan__hazard__inspection=inspection,
                                     flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    open_tasks = [(t, user_may_act(request.user, t)) for t in [*tasks, *plan_tasks, *ext_tasks]]
    return render(request, "hazards/case_detail.html", {
        "inspection": inspection, "hazards": hazards, "open_tasks": open_tasks,
        "notices": inspection.notices.order_by("issued_at", "id"),
        "audit": AuditEntry.objects.filter(inspection_id=inspection.pk).order_by("id"),
        "can_edit": inspection.state == InspectionState.DRAFT
                    and inspection.inspectors.filter(pk=request.user.pk).exists(),
        "process": RectificationProcess.objects.filter(inspection=inspection).first(),
    })


@staff_required
def hazard_new(request, pk):
    inspection = selectors.get_visible_inspection(request.user, pk)
    if (back := _draft_or_back(request, inspection)) is not None:
        return back
    form = forms.HazardForm(request.POST or None, request.FILES or None,
                            initial={"sector": inspection.sector_id, "level": HazardLevel.GENERAL,
                                     "deadline": services.default_deadline().date})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _attempt(form, lambda: services.hazard_add(
                user=request.user, inspection=inspection, description=d["description"], location=d["location"],
                sector=d["sector"], level=d["level"], legal_basis=d["legal_basis"], measures=d["measures"],
                deadline=d["deadline"], fixed_on_spot=d["fixed_on_spot"], photos=d["photos"],
                fix_photos=d["fix_photos"])):
            messages.success(request, _("隐患已登记。"))
            return redirect("case_detail", inspection.pk)
    return render(request, "hazards/hazard_form.html", {"form": form, "inspection": inspection})


@staff_required
@require_POST
def hazard_delete(request, pk, hazard_pk):
    hazard = selectors.get_visible_hazard(request.user, hazard_pk)
    if hazard.inspection_id != pk:
        raise Http404
    try:
        services.hazard_remove(user=request.user, hazard=hazard)
        messages.success(request, _("隐患已删除。"))
    except (ActionRefused, TaskClosed) as exc:
        messages.error(request, exc.args[0])
    return redirect("case_detail", pk)


@staff_required
@require_POST
def inspection_submit(request, pk):
    inspection = selectors.get_visible_inspection(request.user, pk)
    try:
        services.inspection_submit(user=request.user, inspection=inspection)
        messages.success(request, _("检查记录已提交，现场检查记录已制发。"))
    except (ActionRefused, TaskClosed) as exc:
        messages.error(request, exc.args[0])
    return redirect("case_detail", pk)


# --- staff: tasks ------------------------------------------------------------------------------------------

@staff_required
def task_execute(request, task_pk):
    task = get_object_or_404(Task.objects.select_related("process"), pk=task_pk, flow_task_type="HUMAN")
    if task.flow_task.flow_class in (PenaltyFlow, BlacklistFlow):
        from . import penalty_views

        return penalty_views.task_execute(request, task)
    if task.flow_task.flow_class is AssignmentFlow:
        from supervision.views import assignment_task

        return assignment_task(request, task)
    if task.status not in ("NEW", "ASSIGNED"):
        messages.info(request, _("该任务已处理完毕。"))
        return redirect(_task_case_url(task))
    if not user_may_act(request.user, task):
        raise PermissionDenied(_("您无权处理此任务。"))
    node = task.flow_task
    if node is RectificationFlow.revise_inspection:
        return redirect("case_detail", task.process.rectificationprocess.inspection_id)
    prefix = {RectificationFlow: "", PlanFlow: "plan_", ExtensionFlow: "extension_"}.get(node.flow_class)
    handler = TASK_PAGES.get(f"{prefix}{node.name}") if prefix is not None else None
    if handler is None:
        raise Http404
    return handler(request, task)


def _task_case_url(task):
    process = task.process
    if process.flow_class is ExtensionFlow:
        return reverse("case_detail", args=[process.extensionprocess.extension_request.hazard.inspection_id])
    if process.flow_class is PlanFlow:
        return reverse("case_detail", args=[process.planprocess.plan.hazard.inspection_id])
    return reverse("case_detail", args=[process.rectificationprocess.inspection_id])


def _task_render(request, task, form, inspection, template, **extra):
    return render(request, template, {
        "task": task, "form": form, "inspection": inspection,
        "hazards": inspection.hazards.select_related("sector").prefetch_related("attachments", "proofs", "plans"),
        **extra,
    })


def _approve_order(request, task):
    inspection = task.process.rectificationprocess.inspection
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        if _attempt(form, lambda: services.order_decide(user=request.user, task_id=task.pk, approve=approve,
                                                         comment=form.cleaned_data["comment"])):
            messages.success(request, _("已批准，整改指令书已制发。") if approve else _("已退回检查人员修改。"))
            return redirect("case_detail", inspection.pk)
    return _task_render(request, task, form, inspection, "hazards/task_decision.html")


def _item_decisions(service, state, success):
    def page(request, task):
        if task.flow_task.flow_class is PlanFlow:  # one plan: its own hazard
            inspection = task.process.planprocess.plan.hazard.inspection
            hazards = list(inspection.hazards.filter(pk=task.process.planprocess.plan.hazard_id, state=state)
                           .prefetch_related("plans", "proofs__attachments"))
        else:
            inspection = task.process.rectificationprocess.inspection
            hazards = list(inspection.hazards.filter(state=state).prefetch_related("plans", "proofs__attachments"))
        form = forms.ItemDecisionsForm(request.POST or None, hazards=hazards)
        if request.method == "POST" and form.is_valid():
            if _attempt(form, lambda: service(user=request.user, task_id=task.pk, decisions=form.decisions())):
                messages.success(request, success)
                return redirect("case_detail", inspection.pk)
        return _task_render(request, task, form, inspection, "hazards/task_items.html", items=hazards)

    return page


def _reinspect(request, task):
    inspection = task.process.rectificationprocess.inspection
    hazards = services.hazards_due_for_reinspection(inspection)
    form = forms.ReinspectionForm(request.POST or None, hazards=hazards, office=inspection.office, user=request.user)
    if request.method == "POST" and form.is_valid():
        if _attempt(form, lambda: services.reinspection_record(
                user=request.user, task_id=task.pk, co_inspectors=form.cleaned_data["co_inspectors"],
                results=form.results(), notes=form.cleaned_data["notes"])):
            messages.success(request, _("复查已记录，整改复查意见书已制发。"))
            return redirect("case_detail", inspection.pk)
    return _task_render(request, task, form, inspection, "hazards/task_reinspect.html", items=hazards)


def _extension_decide(request, task):
    extension = task.process.extensionprocess.extension_request
    inspection = extension.hazard.inspection
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        if _attempt(form, lambda: services.extension_decide(user=request.user, task_id=task.pk, approve=approve,
                                                             comment=form.cleaned_data["comment"])):
            messages.success(request, _("已作出延期审批决定。"))
            return redirect("case_detail", inspection.pk)
    return _task_render(request, task, form, inspection, "hazards/task_decision.html", extension=extension)


TASK_PAGES = {
    "approve_order": _approve_order,
    "plan_approve_plan": _item_decisions(services.plan_decide, HazardState.PLAN_REVIEW, _("治理方案审批已完成。")),
    "approve_closure": _item_decisions(services.closure_decide, HazardState.CLOSURE_REVIEW, _("销号审批已完成。")),
    "reinspect": _reinspect,
    "extension_decide": _extension_decide,
}


# --- files and notices --------------------------------------------------------------------------------------

@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    selectors.get_visible_hazard(request.user, attachment.hazard_id)  # 404 for other enterprises
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                        filename=attachment.original_name)


INTERNAL_NOTICE_KINDS = [NoticeKind.CASE_FILING, NoticeKind.CASE_CLOSING]  # approval sheets, not served


def visible_notices(user):
    """Staff see every notice; the party sees what is served on it, never the internal approval sheets."""
    if staff_of(user) or user.is_superuser:
        return Notice.objects.all()
    enterprise = enterprise_of(user)
    if enterprise is None:
        return Notice.objects.none()
    return Notice.objects.filter(enterprise=enterprise).exclude(kind__in=INTERNAL_NOTICE_KINDS)


@login_required
def notice_pdf(request, pk):
    notice = get_object_or_404(visible_notices(request.user), pk=pk)
    notice = notice_service.ensure_pdf(notice.pk)
    return FileResponse(notice.pdf.open("rb"), content_type="application/pdf", filename=f"{notice.number}.pdf")


def notice_verify(request, token):
    """Public: anyone holding the printed notice can check it was really issued."""
    try:
        notice = Notice.objects.select_related("enterprise", "office").get(verify_token=token)
    except Notice.DoesNotExist:
        return render(request, "hazards/notice_verify.html", {"notice": None}, status=404)
    return render(request, "hazards/notice_verify.html", {"notice": notice})


# --- enterprise portal -------------------------------------------------------------------------------------

@enterprise_required
def portal(request):
    from . import penalty_views

    enterprise = enterprise_of(request.user)
    inspections = selectors.with_counts(selectors.inspection_list(request.user)[:50])
    actionable = selectors.visible_hazards(request.user).filter(
        state__in=[HazardState.RECTIFYING, HazardState.AWAITING_PLAN]).select_related("inspection").order_by("deadline")
    return render(request, "portal/home.html", {
        "enterprise": enterprise, "inspections": inspections, "actionable": actionable,
        "notices": visible_notices(request.user).order_by("-issued_at")[:20],
        "today": timezone.localdate(), "penalty_cases": penalty_views.portal_cases(request.user),
    })


@enterprise_required
def portal_case(request, pk):
    inspection = selectors.get_visible_inspection(request.user, pk)
    return render(request, "portal/case.html", {
        "inspection": inspection, "hazards": inspection.hazards.select_related("sector"),
        "notices": visible_notices(request.user).filter(inspection=inspection).order_by("issued_at"),
        "today": timezone.localdate(),
    })


@enterprise_required
def portal_hazard(request, pk):
    hazard = selectors.get_visible_hazard(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    proof_form = forms.ProofForm(request.POST if action == "proof" else None,
                                 request.FILES if action == "proof" else None, prefix="proof")
    extension_form = forms.ExtensionForm(request.POST if action == "extension" else None, prefix="ext")
    plan_form = forms.PlanForm(request.POST if action == "plan" else None,
                               request.FILES if action == "plan" else None, prefix="plan")
    done = None
    if action == "proof" and proof_form.is_valid():
        d = proof_form.cleaned_data
        done = _attempt(proof_form, lambda: services.proof_submit(
            user=request.user, hazard=hazard, report=d["report"], files=d["files"]))
        success = _("整改佐证已提交，等待复查。")
    elif action == "extension" and extension_form.is_valid():
        d = extension_form.cleaned_data
        done = _attempt(extension_form, lambda: services.extension_request(
            user=request.user, hazard=hazard, requested_deadline=d["requested_deadline"], reason=d["reason"]))
        success = _("延期申请已提交，等待审批。")
    elif action == "plan" and plan_form.is_valid():
        d = plan_form.cleaned_data
        done = _attempt(plan_form, lambda: services.plan_submit(user=request.user, hazard=hazard, **d))
        success = _("治理方案已提交，等待审批。")
    if done:
        messages.success(request, success)
        return redirect("portal_hazard", hazard.pk)
    return render(request, "portal/hazard.html", {
        "hazard": hazard, "proof_form": proof_form, "extension_form": extension_form, "plan_form": plan_form,
        "proofs": hazard.proofs.prefetch_related("attachments"), "plans": hazard.plans.all(),
        "extensions": hazard.extension_requests.all(), "today": timezone.localdate(),
        "findings": hazard.attachments.filter(purpose__in=["finding", "on_spot_fix"]),
        "results": hazard.reinspection_results.select_related("reinspection"),
    })
