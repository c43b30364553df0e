"""The penalty loop's notices (行政处罚文书): real WeasyPrint PDFs with the wording of the national templates."""

import datetime
import re

import pytest
from django.utils import timezone

from hazards import penalty_services as ps
from hazards.flows import PenaltyFlow
from hazards.models import PenaltyCase
from tests import factories as f
from workflow.models import Notice
from workflow.notices import ensure_pdf

APPEAL = ("如不服本行政处罚决定，可以在收到本决定书之日起六十日内依法向重庆市黔江区人民政府申请行政复议，"
          "或者在六个月内依法向人民法院提起行政诉讼，但本决定不停止执行，法律另有规定的除外。")
PAYMENT = ("自收到本决定书之日起十五日内缴至指定银行（国库）")
LATE_FEE = "到期不缴纳罚款的，本机关可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款的数额。"
PROVISION = "安全生产法第一百零一条（逾期未改正）"


def _pdf(notice):
    """The notice's stored PDF and its text without the layout's spaces, line breaks and page footers."""
    notice = ensure_pdf(notice.pk)
    with notice.pdf.open("rb") as fh:
        data = fh.read()
    text = f.pdf_text(data).replace(" ", "").replace("\n", "")
    return data, re.sub(r"第\d+页共\d+页", "", text)


def _task(case, node):
    return f.penalty_task(PenaltyCase.objects.get(pk=case.pk), node)


def _decided_with_person_fine():
    """150,000 yuan and suspension on the enterprise, 30,000 yuan on its manager: legal review, deliberation, decision."""
    case = f.notified(org_fine=150000, code="aqsf-101-overdue", suspension=True, person="李国强", person_fine=30000)
    ps.statement_file(user=f.user("enterprise"), case=case, text="我单位已购置漏电保护装置并安装完毕，请求从轻处罚。")
    today = timezone.localdate()
    PenaltyCase.objects.filter(pk=case.pk).update(statement_due=today - datetime.timedelta(days=1),
                                                  hearing_request_due=today - datetime.timedelta(days=1))
    ps.penalty_deadlines_check()
    ps.prepare_submit(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.prepare_decision))
    ps.legal_review_decide(user=f.user("legal"), task_id=_task(case, PenaltyFlow.legal_review), approve=True,
                           opinion="事实清楚，证据确凿，适用依据正确，程序合法")
    ps.deliberation_record(user=f.user("supervisor"), task_id=_task(case, PenaltyFlow.deliberate),
                           participants="肖培明、黄国栋、邓波", held_on=today, conclusion="同意按告知内容作出处罚决定")
    ps.decision_make(user=f.user("supervisor"), task_id=_task(case, PenaltyFlow.decide), outcome="decide",
                     org_fine=150000, person_fine=30000, suspension=True)
    return PenaltyCase.objects.get(pk=case.pk)


def _assert_cjk(data):
    fonts = f.pdf_fonts(data)
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts), fonts


def test_the_decision_prints_an_organisation_and_an_individual_variant(committee):
    case = _decided_with_person_fine()
    decisions = {n.context["variant"]: n for n in Notice.objects.filter(penalty_case=case, kind="penalty_decision")}
    assert set(decisions) == {"organisation", "individual"}
    notification = Notice.objects.get(penalty_case=case, kind="penalty_notification")

    data, text = _pdf(decisions["organisation"])
    assert decisions["organisation"].number in text
    assert "行政处罚决定书（单位）" in text
    assert "被处罚单位：重庆市黔江区恒达机械制造有限公司" in text
    assert "统一社会信用代码：" + case.enterprise.uscc in text
    assert PROVISION in text
    assert "处人民币150,000元罚款" in text and "责令停产停业整顿" in text
    assert "30,000" not in text  # the manager's fine is decided in the individual variant
    assert "对你单位直接负责的主管人员李国强，本机关依法另行作出行政处罚决定。" in text
    assert notification.number in text  # the notification that preceded the decision
    assert "我单位已购置漏电保护装置并安装完毕，请求从轻处罚" in text and "进行了复核" in text
    assert "限你单位" + PAYMENT in text and LATE_FEE in text
    assert APPEAL in text
    _assert_cjk(data)

    data, text = _pdf(decisions["individual"])
    assert decisions["individual"].number in text
    assert "行政处罚决定书（个人）" in text
    assert "被处罚人：李国强" in text and "工作单位：重庆市黔江区恒达机械制造有限公司" in text
    assert "你作为重庆市黔江区恒达机械制造有限公司直接负责的主管人员" in text
    assert PROVISION in text
    assert "对你处人民币30,000元罚款" in text
    assert "150,000" not in text
    assert "限你" + PAYMENT in text and LATE_FEE in text
    assert APPEAL in text
    _assert_cjk(data)


