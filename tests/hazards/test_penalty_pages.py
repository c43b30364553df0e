"""The penalty loop (行政处罚) through the pages, as each person would work it."""

import datetime
import re

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hazards import penalty_services as ps
from hazards.flows import BlacklistFlow, PenaltyFlow, RectificationFlow
from hazards.models import BlacklistEntry, PartyStatement, PenaltyCase
from tests import factories as f
from workflow.engine import open_human_task
from workflow.models import AuditEntry, Notice

D = datetime.date


def at(day, hour=10):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone()), tick=False)


def _task(case, node):
    return f.penalty_task(PenaltyCase.objects.get(pk=case.pk), node)


def _state(case):
    return PenaltyCase.objects.get(pk=case.pk).state


def _kinds(case):
    return sorted(Notice.objects.filter(penalty_case=case).values_list("kind", flat=True))


def _run_out_the_rights_periods(case, today):
    yesterday = today - datetime.timedelta(days=1)
    PenaltyCase.objects.filter(pk=case.pk).update(statement_due=yesterday, hearing_request_due=yesterday)
    ps.penalty_deadlines_check()


def test_a_failed_reinspection_is_driven_to_closing_through_the_pages(client_for, users, today, in_days):
    inspector, head, supervisor, ent = (client_for("inspector"), client_for("officehead"), client_for("supervisor"),
                                        client_for("enterprise"))

    # the re-inspection fails on the page: a penalty case is proposed to the office head
    inspection = f.ordered(items=1)
    f.prove(inspection)
    hazard = inspection.hazards.get()
    r = client_for("inspector2").post(f"/tasks/{f.task_id(inspection, RectificationFlow.reinspect)}/", {
        "co_inspectors": [users["inspector"].pk], "notes": "现场复查", f"result_{hazard.pk}": "fail",
        f"comment_{hazard.pk}": "漏电保护器仍未安装", f"deadline_{hazard.pk}": in_days(10).isoformat()})
    assert r.status_code == 302
    case = PenaltyCase.objects.get(hazard=hazard)
    assert (case.state, case.origin) == ("proposed", "reinspection_failed")
    body = head.get("/penalties/").content.decode()
    assert case.cause in body and f"/penalties/{case.pk}/" in body

    # filing: another office's head and an inspector may not; the office head names two officers
    task = _task(case, PenaltyFlow.approve_filing)
    assert client_for("buildhead").get(f"/tasks/{task}/").status_code == 403
    assert client_for("buildhead").post(f"/tasks/{task}/", {"decision": "approve"}).status_code == 403
    assert inspector.get(f"/tasks/{task}/").status_code == 403
    r = head.get(f"/tasks/{task}/")
    assert r.status_code == 200 and "立案审批" in r.content.decode() and "陈思远" in r.content.decode()
    r = head.post(f"/tasks/{task}/", {"decision": "approve", "officers": [users["inspector"].pk]})
    assert r.status_code == 200 and "执法人员不得少于两人" in r.content.decode()
    assert _state(case) == "proposed"
    officers = [users["inspector"].pk, users["inspector2"].pk]
    r = head.post(f"/tasks/{task}/", {"decision": "approve", "officers": officers, "comment": "同意立案"})
    assert r.status_code == 302 and r.url == f"/penalties/{case.pk}/"
    assert _state(case) == "filed" and _kinds(case) == ["case_filing"]

    # investigation: the office head also sees the revoke form, the inspector does not
    task = _task(case, PenaltyFlow.investigate)
    body = inspector.get(f"/tasks/{task}/").content.decode()
    assert "安全生产法第一百零二条" in body and "对单位罚款 1 至 50,000 元" in body
    assert 'value="revoke"' not in body
    assert 'value="revoke"' in head.get(f"/tasks/{task}/").content.decode()
    r = inspector.post(f"/tasks/{task}/", {
        "action": "investigate", "facts": "复查发现配电箱仍未设置漏电保护装置", "evidence": "现场检查记录、复查意见书、照片",
        "provision": f.provision("aqsf-102").pk, "responsible_person": ""})
    assert r.status_code == 302
    assert _state(case) == "investigating"

    # notification: outside the provision's range is refused on the page, inside it the notice is issued
    task = _task(case, PenaltyFlow.notify)
    r = inspector.post(f"/tasks/{task}/", {"action": "notify", "org_fine": "80000", "person_fine": "0"})
    assert r.status_code == 200 and "对单位的罚款应在 1 元至 50000 元之间" in r.content.decode()
    assert _state(case) == "investigating"
    r = inspector.post(f"/tasks/{task}/", {"action": "notify", "org_fine": "30000", "person_fine": "0"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "notified" and case.hearing_rights is False
    assert _kinds(case) == ["case_filing", "penalty_notification"]

    # the party sees its case in the portal and files a statement before the deadline; others get 404
    assert f"/portal/penalties/{case.pk}/" in ent.get("/portal/").content.decode()
    body = ent.get(f"/portal/penalties/{case.pk}/").content.decode()
    notification = Notice.objects.get(penalty_case=case, kind="penalty_notification")
    assert notification.number in body and "提交陈述申辩" in body and "立案审批表" not in body
    other = client_for("enterprise2")
    assert other.get(f"/portal/penalties/{case.pk}/").status_code == 404
    r = other.post(f"/portal/penalties/{case.pk}/", {"action": "statement", "statement-text": "冒名"})
    assert r.status_code == 404
    assert other.get(f"/notices/{notification.pk}/pdf/").status_code == 404
    assert other.get(f"/penalties/{case.pk}/").status_code == 404
    r = ent.post(f"/portal/penalties/{case.pk}/", {"action": "statement", "statement-text": "已积极整改，请求从轻处罚"})
    assert r.status_code == 302
    assert list(case.statements.values_list("text", flat=True)) == ["已积极整改，请求从轻处罚"]
    assert "已积极整改，请求从轻处罚" in head.get(f"/penalties/{case.pk}/").content.decode()

    # the periods run out: the form is gone, and a stale form is refused with the reason, nothing written
    _run_out_the_rights_periods(case, today)
    body = ent.get(f"/portal/penalties/{case.pk}/").content.decode()
    assert "已届满" in body and "提交陈述申辩" not in body
    before = AuditEntry.objects.count()
    r = ent.post(f"/portal/penalties/{case.pk}/", {"action": "statement", "statement-text": "补充意见"})
    assert r.status_code == 200
    assert "陈述申辩期限已于" in r.content.decode() and "届满，不能再在线提交" in r.content.decode()
    assert case.statements.count() == 1 and AuditEntry.objects.count() == before

    # the officer sends the case on; 30,000 yuan needs no legal review
    task = _task(case, PenaltyFlow.prepare_decision)
    assert "提交决定" in inspector.get(f"/tasks/{task}/").content.decode()
    r = inspector.post(f"/tasks/{task}/", {"action": "submit"})
    assert r.status_code == 302
    assert _state(case) == "awaiting_decision"

    # the decision: not by an inspector, not heavier than notified, then by the leader in charge
    task = _task(case, PenaltyFlow.decide)
    assert inspector.get(f"/tasks/{task}/").status_code == 403
    assert inspector.post(f"/tasks/{task}/", {"outcome": "decide", "org_fine": "30000"}).status_code == 403
    body = supervisor.get(f"/tasks/{task}/").content.decode()
    assert 'name="org_fine" value="30000"' in body
    r = supervisor.post(f"/tasks/{task}/", {"outcome": "decide", "org_fine": "40000", "person_fine": "0"})
    assert r.status_code == 200 and "不得重于告知的处罚" in r.content.decode()
    assert _state(case) == "awaiting_decision"
    r = supervisor.post(f"/tasks/{task}/", {"outcome": "decide", "org_fine": "30000", "person_fine": "0"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "decided" and case.decided_org_fine == 30000
    decision = Notice.objects.get(penalty_case=case, kind="penalty_decision")
    assert decision.context["variant"] == "organisation"

    # service: left at the premises needs a witness
    task = _task(case, PenaltyFlow.serve)
    r = inspector.post(f"/tasks/{task}/", {"served_on": today.isoformat(), "method": "left", "recipient": "李国强"})
    assert r.status_code == 200 and "留置送达须有见证人" in r.content.decode()
    r = inspector.post(f"/tasks/{task}/", {"served_on": today.isoformat(), "method": "in_person", "recipient": "李国强"})
    assert r.status_code == 302
    assert _state(case) == "served" and "service_receipt" in _kinds(case)

    # disclosure: the preview shows what the public will read
    task = _task(case, PenaltyFlow.disclose)
    body = inspector.get(f"/tasks/{task}/").content.decode()
    assert "公示内容预览" in body and "30,000" in body and decision.number in body
    assert inspector.post(f"/tasks/{task}/", {}).status_code == 302
    case.refresh_from_db()
    assert case.state == "executing" and case.disclosed_on == today
    public = Client()
    body = public.get("/disclosure/").content.decode()
    assert case.enterprise.name in body and decision.number in body
    body = public.get(f"/disclosure/{case.pk}/").content.decode()
    assert case.enterprise.uscc in body and "安全生产法第一百零二条" in body and "30,000" in body

    # payment: the amount owed is prefilled; a wrong amount is refused
    task = _task(case, PenaltyFlow.record_payment)
    assert 'name="amount" value="30000"' in inspector.get(f"/tasks/{task}/").content.decode()
    r = inspector.post(f"/tasks/{task}/", {"paid_on": today.isoformat(), "amount": "20000", "receipt": "JK001"})
    assert r.status_code == 200 and "应缴金额为 30,000 元" in r.content.decode()
    assert PenaltyCase.objects.get(pk=case.pk).paid_on is None
    r = inspector.post(f"/tasks/{task}/", {"paid_on": today.isoformat(), "amount": "30000", "receipt": "JK001"})
    assert r.status_code == 302
    assert PenaltyCase.objects.get(pk=case.pk).paid_on == today

    # closing by the office head
    task = _task(case, PenaltyFlow.approve_closing)
    assert client_for("buildhead").get(f"/tasks/{task}/").status_code == 403
    assert inspector.get(f"/tasks/{task}/").status_code == 403
    r = head.post(f"/tasks/{task}/", {"comment": "同意结案"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "closed" and case.process.status == "DONE"
    assert _kinds(case) == ["case_closing", "case_filing", "penalty_decision", "penalty_notification",
                            "service_receipt"]
    r = head.get(f"/tasks/{task}/", follow=True)
    assert "该任务已处理完毕" in r.content.decode()
    body = head.get(f"/penalties/{case.pk}/").content.decode()
    for notice in Notice.objects.filter(penalty_case=case):
        assert notice.number in body and f"/notices/{notice.pk}/pdf/" in body
    for summary in AuditEntry.objects.filter(penalty_case_id=case.pk).values_list("summary", flat=True):
        assert summary in body
    assert "已结案" in body


def test_a_major_decision_goes_through_legal_review_and_deliberation(client_for, today):
    case = f.notified(org_fine=150000, code="aqsf-101-overdue", suspension=True)
    assert case.hearing_rights and _kinds(case) == ["case_filing", "hearing_notification", "penalty_notification"]
    _run_out_the_rights_periods(case, today)
    inspector = client_for("inspector")
    task = _task(case, PenaltyFlow.prepare_decision)
    assert "提交法制审核" in inspector.get(f"/tasks/{task}/").content.decode()
    assert inspector.post(f"/tasks/{task}/", {"action": "submit"}).status_code == 302
    assert _state(case) == "legal_review"

    task = _task(case, PenaltyFlow.legal_review)
    assert client_for("officehead").get(f"/tasks/{task}/").status_code == 403
    legal = client_for("legal")
    assert legal.get(f"/tasks/{task}/").status_code == 200
    r = legal.post(f"/tasks/{task}/", {"decision": "approve", "opinion": "事实清楚，证据确凿，适用依据正确，程序合法"})
    assert r.status_code == 302
    assert _state(case) == "deliberation"

    supervisor = client_for("supervisor")
    task = _task(case, PenaltyFlow.deliberate)
    r = supervisor.post(f"/tasks/{task}/", {"participants": "肖培明、黄国栋", "held_on": today.isoformat(),
                                            "conclusion": "同意"})
    assert r.status_code == 200 and "三名以上负责人" in r.content.decode()
    r = supervisor.post(f"/tasks/{task}/", {"participants": "肖培明、黄国栋、邓波", "held_on": today.isoformat(),
                                            "conclusion": "同意按告知内容作出处罚决定"})
    assert r.status_code == 302
    assert _state(case) == "awaiting_decision"

    task = _task(case, PenaltyFlow.decide)
    body = supervisor.get(f"/tasks/{task}/").content.decode()
    assert "事实清楚，证据确凿" in body and "同意按告知内容作出处罚决定" in body
    r = supervisor.post(f"/tasks/{task}/", {"outcome": "decide", "org_fine": "150000", "person_fine": "0",
                                            "suspension": "on"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "decided" and case.decided_suspension and case.legal_reviewed_by.username == "legal"


def test_the_party_requests_a_hearing_and_an_officer_schedules_and_records_it(client_for):
    with at(D(2026, 9, 29)):
        case = f.notified(org_fine=60000, code="aqsf-99-overdue")
    with at(D(2026, 9, 30)):
        ent, inspector = client_for("enterprise"), client_for("inspector")
        assert "申请听证" in ent.get(f"/portal/penalties/{case.pk}/").content.decode()
        r = ent.post(f"/portal/penalties/{case.pk}/", {"action": "hearing", "hearing-text": "对罚款数额有异议"})
        assert r.status_code == 302
        assert _state(case) == "hearing"
        assert case.statements.get().kind == PartyStatement.Kind.HEARING_REQUEST
        body = inspector.get(f"/penalties/{case.pk}/").content.decode()
        assert 'value="schedule"' in body and "2026年10月15日" in body
        assert 'value="schedule"' not in client_for("supervisor").get(f"/penalties/{case.pk}/").content.decode()
        r = inspector.post(f"/penalties/{case.pk}/", {"action": "schedule", "hearing-hearing_on": "2026-10-14",
                                                      "hearing-place": "管委会三楼会议室"})
        assert r.status_code == 200 and "听证日期最早为 2026年10月15日" in r.content.decode()
        r = inspector.post(f"/penalties/{case.pk}/", {"action": "schedule", "hearing-hearing_on": "2026-10-15",
                                                      "hearing-place": "管委会三楼会议室"})
        assert r.status_code == 302
        assert PenaltyCase.objects.get(pk=case.pk).hearing_on == D(2026, 10, 15)
        assert "管委会三楼会议室" in ent.get(f"/portal/penalties/{case.pk}/").content.decode()
    with at(D(2026, 10, 15)):
        inspector = client_for("inspector")
        task = _task(case, PenaltyFlow.hold_hearing)
        r = inspector.post(f"/tasks/{task}/", {"action": "record", "record": "当事人对事实无异议，对罚款数额提出意见。"})
        assert r.status_code == 302
        assert _state(case) == "legal_review"


def test_an_officer_proposes_a_case_from_the_inspection_page_or_by_hand(client_for):
    inspection = f.ordered(items=1)
    inspector = client_for("inspector")
    link = f"/penalties/new/?inspection={inspection.pk}"
    assert link in inspector.get(f"/cases/{inspection.pk}/").content.decode()
    r = inspector.get(link)
    assert r.status_code == 200 and inspection.enterprise.name in r.content.decode()
    r = inspector.post("/penalties/new/", {"inspection": inspection.pk, "cause": ""})
    assert r.status_code == 200 and not PenaltyCase.objects.exists()
    r = inspector.post("/penalties/new/", {"inspection": inspection.pk, "cause": "未对安全设备进行经常性维护、保养",
                                           "facts": "检查发现配电箱漏电保护器失效"})
    case = PenaltyCase.objects.get()
    assert r.status_code == 302 and r.url == f"/penalties/{case.pk}/"
    assert (case.inspection, case.enterprise, case.origin, case.state) == (
        inspection, inspection.enterprise, "inspection_finding", "proposed")
    assert open_human_task(case.process, PenaltyFlow.approve_filing) is not None

    hazard = inspection.hazards.get()
    assert hazard.description in inspector.get(f"/penalties/new/?hazard={hazard.pk}").content.decode()

    other = f.enterprise(f.XINCAILIAO)
    r = inspector.post("/penalties/new/", {"enterprise": other.pk, "cause": "未如实记录安全生产教育和培训情况"})
    assert r.status_code == 302
    manual = PenaltyCase.objects.get(enterprise=other)
    assert manual.origin == "manual" and manual.office.name == "安全生产部" and manual.inspection is None
    assert client_for("enterprise").get("/penalties/new/").status_code == 403
    assert client_for("enterprise").get("/penalties/").status_code == 403


def _propose(cause, **fields):
    case = ps.penalty_propose(user=f.user("inspector"), enterprise=f.enterprise(), cause=cause)
    PenaltyCase.objects.filter(pk=case.pk).update(**fields)
    return case


def test_the_queue_puts_the_nearest_deadline_first_and_flags_the_urgent_ones(client_for, committee, today):
    days = lambda n: today + datetime.timedelta(days=n)  # noqa: E731
    far = _propose("案由甲远期", state="filed", decision_due=days(60))
    near = _propose("案由乙临期", state="investigating", decision_due=days(5))
    statement = _propose("案由丙陈述", state="notified", statement_due=days(2), decision_due=days(80))
    _propose("案由丁待立案")
    closed = _propose("案由戊已结案", state="closed")
    head = client_for("officehead")
    body = head.get("/penalties/").content.decode()
    order = [body.index(c) for c in ("案由丙陈述", "案由乙临期", "案由甲远期", "案由丁待立案")]
    assert order == sorted(order)
    assert closed.cause not in body
    rows = re.findall(r"<tr( class=\"is-overdue\")?>(.*?)</tr>", body, re.S)
    flagged = {cause for cls, row in rows if cls for cause in (far.cause, near.cause, statement.cause) if cause in row}
    assert flagged == {near.cause}
    assert "还剩 5 天" in body

    body = head.get("/penalties/?state=notified").content.decode()
    assert statement.cause in body and far.cause not in body
    assert closed.cause in head.get("/penalties/?state=all").content.decode()

    # no query per row for the related enterprise, office or provision
    def reads():
        with CaptureQueriesContext(connection) as queries:
            assert head.get("/penalties/?state=all").status_code == 200
        return {table: sum(bool(re.search(rf'FROM "{table}"', q["sql"])) for q in queries)
                for table in ("enterprises_enterprise", "workflow_office", "hazards_legalprovision")}

    few = reads()
    for n in range(5):
        _propose(f"案由己{n}", state="filed", decision_due=days(30 + n), provision=f.provision())
    assert reads() == few


def test_the_leader_in_charge_extends_the_decision_period_on_the_case_page(client_for, committee):
    case = f.filed()
    due = case.decision_due
    assert 'value="extend"' not in client_for("inspector").get(f"/penalties/{case.pk}/").content.decode()
    r = client_for("inspector").post(f"/penalties/{case.pk}/", {"action": "extend", "ext-reason": "案情复杂"})
    assert r.status_code == 403
    supervisor = client_for("supervisor")
    assert 'value="extend"' in supervisor.get(f"/penalties/{case.pk}/").content.decode()
    r = supervisor.post(f"/penalties/{case.pk}/", {"action": "extend", "ext-reason": "需补充鉴定意见"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.extension_reason == "需补充鉴定意见" and case.decision_due == due + datetime.timedelta(days=30)
    assert 'value="extend"' not in supervisor.get(f"/penalties/{case.pk}/").content.decode()


def test_the_office_head_revokes_a_case_during_investigation(client_for, committee):
    case = f.filed()
    task = _task(case, PenaltyFlow.investigate)
    assert client_for("inspector").post(f"/tasks/{task}/", {"action": "revoke", "revoke-reason": "违法事实不成立"}
                                        ).status_code == 403
    head = client_for("officehead")
    r = head.post(f"/tasks/{task}/", {"action": "revoke", "revoke-reason": ""})
    assert r.status_code == 200 and _state(case) == "filed"
    r = head.post(f"/tasks/{task}/", {"action": "revoke", "revoke-reason": "违法事实不成立"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.drop_kind) == ("dropped", "revoked")


def _disclosed_with_a_person_fined():
    case = f.notified(org_fine=60000, person_fine=15000, code="aqsf-99-overdue", person="张卫东")
    today = timezone.localdate()
    _run_out_the_rights_periods(case, today)
    inspector = f.user("inspector")
    ps.prepare_submit(user=inspector, task_id=_task(case, PenaltyFlow.prepare_decision))
    ps.decision_make(user=f.user("supervisor"), task_id=_task(case, PenaltyFlow.decide), outcome="decide",
                     org_fine=60000, person_fine=15000)
    PenaltyCase.objects.filter(pk=case.pk).update(facts="主管人员张卫东（电话13912345678）未组织消除隐患")
    ps.service_record(user=inspector, task_id=_task(case, PenaltyFlow.serve), served_on=today, method="in_person",
                      recipient="李国强")
    ps.disclosure_publish(user=inspector, task_id=_task(case, PenaltyFlow.disclose))
    return PenaltyCase.objects.get(pk=case.pk)


def test_disclosure_names_no_person_and_shows_no_personal_fine(client, committee):
    case = _disclosed_with_a_person_fined()
    organisation = Notice.objects.get(penalty_case=case, kind="penalty_decision", context__variant="organisation")
    individual = Notice.objects.get(penalty_case=case, kind="penalty_decision", context__variant="individual")
    for url in ("/disclosure/", f"/disclosure/{case.pk}/"):
        body = client.get(url).content.decode()
        assert case.enterprise.name in body and organisation.number in body and "60,000" in body
        assert "对直接负责的主管人员处以罚款" in body
        for secret in ("张卫东", "15,000", "15000", "13912345678", individual.number, case.enterprise.contact_phone):
            assert secret not in body, (url, secret)
    assert client.get(f"/disclosure/{f.filed().pk}/").status_code == 404


def test_blacklisting_is_approved_and_lifted_by_a_leader(client_for, committee):
    entry = BlacklistEntry.objects.create(enterprise=f.enterprise(), kind="blacklist", reason="365 日内受到 2 次安全生产行政处罚")
    BlacklistFlow.start.run(entry=entry)
    task = open_human_task(entry.process, BlacklistFlow.approve)
    inspector, supervisor = client_for("inspector"), client_for("supervisor")
    body = inspector.get("/blacklist/").content.decode()
    assert entry.enterprise.name in body and f"/tasks/{task.pk}/" not in body
    assert inspector.get(f"/tasks/{task.pk}/").status_code == 403
    assert f"/tasks/{task.pk}/" in supervisor.get("/blacklist/").content.decode()
    r = supervisor.post(f"/tasks/{task.pk}/", {"decision": "reject", "comment": ""})
    assert r.status_code == 200 and "不予列入须写明理由" in r.content.decode()
    r = supervisor.post(f"/tasks/{task.pk}/", {"decision": "approve", "comment": "同意"})
    assert r.status_code == 302 and r.url == "/blacklist/"
    entry.refresh_from_db()
    assert entry.state == "listed"

    assert f"/blacklist/{entry.pk}/delist/" not in inspector.get("/blacklist/").content.decode()
    assert inspector.post(f"/blacklist/{entry.pk}/delist/", {"reason": "整改到位"}).status_code == 403
    r = supervisor.post(f"/blacklist/{entry.pk}/delist/", {"reason": ""}, follow=True)
    assert "移出黑名单须写明理由" in r.content.decode()
    entry.refresh_from_db()
    assert entry.state == "listed"
    supervisor.post(f"/blacklist/{entry.pk}/delist/", {"reason": "整改到位，信用修复"})
    entry.refresh_from_db()
    assert entry.state == "delisted" and entry.delist_reason == "整改到位，信用修复"
    assert client_for("enterprise").get("/blacklist/").status_code == 403


def test_the_party_never_downloads_the_internal_approval_sheets(client_for, committee):
    from tests import factories as f
    from workflow.models import Notice

    case = f.filed()
    filing = Notice.objects.get(penalty_case=case, kind="case_filing")
    assert client_for("enterprise").get(f"/notices/{filing.pk}/pdf/").status_code == 404
    assert client_for("officehead").get(f"/notices/{filing.pk}/pdf/").status_code == 200
    assert filing.number not in client_for("enterprise").get("/portal/").content.decode()


def test_the_office_head_revokes_a_case_an_officer_has_claimed(committee):
    from hazards import penalty_services as ps
    from hazards.flows import PenaltyFlow
    from hazards.models import PenaltyCase
    from tests import factories as f
    from viewflow.workflow.models import Task

    case = f.filed()
    task = Task.objects.get(pk=f.penalty_task(case, PenaltyFlow.investigate))
    PenaltyFlow.investigate.activation_class(task).assign(f.user("inspector"))
    ps.case_revoke(user=f.user("officehead"), task_id=task.pk, reason="当事人已注销，无法继续查处")
    case = PenaltyCase.objects.get(pk=case.pk)
    assert (case.state, case.drop_kind) == ("dropped", "revoked")
