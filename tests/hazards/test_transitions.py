"""Every transition: allowed from its source, refused elsewhere with a Chinese message, state unchanged."""

import datetime

import pytest
from django.db import transaction
from django.core.exceptions import PermissionDenied
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from hazards import services
from hazards.flows import RectificationFlow
from hazards.models import Hazard, HazardState, Inspection
from tests import factories as f
from workflow.engine import ActionRefused, TaskClosed
from workflow.models import AuditEntry, Notice


def _states(case):
    return list(Hazard.objects.filter(inspection=case).order_by("number").values_list("state", flat=True))


@pytest.mark.parametrize("method,source,args", [
    ("order_rectification", "recorded", ()),
    ("submit_proof", "rectifying", ()),
    ("approve_closure", "closure_review", ()),
    ("pass_reinspection", "proof_submitted", ()),
    ("submit_plan", "awaiting_plan", ()),
])
def test_each_hazard_transition_runs_only_from_its_source(method, source, args):
    for state in HazardState.values:
        hazard = Hazard(state=state)
        transition = getattr(hazard, method)
        allowed = state == source or (method == "pass_reinspection" and state == "rectifying")
        if allowed:
            transition(*args)
            assert hazard.state != state or method == "extend_deadline"
        else:
            with pytest.raises(TransitionNotAllowed):
                transition(*args)
            assert hazard.state == state


def test_the_state_field_cannot_be_assigned_directly():
    hazard = Hazard(state="recorded")
    with pytest.raises(AttributeError):
        hazard.state = "closed"


def test_a_stale_concurrent_transition_is_refused(committee):
    case = f.ordered(items=1)
    first = Hazard.objects.get(inspection=case)
    stale = Hazard.objects.get(pk=first.pk)
    first.submit_proof()
    first.save()
    stale.extend_deadline(datetime.date(2030, 1, 1))
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    assert Hazard.objects.get(pk=first.pk).state == "proof_submitted"


def test_proof_is_refused_before_the_order_is_approved_and_nothing_is_written(committee):
    case = f.submitted(items=1)
    hazard = case.hazards.get()
    before = AuditEntry.objects.count()
    with pytest.raises(ActionRefused, match="不能提交整改佐证"):
        services.proof_submit(user=f.user("enterprise"), hazard=hazard, report="已整改", files=[f.photo()])
    assert _states(case) == ["recorded"]
    assert AuditEntry.objects.count() == before
    assert hazard.proofs.count() == 0 and hazard.attachments.filter(purpose="proof").count() == 0


def test_a_reinspection_is_refused_before_any_proof_or_deadline(committee):
    case = f.ordered(items=1)
    from workflow.engine import open_human_task

    assert open_human_task(case.process, RectificationFlow.reinspect) is None
    assert _states(case) == ["rectifying"]


def test_a_task_completed_twice_is_refused_the_second_time(committee):
    case = f.submitted(items=1)
    task_id = f.task_id(case, RectificationFlow.approve_order)
    services.order_decide(user=f.user("officehead"), task_id=task_id, approve=True)
    notices = Notice.objects.count()
    with pytest.raises(TaskClosed, match="已由他人处理完毕"):
        services.order_decide(user=f.user("officehead"), task_id=task_id, approve=True)
    assert Notice.objects.count() == notices
    assert Inspection.objects.get(pk=case.pk).state == "rectifying"


def test_only_the_responsible_office_head_approves_the_order(committee):
    case = f.submitted(items=1)
    task_id = f.task_id(case, RectificationFlow.approve_order)
    for outsider in ("inspector", "buildhead", "legal", "enterprise"):
        with pytest.raises(PermissionDenied):
            services.order_decide(user=f.user(outsider), task_id=task_id, approve=True)
    assert Inspection.objects.get(pk=case.pk).state == "order_review"


def test_an_extension_after_the_deadline_is_refused(committee, today):
    case = f.ordered(items=1)
    hazard = case.hazards.get()
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today - datetime.timedelta(days=1))
    with pytest.raises(ActionRefused, match="整改期限已届满"):
        services.extension_request(user=f.user("enterprise"), hazard=Hazard.objects.get(pk=hazard.pk),
                                   requested_deadline=today + datetime.timedelta(days=10), reason="设备未到货")
    assert hazard.extension_requests.count() == 0


