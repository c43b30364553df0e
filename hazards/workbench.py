"""viewflow's inbox and queue, tuned for large offices: each row's case loaded in the same query, and no filter
that lists every process in the queue."""

from django_filters import ChoiceFilter, DateRangeFilter, FilterSet
from viewflow import viewprop
from viewflow.workflow.flow.views.filters import get_queryset_flow_task_choices
from viewflow.workflow.flow.views.list import WorkflowInboxListView, WorkflowQueueListView
from viewflow.workflow.flow.viewset import WorkflowAppViewset
from viewflow.workflow.models import Task

CASE_PATHS = [
    "process__rectificationprocess__inspection__enterprise",
    "process__rectificationprocess__inspection__office",
    "process__extensionprocess__extension_request__hazard__inspection__enterprise",
    "process__planprocess__plan__hazard__inspection__enterprise",
    "process__penaltyprocess__case__enterprise",
    "process__penaltyprocess__case__office",
    "process__blacklistprocess__entry__enterprise",
]


class TaskFilter(FilterSet):
    flow_task = ChoiceFilter()
    created = DateRangeFilter()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["flow_task"].field.choices = get_queryset_flow_task_choices(self.queryset)

    class Meta:
        model = Task
        fields = ("flow_task", "created")


def with_cases(queryset):
    return queryset.select_related(*CASE_PATHS)


class InboxView(WorkflowInboxListView):
    filterset_class = TaskFilter

    @viewprop
    def queryset(self):
        return with_cases(self.model._default_manager.inbox(self.flow_classes, self.request.user))


class QueueView(WorkflowQueueListView):
    filterset_class = TaskFilter

    @viewprop
    def queryset(self):
        return with_cases(self.model._default_manager.queue(self.flow_classes, self.request.user))


class Workbench(WorkflowAppViewset):
    inbox_view_class = InboxView
    queue_view_class = QueueView
