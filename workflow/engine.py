"""Completing viewflow tasks from service functions, under the flow lock, with the acting user checked.

viewflow's own activation methods check nothing; its web views do. Services call these helpers instead,
so the pages and the API share one path and one set of checks.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED)


class TaskClosed(Exception):
    """The task was completed or cancelled by someone else first."""


class ActionRefused(Exception):
    """A business rule refuses the action; the message is shown to the user."""


def user_may_act(user, task):
    if task.owner_id:
        return task.owner_id == user.pk
    if not task.owner_permission:
        return False  # every human task must name who may act
    return user.has_perm(task.owner_permission)


def open_human_task(process, node):
    return (
        Task.objects.filter(process=process, flow_task=node, status__in=OPEN_STATUSES)
        .order_by("-id").first()
    )


def complete_human_task(*, task_id, user, nodes, action, take_over=None):
    """Lock the process, check the task is open and the user may act, run `action(task)`, finish the task.

    take_over(user, task) -> bool lets a superior act on a task another person has claimed.
    """
    try:
        task = Task.objects.select_related("process").get(pk=task_id)
    except Task.DoesNotExist:
        raise TaskClosed(_("任务不存在。")) from None
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = Task.objects.select_for_update().select_related("process").get(pk=task_id)
        node = task.flow_task
        if node not in nodes:
            raise ActionRefused(_("此任务不是该操作对应的环节。"))
        if task.status not in OPEN_STATUSES:
            raise TaskClosed(_("该任务已由他人处理完毕，请刷新页面。"))
        taking_over = take_over is not None and take_over(user, task)
        if not (user_may_act(user, task) or taking_over):
            raise PermissionDenied(_("您无权处理此任务。"))
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(user)
        elif task.owner_id != user.pk:
            activation.reassign(user)
        activation.start(None)
        result = action(task)
        activation.execute()
    return result


def complete_handle(*, process, node):
    """Complete the open handle task of `node` (a wait for something outside the flow), if there is one."""
    task = Task.objects.filter(process=process, flow_task=node, status=STATUS.NEW).first()
    if task is not None:
        node.run(task)
    return task is not None