def test_an_approved_extension_moves_the_deadline(committee, in_days):
    case = f.ordered(items=1)
    hazard = case.hazards.get()
    request = services.extension_request(user=f.user("enterprise"), hazard=hazard,
                                         requested_deadline=hazard.deadline + datetime.timedelta(days=7),
                                         reason="设备未到货")
    with pytest.raises(ActionRefused, match="请勿重复提交"):
        services.extension_request(user=f.user("enterprise"), hazard=hazard,
                                   requested_deadline=hazard.deadline + datetime.timedelta(days=9), reason="再次")
    from hazards.flows import ExtensionFlow
    from workflow.engine import open_human_task

    task = open_human_task(request.process, ExtensionFlow.decide)
    with pytest.raises(PermissionDenied):
        services.extension_decide(user=f.user("inspector"), task_id=task.pk, approve=True)
    services.extension_decide(user=f.user("officehead"), task_id=task.pk, approve=True, comment="同意")
    hazard.refresh_from_db()
    assert hazard.deadline == request.requested_deadline
    assert hazard.state == "rectifying"


def test_two_inspectors_at_least(committee):
    with pytest.raises(ActionRefused, match="不得少于两名执法人员"):
        services.inspection_create(user=f.user("inspector"), enterprise=f.enterprise(),
                                   sector=f.enterprise().sectors.first(), inspectors=[f.user("inspector")],
                                   place="车间", enterprise_representative="李国强")
    assert Inspection.objects.count() == 0


def test_a_refused_signature_needs_a_note(committee):
    with pytest.raises(ActionRefused, match="拒签情况"):
        services.inspection_create(user=f.user("inspector"), enterprise=f.enterprise(),
                                   sector=f.enterprise().sectors.first(),
                                   inspectors=[f.user("inspector"), f.user("inspector2")], place="车间",
                                   enterprise_representative="李国强", signature="refused")


def test_overdue_items_are_sent_to_reinspection_by_the_daily_job(committee, today):
    case = f.ordered(items=1)
    hazard = case.hazards.get()
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today - datetime.timedelta(days=1))
    assert Hazard.objects.get(pk=hazard.pk).is_overdue
    moved = services.deadlines_check()
    assert [c.pk for c in moved] == [case.pk]
    assert services.deadlines_check() == []  # run twice: moved once
    case = Inspection.objects.get(pk=case.pk)
    with pytest.raises(ActionRefused, match="不能判定为合格"):
        services.reinspection_record(user=f.user("inspector2"), task_id=f.task_id(case, RectificationFlow.reinspect),
                                     co_inspectors=[f.user("inspector")], results={hazard.pk: (True, "", None)})
    f.reinspected(case, passed=False)
    hazard.refresh_from_db()
    assert hazard.state == "rectifying" and hazard.deadline > today


def test_dates_far_off_are_refused_as_typing_errors(committee, in_days):
    case = f.inspection()
    with pytest.raises(ActionRefused, match="整改期限不能超过一年"):
        f.hazard(case, deadline=in_days(800))
    hazard = f.ordered(items=1).hazards.get()
    with pytest.raises(ActionRefused, match="延期不能超过一年"):
        services.extension_request(user=f.user("enterprise"), hazard=hazard,
                                   requested_deadline=hazard.deadline + datetime.timedelta(days=400), reason="设备")
    assert hazard.extension_requests.count() == 0


def test_general_items_are_reinspected_while_a_major_items_plan_is_still_awaited(committee):
    from workflow.engine import open_human_task

    case = f.ordered(items=2, level="major")  # item 1 major (awaiting its plan), item 2 general
    major, general = case.hazards.order_by("number")
    assert (major.state, general.state) == ("awaiting_plan", "rectifying")
    services.proof_submit(user=f.user("enterprise"), hazard=general, report="已整改", files=[f.photo()])
    case = Inspection.objects.get(pk=case.pk)
    assert open_human_task(case.process, RectificationFlow.reinspect) is not None
    assert [h.pk for h in services.hazards_due_for_reinspection(case)] == [general.pk]
    f.reinspected(case, passed=True)
    assert Hazard.objects.get(pk=major.pk).state == "awaiting_plan"
    assert Hazard.objects.get(pk=general.pk).state == "closure_review"
