"""Reminders: due soon, overdue, presence at key moments, key enterprises' hazards; each sent once."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from hazards import services as hazard_services
from hazards.flows import RectificationFlow
from supervision import reminders
from supervision.models import PresenceDuty, PresenceRequest, Reminder
from tests import factories as f
from tests.supervision import builders as b
from tests.supervision.builders import D
from workflow.models import AuditEntry

pytestmark = pytest.mark.usefixtures("committee")

HENGDA = f.HENGDA


@pytest.fixture(autouse=True)
def no_pdf(monkeypatch):
    """Notices render after commit; the reminders under test do not need the PDFs."""
    monkeypatch.setattr("workflow.notices._enqueue_render", lambda notice_id: None)


def _email(*usernames):
    for name in usernames:
        u = f.user(name)
        u.email = f"{name}@park.example"
        u.save(update_fields=["email"])


def _of(username, **filters):
    return set(Reminder.objects.filter(user=f.user(username), **filters).values_list("kind", "message"))


def _per_user():
    counts = {}
    for username in Reminder.objects.values_list("user__username", flat=True):
        counts[username] = counts.get(username, 0) + 1
    return counts


# --- duties due soon and overdue -----------------------------------------------------------------------------

def test_duty_reminders_are_created_and_mailed_once(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 3, 28))
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 2, 1))
    b.visit(hengda, D(2026, 3, 20), led_by="officehead")  # 刘建华 has kept March: no reminder for it
    _email("supervisor")

    created, mailed = reminders.run()

    # Hand count, 28 March (month ends in 3 days < 5, quarter in 3 days < 10; previous month February, previous
    # quarter 2025 Q4; the designation began 1 February so no 2025 half-year duty):
    # 黄国栋: March admin check, led check, study due soon + the same three for February overdue = 6
    # 刘建华: February check overdue = 1 (March kept)
    # 肖培明: March led check + Q1 meeting, study, heard report due soon; the same four for Feb/Q4 overdue = 8
    # 邓波, 丁荣华, 李德重, 陈煦龙: March led check + Q1 study, report due soon; the same for Feb/Q4 = 6 each
    assert _per_user() == {"supervisor": 6, "officehead": 1, "xiaopeiming": 8, "dengbo": 6, "dingronghua": 6,
                           "lidezhong": 6, "chenxulong": 6}
    assert (created, mailed) == (39, 6)  # only 黄国栋 has an e-mail address
    assert _of("supervisor") == {
        ("due_soon", "2026年3月须于2026-03-31前完成：每月至少开展1次检查指导（重庆市黔江区恒达机械制造有限公司）（已完成0/1）"),
        ("due_soon", "2026年3月须于2026-03-31前完成：每月至少带队检查1次安全生产工作（已完成0/1）"),
        ("due_soon", "2026年3月须于2026-03-31前完成：每月至少研究分析1次安全生产工作形势（已完成0/1）"),
        ("overdue", "2026年2月未完成：每月至少开展1次检查指导（重庆市黔江区恒达机械制造有限公司）（完成0/1）"),
        ("overdue", "2026年2月未完成：每月至少带队检查1次安全生产工作（完成0/1）"),
        ("overdue", "2026年2月未完成：每月至少研究分析1次安全生产工作形势（完成0/1）"),
    }
    assert _of("officehead") == {
        ("overdue", "2026年2月未完成：每月至少开展1次检查指导（重庆市黔江区恒达机械制造有限公司）（完成0/1）")}
    assert ("due_soon", "2026年第一季度须于2026-03-31前完成：每季度主持或委托召开1次安全生产工作会议（已完成0/1）") in \
        _of("xiaopeiming")
    assert ("overdue", "2025年第四季度未完成：每季度向主要负责人专题汇报1次履职情况（完成0/1）") in _of("dengbo")

    assert len(mail.outbox) == 6
    assert {m.to[0] for m in mail.outbox} == {"supervisor@park.example"}
    assert sorted(m.subject for m in mail.outbox) == ["【隐患闭环整改系统】即将到期"] * 3 + ["【隐患闭环整改系统】已逾期"] * 3
    assert all(m.body.endswith("\nhttp://park.example/supervision/") for m in mail.outbox)
    assert Reminder.objects.filter(user=f.user("supervisor"), emailed_at__isnull=True).count() == 0

    assert reminders.run() == (0, 0)
    b.go(time_machine, D(2026, 3, 29))
    assert reminders.run() == (0, 0)  # the next day: the same duties, nothing new
    assert len(mail.outbox) == 6 and Reminder.objects.count() == 39


def test_a_kept_duty_gets_no_reminder(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 3, 28))
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 3, 1))
    b.visit(hengda, D(2026, 3, 27), led_by="supervisor", participants=["officehead"])
    reminders.run()
    assert not any("恒达" in message for _kind, message in _of("supervisor") | _of("officehead"))
    assert _of("officehead") == set()


# --- a major hazard at a key enterprise ------------------------------------------------------------------------

def test_a_major_hazard_at_a_key_enterprise_calls_the_leads_and_warns_all_three(
        time_machine, django_capture_on_commit_callbacks):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 3, 10))  # a Tuesday
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 1, 1))
    _email("supervisor", "enterprise", "enterprise2")

    with django_capture_on_commit_callbacks(execute=True):
        case = f.ordered(items=1, level="major")
    hazard = case.hazards.get()

    request = PresenceRequest.objects.get()
    assert (request.enterprise, request.occasion, request.hazard, request.occurred_on, request.due_by) == (
        hengda, "major_hazard", hazard, D(2026, 3, 10), D(2026, 3, 13))  # three working days: Wed, Thu, Fri
    assert request.description == "发现重大事故隐患：隐患描述1"
    assert sorted(PresenceDuty.objects.filter(request=request).values_list("role", "person__username")) == [
        ("administrative", "supervisor"), ("regulator", "officehead")]
    assert AuditEntry.objects.filter(action="presence_requested", inspection_id=case.pk).count() == 1

    presence = ("presence", "重庆市黔江区恒达机械制造有限公司：发现重大事故隐患，请于2026-03-13前到场履职。")
    major = ("hazard", "重点管控企业重庆市黔江区恒达机械制造有限公司发现重大事故隐患：隐患描述1")
    assert _of("supervisor") == {presence, major}
    assert _of("officehead") == {presence, major}
    assert _of("enterprise") == {major}
    assert _of("enterprise2") == set() and _of("inspector") == set()
    assert Reminder.objects.get(user=f.user("supervisor"), kind="hazard").link == f"/cases/{case.pk}/"
    assert Reminder.objects.get(user=f.user("enterprise"), kind="hazard").link == f"/portal/hazards/{hazard.pk}/"
    assert Reminder.objects.get(user=f.user("supervisor"), kind="presence").link == "/supervision/presence/"
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("enterprise@park.example", "【隐患闭环整改系统】重点企业隐患"),
        ("supervisor@park.example", "【隐患闭环整改系统】重点企业隐患"),
        ("supervisor@park.example", "【隐患闭环整改系统】须到场履职"),
    ]

    # 黄国栋 goes the next day; 刘建华 does not come before the deadline
    b.go(time_machine, D(2026, 3, 11))
    b.visit(hengda, D(2026, 3, 11), led_by="supervisor", occasion="major_hazard")
    attended = dict(PresenceDuty.objects.filter(request=request).values_list("person__username", "visit"))
    assert attended["supervisor"] is not None and attended["officehead"] is None

    b.go(time_machine, D(2026, 3, 16))
    reminders.run()
    late = Reminder.objects.filter(key__startswith="presence-overdue")
    assert [(r.user.username, r.kind, r.message) for r in late] == [
        ("officehead", "overdue", "重庆市黔江区恒达机械制造有限公司：发现重大事故隐患，到场期限2026-03-13已过，尚未到场。")]
    assert Reminder.objects.filter(kind="presence").count() == 2 and Reminder.objects.filter(
        key__startswith="hazard-major").count() == 3  # not repeated


def test_a_general_hazard_overdue_at_a_key_enterprise_warns_all_three(time_machine):
    hengda = f.enterprise()
    b.go(time_machine, D(2026, 3, 10))
    b.designate(hengda, admin="supervisor", regulator="officehead", effective_from=D(2026, 1, 1))
    case = f.inspection(ent=hengda)
    f.hazard(case, deadline=D(2026, 3, 20))
    hazard_services.inspection_submit(user=f.user("inspector"), inspection=case)
    hazard_services.order_decide(user=f.user("officehead"), task_id=f.task_id(case, RectificationFlow.approve_order),
                                 approve=True, comment="同意")
    assert PresenceRequest.objects.count() == 0  # a general hazard calls nobody to the site

    b.go(time_machine, D(2026, 3, 20))
    reminders.run()
    assert Reminder.objects.filter(kind="hazard").count() == 0  # the deadline day itself is not late

    b.go(time_machine, D(2026, 3, 23))
    reminders.run()
    text = "重点管控企业重庆市黔江区恒达机械制造有限公司的隐患已逾期（整改期限2026-03-20）：配电箱未设置漏电保护装置"
    late = sorted(Reminder.objects.filter(kind="hazard").values_list("user__username", "message"))
    assert late == [("enterprise", text), ("officehead", text), ("supervisor", text)]
    reminders.run()
    assert Reminder.objects.filter(kind="hazard").count() == 3


def test_a_non_key_enterprise_gets_no_presence_and_no_hazard_reminders(
        time_machine, django_capture_on_commit_callbacks):
    b.go(time_machine, D(2026, 3, 10))
    _email("enterprise", "supervisor", "officehead")
    with django_capture_on_commit_callbacks(execute=True):
        f.ordered(items=1, level="major")
    assert PresenceRequest.objects.count() == 0
    b.go(time_machine, D(2026, 6, 1))  # long after any deadline
    reminders.run()
    assert Reminder.objects.filter(kind__in=["hazard", "presence"]).count() == 0
    subjects = {m.subject for m in mail.outbox}  # 黄国栋's own overdue leader duties may be mailed, nothing else
    assert subjects <= {"【隐患闭环整改系统】已逾期", "【隐患闭环整改系统】即将到期"}


def test_the_daily_command_reports_what_it_did(time_machine):
    b.go(time_machine, D(2026, 3, 28))
    b.designate(f.enterprise(), admin="supervisor", regulator="officehead", effective_from=D(2026, 3, 1))
    _email("officehead")
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    # as in the first test (39), but designated from March: no February check overdue for 黄国栋 (-1) nor 刘建华
    # (-1), and 刘建华's March check is due soon (+1) = 38; 刘建华's one reminder is mailed
    assert out.getvalue().strip() == "38 reminders created, 1 e-mailed"
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "0 reminders created, 0 e-mailed"
