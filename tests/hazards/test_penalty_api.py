"""The penalty loop through the API: from a failed re-inspection to closing, as every role."""

import datetime

import pytest
from rest_framework.test import APIClient

from hazards import penalty_services
from hazards.models import PenaltyCase
from tests import factories as f


@pytest.fixture
def api(users):
    def make(username):
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return make


def _task(client, node):
    tasks = [t for t in client.get("/api/v1/tasks/").json()["results"] if t["node"] == node]
    assert len(tasks) == 1, tasks
    return tasks[0]["id"]


def _step(client, node, body, status=200):
    r = client.post(f"/api/v1/tasks/{_task(client, node)}/penalty/", body, format="json")
    assert r.status_code == status, r.content.decode()
    return r


def test_it_takes_a_case_from_a_failed_reinspection_to_closing_through_the_api(api, users, today):
    case = f.failed_case()
    head, inspector, legal, leader = api("officehead"), api("inspector"), api("legal"), api("supervisor")
    ent, other = api("enterprise"), api("enterprise2")
    assert ent.get(f"/api/v1/penalties/{case.pk}/").status_code == 404  # not yet filed: not shown to the party

    r = inspector.post(f"/api/v1/tasks/{_task(head, 'approve_filing')}/penalty/",
                       {"approve": True, "officers": [users["inspector"].pk, users["inspector2"].pk]}, format="json")
    assert r.status_code == 403
    _step(head, "approve_filing", {"approve": True, "officers": [users["inspector"].pk, users["inspector2"].pk]})
    _step(inspector, "investigate", {"facts": "逾期未消除事故隐患", "evidence": "复查意见书、照片", "provision": "aqsf-101-overdue",
                                     "responsible_person": "李国强", "complex_case": False})
    r = inspector.post(f"/api/v1/tasks/{_task(inspector, 'notify')}/penalty/",
                       {"org_fine": 300000}, format="json")
    assert r.status_code == 400 and "100000 元至 200000 元之间" in r.json()["detail"]
    _step(inspector, "notify", {"org_fine": 120000, "person_fine": 20000, "suspension": True})
    data = ent.get(f"/api/v1/penalties/{case.pk}/").json()
    assert data["state"] == "notified" and data["hearing_rights"] is True
    assert data["next_deadline"]["date"] == data["statement_due"]
    assert other.get(f"/api/v1/penalties/{case.pk}/").status_code == 404
    r = ent.post(f"/api/v1/penalties/{case.pk}/statements/", {"text": "已全面整改，请求从轻处罚"}, format="json")
    assert r.status_code == 200 and len(r.json()["statements"]) == 1
    assert other.post(f"/api/v1/penalties/{case.pk}/statements/", {"text": "x"}, format="json").status_code == 404

    yesterday = today - datetime.timedelta(days=1)
    PenaltyCase.objects.filter(pk=case.pk).update(statement_due=yesterday, hearing_request_due=yesterday)
    r = ent.post(f"/api/v1/penalties/{case.pk}/hearing-request/", {"text": "申请听证"}, format="json")
    assert r.status_code == 400 and "听证申请期限已于" in r.json()["detail"]
    penalty_services.penalty_deadlines_check()
    _step(inspector, "prepare_decision", {})
    assert PenaltyCase.objects.get(pk=case.pk).state == "legal_review"
    _step(legal, "legal_review", {"approve": True, "opinion": "事实清楚，证据确凿，程序合法"})
    _step(leader, "deliberate", {"participants": "肖培明、黄国栋、邓波", "held_on": today.isoformat(),
                                 "conclusion": "同意按告知内容处罚"})
    r = leader.post(f"/api/v1/tasks/{_task(leader, 'decide')}/penalty/",
                    {"outcome": "decide", "org_fine": 150000, "person_fine": 20000, "suspension": True}, format="json")
    assert r.status_code == 400 and "第四十五条" in r.json()["detail"]
    _step(leader, "decide", {"outcome": "decide", "org_fine": 110000, "person_fine": 20000, "suspension": True})
    kinds = [n["kind"] for n in ent.get("/api/v1/notices/").json()["results"]]
    assert kinds.count("penalty_decision") == 2  # organisation and individual variants
    _step(inspector, "serve", {"served_on": today.isoformat(), "method": "in_person", "recipient": "李国强"})
    _step(inspector, "disclose", {})
    public = APIClient().get("/api/v1/disclosures/").json()["results"]
    assert public[0]["enterprise"] == case.enterprise.name and public[0]["org_fine"] == 110000
    r = head.post(f"/api/v1/tasks/{_task(inspector, 'record_payment')}/penalty/", {"paid_on": today.isoformat(),
                  "amount": 130000, "receipt": "FK-2026-001"}, format="json")
    assert r.status_code == 403  # the office head is not a case officer
    _step(inspector, "record_payment", {"paid_on": today.isoformat(), "amount": 130000, "receipt": "FK-2026-001"})
    _step(head, "approve_closing", {"comment": "同意结案"})
    data = ent.get(f"/api/v1/penalties/{case.pk}/").json()
    assert data["state"] == "closed" and data["paid_amount"] == 130000
