"""The penalty loop (行政处罚), named after the article each rule enforces."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hazards import penalty_services as ps
from hazards.flows import PenaltyFlow
from hazards.models import BlacklistEntry, PenaltyCase
from tests import factories as f
from workflow.engine import ActionRefused, open_human_task
from workflow.models import AuditEntry, Notice

D = datetime.date


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone()),
                               tick=False)


def _task(case, node):
    return f.penalty_task(PenaltyCase.objects.get(pk=case.pk), node)


def test_art102_a_failed_reinspection_proposes_a_case_for_the_office_head(committee):
    case = f.failed_case()
    assert case.state == "proposed" and case.origin == "reinspection_failed"
    assert case.hazard is not None and case.office.name == "安全生产部"
    task = open_human_task(case.process, PenaltyFlow.approve_filing)
    assert task.owner_permission == case.office.head_permission


def test_art42_filing_needs_two_officers_of_the_office(committee):
    case = f.failed_case()
    task_id = _task(case, PenaltyFlow.approve_filing)
    with pytest.raises(ActionRefused, match="不得少于两人"):
        ps.filing_decide(user=f.user("officehead"), task_id=task_id, approve=True, officers=[f.user("inspector")])
    with pytest.raises(ActionRefused, match="须为安全生产部的执法人员"):
        ps.filing_decide(user=f.user("officehead"), task_id=task_id, approve=True,
                         officers=[f.user("inspector"), f.user("builder")])
    with pytest.raises(PermissionDenied):
        ps.filing_decide(user=f.user("inspector"), task_id=task_id, approve=True,
                         officers=[f.user("inspector"), f.user("inspector2")])
    assert PenaltyCase.objects.get(pk=case.pk).state == "proposed"
    case = f.filed(case)
    assert case.state == "filed" and case.officers.count() == 2
    assert case.decision_due == case.filed_on + datetime.timedelta(days=90)
    assert case.notices.filter(kind="case_filing").exists()


def test_not_filing_needs_a_reason_and_drops_the_case(committee):
    case = f.failed_case()
    task_id = _task(case, PenaltyFlow.approve_filing)
    with pytest.raises(ActionRefused, match="不予立案须写明理由"):
        ps.filing_decide(user=f.user("officehead"), task_id=task_id, approve=False)
    ps.filing_decide(user=f.user("officehead"), task_id=task_id, approve=False, comment="违法事实不清")
    case.refresh_from_db()
    assert (case.state, case.drop_kind, case.drop_reason) == ("dropped", "not_filed", "违法事实不清")


def test_the_proposed_penalty_must_lie_inside_the_provision_range(committee):
    case = f.filed()
    ps.investigation_record(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.investigate), facts="事实",
                            evidence="证据", provision=f.provision("aqsf-102"))
    with pytest.raises(ActionRefused, match="对单位的罚款应在 1 元至 50000 元之间"):
        ps.notification_issue(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.notify), org_fine=80000)
    with pytest.raises(ActionRefused, match="不允许责令停产停业整顿"):
        ps.notification_issue(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.notify), org_fine=1000,
                              suspension=True)
    assert PenaltyCase.objects.get(pk=case.pk).state == "investigating"
    assert not Notice.objects.filter(penalty_case=case, kind="penalty_notification").exists()


def test_art44_the_notification_sets_the_statement_period_across_spring_festival(committee):
    with at(D(2026, 2, 13)):
        case = f.notified(org_fine=30000)
    # 3 working days after Fri 13 Feb 2026: Sat 14 Feb (调休 working day), then the festival, then 24 and 25 Feb
    assert case.statement_due == D(2026, 2, 25)
    assert case.hearing_rights is False
    notice = Notice.objects.get(penalty_case=case, kind="penalty_notification")
    assert notice.context["statement_due"] == "2026年2月25日"


def test_art64_hearing_request_after_5_working_days_is_refused(committee):
    with at(D(2026, 9, 29)):
        case = f.notified(org_fine=60000, code="aqsf-99-overdue")  # 60,000 yuan on an organisation: hearing rights
    assert case.hearing_rights is True
    # 5 working days after Tue 29 Sep 2026: Wed 30 Sep, National Day 1-7 Oct, Thu 8, Fri 9, Sat 10 (调休), Mon 12
    assert case.hearing_request_due == D(2026, 10, 12)
    assert Notice.objects.filter(penalty_case=case, kind="hearing_notification").count() == 1
    with at(D(2026, 10, 13)), pytest.raises(ActionRefused, match="听证申请期限已于 2026年10月12日 届满"):
        ps.hearing_request(user=f.user("enterprise"), case=case, text="申请听证")
    assert PenaltyCase.objects.get(pk=case.pk).state == "notified"
    assert not case.statements.exists()


def test_art64_hearing_request_on_the_tiaoxiu_saturday_is_accepted(committee):
    with at(D(2026, 9, 29)):
        case = f.notified(org_fine=60000, code="aqsf-99-overdue")
    with at(D(2026, 10, 10)):  # a Saturday worked in exchange for National Day counts as a working day
        ps.hearing_request(user=f.user("enterprise"), case=case, text="对罚款数额有异议，申请听证")
    case.refresh_from_db()
    assert case.state == "hearing"
    assert open_human_task(case.process, PenaltyFlow.hold_hearing) is not None


def test_art64_the_hearing_is_notified_seven_working_days_ahead(committee):
    with at(D(2026, 9, 29)):
        case = f.notified(org_fine=60000, code="aqsf-99-overdue")
    with at(D(2026, 9, 30)):
        ps.hearing_request(user=f.user("enterprise"), case=case)
        # 7 working days after Wed 30 Sep: Oct 8, 9, Sat 10 (调休), 12, 13, 14, 15
        with pytest.raises(ActionRefused, match="听证日期最早为 2026年10月15日"):
            ps.hearing_schedule(user=f.user("inspector"), case=case, hearing_on=D(2026, 10, 14), place="管委会会议室")
        ps.hearing_schedule(user=f.user("inspector"), case=case, hearing_on=D(2026, 10, 15), place="管委会会议室")
    with at(D(2026, 10, 14)), pytest.raises(ActionRefused, match="届时方可提交听证笔录"):
        ps.hearing_record_submit(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.hold_hearing), record="笔录")
    with at(D(2026, 10, 15)):
        ps.hearing_record_submit(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.hold_hearing),
                                 record="当事人对事实无异议，对罚款数额提出意见。")
    case.refresh_from_db()
    assert case.state == "legal_review" and case.hearing_record


def test_art45_statement_after_its_period_is_refused(committee):
    with at(D(2026, 2, 13)):
        case = f.notified()
    with at(D(2026, 2, 25)):
        ps.statement_file(user=f.user("enterprise"), case=case, text="已积极整改，请求从轻处罚")
    with at(D(2026, 2, 26)), pytest.raises(ActionRefused, match="陈述申辩期限已于 2026年2月25日 届满"):
        ps.statement_file(user=f.user("enterprise"), case=case, text="补充意见")
    assert case.statements.count() == 1


def _to_decision(case):
    """Run the periods out and send the case on as the officers would."""
    today = timezone.localdate()
    PenaltyCase.objects.filter(pk=case.pk).update(statement_due=today - datetime.timedelta(days=1),
                                                  hearing_request_due=today - datetime.timedelta(days=1))
    ps.penalty_deadlines_check()
    ps.prepare_submit(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.prepare_decision))
    return PenaltyCase.objects.get(pk=case.pk)


def test_a_decision_before_the_rights_periods_end_is_impossible(committee):
    case = f.notified()
    assert open_human_task(case.process, PenaltyFlow.wait_party) is not None
    assert open_human_task(case.process, PenaltyFlow.decide) is None
    assert ps.penalty_deadlines_check() == []  # the periods are still running


def test_art45_no_heavier_penalty_after_defence(committee):
    case = _to_decision(f.notified(org_fine=30000))
    assert case.state == "awaiting_decision"
    task_id = _task(case, PenaltyFlow.decide)
    with pytest.raises(ActionRefused, match="不得重于告知的处罚（行政处罚法第四十五条）"):
        ps.decision_make(user=f.user("supervisor"), task_id=task_id, outcome="decide", org_fine=40000)
    assert PenaltyCase.objects.get(pk=case.pk).state == "awaiting_decision"
    assert not Notice.objects.filter(penalty_case=case, kind="penalty_decision").exists()
    ps.decision_make(user=f.user("supervisor"), task_id=task_id, outcome="decide", org_fine=25000)
    case.refresh_from_db()
    assert case.state == "decided" and case.decided_org_fine == 25000


def test_art45_a_heavier_penalty_needs_a_new_notification(committee):
    case = _to_decision(f.notified(org_fine=30000))
    ps.decision_make(user=f.user("supervisor"), task_id=_task(case, PenaltyFlow.decide), outcome="renotify",
                     reason="违法情节较重，拟加重处罚")
    case = _to_decision_after_renotify(case, org_fine=45000)
    ps.decision_make(user=f.user("supervisor"), task_id=_task(case, PenaltyFlow.decide), outcome="decide",
                     org_fine=45000)
    assert PenaltyCase.objects.get(pk=case.pk).decided_org_fine == 45000
    assert Notice.objects.filter(penalty_case=case, kind="penalty_notification").count() == 2


def _to_decision_after_renotify(case, org_fine):
    ps.prepare_submit(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.prepare_decision),
                      renotify={"org_fine": org_fine, "person_fine": 0, "suspension": False})
    return _to_decision(case)


def test_art58_a_major_decision_goes_to_the_legal_office_first(committee):
    case = _to_decision(f.notified(org_fine=150000, code="aqsf-101-overdue", suspension=True, person="李国强",
                                   person_fine=30000))
    assert case.state == "legal_review"
    task_id = _task(case, PenaltyFlow.legal_review)
    with pytest.raises(PermissionDenied):
        ps.legal_review_decide(user=f.user("officehead"), task_id=task_id, approve=True, opinion="同意")
    ps.legal_review_decide(user=f.user("legal"), task_id=task_id, approve=True, opinion="事实清楚，证据确凿，适用依据正确")
    case.refresh_from_db()
    assert case.state == "deliberation"  # Art. 57: a serious violation is decided collectively


def test_art57_collective_deliberation_is_recorded_before_the_decision(committee, today):
    case = _to_decision(f.notified(org_fine=150000, code="aqsf-101-overdue", suspension=True))
    ps.legal_review_decide(user=f.user("legal"), task_id=_task(case, PenaltyFlow.legal_review), approve=True,
                           opinion="同意")
    task_id = _task(case, PenaltyFlow.deliberate)
    with pytest.raises(ActionRefused, match="三名以上负责人"):
        ps.deliberation_record(user=f.user("supervisor"), task_id=task_id, participants="肖培明、黄国栋",
                               held_on=today, conclusion="同意")
    ps.deliberation_record(user=f.user("supervisor"), task_id=task_id, participants="肖培明、黄国栋、邓波",
                           held_on=today, conclusion="同意按告知内容作出处罚决定")
    case.refresh_from_db()
    assert case.state == "awaiting_decision" and case.deliberation_participants == "肖培明、黄国栋、邓波"


def test_art60_decision_after_90_days_needs_an_approved_extension(committee):
    case = _to_decision(f.notified())
    PenaltyCase.objects.filter(pk=case.pk).update(decision_due=timezone.localdate() - datetime.timedelta(days=1))
    task_id = _task(case, PenaltyFlow.decide)
    with pytest.raises(ActionRefused, match="须先经负责人批准延长办案期限"):
        ps.decision_make(user=f.user("supervisor"), task_id=task_id, outcome="decide", org_fine=30000)
    with pytest.raises(PermissionDenied):
        ps.decision_extend(user=f.user("inspector"), case=case, reason="案情复杂")
    ps.decision_extend(user=f.user("supervisor"), case=case, reason="需补充鉴定意见")
    with pytest.raises(ActionRefused, match="已经延长过一次"):
        ps.decision_extend(user=f.user("supervisor"), case=case, reason="再次")
    ps.decision_make(user=f.user("supervisor"), task_id=task_id, outcome="decide", org_fine=30000)
    assert PenaltyCase.objects.get(pk=case.pk).state == "decided"


def _decided(org_fine=30000):
    case = _to_decision(f.notified(org_fine=org_fine))
    ps.decision_make(user=f.user("supervisor"), task_id=_task(case, PenaltyFlow.decide), outcome="decide",
                     org_fine=org_fine)
    return PenaltyCase.objects.get(pk=case.pk)


def test_art61_service_left_at_the_premises_needs_a_witness(committee, today):
    case = _decided()
    task_id = _task(case, PenaltyFlow.serve)
    with pytest.raises(ActionRefused, match="留置送达须有见证人"):
        ps.service_record(user=f.user("inspector"), task_id=task_id, served_on=today, method="left", recipient="李国强")
    with pytest.raises(ActionRefused, match="电子送达须经当事人同意"):
        ps.service_record(user=f.user("inspector"), task_id=task_id, served_on=today, method="electronic",
                          recipient="李国强")
    ps.service_record(user=f.user("inspector"), task_id=task_id, served_on=today, method="left", recipient="李国强",
                      witness="园区网格员 王芳")
    case.refresh_from_db()
    assert case.state == "served" and case.service_witness == "园区网格员 王芳"
    assert Notice.objects.filter(penalty_case=case, kind="service_receipt").count() == 1


def test_art72_late_fee_is_3_percent_a_day_capped_at_the_fine(committee):
    from hazards.penalty_rules import late_fee

    case = PenaltyCase(decided_org_fine=10000, served_on=D(2026, 3, 2))
    assert late_fee(case, D(2026, 3, 17)) == 0  # the 15th day
    assert late_fee(case, D(2026, 3, 18)) == 300
    assert late_fee(case, D(2026, 3, 27)) == 3000
    assert late_fee(case, D(2026, 6, 30)) == 10000


def test_closing_with_an_unpaid_fine_is_refused_and_nothing_is_written(committee, today):
    case = _decided()
    ps.service_record(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.serve), served_on=today,
                      method="in_person", recipient="李国强")
    ps.disclosure_publish(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.disclose))
    case.refresh_from_db()
    assert case.state == "executing"
    assert open_human_task(case.process, PenaltyFlow.approve_closing) is None
    task_id = _task(case, PenaltyFlow.record_payment)
    with pytest.raises(ActionRefused, match="应缴金额为 30,000 元"):
        ps.payment_record(user=f.user("inspector"), task_id=task_id, paid_on=today, amount=20000, receipt="JK001")
    before = AuditEntry.objects.count()
    assert PenaltyCase.objects.get(pk=case.pk).paid_on is None and AuditEntry.objects.count() == before
    ps.payment_record(user=f.user("inspector"), task_id=task_id, paid_on=today, amount=30000, receipt="JK001")
    ps.closing_approve(user=f.user("officehead"), task_id=_task(case, PenaltyFlow.approve_closing), comment="同意结案")
    case.refresh_from_db()
    assert case.state == "closed"
    assert set(case.notices.values_list("kind", flat=True)) == {
        "case_filing", "penalty_notification", "penalty_decision", "service_receipt", "case_closing"}
    assert case.process.status == "DONE"


def test_art78_disclosure_page_hides_phone_and_identity_numbers(client, committee, today):
    case = _decided()
    PenaltyCase.objects.filter(pk=case.pk).update(facts="负责人张三（身份证号500114198001011234，电话13812345678）未消除隐患")
    ps.service_record(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.serve), served_on=today,
                      method="in_person", recipient="李国强")
    ps.disclosure_publish(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.disclose))
    body = client.get("/disclosure/").content.decode()
    assert "重庆市黔江区恒达机械制造有限公司" in body and "30,000" in body
    assert "13812345678" not in body and "500114198001011234" not in body
    assert case.enterprise.contact_phone not in body


def test_art113_a_major_hazard_penalised_three_times_in_180_days_is_proposed_for_closure(committee):
    from hazards.penalty_services import _check_repeat_offence

    case = _decided()
    PenaltyCase.objects.filter(pk=case.pk).update(hazard=None)
    hazard = f.ordered(items=1, level="major").hazards.get()
    for n in range(3):
        PenaltyCase.objects.create(enterprise=case.enterprise, office=case.office, hazard=hazard, origin="manual",
                                   cause=f"第{n + 1}次", proposed_by=f.user("inspector"),
                                   decided_on=timezone.localdate() - datetime.timedelta(days=40 * n))
    entry = _check_repeat_offence(f.user("supervisor"), case)
    assert entry.kind == "closure" and "第一百一十三条" in entry.reason
    assert entry.state == "proposed"
    from hazards.flows import BlacklistFlow

    task = open_human_task(entry.process, BlacklistFlow.approve)
    with pytest.raises(PermissionDenied):
        ps.blacklist_decide(user=f.user("inspector"), task_id=task.pk, approve=True)
    ps.blacklist_decide(user=f.user("supervisor"), task_id=task.pk, approve=True)
    entry.refresh_from_db()
    assert entry.state == "listed"
    ps.blacklist_delist(user=f.user("supervisor"), entry=entry, reason="整改到位，信用修复")
    entry.refresh_from_db()
    assert entry.state == "delisted"


def test_a_second_decided_penalty_in_a_year_proposes_blacklisting(committee):
    first = _decided()
    PenaltyCase.objects.filter(pk=first.pk).update(hazard=None)
    second = _decided(org_fine=20000)
    entry = BlacklistEntry.objects.get(enterprise=second.enterprise)
    assert entry.kind == "blacklist" and set(entry.cases.all()) == {first, second}


def test_only_the_party_files_statements(committee):
    case = f.notified()
    with pytest.raises(PermissionDenied):
        ps.statement_file(user=f.user("enterprise2"), case=case, text="冒名")
    with pytest.raises(PermissionDenied):
        ps.statement_file(user=f.user("inspector"), case=case, text="代填")


def test_art102_a_governance_plan_still_missing_after_the_deadline_proposes_a_case_once(committee):
    case = f.ordered(level="major")
    hazard = case.hazards.get()
    assert hazard.state == "awaiting_plan" and hazard.deadline is not None
    day = lambda n: hazard.deadline + datetime.timedelta(days=n)  # noqa: E731
    with at(day(0)):
        assert ps.missing_plans_check() == []  # the deadline day itself is still in time
    with at(day(1)):
        proposed = ps.missing_plans_check()
    assert len(proposed) == 1
    penalty = PenaltyCase.objects.get(pk=proposed[0].pk)
    assert (penalty.state, penalty.origin, penalty.hazard_id) == ("proposed", "overdue", hazard.pk)
    assert "未按规定制定重大事故隐患治理方案" in penalty.cause and "仍未提交隐患治理方案" in penalty.facts
    assert AuditEntry.objects.filter(action="penalty_proposed", target_id=str(penalty.pk), actor=None).exists()
    assert open_human_task(penalty.process, PenaltyFlow.approve_filing) is not None
    # the next days' runs, even after the office head declines to file, propose nothing more for this deadline
    with at(day(2)):
        assert ps.missing_plans_check() == []
        ps.filing_decide(user=f.user("officehead"), task_id=_task(penalty, PenaltyFlow.approve_filing),
                         approve=False, comment="企业已书面说明，正在编制方案")
    with at(day(3)):
        assert ps.missing_plans_check() == []
    assert PenaltyCase.objects.filter(hazard=hazard).count() == 1
