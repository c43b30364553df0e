"""Work routing: which office or person acts next on a case. Legal state lives on the models."""

from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from . import selectors
from .models import BlacklistProcess, ExtensionProcess, PenaltyProcess, PlanProcess, RectificationProcess


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


class PlanFlow(flow.Flow):
    """A major hazard's governance plan, approved by the office head while the case's other items move on."""

    process_class = PlanProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("治理方案审批")
    process_description = _("企业提交重大隐患治理方案，责任部室负责人审批")
    process_summary_template = SUMMARY

    start = flow.StartHandle(this.start_plan).Annotation(title=_("企业提交治理方案")).Next(this.approve_plan)
    approve_plan = (
        TaskView(task_page)
        .Annotation(title=_("审批治理方案"), description=_("责任部室负责人审批重大隐患治理方案"), summary_template=SUMMARY)
        .Permission(lambda a: a.process.plan.hazard.inspection.office.head_permission)
        .Next(this.end)
    )
    end = flow.End()

    def start_plan(self, activation, plan):
        activation.process.plan = plan
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


def _stage(name):
    return lambda a: selectors.penalty_stage(a.process) == name


def _penalty_task(title, description, permission):
    return (
        TaskView(task_page)
        .Annotation(title=title, description=description, summary_template=SUMMARY)
        .Permission(permission)
        .Next(this.route)
    )


def _office(a, kind):
    return getattr(a.process.case.office, kind)


def _officers(a):
    return a.process.case.officer_permission


class PenaltyFlow(flow.Flow):
    """行政处罚: filing → investigation → notification → [hearing] → review → decision → service → execution."""

    process_class = PenaltyProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("行政处罚")
    process_description = _("立案 → 调查 → 告知 → 听证 → 法制审核 → 集体讨论 → 决定 → 送达 → 公示 → 执行 → 结案")
    process_summary_template = SUMMARY

    start = flow.StartHandle(this.start_case).Annotation(title=_("提出处罚建议")).Next(this.route)
    route = (
        flow.Switch()
        .Annotation(title=_("按案件状态分派"))
        .Case(this.approve_filing, _stage("approve_filing"))
        .Case(this.investigate, _stage("investigate"))
        .Case(this.notify, _stage("notify"))
        .Case(this.wait_party, _stage("wait_party"))
        .Case(this.prepare_decision, _stage("prepare_decision"))
        .Case(this.hold_hearing, _stage("hold_hearing"))
        .Case(this.legal_review, _stage("legal_review"))
        .Case(this.deliberate, _stage("deliberate"))
        .Case(this.decide, _stage("decide"))
        .Case(this.serve, _stage("serve"))
        .Case(this.disclose, _stage("disclose"))
        .Case(this.record_payment, _stage("record_payment"))
        .Case(this.approve_closing, _stage("approve_closing"))
        .Default(this.end)
    )
    approve_filing = _penalty_task(_("立案审批"), _("承办部室负责人审批立案，指定两名以上承办人员"),
                                   lambda a: _office(a, "head_permission"))
    investigate = _penalty_task(_("调查取证"), _("承办人员调查取证，确定违法事实、证据和处罚依据"),
                                _officers)
    notify = _penalty_task(_("处罚告知"), _("制发行政处罚告知书，符合条件的同时告知听证权利"),
                           _officers)
    wait_party = flow.Handle().Annotation(title=_("等待当事人陈述申辩、申请听证")).Next(this.route)
    prepare_decision = _penalty_task(_("拟定处理意见"), _("陈述申辩期满，提交法制审核或决定"),
                                     _officers)
    hold_hearing = _penalty_task(_("组织听证"), _("提前七个工作日通知并举行听证，制作听证笔录"),
                                 _officers)
    legal_review = _penalty_task(_("法制审核"), _("法制办审核（行政处罚法第五十八条）"), "workflow.legal")
    deliberate = _penalty_task(_("集体讨论"), _("负责人集体讨论决定（行政处罚法第五十七条）"),
                               lambda a: _office(a, "leader_permission"))
    decide = _penalty_task(_("作出处罚决定"), _("分管负责人作出行政处罚决定或不予处罚"),
                           lambda a: _office(a, "leader_permission"))
    serve = _penalty_task(_("送达"), _("七个工作日内送达并制作送达回执"), _officers)
    disclose = _penalty_task(_("行政执法公示"), _("七个工作日内公示处罚决定"), _officers)
    record_payment = _penalty_task(_("执行"), _("登记罚款缴纳（含加处罚款）"), _officers)
    approve_closing = _penalty_task(_("结案审批"), _("承办部室负责人审批结案"), lambda a: _office(a, "head_permission"))
    end = flow.End().Annotation(title=_("结案"))

    def start_case(self, activation, case):
        activation.process.case = case
        return activation.process


class BlacklistFlow(flow.Flow):
    process_class = BlacklistProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("黑名单与关闭提请")
    process_description = _("屡罚不改企业列入黑名单或提请关闭，由负责人审批")
    process_summary_template = SUMMARY

    start = flow.StartHandle(this.start_entry).Annotation(title=_("提出列入建议")).Next(this.approve)
    approve = (
        TaskView(task_page)
        .Annotation(title=_("审批列入黑名单"), summary_template=SUMMARY)
        .Permission("workflow.leader")
        .Next(this.end)
    )
    end = flow.End()

    def start_entry(self, activation, entry):
        activation.process.entry = entry
        return activation.process
