"""The API covers every step for every role, through the same services and checks as the pages."""

import pytest
from rest_framework.test import APIClient

from hazards.models import Hazard, Inspection
from tests import factories as f
from workflow.models import Notice


@pytest.fixture
def api(users):
    def make(username):
        client = APIClient()
        r = client.post("/api/v1/auth/token/", {"username": username, "password": "zhengyang2026"}, format="json")
        assert r.status_code == 200, r.content
        client.credentials(HTTP_AUTHORIZATION="Token " + r.json()["token"])
        return client

    return make


def _task(client, node):
    tasks = [t for t in client.get("/api/v1/tasks/").json()["results"] if t["node"] == node]
    assert len(tasks) == 1, tasks
    return tasks[0]


def test_it_runs_a_major_and_a_general_hazard_round_the_loop_through_the_api(api, users, in_days):
    inspector, head, supervisor = api("inspector"), api("officehead"), api("supervisor")
    ent, other = api("enterprise"), api("enterprise2")
    hengda = f.enterprise()

    r = inspector.post("/api/v1/inspections/", {
        "enterprise": hengda.pk, "sector": "industry_trade", "place": "冲压车间", "enterprise_representative": "李国强",
        "inspectors": [users["inspector"].pk, users["inspector2"].pk]}, format="json")
    assert r.status_code == 201, r.content
    case_id = r.json()["id"]
    r = inspector.post(f"/api/v1/inspections/{case_id}/hazards/", {
        "description": "冲压机光电保护装置被拆除", "location": "冲压车间", "sector": "industry_trade", "level": "general",
        "legal_basis": "GB/T 8196", "deadline": in_days(10).isoformat(), "photos": [f.photo()]}, format="multipart")
    assert r.status_code == 201, r.content
    general_id = r.json()["id"]
    r = inspector.post(f"/api/v1/inspections/{case_id}/hazards/", {
        "description": "有限空间作业无监护", "location": "污水池", "sector": "confined_space", "level": "major",
        "legal_basis": "判定标准第七条", "measures": "立即停止作业，撤出人员", "photos": [f.photo()]}, format="multipart")
    major_id = r.json()["id"]
    assert inspector.post(f"/api/v1/inspections/{case_id}/submit/").json()["state"] == "order_review"

    assert ent.get("/api/v1/tasks/").json()["results"] == []
    assert inspector.get("/api/v1/tasks/").json()["results"] == []
    task = _task(head, "approve_order")
    r = inspector.post(f"/api/v1/tasks/{task['id']}/order-decision/", {"approve": True}, format="json")
    assert r.status_code == 403 and "您无权处理此任务" in r.json()["detail"]
    r = head.post(f"/api/v1/tasks/{task['id']}/order-decision/", {"approve": True, "comment": "同意"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "DONE"
    kinds = {n["kind"] for n in ent.get("/api/v1/notices/").json()["results"]}
    assert kinds == {"inspection_record", "rectification_order", "onsite_measures"}
    assert other.get("/api/v1/notices/").json()["results"] == []

    # the major hazard needs a governance plan before rectification
    assert Hazard.objects.get(pk=major_id).state == "awaiting_plan"
    assert Hazard.objects.get(pk=major_id).supervising_leader.full_name == "黄国栋"
    r = other.post(f"/api/v1/hazards/{major_id}/plans/", {}, format="multipart")
    assert r.status_code == 404
    r = ent.post(f"/api/v1/hazards/{major_id}/plans/", {
        "goal_and_tasks": "消除隐患", "methods_and_measures": "配备监护人和检测仪", "funds_and_materials": "5万元",
        "organisation_and_people": "安全部", "time_limit": in_days(30).isoformat(),
        "safety_and_emergency": "作业审批和应急预案"}, format="multipart")
    assert r.status_code == 201, r.content
    task = _task(head, "approve_plan")
    r = head.post(f"/api/v1/tasks/{task['id']}/plan-decisions/",
                  {"decisions": [{"hazard": major_id, "approve": True, "comment": "可行"}]}, format="json")
    assert r.status_code == 200, r.content
    assert Hazard.objects.get(pk=major_id).deadline == in_days(30)

    for hazard_id in (general_id, major_id):
        r = ent.post(f"/api/v1/hazards/{hazard_id}/proofs/", {"report": "已整改", "files": [f.photo(), f.pdf_file()]},
                     format="multipart")
        assert r.status_code == 201, r.content
    task = _task(api("inspector2"), "reinspect")
    r = api("inspector2").post(f"/api/v1/tasks/{task['id']}/reinspection/", {
        "co_inspectors": [users["inspector"].pk],
        "results": [{"hazard": general_id, "passed": True}, {"hazard": major_id, "passed": True}]}, format="json")
    assert r.status_code == 200, r.content

    # closure of a major hazard belongs to the leader in charge, not the office head
    assert head.get("/api/v1/tasks/").json()["results"] == []
    task = _task(supervisor, "approve_closure")
    r = head.post(f"/api/v1/tasks/{task['id']}/closure-decisions/", {"decisions": []}, format="json")
    assert r.status_code == 403
    r = supervisor.post(f"/api/v1/tasks/{task['id']}/closure-decisions/", {"decisions": [
        {"hazard": general_id, "approve": True}, {"hazard": major_id, "approve": True, "comment": "同意销号"}]},
        format="json")
    assert r.status_code == 200, r.content
    assert Inspection.objects.get(pk=case_id).state == "closed"
    assert ent.get(f"/api/v1/inspections/{case_id}/").json()["state"] == "closed"
    assert other.get(f"/api/v1/inspections/{case_id}/").status_code == 404
    closure = Notice.objects.get(inspection_id=case_id, kind="closure_approval")
    r = ent.get(f"/api/v1/notices/{closure.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert closure.number in f.pdf_text(b"".join(r.streaming_content))


def test_bad_input_gets_a_4xx_with_a_chinese_message(api, committee, in_days):
    case = f.ordered(items=1)
    hazard = case.hazards.get()
    ent = api("enterprise")
    r = ent.post(f"/api/v1/hazards/{hazard.pk}/proofs/", {"report": "x", "files": [f.fake_image()]},
                 format="multipart")
    assert r.status_code == 400 and "不是JPEG、PNG 图片或 PDF 文件" in r.json()["detail"]
    r = ent.post(f"/api/v1/hazards/{hazard.pk}/extension-requests/",
                 {"requested_deadline": hazard.deadline.isoformat(), "reason": "x"}, format="json")
    assert r.status_code == 400 and "须晚于原整改期限" in r.json()["detail"]
    r = ent.post("/api/v1/inspections/", {}, format="json")
    assert r.status_code == 403 and "仅管委会工作人员" in r.json()["detail"]
    r = api("enterprise2").post(f"/api/v1/hazards/{hazard.pk}/proofs/", {"report": "x", "files": [f.photo()]},
                                format="multipart")
    assert r.status_code == 404
    assert Hazard.objects.get(pk=hazard.pk).state == "rectifying"


def test_the_token_endpoint_is_throttled_after_repeated_failures(committee, settings):
    client = APIClient()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert client.post("/api/v1/auth/token/", {"username": "inspector", "password": "wrong"}).status_code == 400
    r = client.post("/api/v1/auth/token/", {"username": "inspector", "password": "zhengyang2026"})
    assert r.status_code == 429 and "登录失败次数过多" in r.json()["detail"]


def test_the_openapi_schema_describes_the_api(client):
    r = client.get("/api/v1/schema/")
    assert r.status_code == 200
    body = r.content.decode()
    for path in ("/api/v1/tasks/{id}/reinspection/", "/api/v1/hazards/{id}/proofs/", "/api/v1/inspections/"):
        assert path in body


def test_the_openapi_schema_generates_without_warnings_or_errors(db):
    from django.core.management import call_command

    # --fail-on-warn exits non-zero on any warning or error (a guessed type, a clashing enum name)
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
