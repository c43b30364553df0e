"""Work routing: which office or person acts next on a case. Legal state lives on the models."""

from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from . import selectors
from .models import ExtensionProcess, RectificationProcess


def task_page(request, process_pk, task_pk, **kwargs):
    return redirect("task_execute", task_pk)


SUMMARY = "{{ process.summary_text }}"


class TaskView(flow.View):
    """A human task whose page is the project's own: its form calls a service that completes the task."""

    @property
    def view_path(self):
        return path(f"<int:process_pk>/{self.name}/<int:task_pk>/execute/", task_page, name="execute")


class RectificationFlow(flow.Flow):
    process_class = RectificationProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("隐患整改")
    process_description = _("检查诊断 → 责令整改 → 整改复查 → 销号")
    process_summary_template = SUMMARY

    start = flow.StartHandle(this.start_case).Annotation(title=_("提交检查记录")).Next(this.route)

    route = (
        flow.Switch()
        .Annotation(title=_("按案件状态分派"))
        .Case(this.revise_inspection, lambda a: selectors.case_stage(a.process) == "revise")
        .Case(this.approve_order, lambda a: selectors.case_stage(a.process) == "approve_order")
        .Case(this.approve_plan, lambda a: selectors.case_stage(a.process) == "approve_plan")
        .Case(this.wait_plan, lambda a: selectors.case_stage(a.process) == "wait_plan")
        .Case(this.approve_closure, lambda a: selectors.case_stage(a.process) == "approve_closure")
        .Case(this.reinspect, lambda a: selectors.case_stage(a.process) == "reinspect")
        .Case(this.wait_proof, lambda a: selectors.case_stage(a.process) == "wait_proof")
        .Default(this.end)
    )

    revise_inspection = (
        TaskView(task_page)
        .Annotation(title=_("修改检查记录"), description=_("整改指令被退回，主办检查人员修改后重新提交"), summary_template=SUMMARY)
        .Assign(lambda a: a.process.inspection.lead_inspector)
        .Next(this.route)
    )
    approve_order = (
        TaskView(task_page)
        .Annotation(title=_("审批整改指令"), description=_("责任部室负责人审批责令限期整改指令书"), summary_template=SUMMARY)
        .Permission(lambda a: a.process.inspection.office.head_permission)
        .Next(this.route)
    )
    approve_plan = (
        TaskView(task_page)
        .Annotation(title=_("审批治理方案"), description=_("责任部室负责人审批重大隐患治理方案"), summary_template=SUMMARY)
        .Permission(lambda a: a.process.inspection.office.head_permission)
        .Next(this.route)
    )
    wait_plan = flow.Handle().Annotation(title=_("企业提交治理方案")).Next(this.route)
    wait_proof = flow.Handle().Annotation(title=_("企业整改并提交佐证")).Next(this.route)
    reinspect = (
        TaskView(task_page)
        .Annotation(title=_("整改复查"), description=_("责任部室执法人员逐项复查"), summary_template=SUMMARY)
        .Permission(lambda a: a.process.inspection.office.member_permission)
        .Next(this.route)
    )
    approve_closure = (
        TaskView(task_page)
        .Annotation(title=_("销号审批"), description=_("一般隐患由部室负责人、重大隐患由分管负责人审批销号"), summary_template=SUMMARY)
        .Permission(lambda a: selectors.closure_permission(a.process.inspection))
        .Next(this.route)
    )
    end = flow.End().Annotation(title=_("销号完成"))

    def start_case(self, activation, inspection):
        activation.process.inspection = inspection
        return activation.process


class ExtensionFlow(flow.Flow):
    process_class = ExtensionProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("整改延期")
    process_description = _("企业申请延期，责任部室负责人审批")
    process_summary_template = SUMMARY

    start = flow.StartHandle(this.start_request).Annotation(title=_("企业申请延期")).Next(this.decide)
    decide = (
        TaskView(task_page)
        .Annotation(title=_("审批延期申请"), summary_template=SUMMARY)
        .Permission(lambda a: a.process.extension_request.hazard.inspection.office.head_permission)
        .Next(this.end)
    )
    end = flow.End()

    def start_request(self, activation, extension_request):
        activation.process.extension_request = extension_request
        return activation.process
