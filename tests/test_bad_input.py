"""Bad input, wrong roles, forged ids, out-of-order and repeated requests, as a tester would try them.

What the product promises: bad input gets a clear error in Chinese on the page (a 4xx JSON error on the API),
never a 500, and nothing half-written; wrong roles get 403, other enterprises' records 404; forged ids,
out-of-order transitions, expired deadlines and double submits are refused. Behaviour that is right today is
tested plainly, to keep it so; the bugs this sweep found are fixed and their tests kept as regressions.

Clients are built with raise_request_exception=False, so a crash shows up as a 500 status.
"""

import datetime
import json
import pathlib
import re

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from enterprises.models import Sector
from hazards import penalty_services as ps
from hazards import services
from hazards.demo import _advance_penalty
from hazards.flows import BlacklistFlow, ExtensionFlow, PenaltyFlow, RectificationFlow
from hazards.models import (
    Attachment, BlacklistEntry, ExtensionRequest, GovernancePlan, Hazard, Inspection, PartyStatement, PenaltyCase,
    RectificationProof, Reinspection,
)
from tests import factories as f
from tests.sweep import api, json_text, page, shown_errors  # noqa: F401 - fixtures
from workflow.engine import open_human_task
from workflow.models import AuditEntry, Notice

BIG = 10**20  # larger than any database integer
ALLOWED_LATIN = {"JPEG", "PNG", "PDF", "YYYY", "MM", "DD",
                 "list", "str", "int", "dict", "bool", "float",  # Python type names inside DRF's Chinese messages
                 "null", "code"}  # "该字段不能为 null"; "属性 code 为 … 的对象不存在" names the slug field of a provision or sector


# --- helpers --------------------------------------------------------------------------------------------------

def snapshot():
    """Everything a refused request must leave untouched, media files included."""
    media = pathlib.Path(settings.MEDIA_ROOT)
    return {
        "audit": AuditEntry.objects.count(), "notices": Notice.objects.count(),
        "penalties": PenaltyCase.objects.count(), "hazards": Hazard.objects.count(),
        "inspections": Inspection.objects.count(), "attachments": Attachment.objects.count(),
        "proofs": RectificationProof.objects.count(), "plans": GovernancePlan.objects.count(),
        "extensions": ExtensionRequest.objects.count(), "statements": PartyStatement.objects.count(),
        "reinspections": Reinspection.objects.count(), "blacklist": BlacklistEntry.objects.count(),
        "files": sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0,
    }


def latin_words(text):
    return re.findall(r"[A-Za-z]{3,}", text)


def english(text, echoed=None):
    """Latin words in a message, less those the user typed (messages may quote the bad value back)."""
    allowed = set(ALLOWED_LATIN)
    values = echoed.values() if isinstance(echoed, dict) else [echoed] if echoed is not None else []
    for value in values:
        for item in value if isinstance(value, (list, tuple)) else [value]:
            allowed.update(latin_words(str(getattr(item, "name", item))))
    return [w for w in latin_words(text) if w not in allowed]


def assert_chinese_json_error(response, status):
    assert response.status_code == status, response.content.decode()[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    text = json_text(response)
    assert text.strip() and not english(text, getattr(response, "sent", None)), text


def assert_refused_on_page(response, *fragments):
    assert response.status_code == 200, response.status_code
    errors = shown_errors(response)
    assert errors and not english(errors, getattr(response, "sent", None)), errors
    for fragment in fragments:
        assert fragment in errors, errors


def later(days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10,
                                                 tzinfo=timezone.get_current_timezone()), tick=False)


def other_enterprise_case():
    """An ordered case at 正阳新材料 (enterprise2's company)."""
    case = f.inspection(ent=f.enterprise(f.XINCAILIAO), sector="hazardous_chemicals")
    f.hazard(case, sector="hazardous_chemicals")
    services.inspection_submit(user=f.user("inspector"), inspection=case)
    services.order_decide(user=f.user("officehead"), task_id=f.task_id(case, RectificationFlow.approve_order),
                          approve=True)
    case.refresh_from_db()
    return case


def penalty_at(stage, serious=False):
    case = f.failed_case()
    if stage != "proposed":
        _advance_penalty(case, stage, serious=serious)
    return PenaltyCase.objects.get(pk=case.pk)


def ptask(case, node):
    task = open_human_task(PenaltyCase.objects.get(pk=case.pk).process, node)
    assert task is not None, node.name
    return task.pk


# === pages: reading ==============================================================================================

def test_staff_lists_shrug_off_garbage_query_strings(page, committee):
    f.ordered(items=1)
    inspector = page("inspector")
    for url in ("/cases/?page=abc&state=<script>x&overdue=maybe", f"/cases/?page={BIG}", "/cases/?page=-1",
                "/hazards/?page=abc&state=<script>x&level=<b>&overdue=maybe&q=%25_%00", "/hazards/?q=" + "长" * 3000,
                "/penalties/?page=abc&state=<script>x&mine=maybe&q=<i>", "/blacklist/?page=abc&state=<script>x",
                "/disclosure/?page=abc&q=<script>x"):
        r = inspector.get(url)
        assert r.status_code == 200, url
        assert "<script>x" not in r.content.decode(), url


@pytest.mark.parametrize("url", [
    "/cases/{big}/", "/cases/{big}/edit/", "/cases/{big}/hazards/new/", "/tasks/{big}/", "/tasks/999999/",
    "/attachments/{big}/", "/notices/{big}/pdf/", "/penalties/{big}/", "/disclosure/{big}/", "/disclosure/999999/",
    "/penalties/new/?hazard=abc", "/penalties/new/?hazard={big}", "/penalties/new/?inspection=1.5",
    "/penalties/new/?inspection=-1", "/v/00000000-0000-0000-0000-000000000000/",
])
def test_forged_or_huge_ids_are_a_chinese_404_on_pages(page, committee, url):
    r = page("inspector").get(url.format(big=BIG))
    assert r.status_code == 404
    body = r.content.decode()
    assert "不存在" in body or "未找到" in body


def test_anonymous_visitors_are_sent_to_log_in_and_public_pages_stay_public(page, committee):
    case = f.ordered(items=1)
    hazard = case.hazards.get()
    anonymous = page()
    for url in ("/", "/cases/", "/cases/new/", f"/cases/{case.pk}/", "/hazards/", "/portal/",
                f"/portal/hazards/{hazard.pk}/", "/penalties/", "/penalties/new/", "/blacklist/",
                f"/attachments/{hazard.attachments.first().pk}/", f"/tasks/{BIG}/"):
        r = anonymous.get(url)
        assert r.status_code == 302 and r.url.startswith("/accounts/login/"), url
    before = snapshot()
    r = anonymous.post(f"/portal/hazards/{hazard.pk}/", {"action": "proof", "proof-report": "x",
                                                          "proof-files": [f.photo()]})
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")
    assert snapshot() == before
    assert anonymous.get("/disclosure/").status_code == 200


def test_enterprise_users_get_403_on_staff_pages_and_404_on_other_enterprises(page, committee):
    mine, theirs = f.ordered(items=1), other_enterprise_case()
    ent = page("enterprise")
    for url in ("/cases/", "/cases/new/", "/hazards/", "/penalties/", "/penalties/new/", "/blacklist/",
                f"/cases/{mine.pk}/edit/", f"/cases/{mine.pk}/hazards/new/"):
        r = ent.get(url)
        assert r.status_code == 403 and "无权访问" in r.content.decode(), url
    hazard = theirs.hazards.get()
    for url in (f"/portal/cases/{theirs.pk}/", f"/portal/hazards/{hazard.pk}/", f"/cases/{theirs.pk}/",
                f"/attachments/{hazard.attachments.first().pk}/",
                f"/notices/{Notice.objects.filter(inspection=theirs).first().pk}/pdf/"):
        assert ent.get(url).status_code == 404, url


def test_staff_get_403_on_the_portal(page, committee):
    case = f.ordered(items=1)
    for username in ("inspector", "builder", "legal", "supervisor"):
        for url in ("/portal/", f"/portal/cases/{case.pk}/", f"/portal/hazards/{case.hazards.get().pk}/"):
            assert page(username).get(url).status_code == 403, (username, url)


def test_an_enterprise_never_sees_internal_approval_sheets(page, api, committee):
    case = f.filed()
    filing = Notice.objects.get(penalty_case=case, kind="case_filing")
    assert page("enterprise").get(f"/notices/{filing.pk}/pdf/").status_code == 404
    assert api("enterprise").get(f"/api/v1/notices/{filing.pk}/pdf/").status_code == 404


