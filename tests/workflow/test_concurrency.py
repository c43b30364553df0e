"""Real concurrency on PostgreSQL: one completion wins, notice numbers never collide or skip."""

import threading

import pytest
from django.db import close_old_connections, connection

from hazards import services
from hazards.flows import RectificationFlow
from hazards.models import Inspection
from tests import factories as f
from viewflow.workflow.models import Task
from workflow import notices
from workflow.engine import TaskClosed
from workflow.models import Notice, Office

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, work):
    barrier = threading.Barrier(n)
    outcomes = [None] * n

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = ("ok", work(i))
        except Exception as exc:  # noqa: BLE001 - the outcome is what is asserted
            outcomes[i] = ("error", exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_eight_people_completing_the_same_task_one_wins_and_the_process_does_not_fork(committee):
    case = f.submitted(items=2)
    task_id = f.task_id(case, RectificationFlow.approve_order)
    head = f.user("officehead")
    outcomes = _race(8, lambda i: services.order_decide(user=head, task_id=task_id, approve=True, comment=str(i)))
    wins = [o for o in outcomes if o[0] == "ok"]
    losses = [o[1] for o in outcomes if o[0] == "error"]
    assert len(wins) == 1, outcomes
    assert all(isinstance(e, TaskClosed) for e in losses), losses
    process = Inspection.objects.get(pk=case.pk).process
    open_tasks = Task.objects.filter(process=process, status__in=["NEW", "ASSIGNED"])
    assert [t.flow_task.name for t in open_tasks] == ["wait_proof"]
    assert Notice.objects.filter(inspection=case, kind="rectification_order").count() == 1


def test_thirty_two_notices_issued_at_once_are_numbered_uniquely_and_contiguously(committee):
    case = f.inspection()
    office = Office.objects.get(name="安全生产部")
    user = f.user("inspector")

    def issue(i):
        from django.db import transaction

        with transaction.atomic():
            return notices.issue(kind="rectification_order", office=office, enterprise=case.enterprise,
                                 issued_by=user, inspection=case, context={"i": i}).serial

    outcomes = _race(32, issue)
    assert all(o[0] == "ok" for o in outcomes), outcomes
    serials = sorted(o[1] for o in outcomes)
    assert serials == list(range(1, 33))
    assert Notice.objects.filter(kind="rectification_order").values("number").distinct().count() == 32


def test_a_stale_concurrent_transition_is_refused_on_postgres(committee):
    case = f.ordered(items=1)
    hazard = case.hazards.get()
    enterprise = f.user("enterprise")

    outcomes = _race(4, lambda i: services.proof_submit(user=enterprise, hazard=hazard, report=str(i),
                                                        files=[f.photo()]))
    assert sum(o[0] == "ok" for o in outcomes) == 1, outcomes
    assert hazard.proofs.count() == 1
    hazard.refresh_from_db()
    assert hazard.state == "proof_submitted"


def test_two_officers_acting_on_the_same_penalty_case_never_both_succeed(committee):
    from hazards import penalty_services as ps
    from hazards.flows import PenaltyFlow
    from hazards.models import LegalProvision, PenaltyCase

    provision, _ = LegalProvision.objects.get_or_create(code="aqsf-102", defaults=dict(
        title="安全生产法第一百零二条", violation="未采取措施消除事故隐患", penalty_text="处五万元以下的罚款",
        org_fine_min=1, org_fine_max=50000))
    case = f.filed(ps.penalty_propose(user=f.user("inspector"), enterprise=f.enterprise(), cause="未消除事故隐患"))
    task_id = f.penalty_task(case, PenaltyFlow.investigate)
    officers = [f.user("inspector"), f.user("inspector2")]
    outcomes = _race(2, lambda i: ps.investigation_record(user=officers[i], task_id=task_id, facts=f"事实{i}",
                                                          evidence="证据", provision=provision))
    assert sum(o[0] == "ok" for o in outcomes) == 1, outcomes
    assert all(isinstance(o[1], TaskClosed) for o in outcomes if o[0] == "error"), outcomes
    case = PenaltyCase.objects.get(pk=case.pk)
    assert case.state == "investigating"
    open_tasks = Task.objects.filter(process=case.process, status__in=["NEW", "ASSIGNED"])
    assert [t.flow_task.name for t in open_tasks] == ["notify"]
