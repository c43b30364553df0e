"""Routing of a three-responsible-persons designation or change to the leader who approves it."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from hazards.flows import SUMMARY, TaskView, task_page

from .models import AssignmentProcess

APPROVER_PERMISSION = "workflow.supervision_approver"


class AssignmentFlow(flow.Flow):
    process_class = AssignmentProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    process_title = _("三个责任人确定与调整")
    process_description = _("提出三个责任人人选或调整，由主要负责人或分管安全生产负责人审批后挂牌公示")
    process_summary_template = SUMMARY

    start = flow.StartHandle(this.start_change).Annotation(title=_("提出责任人人选")).Next(this.approve)
    approve = (
        TaskView(task_page)
        .Annotation(title=_("审批三个责任人"), description=_("审批后生效并制发公示牌"), summary_template=SUMMARY)
        .Permission(APPROVER_PERMISSION)
        .Next(this.end)
    )
    end = flow.End()

    def start_change(self, activation, change):
        activation.process.change = change
        return activation.process