# === pages: the rectification loop ===============================================================================

def test_bad_inspection_form_input_is_explained_in_chinese_and_nothing_is_created(page, users, committee, today):
    ent = f.enterprise()
    good = {"enterprise": ent.pk, "sector": Sector.objects.get(code="industry_trade").pk,
            "inspected_on": today.isoformat(), "place": "车间", "enterprise_representative": "李国强",
            "inspectors": [users["inspector"].pk, users["inspector2"].pk], "signature": "signed"}
    cases = [
        ({"inspected_on": "2026-02-30"}, "输入一个有效的日期"), ({"inspected_on": "yesterday"}, "输入一个有效的日期"),
        ({"inspected_on": (today + datetime.timedelta(days=1)).isoformat()}, "检查日期不能晚于今天"),
        ({"enterprise": "abc"}, "选择一个有效的选项"), ({"enterprise": str(BIG)}, "选择一个有效的选项"),
        ({"inspectors": ["abc"]}, "不是一个有效的值"), ({"inspectors": [users["inspector"].pk]}, "不得少于两名执法人员"),
        ({"inspectors": [users["enterprise"].pk, users["inspector"].pk]}, "选择一个有效的选项"),
        ({"signature": "refused"}, "应注明拒签情况"), ({"signature": "bogus"}, "选择一个有效的选项"),
        ({"place": "长" * 201}, "不超过 200 字符"), ({"sector": Sector.objects.get(code="construction").pk}, "不属于该企业"),
        ({"place": ""}, "该字段是必填项"),
    ]
    inspector = page("inspector")
    before = snapshot()
    for change, message in cases:
        assert_refused_on_page(inspector.post("/cases/new/", {**good, **change}), message)
    assert snapshot() == before
    assert page("supervisor").post("/cases/new/", good).status_code == 403  # a leader has no office
    assert page("enterprise").post("/cases/new/", good).status_code == 403
    assert snapshot() == before


def test_bad_hazard_form_input_is_explained_in_chinese_and_nothing_is_written(page, committee, today):
    case = f.inspection()
    good = {"description": "配电箱未设置漏电保护装置", "location": "机加工车间",
            "sector": Sector.objects.get(code="industry_trade").pk, "level": "general", "legal_basis": "《安全生产法》"}
    inspector = page("inspector")
    before = snapshot()
    for change, message in [
        ({"deadline": "2026-02-30"}, "输入一个有效的日期"), ({"deadline": "yesterday"}, "输入一个有效的日期"),
        ({"deadline": today.isoformat()}, "整改期限必须晚于今天"), ({"deadline": "2000-01-01"}, "整改期限必须晚于今天"),
        ({"level": "major"}, "须填写现场处理措施"), ({"level": "catastrophic"}, "选择一个有效的选项"),
        ({"fixed_on_spot": "on"}, "须上传整改后的照片"),
        ({"fixed_on_spot": "on", "level": "major", "measures": "停止使用"}, "不能按当场整改处理"),
        ({"sector": str(BIG)}, "选择一个有效的选项"), ({"photos": [f.fake_image()]}, "不是JPEG 或 PNG 图片"),
        ({"photos": [f.pdf_file()]}, "不是JPEG 或 PNG 图片"), ({"description": ""}, "该字段是必填项"),
    ]:
        assert_refused_on_page(inspector.post(f"/cases/{case.pk}/hazards/new/", {**good, **change}), message)
    assert snapshot() == before
    for username in ("builder", "inspector3", "legal"):  # not one of this inspection's inspectors
        r = page(username).post(f"/cases/{case.pk}/hazards/new/", {**good, "photos": [f.photo()]})
        assert r.status_code == 403 and "仅本次检查的执法人员" in r.content.decode(), username
    assert page("enterprise").post(f"/cases/{case.pk}/hazards/new/", good).status_code == 403
    assert snapshot() == before


def test_draft_edits_deletes_and_submits_refuse_the_wrong_people_and_the_wrong_moment(page, committee):
    draft, ordered = f.inspection(), f.ordered(items=1)
    hazard = f.hazard(draft)
    before = snapshot()
    edit = {"place": "改", "enterprise_representative": "李", "signature": "signed",
            "inspectors": [f.user("inspector").pk, f.user("inspector2").pk]}
    for username in ("builder", "inspector3", "legal", "supervisor"):
        client = page(username)
        assert client.post(f"/cases/{draft.pk}/submit/").status_code == 403, username
        assert client.post(f"/cases/{draft.pk}/hazards/{hazard.pk}/delete/").status_code == 403, username
        assert client.post(f"/cases/{draft.pk}/edit/", edit).status_code == 403, username
    inspector = page("inspector")
    # a hazard id under another case's URL, a GET on a POST-only action
    assert inspector.post(f"/cases/{ordered.pk}/hazards/{hazard.pk}/delete/").status_code == 404
    assert inspector.get(f"/cases/{draft.pk}/hazards/{hazard.pk}/delete/").status_code == 405
    assert snapshot() == before
    # after submission: no more edits, deletes or submits, each with a Chinese message
    r = inspector.post(f"/cases/{ordered.pk}/hazards/{ordered.hazards.get().pk}/delete/", follow=True)
    assert "检查记录已提交，不能再修改" in shown_errors(r)
    r = inspector.post(f"/cases/{ordered.pk}/submit/", follow=True)
    assert "请刷新页面" in shown_errors(r) or "不能再修改" in shown_errors(r)
    r = inspector.post(f"/cases/{ordered.pk}/edit/", {"place": "p", "enterprise_representative": "r",
                                                      "signature": "signed", "inspectors": [
                                                          f.user("inspector").pk, f.user("inspector2").pk]},
                       follow=True)
    assert "检查记录已提交，不能再修改" in shown_errors(r)
    assert snapshot() == before


def test_order_approval_refuses_bad_input_other_offices_expired_deadlines_and_a_second_post(page, committee, today,
                                                                                              in_days):
    case = f.submitted(items=1)
    url = f"/tasks/{f.task_id(case, RectificationFlow.approve_order)}/"
    head = page("officehead")
    before = snapshot()
    assert_refused_on_page(head.post(url, {"decision": "bogus"}), "选择一个有效的选项")
    assert_refused_on_page(head.post(url, {"decision": "reject"}), "须填写退回理由")
    assert_refused_on_page(head.post(url, {"decision": "reject", "comment": "长" * 301}), "不超过 300 字符")
    for username in ("buildhead", "builder", "inspector", "legal", "supervisor", "enterprise"):
        assert page(username).post(url, {"decision": "approve"}).status_code == 403, username
    case.hazards.update(deadline=today - datetime.timedelta(days=1))
    assert_refused_on_page(head.post(url, {"decision": "approve"}), "整改期限已过")
    assert snapshot() == before
    case.hazards.update(deadline=in_days(10))
    assert head.post(url, {"decision": "approve"}).status_code == 302
    written = snapshot()
    r = head.post(url, {"decision": "approve"}, follow=True)
    assert "该任务已处理完毕" in r.content.decode()
    assert snapshot() == written


def test_portal_hazard_refuses_bad_proof_extension_and_plan_input(page, committee, today):
    hazard = f.ordered(items=1).hazards.get()
    url = f"/portal/hazards/{hazard.pk}/"
    ent = page("enterprise")
    before = snapshot()
    for data, message in [
        ({"action": "proof"}, "该字段是必填项"),
        ({"action": "proof", "proof-report": "已整改"}, "请至少上传一张"),
        ({"action": "proof", "proof-report": "已整改", "proof-files": [f.photo(), f.fake_image()]}, "不是JPEG、PNG 图片或 PDF 文件"),
        ({"action": "proof", "proof-report": "   ", "proof-files": [f.photo()]}, "该字段是必填项"),
        ({"action": "extension"}, "该字段是必填项"),
        ({"action": "extension", "ext-requested_deadline": "2026-02-30", "ext-reason": "r"}, "输入一个有效的日期"),
        ({"action": "extension", "ext-requested_deadline": "yesterday", "ext-reason": "r"}, "输入一个有效的日期"),
        ({"action": "extension", "ext-requested_deadline": today.isoformat(), "ext-reason": "r"}, "须晚于原整改期限"),
        ({"action": "plan", "plan-goal_and_tasks": "g"}, "提交未成功"),
    ]:
        assert_refused_on_page(ent.post(url, data), message)
    assert ent.post(url, {"action": "bogus"}).status_code == 200
    assert snapshot() == before
    proof = {"action": "proof", "proof-report": "已整改", "proof-files": [f.photo()]}
    assert page("enterprise2").post(url, proof).status_code == 404
    for username in ("inspector", "builder", "supervisor"):
        assert page(username).post(url, proof).status_code == 403, username
    assert snapshot() == before