def test_the_notification_prints_the_rights_and_their_deadlines(committee):
    case = f.notified(org_fine=150000, code="aqsf-101-overdue", suspension=True, person="李国强", person_fine=30000)
    notice = Notice.objects.get(penalty_case=case, kind="penalty_notification")
    statement_due = notice.context["statement_due"]
    assert statement_due and notice.context["hearing_rights"] is True
    data, text = _pdf(notice)
    assert notice.number in text and "行政处罚告知书" in text
    assert "重庆市黔江区恒达机械制造有限公司：" in text
    assert "未按期消除事故隐患" in text and "现场检查记录、复查意见书、照片" in text
    assert PROVISION in text and "拟对你单位作出如下行政处罚" in text
    assert "对你单位处人民币150,000元罚款" in text and "李国强处人民币30,000元罚款" in text
    assert "你单位（人）可在收到本告知书之日起三个工作日内向本机关进行陈述和申辩，逾期视为放弃。" in text
    assert f"陈述和申辩的期限至{statement_due}届满" in text
    assert f"五个工作日内（至{notice.context['hearing_request_due']}止）" in text
    assert "扫码核验文书真伪" in text
    _assert_cjk(data)

    hearing = Notice.objects.get(penalty_case=case, kind="hearing_notification")
    data, text = _pdf(hearing)
    assert hearing.number in text and "听证告知书" in text
    assert "对你单位处人民币150,000元罚款" in text
    assert f"五个工作日内（至{hearing.context['hearing_request_due']}止）" in text and "申请回避" in text


def test_a_notification_without_hearing_rights_says_nothing_of_a_hearing(committee):
    case = f.notified(org_fine=30000)
    data, text = _pdf(Notice.objects.get(penalty_case=case, kind="penalty_notification"))
    assert "陈述和申辩的期限至" in text and "安全生产法第一百零二条" in text
    assert "听证" not in text
    assert not Notice.objects.filter(penalty_case=case, kind="hearing_notification").exists()


def test_filing_service_and_closing_forms_print_the_whole_case(committee, today):
    case = _decided_with_person_fine()
    ps.service_record(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.serve), served_on=today,
                      method="left", recipient="李国强", witness="园区网格员 王芳")
    ps.disclosure_publish(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.disclose))
    ps.payment_record(user=f.user("inspector"), task_id=_task(case, PenaltyFlow.record_payment), paid_on=today,
                      amount=180000, receipt="500114000123")
    ps.closing_approve(user=f.user("officehead"), task_id=_task(case, PenaltyFlow.approve_closing), comment="同意结案")
    notices = {n.kind: n for n in Notice.objects.filter(penalty_case=case).order_by("id")}
    officers = notices["case_filing"].context["officers"]
    assert len(officers) == 2

    filing = notices["case_filing"]
    data, text = _pdf(filing)
    assert filing.number in text and "立案审批表" in text
    assert case.cause.replace(" ", "") in text and "复查不合格" in text
    for p in officers:
        assert p["name"] in text and p["badge"].replace(" ", "") in text
    assert "承办部室意见" in text and "负责人审批意见" in text
    assert filing.context["approved_by"] in text and filing.context["decision_due"] in text

    receipt = notices["service_receipt"]
    decision_numbers = list(Notice.objects.filter(penalty_case=case, kind="penalty_decision")
                            .values_list("number", flat=True))
    data, text = _pdf(receipt)
    assert receipt.number in text and "送达回执" in text
    for number in decision_numbers:
        assert f"行政处罚决定书（{number}）" in text
    assert "留置送达" in text and "园区网格员王芳" in text and "受送达人（签名或盖章）" in text
    assert receipt.context["payment_due"] in text

    closing = notices["case_closing"]
    data, text = _pdf(closing)
    assert closing.number in text and "结案审批表" in text
    assert "180,000" in text and "500114000123" in text
    assert "卷内文书目录" in text
    for n in Notice.objects.filter(penalty_case=case).exclude(pk=closing.pk):
        assert n.number in text
    assert "同意结案" in text
    _assert_cjk(data)


@pytest.mark.parametrize("kind", ["case_filing", "penalty_notification", "hearing_notification", "penalty_decision",
                                  "service_receipt", "case_closing"])
def test_every_penalty_notice_keeps_the_habits_of_the_notices(kind):
    """lang="zh-CN", the font on html via the base, no external resources."""
    from django.conf import settings

    source = (settings.BASE_DIR / "templates" / "notices" / f"{kind}.html").read_text()
    assert source.startswith('{% extends "notices/base.html" %}')
    assert "http://" not in source and "https://" not in source and "<link" not in source


def test_the_printed_periods_follow_the_table_of_legal_periods(committee):
    from workflow.models import LegalPeriod
    from workflow.periods import clear_cache

    LegalPeriod.objects.filter(key="statement_defence").update(days=5)  # e.g. a new rule of the ministry
    clear_cache()
    case = f.notified(org_fine=30000)
    notice = Notice.objects.get(penalty_case=case, kind="penalty_notification")
    with ensure_pdf(notice.pk).pdf.open("rb") as fh:
        text = f.pdf_text(fh.read()).replace(" ", "").replace("\n", "")
    assert "收到本告知书之日起五个工作日内向本机关进行陈述和申辩" in text
    assert notice.context["periods"]["statement_defence"] == 5
