"""Real concurrency on PostgreSQL: one approval wins, one pending change per enterprise, each reminder once."""

import datetime

import pytest
from django.core import mail

from enterprises import services as ent_services
from enterprises.models import AssignmentChange, ResponsibleAssignment
from supervision import reminders
from supervision.models import Reminder
from tests import factories as f
from tests.supervision.builders import approve_task, designate, staff
from tests.workflow.test_concurrency import _race
from workflow.engine import ActionRefused, TaskClosed
from workflow.models import Notice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def seeded_tables(db):
    """A transactional test starts from tables flushed by the one before: seed the rule tables again."""
    import importlib

    from django.apps import apps

    for module in ("supervision.migrations.0002_seed_rules", "enterprises.migrations.0004_seed_cadence"):
        importlib.import_module(module).seed(apps, None)


def _propose(**extra):
    return ent_services.assignment_propose(
        user=f.user("officehead"), enterprise=f.enterprise(), kind=AssignmentChange.Kind.DESIGNATE,
        effective_from=datetime.date.today(), reason="列入重点管控", administrative_staff=staff("supervisor"),
        regulator_staff=staff("officehead"), enterprise_person="李国强", enterprise_phone="13800000001", **extra)


def test_two_leaders_approving_the_same_designation_one_wins_and_one_board_is_issued(committee):
    change = _propose()
    task_id = approve_task(change)
    leaders = [f.user("xiaopeiming"), f.user("supervisor")]
    outcomes = _race(2, lambda i: ent_services.assignment_decide(user=leaders[i], task_id=task_id, approve=True))
    assert sum(o[0] == "ok" for o in outcomes) == 1, outcomes
    assert all(isinstance(o[1], TaskClosed) for o in outcomes if o[0] == "error"), outcomes
    assert ResponsibleAssignment.objects.filter(enterprise=change.enterprise).count() == 3
    assert Notice.objects.filter(kind="listing_board", enterprise=change.enterprise).count() == 1


def test_two_proposals_for_one_enterprise_at_once_leave_one_pending_change(committee):
    outcomes = _race(4, lambda i: _propose())
    assert sum(o[0] == "ok" for o in outcomes) == 1, outcomes
    assert all(isinstance(o[1], ActionRefused) for o in outcomes if o[0] == "error"), outcomes
    assert AssignmentChange.objects.filter(enterprise=f.enterprise(), state="submitted").count() == 1


def test_two_reminder_jobs_at_once_send_each_reminder_once(committee):
    designate(effective_from=datetime.date.today() - datetime.timedelta(days=70))
    leader = f.user("supervisor")
    leader.email = "huang@park.example"
    leader.save()
    outcomes = _race(3, lambda i: reminders.run())
    assert all(o[0] == "ok" for o in outcomes), outcomes
    created = sum(o[1][0] for o in outcomes)
    assert created == Reminder.objects.count() > 0
    keys = list(Reminder.objects.values_list("user_id", "key"))
    assert len(keys) == len(set(keys))
    mine = Reminder.objects.filter(user=leader).count()
    assert len([m for m in mail.outbox if m.to == ["huang@park.example"]]) == mine