def test_portal_hazard_refuses_a_second_proof_a_second_extension_and_a_late_extension(page, committee):
    first, second = f.ordered(items=2).hazards.all()
    ent = page("enterprise")
    extension = {"action": "extension", "ext-requested_deadline": (first.deadline + datetime.timedelta(days=7)).isoformat(),
                 "ext-reason": "设备到货延迟"}
    assert ent.post(f"/portal/hazards/{first.pk}/", extension).status_code == 302
    proof = {"action": "proof", "proof-report": "已整改", "proof-files": [f.photo()]}
    assert ent.post(f"/portal/hazards/{second.pk}/", proof).status_code == 302
    written = snapshot()
    assert_refused_on_page(ent.post(f"/portal/hazards/{first.pk}/", extension), "请勿重复提交")
    assert_refused_on_page(ent.post(f"/portal/hazards/{second.pk}/", {
        "action": "proof", "proof-report": "再次提交", "proof-files": [f.photo()]}), "不能提交整改佐证")
    assert snapshot() == written
    Hazard.objects.filter(pk=first.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    ExtensionRequest.objects.update(decision="rejected")
    assert_refused_on_page(ent.post(f"/portal/hazards/{first.pk}/", extension), "整改期限已届满")
    assert snapshot() == written


def test_portal_plan_form_refuses_bad_input_and_out_of_order_actions(page, committee, in_days):
    hazard = f.ordered(items=1, level="major").hazards.get()
    url = f"/portal/hazards/{hazard.pk}/"
    ent = page("enterprise")
    good = {"action": "plan", "plan-goal_and_tasks": "g", "plan-methods_and_measures": "m",
            "plan-funds_and_materials": "f", "plan-organisation_and_people": "o",
            "plan-time_limit": in_days(30).isoformat(), "plan-safety_and_emergency": "s"}
    before = snapshot()
    for data, message in [
        ({**good, "plan-time_limit": "2026-02-30"}, "输入一个有效的日期"), ({**good, "plan-time_limit": "2000-01-01"}, "治理时限必须晚于今天"),
        ({**good, "plan-files": [f.photo(), f.fake_image()]}, "不是JPEG、PNG 图片或 PDF 文件"),
        ({"action": "proof", "proof-report": "r", "proof-files": [f.photo()]}, "不能提交整改佐证"),
        ({"action": "extension", "ext-requested_deadline": in_days(90).isoformat(), "ext-reason": "r"}, "只有整改中的隐患可以申请延期"),
    ]:
        assert_refused_on_page(ent.post(url, data), message)
    assert page("enterprise2").post(url, good).status_code == 404
    assert snapshot() == before
    assert ent.post(url, good).status_code == 302
    written = snapshot()
    assert_refused_on_page(ent.post(url, good), "当前不需要提交治理方案")
    assert snapshot() == written


def test_reinspection_page_refuses_bad_input_and_a_refusal_rolls_back_every_item(page, users, committee):
    case = f.ordered(items=2)
    f.prove(case)
    first, second = case.hazards.all()
    url = f"/tasks/{f.task_id(case, RectificationFlow.reinspect)}/"
    good = {"co_inspectors": [users["inspector"].pk], f"result_{first.pk}": "fail", f"comment_{first.pk}": "未整改",
            f"result_{second.pk}": "pass"}
    reinspector = page("inspector2")
    before = snapshot()
    for change, message in [
        ({"co_inspectors": ["abc"]}, "不是一个有效的值"), ({"co_inspectors": [users["builder"].pk]}, "选择一个有效的选项"),
        ({"co_inspectors": []}, "该字段是必填项"), ({f"result_{second.pk}": "maybe"}, "选择一个有效的选项"),
        ({f"deadline_{first.pk}": "2026-02-30"}, "输入一个有效的日期"), ({f"deadline_{first.pk}": "2000-01-01"}, "必须晚于今天"),
        # the first item fails correctly, the second is refused: nothing of the first may stay behind
        ({f"result_{second.pk}": "fail", f"comment_{second.pk}": ""}, "隐患 2 复查不合格，须写明原因"),
    ]:
        assert_refused_on_page(reinspector.post(url, {**good, **change}), message)
    for username in ("builder", "legal", "supervisor", "enterprise"):
        assert page(username).post(url, good).status_code == 403, username
    assert snapshot() == before
    assert reinspector.post(url, good).status_code == 302
    written = snapshot()
    assert "该任务已处理完毕" in reinspector.post(url, good, follow=True).content.decode()
    assert snapshot() == written


def test_plan_and_closure_decisions_refuse_bad_input_and_other_offices(page, committee):
    case = f.ordered(items=1, level="major")
    hazard = case.hazards.get()
    services.plan_submit(user=f.user("enterprise"), hazard=hazard, goal_and_tasks="g", methods_and_measures="m",
                         funds_and_materials="f", organisation_and_people="o",
                         time_limit=timezone.localdate() + datetime.timedelta(days=30), safety_and_emergency="s")
    case.refresh_from_db()
    url = f"/tasks/{f.plan_task_id(hazard)}/"
    head = page("officehead")
    before = snapshot()
    assert_refused_on_page(head.post(url, {f"comment_{hazard.pk}": ""}), "该字段是必填项")
    assert_refused_on_page(head.post(url, {f"decision_{hazard.pk}": "maybe"}), "选择一个有效的选项")
    assert_refused_on_page(head.post(url, {f"decision_{hazard.pk}": "reject"}), "未通过，须填写理由")
    for username in ("buildhead", "inspector", "supervisor"):
        assert page(username).post(url, {f"decision_{hazard.pk}": "approve"}).status_code == 403, username
    assert snapshot() == before


# === pages: the penalty loop ====================================================================================

def test_filing_page_refuses_bad_officers_and_other_offices(page, users, committee):
    case = penalty_at("proposed")
    url = f"/tasks/{ptask(case, PenaltyFlow.approve_filing)}/"
    head = page("officehead")
    before = snapshot()
    for data, message in [
        ({"decision": "approve", "officers": ["abc"]}, "不是一个有效的值"),
        ({"decision": "approve", "officers": [users["builder"].pk, users["builder2"].pk]}, "选择一个有效的选项"),
        ({"decision": "approve", "officers": [users["inspector"].pk]}, "不得少于两人"),
        ({"decision": "reject"}, "不予立案须写明理由"), ({"decision": "x"}, "选择一个有效的选项"),
    ]:
        assert_refused_on_page(head.post(url, data), message)
    officers = [users["inspector"].pk, users["inspector2"].pk]
    for username in ("buildhead", "inspector", "legal", "supervisor", "enterprise"):
        assert page(username).post(url, {"decision": "approve", "officers": officers}).status_code == 403, username
    assert snapshot() == before
    assert page("enterprise").get(f"/portal/penalties/{case.pk}/").status_code == 404  # not filed: not shown


def test_investigation_page_refuses_bad_input_non_officers_and_revocation_by_an_officer(page, committee):
    case = penalty_at("filed")
    url = f"/tasks/{ptask(case, PenaltyFlow.investigate)}/"
    inspector = page("inspector")
    good = {"facts": "未消除隐患", "evidence": "复查意见书", "provision": f.provision().pk}
    before = snapshot()
    for change, message in [({"provision": str(BIG)}, "选择一个有效的选项"), ({"provision": "abc"}, "选择一个有效的选项"),
                            ({"facts": "  "}, "该字段是必填项"), ({"responsible_person": "长" * 31}, "不超过 30 字符")]:
        assert_refused_on_page(inspector.post(url, {**good, **change}), message)
    assert inspector.post(url, {"action": "revoke", "revoke-reason": "不成立"}).status_code == 403
    assert_refused_on_page(page("officehead").post(url, {"action": "revoke", "revoke-reason": " "}), "该字段是必填项")
    for username in ("inspector3", "builder", "legal"):
        assert page(username).post(url, good).status_code == 403, username
    assert snapshot() == before


def test_notification_page_refuses_bad_amounts_and_non_officers(page, committee):
    case = penalty_at("investigating")
    url = f"/tasks/{ptask(case, PenaltyFlow.notify)}/"
    inspector = page("inspector")
    before = snapshot()
    for change, message in [
        ({"org_fine": "abc"}, "输入整数"), ({"org_fine": "-1"}, "大于或等于0"), ({"org_fine": "1e5"}, "输入整数"),
        ({"org_fine": "30000.5"}, "输入整数"), ({"org_fine": str(BIG)}, "50000 元之间"), ({"org_fine": "0"}, "不得少于 1 元"),
        ({"org_fine": "60000"}, "50000 元之间"), ({"org_fine": "30000", "person_fine": "10000"}, "未规定对个人的罚款"),
        ({"org_fine": "30000", "suspension": "on"}, "不允许责令停产停业整顿"),
    ]:
        assert_refused_on_page(inspector.post(url, {"action": "notify", **change}), message)
    for username in ("inspector3", "builder", "officehead", "supervisor", "enterprise"):
        assert page(username).post(url, {"action": "notify", "org_fine": "30000"}).status_code == 403, username
    assert snapshot() == before


def test_the_party_cannot_file_out_of_time_out_of_scope_or_for_someone_else(page, committee, today):
    case = penalty_at("notified")
    url = f"/portal/penalties/{case.pk}/"
    ent = page("enterprise")
    before = snapshot()
    assert_refused_on_page(ent.post(url, {"action": "statement", "statement-text": "  "}), "该字段是必填项")
    assert_refused_on_page(ent.post(url, {"action": "hearing"}), "不属于听证范围")
    assert page("enterprise2").post(url, {"action": "statement", "statement-text": "冒名"}).status_code == 404
    assert page("inspector").post(url, {"action": "statement", "statement-text": "x"}).status_code == 403
    PenaltyCase.objects.filter(pk=case.pk).update(statement_due=today - datetime.timedelta(days=1))
    assert_refused_on_page(ent.post(url, {"action": "statement", "statement-text": "补充"}), "陈述申辩期限已于")
    assert snapshot() == before


def test_penalty_case_page_actions_refuse_the_wrong_people_and_repeats(page, committee, in_days):
    case = penalty_at("notified")
    url = f"/penalties/{case.pk}/"
    before = snapshot()
    schedule = {"action": "schedule", "hearing-hearing_on": in_days(30).isoformat(), "hearing-place": "三楼"}
    assert_refused_on_page(page("inspector").post(url, schedule), "本案当前不在听证阶段")
    for username in ("inspector", "buildhead", "legal"):
        assert page(username).post(url, {"action": "extend", "ext-reason": "案情复杂"}).status_code == 403, username
    assert_refused_on_page(page("supervisor").post(url, {"action": "extend", "ext-reason": " "}), "该字段是必填项")
    assert snapshot() == before
    supervisor = page("supervisor")
    assert supervisor.post(url, {"action": "extend", "ext-reason": "案情复杂"}).status_code == 302
    written = snapshot()
    assert_refused_on_page(supervisor.post(url, {"action": "extend", "ext-reason": "再延"}), "已经延长过一次")
    assert snapshot() == written


def test_hearing_schedule_refuses_a_date_too_soon_and_non_officers(page, committee, today, in_days):
    case = penalty_at("investigating")
    ps.notification_issue(user=f.user("inspector"), task_id=ptask(case, PenaltyFlow.notify), org_fine=50000)
    ps.hearing_request(user=f.user("enterprise"), case=case, text="申请听证")
    url = f"/penalties/{case.pk}/"
    before = snapshot()
    for change, message in [({"hearing-hearing_on": today.isoformat()}, "七个工作日前通知"),
                            ({"hearing-hearing_on": "2026-02-30"}, "输入一个有效的日期"), ({"hearing-place": " "}, "该字段是必填项")]:
        data = {"action": "schedule", "hearing-hearing_on": in_days(30).isoformat(), "hearing-place": "三楼", **change}
        assert_refused_on_page(page("inspector").post(url, data), message)
    r = page("inspector3").post(url, {"action": "schedule", "hearing-hearing_on": in_days(30).isoformat(),
                                      "hearing-place": "三楼"})
    assert r.status_code == 403
    assert_refused_on_page(page("enterprise").post(f"/portal/penalties/{case.pk}/", {"action": "hearing"}),
                           "当前阶段不能申请听证")
    assert snapshot() == before


def test_decision_page_refuses_bad_amounts_heavier_penalties_expired_deadlines_and_wrong_roles(page, committee,
                                                                                                today, in_days):
    case = penalty_at("awaiting_decision")
    url = f"/tasks/{ptask(case, PenaltyFlow.decide)}/"
    leader = page("supervisor")
    before = snapshot()
    for data, message in [
        ({"outcome": "decide", "org_fine": "abc"}, "输入整数"), ({"outcome": "decide", "org_fine": "-1"}, "大于或等于0"),
        ({"outcome": "decide", "org_fine": str(BIG)}, "不得重于告知的处罚"), ({"outcome": "decide", "org_fine": "40000"}, "不得重于告知的处罚"),
        ({"outcome": "x"}, "选择一个有效的选项"), ({"outcome": "no_penalty"}, "不予处罚须写明理由"),
        ({"outcome": "renotify"}, "退回重新告知须写明理由"), ({"outcome": "decide", "org_fine": "0"}, "请填写罚款数额"),
    ]:
        assert_refused_on_page(leader.post(url, data), message)
    for username in ("inspector", "officehead", "legal", "buildhead", "enterprise"):
        assert page(username).post(url, {"outcome": "decide", "org_fine": "30000"}).status_code == 403, username
    PenaltyCase.objects.filter(pk=case.pk).update(decision_due=today - datetime.timedelta(days=1))
    assert_refused_on_page(leader.post(url, {"outcome": "decide", "org_fine": "30000"}), "已超过作出处罚决定的期限")
    assert snapshot() == before
    PenaltyCase.objects.filter(pk=case.pk).update(decision_due=in_days(30))
    assert leader.post(url, {"outcome": "decide", "org_fine": "30000"}).status_code == 302
    written = snapshot()
    assert "该任务已处理完毕" in leader.post(url, {"outcome": "decide", "org_fine": "30000"}, follow=True).content.decode()
    assert snapshot() == written


def test_service_payment_and_closing_pages_refuse_bad_dates_amounts_and_people(page, committee, today):
    case = penalty_at("decided")
    url = f"/tasks/{ptask(case, PenaltyFlow.serve)}/"
    inspector = page("inspector")
    good = {"served_on": today.isoformat(), "method": "in_person", "recipient": "李国强"}
    before = snapshot()
    for change, message in [
        ({"served_on": "2026-02-30"}, "输入一个有效的日期"), ({"served_on": "2000-01-01"}, "送达日期应在作出决定之日至今天之间"),
        ({"served_on": "2999-01-01"}, "送达日期应在作出决定之日至今天之间"), ({"method": "pigeon"}, "选择一个有效的选项"),
        ({"method": "left"}, "须有见证人"), ({"method": "electronic"}, "须经当事人同意"), ({"recipient": " "}, "该字段是必填项"),
        ({"recipient": "长" * 61}, "不超过 60 字符"),
    ]:
        assert_refused_on_page(inspector.post(url, {**good, **change}), message)
    for username in ("inspector3", "supervisor", "enterprise"):
        assert page(username).post(url, good).status_code == 403, username
    assert snapshot() == before
    assert inspector.post(url, good).status_code == 302
    ps.disclosure_publish(user=f.user("inspector"), task_id=ptask(case, PenaltyFlow.disclose))
    url = f"/tasks/{ptask(case, PenaltyFlow.record_payment)}/"
    good = {"paid_on": today.isoformat(), "amount": "30000", "receipt": "FK-1"}
    before = snapshot()
    for change, message in [
        ({"amount": "abc"}, "输入整数"), ({"amount": str(BIG)}, "登记金额不符"), ({"amount": "-30000"}, "大于或等于0"),
        ({"amount": "29999"}, "登记金额不符"), ({"paid_on": "2999-01-01"}, "缴款日期应在送达之日至今天之间"),
        ({"paid_on": "2000-01-01"}, "缴款日期应在送达之日至今天之间"), ({"paid_on": "yesterday"}, "输入一个有效的日期"),
        ({"receipt": " "}, "该字段是必填项"),
    ]:
        assert_refused_on_page(inspector.post(url, {**good, **change}), message)
    for username in ("inspector3", "enterprise"):
        assert page(username).post(url, good).status_code == 403, username
    assert snapshot() == before
    assert inspector.post(url, good).status_code == 302
    url = f"/tasks/{ptask(case, PenaltyFlow.approve_closing)}/"
    for username in ("inspector", "buildhead", "legal", "supervisor"):
        assert page(username).post(url, {"comment": "同意"}).status_code == 403, username
    assert_refused_on_page(page("officehead").post(url, {"comment": "长" * 301}), "不超过 300 字符")


def test_legal_review_and_deliberation_pages_refuse_bad_input_and_wrong_roles(page, committee, today):
    case = penalty_at("legal_review", serious=True)
    url = f"/tasks/{ptask(case, PenaltyFlow.legal_review)}/"
    before = snapshot()
    assert_refused_on_page(page("legal").post(url, {"decision": "approve", "opinion": " "}), "该字段是必填项")
    assert_refused_on_page(page("legal").post(url, {"decision": "x", "opinion": "o"}), "选择一个有效的选项")
    for username in ("inspector", "supervisor", "officehead"):
        assert page(username).post(url, {"decision": "approve", "opinion": "o"}).status_code == 403, username
    assert snapshot() == before
    ps.legal_review_decide(user=f.user("legal"), task_id=ptask(case, PenaltyFlow.legal_review), approve=True,
                           opinion="事实清楚")
    url = f"/tasks/{ptask(case, PenaltyFlow.deliberate)}/"
    good = {"participants": "肖培明、黄国栋、邓波", "held_on": today.isoformat(), "conclusion": "同意"}
    before = snapshot()
    for change, message in [({"participants": "甲、乙"}, "三名以上"), ({"participants": "、、、"}, "三名以上"),
                            ({"held_on": "2026-02-30"}, "输入一个有效的日期"), ({"held_on": "yesterday"}, "输入一个有效的日期"),
                            ({"held_on": "2999-01-01"}, "讨论日期不能晚于今天"), ({"conclusion": ""}, "该字段是必填项")]:
        assert_refused_on_page(page("supervisor").post(url, {**good, **change}), message)
    for username in ("inspector", "legal", "officehead"):
        assert page(username).post(url, good).status_code == 403, username
    assert snapshot() == before


def test_penalty_proposal_page_refuses_bad_input_and_a_second_case_for_the_same_hazard(page, committee):
    hazard = f.ordered(items=1).hazards.get()
    inspector = page("inspector")
    before = snapshot()
    for data, message in [({"enterprise": str(BIG), "cause": "c"}, "选择一个有效的选项"),
                          ({"enterprise": "abc", "cause": "c"}, "选择一个有效的选项"),
                          ({"enterprise": f.enterprise().pk, "cause": " "}, "该字段是必填项"),
                          ({"enterprise": f.enterprise().pk, "cause": "长" * 201}, "不超过 200 字符")]:
        assert_refused_on_page(inspector.post("/penalties/new/", data), message)
    assert inspector.post("/penalties/new/", {"hazard": str(BIG), "cause": "c"}).status_code == 404
    assert_refused_on_page(page("supervisor").post("/penalties/new/", {"enterprise": f.enterprise().pk, "cause": "c"}),
                           "请从部室执法人员账号提出")
    assert page("enterprise").post("/penalties/new/", {"enterprise": f.enterprise().pk, "cause": "c"}).status_code == 403
    assert snapshot() == before
    assert inspector.post("/penalties/new/", {"hazard": hazard.pk, "cause": "未消除隐患"}).status_code == 302
    written = snapshot()
    assert_refused_on_page(inspector.post("/penalties/new/", {"hazard": hazard.pk, "cause": "再提"}), "已有正在办理的处罚案件")
    assert snapshot() == written


def test_blacklist_pages_refuse_out_of_order_missing_and_unauthorised_requests(page, committee):
    entry = BlacklistEntry.objects.create(enterprise=f.enterprise(), kind="blacklist", reason="两次处罚")
    BlacklistFlow.start.run(entry=entry)
    url = f"/tasks/{open_human_task(entry.process, BlacklistFlow.approve).pk}/"
    leader = page("supervisor")
    before = snapshot()
    r = leader.post(f"/blacklist/{entry.pk}/delist/", {"reason": "整改到位"}, follow=True)  # not listed yet
    assert "不允许此操作" in shown_errors(r)
    assert leader.post("/blacklist/999999/delist/", {"reason": "x"}).status_code == 404
    assert leader.get(f"/blacklist/{entry.pk}/delist/").status_code == 405
    assert_refused_on_page(leader.post(url, {"decision": "x"}), "选择一个有效的选项")
    assert_refused_on_page(leader.post(url, {"decision": "reject"}), "不予列入须写明理由")
    for username in ("inspector", "officehead", "legal", "enterprise"):
        assert page(username).post(url, {"decision": "approve"}).status_code == 403, username
        assert page(username).post(f"/blacklist/{entry.pk}/delist/", {"reason": "x"}).status_code == 403, username
    assert snapshot() == before


# === API ==========================================================================================================

def test_api_requires_a_login_except_for_the_public_disclosures(api, committee):
    anonymous = api()
    for url in ("/api/v1/enterprises/", "/api/v1/inspections/", "/api/v1/hazards/", "/api/v1/tasks/",
                "/api/v1/notices/", "/api/v1/penalties/", "/api/v1/blacklist/", "/api/v1/provisions/"):
        assert_chinese_json_error(anonymous.get(url), 403)
    assert_chinese_json_error(anonymous.post("/api/v1/inspections/", {}, format="json"), 403)
    assert anonymous.get("/api/v1/disclosures/").status_code == 200
    assert_chinese_json_error(anonymous.get("/api/v1/disclosures/?page=abc"), 404)
    assert_chinese_json_error(APIClient(HTTP_AUTHORIZATION="Token bogus").get("/api/v1/hazards/"), 403)


def test_api_lists_shrug_off_garbage_filters_and_refuse_garbage_pages(api, committee):
    f.ordered(items=1)
    inspector = api("inspector")
    r = inspector.get("/api/v1/hazards/?state=<script>&level=x&overdue=maybe&q=%25%00")
    assert r.status_code == 200 and r.json()["count"] == 0
    for url in ("/api/v1/hazards/?page=abc", "/api/v1/hazards/?page=0", "/api/v1/inspections/?page=-1",
                "/api/v1/enterprises/?page=99"):
        assert_chinese_json_error(inspector.get(url), 404)


def test_api_other_enterprises_records_are_404_and_staff_actions_403_for_enterprises(api, committee):
    theirs = other_enterprise_case()
    hazard = theirs.hazards.get()
    ent = api("enterprise")
    for url in (f"/api/v1/inspections/{theirs.pk}/", f"/api/v1/hazards/{hazard.pk}/",
                f"/api/v1/enterprises/{theirs.enterprise_id}/"):
        assert ent.get(url).status_code == 404, url
    before = snapshot()
    r = ent.post(f"/api/v1/hazards/{hazard.pk}/proofs/", {"report": "x", "files": [f.photo()]}, format="multipart")
    assert r.status_code == 404
    for url, body in (("/api/v1/inspections/", {}), ("/api/v1/penalties/", {}),
                      (f"/api/v1/inspections/{theirs.pk}/submit/", {}), (f"/api/v1/tasks/{BIG}/penalty/", {})):
        assert_chinese_json_error(ent.post(url, body, format="json"), 403)
    assert ent.get("/api/v1/tasks/").json()["count"] == 0
    assert snapshot() == before


@pytest.mark.parametrize("body", [[1, 2], "text", 42, True])
def test_api_non_object_bodies_get_a_chinese_400(api, committee, body):
    hazard = f.ordered(items=1).hazards.get()
    task = f.task_id(f.submitted(items=1), RectificationFlow.approve_order)
    before = snapshot()
    for client, url in ((api("inspector"), "/api/v1/inspections/"),
                        (api("enterprise"), f"/api/v1/hazards/{hazard.pk}/extension-requests/"),
                        (api("officehead"), f"/api/v1/tasks/{task}/order-decision/"),
                        (api("officehead"), "/api/v1/penalties/")):
        assert_chinese_json_error(client.post(url, json.dumps(body), content_type="application/json"), 400)
    assert snapshot() == before


def test_api_inspection_and_hazard_creation_refuse_bad_fields_in_chinese(api, users, committee, today):
    good = {"enterprise": f.enterprise().pk, "sector": "industry_trade", "place": "车间", "enterprise_representative": "李",
            "inspectors": [users["inspector"].pk, users["inspector2"].pk]}
    inspector = api("inspector")
    before = snapshot()
    for change in ({"enterprise": BIG}, {"enterprise": "abc"}, {"inspectors": [BIG]}, {"inspectors": "abc"},
                   {"inspectors": [users["enterprise"].pk, users["inspector"].pk]}, {"inspected_on": "2026-02-30"},
                   {"inspected_on": "yesterday"}, {"inspected_on": 20260101}, {"inspected_on": "2999-01-01"},
                   {"sector": "construction"}, {"sector": "<x>"}, {"signature": "refused"}, {"place": "长" * 201},
                   {"place": None}, {"enterprise_representative": ""}):
        r = inspector.post("/api/v1/inspections/", {**good, **change}, format="json")
        assert_chinese_json_error(r, 400)
    assert_chinese_json_error(api("supervisor").post("/api/v1/inspections/", {
        **good, "inspectors": [users["supervisor"].pk, users["inspector"].pk]}, format="json"), 403)
    draft = f.inspection()
    before = snapshot()
    hazard = {"description": "d", "location": "l", "sector": "industry_trade", "level": "general", "legal_basis": "b"}
    url = f"/api/v1/inspections/{draft.pk}/hazards/"
    for change, fmt in (({"deadline": "2026-02-30"}, "json"), ({"deadline": today.isoformat()}, "json"),
                        ({"level": "x"}, "json"), ({"photos": "notalist"}, "json"), ({"fixed_on_spot": "maybe"}, "json"),
                        ({"photos": [f.fake_image()]}, "multipart"), ({"level": "major"}, "json")):
        assert_chinese_json_error(inspector.post(url, {**hazard, **change}, format=fmt), 400)
    for username in ("builder", "inspector3"):
        assert_chinese_json_error(api(username).post(url, hazard, format="json"), 403)
    assert snapshot() == before


def test_api_hazard_actions_refuse_bad_bodies_wrong_people_and_repeats(api, committee, in_days):
    hazard = f.ordered(items=1).hazards.get()
    ent = api("enterprise")
    url = f"/api/v1/hazards/{hazard.pk}/"
    before = snapshot()
    for body, fmt in (({}, "multipart"), ({"report": "r"}, "multipart"), ({"report": "r", "files": []}, "json"),
                      ({"report": "r", "files": "x"}, "json"), ({"report": " ", "files": [f.photo()]}, "multipart"),
                      ({"report": "r", "files": [f.photo(), f.fake_image()]}, "multipart")):
        assert_chinese_json_error(ent.post(url + "proofs/", body, format=fmt), 400)
    for body in ({}, {"requested_deadline": "2026-02-30", "reason": "r"}, {"requested_deadline": "yesterday", "reason": "r"},
                 {"requested_deadline": in_days(60).isoformat(), "reason": " "},
                 {"requested_deadline": in_days(60).isoformat(), "reason": ["a"]},
                 {"requested_deadline": hazard.deadline.isoformat(), "reason": "r"}):
        assert_chinese_json_error(ent.post(url + "extension-requests/", body, format="json"), 400)
    plan = {"goal_and_tasks": "g", "methods_and_measures": "m", "funds_and_materials": "f",
            "organisation_and_people": "o", "time_limit": in_days(30).isoformat(), "safety_and_emergency": "s"}
    assert_chinese_json_error(ent.post(url + "plans/", plan, format="json"), 400)  # a general hazard needs no plan
    assert_chinese_json_error(api("inspector").post(url + "proofs/", {"report": "r", "files": [f.photo()]},
                                                    format="multipart"), 403)
    assert api("enterprise2").post(url + "plans/", plan, format="json").status_code == 404
    assert snapshot() == before
    ok = {"requested_deadline": in_days(60).isoformat(), "reason": "设备到货延迟"}
    assert ent.post(url + "extension-requests/", ok, format="json").status_code == 201
    written = snapshot()
    assert_chinese_json_error(ent.post(url + "extension-requests/", ok, format="json"), 400)
    assert snapshot() == written


@pytest.mark.parametrize("endpoint", ["order-decision", "plan-decisions", "reinspection", "closure-decisions",
                                      "extension-decision", "penalty"])
def test_api_a_task_posted_to_the_wrong_endpoint_is_refused_and_writes_nothing(api, committee, endpoint):
    order_task = f.task_id(f.submitted(items=1), RectificationFlow.approve_order)
    filing_task = ptask(penalty_at("proposed"), PenaltyFlow.approve_filing)
    hazard = f.ordered(items=1).hazards.get()
    extension = services.extension_request(user=f.user("enterprise"), hazard=hazard,
                                           requested_deadline=hazard.deadline + datetime.timedelta(days=9), reason="r")
    extension_task = open_human_task(extension.process, ExtensionFlow.decide).pk
    right = {"order-decision": order_task, "extension-decision": extension_task, "penalty": filing_task}
    body = {"approve": True, "comment": "同意", "decisions": [], "results": [], "co_inspectors": []}
    head = api("officehead")
    before = snapshot()
    for task in (order_task, filing_task, extension_task):
        if right.get(endpoint) == task:
            continue
        r = head.post(f"/api/v1/tasks/{task}/{endpoint}/", body, format="json")
        assert_chinese_json_error(r, 400)
        assert "环节" in r.json()["detail"]
    assert head.post(f"/api/v1/tasks/abc/{endpoint}/", body, format="json").status_code == 404
    assert snapshot() == before


def test_api_forged_hazard_ids_in_decisions_and_results_are_refused(api, users, committee):
    mine, other = f.ordered(items=1), f.ordered(items=1)
    f.prove(mine)
    mine.refresh_from_db()
    task = f.task_id(mine, RectificationFlow.reinspect)
    foreign = other.hazards.get().pk
    before = snapshot()
    r = api("inspector2").post(f"/api/v1/tasks/{task}/reinspection/", {
        "co_inspectors": [users["inspector"].pk], "results": [
            {"hazard": mine.hazards.get().pk, "passed": True}, {"hazard": foreign, "passed": True}]}, format="json")
    assert_chinese_json_error(r, 400)
    r = api("inspector2").post(f"/api/v1/tasks/{task}/reinspection/", {
        "co_inspectors": [users["inspector"].pk], "results": [{"hazard": BIG, "passed": "maybe"}]}, format="json")
    assert_chinese_json_error(r, 400)
    assert snapshot() == before


def test_api_penalty_steps_refuse_bad_bodies_and_wrong_people(api, users, committee):
    case = penalty_at("proposed")
    url = f"/api/v1/tasks/{ptask(case, PenaltyFlow.approve_filing)}/penalty/"
    head = api("officehead")
    before = snapshot()
    for body in ({}, {"officers": [BIG]}, {"officers": "abc"}, {"officers": [users["builder"].pk, users["builder2"].pk]},
                 {"approve": False}, {"approve": "maybe"}, {"provision": "<x>"}, {"org_fine": "abc"}, {"org_fine": -1},
                 {"held_on": "2026-02-30"}, {"renotify": "x"}, {"revoke_reason": "r"}):
        assert_chinese_json_error(head.post(url, body, format="json"), 400)
    officers = {"officers": [users["inspector"].pk, users["inspector2"].pk]}
    for username in ("builder", "buildhead", "legal", "inspector"):
        assert_chinese_json_error(api(username).post(url, officers, format="json"), 403)
    assert snapshot() == before
    assert head.post(url, officers, format="json").status_code == 200
    written = snapshot()
    assert_chinese_json_error(head.post(url, officers, format="json"), 409)
    assert snapshot() == written
    url = f"/api/v1/tasks/{ptask(case, PenaltyFlow.investigate)}/penalty/"
    for body in ({}, {"facts": "f", "evidence": "e", "provision": None}, {"facts": " ", "evidence": "e", "provision": "aqsf-102"}):
        assert_chinese_json_error(api("inspector").post(url, body, format="json"), 400)
    assert_chinese_json_error(api("inspector").post(url, {"revoke_reason": "不成立"}, format="json"), 403)
    assert_chinese_json_error(head.post(url, {"revoke_reason": " "}, format="json"), 400)
    for username in ("inspector3", "builder", "legal"):
        assert_chinese_json_error(api(username).post(url, {"facts": "f", "evidence": "e", "provision": "aqsf-102"},
                                                     format="json"), 403)
    assert snapshot() == written


def test_api_amounts_out_of_range_or_of_the_wrong_type_are_refused(api, committee, today):
    case = penalty_at("investigating")
    url = f"/api/v1/tasks/{ptask(case, PenaltyFlow.notify)}/penalty/"
    inspector = api("inspector")
    before = snapshot()
    for body in ({}, {"org_fine": BIG}, {"org_fine": "1e3"}, {"org_fine": 1.5}, {"org_fine": True}, {"org_fine": [1]},
                 {"org_fine": 30000, "person_fine": 5000}, {"org_fine": 30000, "suspension": True}):
        assert_chinese_json_error(inspector.post(url, body, format="json"), 400)
    for username in ("inspector3", "officehead"):
        assert_chinese_json_error(api(username).post(url, {"org_fine": 30000}, format="json"), 403)
    assert snapshot() == before


def test_api_party_rights_expire_and_belong_to_the_party(api, committee, today, in_days):
    case = penalty_at("notified")
    base = f"/api/v1/penalties/{case.pk}/"
    before = snapshot()
    assert_chinese_json_error(api("enterprise").post(base + "statements/", {"text": " "}, format="json"), 400)
    assert_chinese_json_error(api("enterprise").post(base + "hearing-request/", {}, format="json"), 400)
    assert_chinese_json_error(api("inspector").post(base + "statements/", {"text": "t"}, format="json"), 403)
    assert api("enterprise2").post(base + "statements/", {"text": "t"}, format="json").status_code == 404
    assert_chinese_json_error(api("inspector").post(base + "hearing-schedule/", {
        "hearing_on": in_days(30).isoformat(), "place": "p"}, format="json"), 400)
    assert_chinese_json_error(api("inspector").post(base + "extension/", {"reason": "r"}, format="json"), 403)
    assert_chinese_json_error(api("supervisor").post(base + "extension/", {"reason": " "}, format="json"), 400)
    PenaltyCase.objects.filter(pk=case.pk).update(statement_due=today - datetime.timedelta(days=1))
    r = api("enterprise").post(base + "statements/", {"text": "迟到的申辩"}, format="json")
    assert_chinese_json_error(r, 400)
    assert "届满" in r.json()["detail"]
    assert snapshot() == before


def test_api_blacklist_refuses_out_of_order_and_unauthorised_requests(api, committee):
    entry = BlacklistEntry.objects.create(enterprise=f.enterprise(), kind="blacklist", reason="两次处罚")
    BlacklistFlow.start.run(entry=entry)
    task = open_human_task(entry.process, BlacklistFlow.approve).pk
    before = snapshot()
    assert_chinese_json_error(api("supervisor").post(f"/api/v1/blacklist/{entry.pk}/delist/", {"reason": "r"},
                                                     format="json"), 400)
    assert_chinese_json_error(api("supervisor").post(f"/api/v1/blacklist/{entry.pk}/delist/", {}, format="json"), 400)
    assert_chinese_json_error(api("inspector").post(f"/api/v1/blacklist/{entry.pk}/delist/", {"reason": "r"},
                                                    format="json"), 403)
    assert_chinese_json_error(api("inspector").post(f"/api/v1/tasks/{task}/penalty/", {"approve": True},
                                                    format="json"), 403)
    assert_chinese_json_error(api("supervisor").post(f"/api/v1/tasks/{task}/penalty/", {"approve": False},
                                                     format="json"), 400)
    assert snapshot() == before


def test_viewflow_pages_are_closed_to_enterprises_and_their_admin_actions_to_staff(page, committee):
    case = f.submitted(items=1)
    task = f.task_id(case, RectificationFlow.approve_order)
    base = f"/workflow/flows/rectification/{case.process.pk}/"
    for url in (base, f"{base}approve_order/{task}/detail/"):
        assert page("enterprise").get(url).status_code == 403, url
        assert page("inspector").get(url).status_code == 200, url
    before = snapshot()
    for username in ("inspector", "officehead", "buildhead", "legal", "supervisor"):
        for url in (f"{base}cancel/", f"{base}approve_order/{task}/cancel/", f"{base}approve_order/{task}/undo/",
                    f"{base}approve_order/{task}/revive/"):
            assert page(username).post(url, {}).status_code == 403, (username, url)
    for username in ("builder", "buildhead", "inspector", "enterprise"):
        assert page(username).post(f"{base}approve_order/{task}/assign/", {}).status_code == 403, username
    assert snapshot() == before
    assert open_human_task(case.process, RectificationFlow.approve_order).owner_id is None


def test_api_token_refuses_wrong_passwords_in_chinese(api, committee):
    r = api().post("/api/v1/auth/token/", {"username": "inspector", "password": "wrong"}, format="json")
    assert_chinese_json_error(r, 400)


# === bugs found by the QA sweep, fixed; kept as regressions ================================================================

@pytest.mark.parametrize("form", ["inspection_new", "inspection_edit", "reinspection", "filing"])
def test_a_huge_staff_id_in_a_checkbox_list_is_a_form_error_not_a_500(page, users, committee, today, form):
    if form == "inspection_new":
        url, who = "/cases/new/", "inspector"
        data = {"enterprise": f.enterprise().pk, "sector": Sector.objects.get(code="industry_trade").pk,
                "inspected_on": today.isoformat(), "place": "车间", "enterprise_representative": "李",
                "signature": "signed", "inspectors": [str(BIG)]}
    elif form == "inspection_edit":
        url, who = f"/cases/{f.inspection().pk}/edit/", "inspector"
        data = {"place": "车间", "enterprise_representative": "李", "signature": "signed", "inspectors": [str(BIG)]}
    elif form == "reinspection":
        case = f.ordered(items=1)
        f.prove(case)
        url, who = f"/tasks/{f.task_id(case, RectificationFlow.reinspect)}/", "inspector2"
        data = {"co_inspectors": [str(BIG)], f"result_{case.hazards.get().pk}": "pass"}
    else:
        url, who = f"/tasks/{ptask(penalty_at('proposed'), PenaltyFlow.approve_filing)}/", "officehead"
        data = {"decision": "approve", "officers": [str(BIG)]}
    before = snapshot()
    r = page(who).post(url, data)
    assert r.status_code == 200
    assert "选择一个有效的选项" in shown_errors(r)
    assert snapshot() == before


@pytest.mark.parametrize("body", [[1, 2], "inspector", {"username": ["inspector"], "password": {"x": 1}}])
def test_the_token_endpoint_answers_a_malformed_body_with_a_400(api, committee, body):
    r = api().post("/api/v1/auth/token/", json.dumps(body), content_type="application/json")
    assert_chinese_json_error(r, 400)


def test_the_token_endpoint_says_which_credential_is_missing(api, committee):
    for body in ({}, {"username": "inspector"}, {"username": "", "password": ""}):
        assert_chinese_json_error(api().post("/api/v1/auth/token/", body, format="json"), 400)


@pytest.mark.parametrize("who,url", [
    ("enterprise2", "/api/v1/hazards/{hazard}/"), ("enterprise2", "/api/v1/inspections/{case}/"),
    ("enterprise2", "/api/v1/penalties/{big}/"), ("inspector", "/api/v1/tasks/{big}/"),
    ("inspector", "/api/v1/notices/{big}/pdf/"), ("inspector", "/api/v1/provisions/nope/"),
    ("enterprise", "/api/v1/enterprises/{big}/"),
])
def test_api_404s_are_in_chinese(api, committee, who, url):
    case = f.ordered(items=1)
    r = api(who).get(url.format(hazard=case.hazards.get().pk, case=case.pk, big=BIG))
    assert_chinese_json_error(r, 404)


@pytest.mark.parametrize("case", ["json", "multipart", "csrf"])
def test_api_parse_and_csrf_errors_are_in_chinese(api, committee, case):
    hazard = f.ordered(items=1).hazards.get()
    url = f"/api/v1/hazards/{hazard.pk}/extension-requests/"
    if case == "csrf":
        client = APIClient(enforce_csrf_checks=True, raise_request_exception=False)
        client.login(username="enterprise", password="zhengyang2026")
        r = client.post(url, {"requested_deadline": "2030-01-01", "reason": "r"}, format="json")
        assert_chinese_json_error(r, 403)
        return
    body, content_type = ("{bad json", "application/json") if case == "json" else ("garbage", "multipart/form-data")
    assert_chinese_json_error(api("enterprise").post(url, body, content_type=content_type), 400)


def test_an_api_body_of_null_gets_a_chinese_400(api, committee):
    hazard = f.ordered(items=1).hazards.get()
    r = api("enterprise").post(f"/api/v1/hazards/{hazard.pk}/extension-requests/", "null",
                               content_type="application/json")
    assert_chinese_json_error(r, 400)


def test_unknown_api_urls_answer_json(api, committee):
    for url in ("/api/v1/nothing/", "/api/v1/tasks/abc/penalty/", "/api/v1/hazards/1/bogus/"):
        assert_chinese_json_error(api("inspector").get(url), 404)


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_refused_on_the_spot_hazard_leaves_no_file_behind(page, api, committee, via):
    case = f.inspection()
    data = {"description": "d", "location": "l", "level": "general", "legal_basis": "b", "photos": [f.photo()],
            "fix_photos": [f.fake_image()]}
    before = snapshot()
    if via == "page":
        r = page("inspector").post(f"/cases/{case.pk}/hazards/new/", {
            **data, "sector": Sector.objects.get(code="industry_trade").pk, "fixed_on_spot": "on"})
        assert_refused_on_page(r, "不是JPEG 或 PNG 图片")
    else:
        r = api("inspector").post(f"/api/v1/inspections/{case.pk}/hazards/", {
            **data, "sector": "industry_trade", "fixed_on_spot": "true"}, format="multipart")
        assert_chinese_json_error(r, 400)
    assert snapshot() == before


def test_deleting_a_draft_hazard_that_a_penalty_case_cites_is_refused_with_a_message(page, api, committee):
    draft = f.inspection()
    hazard = f.hazard(draft)
    r = api("inspector").post("/api/v1/penalties/", {"enterprise": draft.enterprise_id, "cause": "c",
                                                     "hazard": hazard.pk}, format="json")
    if r.status_code == 400:  # refusing to propose from a draft is an acceptable fix too
        return
    before = snapshot()
    r = page("inspector").post(f"/cases/{draft.pk}/hazards/{hazard.pk}/delete/", follow=True)
    assert r.status_code == 200 and shown_errors(r)
    assert snapshot() == before


@pytest.mark.parametrize("step", ["filing_reject", "revoke", "responsible_person", "no_penalty", "recipient",
                                  "receipt"])
def test_api_refuses_text_longer_than_its_column(api, committee, today, step):
    stage, node, who, body = {
        "filing_reject": ("proposed", PenaltyFlow.approve_filing, "officehead", {"approve": False, "comment": "长" * 301}),
        "revoke": ("filed", PenaltyFlow.investigate, "officehead", {"revoke_reason": "长" * 301}),
        "responsible_person": ("filed", PenaltyFlow.investigate, "inspector", {
            "facts": "f", "evidence": "e", "provision": "aqsf-102", "responsible_person": "长" * 31}),
        "no_penalty": ("awaiting_decision", PenaltyFlow.decide, "supervisor", {"outcome": "no_penalty", "reason": "长" * 301}),
        "recipient": ("decided", PenaltyFlow.serve, "inspector", {
            "served_on": today.isoformat(), "method": "left", "recipient": "长" * 61, "witness": "长" * 61}),
        "receipt": ("executing", PenaltyFlow.record_payment, "inspector", {
            "paid_on": today.isoformat(), "amount": 30000, "receipt": "长" * 61}),
    }[step]
    case = penalty_at(stage)
    before = snapshot()
    r = api(who).post(f"/api/v1/tasks/{ptask(case, node)}/penalty/", body, format="json")
    assert_chinese_json_error(r, 400)
    assert snapshot() == before


def test_an_extension_cannot_be_approved_once_the_requested_date_has_passed(page, committee, today):
    hazard = f.ordered(items=1).hazards.get()
    extension = services.extension_request(user=f.user("enterprise"), hazard=hazard,
                                           requested_deadline=hazard.deadline + datetime.timedelta(days=2), reason="r")
    url = f"/tasks/{open_human_task(extension.process, ExtensionFlow.decide).pk}/"
    with later((hazard.deadline - today).days + 10):
        before = snapshot()
        assert_refused_on_page(page("officehead").post(url, {"decision": "approve"}))
        assert snapshot() == before


def test_a_plan_cannot_be_approved_once_its_time_limit_has_passed(page, committee, in_days):
    case = f.ordered(items=1, level="major")
    hazard = case.hazards.get()
    services.plan_submit(user=f.user("enterprise"), hazard=hazard, goal_and_tasks="g", methods_and_measures="m",
                         funds_and_materials="f", organisation_and_people="o", time_limit=in_days(3),
                         safety_and_emergency="s")
    case.refresh_from_db()
    url = f"/tasks/{f.plan_task_id(hazard)}/"
    with later(10):
        before = snapshot()
        assert_refused_on_page(page("officehead").post(url, {f"decision_{hazard.pk}": "approve"}))
        assert snapshot() == before


def test_api_reinspection_co_inspectors_must_belong_to_the_office(api, users, committee):
    case = f.ordered(items=1)
    f.prove(case)
    case.refresh_from_db()
    before = snapshot()
    r = api("inspector2").post(f"/api/v1/tasks/{f.task_id(case, RectificationFlow.reinspect)}/reinspection/", {
        "co_inspectors": [users["builder"].pk], "results": [{"hazard": case.hazards.get().pk, "passed": True}]},
        format="json")
    assert r.status_code in (400, 403)
    assert snapshot() == before


@pytest.mark.parametrize("who,co,via", [("builder", "builder2", "page"), ("builder", "builder2", "api"),
                                        ("legal", "inspector", "api")])
def test_only_the_sector_office_opens_an_inspection(page, api, users, committee, today, who, co, via):
    before = snapshot()
    if via == "page":
        page(who).post("/cases/new/", {
            "enterprise": f.enterprise().pk, "sector": Sector.objects.get(code="industry_trade").pk,
            "inspected_on": today.isoformat(), "place": "车间", "enterprise_representative": "李",
            "inspectors": [users[who].pk, users[co].pk], "signature": "signed"})
    else:
        api(who).post("/api/v1/inspections/", {
            "enterprise": f.enterprise().pk, "sector": "industry_trade", "place": "车间",
            "enterprise_representative": "李", "inspectors": [users[who].pk, users[co].pk]}, format="json")
    assert snapshot() == before


def test_the_legal_office_cannot_propose_a_penalty_case(page, api, committee):
    before = snapshot()
    r = page("legal").post("/penalties/new/", {"enterprise": f.enterprise().pk, "cause": "未如实记录培训"})
    assert r.status_code in (200, 403)
    r = api("legal").post("/api/v1/penalties/", {"enterprise": f.enterprise().pk, "cause": "未如实记录培训"},
                          format="json")
    assert r.status_code in (400, 403)
    assert snapshot() == before


def test_edit_pages_are_403_for_staff_who_may_not_edit(page, committee):
    draft = f.inspection()
    for username in ("builder", "inspector3"):
        for url in (f"/cases/{draft.pk}/edit/", f"/cases/{draft.pk}/hazards/new/"):
            assert page(username).get(url).status_code == 403, (username, url)


def test_a_deliberation_cannot_predate_the_filing_of_the_case(page, committee, today):
    case = penalty_at("deliberation", serious=True)
    url = f"/tasks/{ptask(case, PenaltyFlow.deliberate)}/"
    before = snapshot()
    for held_on in ("0001-01-01", (case.filed_on - datetime.timedelta(days=1)).isoformat()):
        assert_refused_on_page(page("supervisor").post(url, {
            "participants": "肖培明、黄国栋、邓波", "held_on": held_on, "conclusion": "同意"}))
    assert snapshot() == before


def test_anonymous_visitors_of_the_work_queues_are_sent_to_log_in(page, committee):
    for url in ("/workflow/inbox/", "/workflow/queue/", "/workflow/archive/"):
        r = page().get(url)
        assert r.status_code == 302 and r.url.startswith("/accounts/login/"), url


def test_a_too_long_delisting_reason_is_called_too_long(page, committee):
    entry = BlacklistEntry.objects.create(enterprise=f.enterprise(), kind="blacklist", reason="两次处罚")
    BlacklistFlow.start.run(entry=entry)
    ps.blacklist_decide(user=f.user("supervisor"), task_id=open_human_task(entry.process, BlacklistFlow.approve).pk,
                        approve=True)
    r = page("supervisor").post(f"/blacklist/{entry.pk}/delist/", {"reason": "很长" * 200}, follow=True)
    errors = shown_errors(r)
    assert "300" in errors and "须写明理由" not in errors


def test_a_non_officer_cannot_lock_the_officers_out_of_a_penalty_step(page, committee):
    case = f.filed()
    task = ptask(case, PenaltyFlow.investigate)
    page("inspector3").post(f"/workflow/flows/penalty/{case.process.pk}/investigate/{task}/assign/", {})
    assert page("inspector").get(f"/tasks/{task}/").status_code == 200


def test_a_malformed_form_post_gets_the_sites_own_400_page(page, committee):
    hazard = f.ordered(items=1).hazards.get()
    r = page("enterprise").post(f"/portal/hazards/{hazard.pk}/", "garbage", content_type="multipart/form-data")
    assert r.status_code == 400
    body = r.content.decode()
    assert "Django Material" not in body and "隐患闭环整改系统" in body
