"""Chinese labels for viewflow list columns that it builds from attribute names.

viewflow 2.4 builds these list column headers from attribute names via pretty_name(), and names flow nodes
by node.name.title() ("Approve Order"), both without gettext, so no .po entry can translate them.
"""
from django.utils.translation import gettext_lazy as _


def label_viewflow_list_columns():
    from viewflow.workflow.flow.views import dashboard, filters, list as lists
    from viewflow.workflow.models import Process, Task

    Task.brief.fget.short_description = _("摘要")
    Process.brief.fget.short_description = _("摘要")
    lists.WorkflowTaskListView.process_brief.short_description = _("流程摘要")
    lists.WorkflowInboxListView.created.short_description = _("创建时间")
    lists.FlowArchiveListView.process_summary.short_description = _("流程摘要")
    dashboard.DashboardProcessListView.process_id.short_description = _("编号")
    dashboard.DashboardProcessListView.active_tasks.short_description = _("进行中的任务")
    dashboard.DashboardTaskListView.process_summary.short_description = _("流程摘要")

    # /workflow/flows/<flow>/tasks/: show the node's annotated title instead of its python name
    def flow_task(self, task):
        return task.flow_task.task_title or str(task.flow_task)

    flow_task.short_description = _("任务")
    dashboard.DashboardTaskListView.flow_task = flow_task

    def get_queryset_flow_task_choices(queryset):
        from viewflow.workflow.fields import get_task_ref

        tasks = queryset.order_by("flow_task").values_list("flow_task", flat=True).distinct()
        return [(get_task_ref(t), "{}/{}".format(t.flow_class.process_title, t.task_title or t)) for t in tasks]

    filters.get_queryset_flow_task_choices = get_queryset_flow_task_choices
