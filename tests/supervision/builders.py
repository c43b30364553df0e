"""Builders for supervision tests: real services, dates chosen by the test."""

import datetime

from enterprises import services as ent_services
from enterprises.flows import AssignmentFlow
from enterprises.models import AssignmentChange
from tests.factories import enterprise, user
from workflow.engine import open_human_task
from workflow.models import Staff


def staff(username):
    return Staff.objects.get(user__username=username)


def approve_task(change):
    task = open_human_task(change.process, AssignmentFlow.approve)
    assert task is not None
    return task.pk


def designate(ent=None, *, admin="supervisor", regulator="officehead", person="李国强", phone="13800000001",
              effective_from=None, proposer="officehead", approver="xiaopeiming"):
    ent = ent or enterprise()
    change = ent_services.assignment_propose(
        user=user(proposer), enterprise=ent, kind=AssignmentChange.Kind.DESIGNATE,
        effective_from=effective_from or datetime.date.today(), reason="年度重点管控企业",
        administrative_staff=staff(admin), regulator_staff=staff(regulator), enterprise_person=person,
        enterprise_position="总经理", enterprise_phone=phone)
    return ent_services.assignment_decide(user=user(approver), task_id=approve_task(change), approve=True)


def change_holder(ent, *, effective_from, admin=None, regulator=None, person="", phone="", proposer="officehead",
                  approver="xiaopeiming"):
    change = ent_services.assignment_propose(
        user=user(proposer), enterprise=ent, kind=AssignmentChange.Kind.CHANGE, effective_from=effective_from,
        reason="人员调整", administrative_staff=staff(admin) if admin else None,
        regulator_staff=staff(regulator) if regulator else None, enterprise_person=person, enterprise_phone=phone)
    return ent_services.assignment_decide(user=user(approver), task_id=approve_task(change), approve=True)
