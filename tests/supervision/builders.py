"""Builders for supervision tests: real services, dates chosen by the test."""

import datetime
from zoneinfo import ZoneInfo

from enterprises import services as ent_services
from enterprises.flows import AssignmentFlow
from enterprises.models import AssignmentChange
from supervision import services as sv_services
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
        effective_from=effective_from or datetime.date.today() - datetime.timedelta(days=40), reason="年度重点管控企业",
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


# --- dates and records for duty tests -------------------------------------------------------------------------

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date


def go(time_machine, day, hour=10):
    """Move the frozen clock (time_machine fixture) to `day` at `hour` in the park's time zone."""
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def visit(ent, on, *, led_by, participants=(), recorder=None, summary="检查安全生产主体责任落实情况", **kwargs):
    return sv_services.visit_record(user=user(recorder or led_by), enterprise=ent, visited_on=on,
                                    led_by=user(led_by), participants=[user(p) for p in participants],
                                    summary=summary, **kwargs)


def meeting(on, *, chaired_by, attendees, kind="study", on_behalf_of=None, title="安全生产形势分析会",
            minutes="分析本季度安全生产形势，部署重点工作。", recorder=None):
    return sv_services.meeting_record(user=user(recorder or chaired_by), kind=kind, title=title, held_on=on,
                                      chaired_by=user(chaired_by), attendees=[user(a) for a in attendees],
                                      minutes=minutes, on_behalf_of=user(on_behalf_of) if on_behalf_of else None)


def report(on, *, reporter, received_by="xiaopeiming", summary="汇报本季度分管领域安全生产履职情况。"):
    return sv_services.report_record(user=user(reporter), reporter=user(reporter), received_by=user(received_by),
                                     reported_on=on, summary=summary)


def rows(duties, code):
    """The duties of one rule as {(period start, person): duty}."""
    return {(d.start, d.person): d for d in duties if d.rule.code == code}


def outcome(duties, code):
    """{(period start, person, enterprise): (done, required, status)} of one rule, for exact comparisons."""
    return {(d.start, d.person, d.enterprise_name): (d.done, d.required, d.status) for d in duties
            if d.rule.code == code}
