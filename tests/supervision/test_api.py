"""The supervision API: the same services and checks as the pages, for staff and enterprise users."""

import datetime

import pytest
from rest_framework.test import APIClient

from enterprises.models import AssignmentChange, ResponsibleAssignment
from supervision.models import GuidanceVisit, PlannedVisit, Reminder
from tests import factories as f
from tests.supervision.builders import designate
from workflow.models import AuditEntry

BASE = "/api/v1/supervision"


@pytest.fixture
def api(users):
    def make(username):
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return make


def _month_before(day):
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _designation(users, ent, effective_from):
    return {
        "enterprise": ent.pk, "kind": "designate", "effective_from": effective_from.isoformat(),
        "reason": "年度重点管控企业", "administrative_staff": users["supervisor"].pk,
        "regulator_staff": users["officehead"].pk, "enterprise_person": "李国强", "enterprise_position": "总经理",
        "enterprise_phone": "13800000001",
    }


def test_three_persons_are_designated_and_approved_through_the_api(api, users, today):
    head, principal = api("officehead"), api("xiaopeiming")
    hengda = f.enterprise()

    r = head.post(f"{BASE}/assignment-changes/", _designation(users, hengda, today), format="json")
    assert r.status_code == 201, r.content
    change = r.json()
    assert change["state"] == "submitted" and change["administrative_name"] == "黄国栋"
    task_id = change["task"]["id"]
    assert change["task"]["can_act"] is False  # the proposer is not the approver

    r = head.post(f"{BASE}/assignment-tasks/{task_id}/", {"decision": "approve"}, format="json")
    assert r.status_code in (400, 403)
    r = api("inspector").post(f"{BASE}/assignment-tasks/{task_id}/", {"decision": "approve"}, format="json")
    assert r.status_code == 403 and "无权" in r.json()["detail"]
    r = principal.post(f"{BASE}/assignment-tasks/{task_id}/", {"decision": "maybe"}, format="json")
    assert r.status_code == 400 and "approve" in str(r.json()["decision"])
    r = principal.post(f"{BASE}/assignment-tasks/{task_id}/", {"decision": "approve", "comment": "同意"},
                       format="json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "approved" and r.json()["task"] is None
    r = principal.post(f"{BASE}/assignment-tasks/{task_id}/", {"decision": "approve"}, format="json")
    assert r.status_code == 409 and "已由他人处理" in r.json()["detail"]
    assert principal.post(f"{BASE}/assignment-tasks/999999/", {"decision": "approve"},
                          format="json").status_code == 404

    body = head.get(f"{BASE}/enterprises/{hengda.pk}/").json()
    persons = {p["role"]: p for p in body["persons"]}
    assert set(persons) == {"administrative", "regulator", "enterprise"}
    assert persons["administrative"]["name"] == "黄国栋"
    assert persons["regulator"]["name"] == "刘建华" and persons["regulator"]["position"] == "安全生产部负责人"
    assert persons["enterprise"] == {**persons["enterprise"], "name": "李国强", "position": "总经理",
                                     "phone": "13800000001", "start_date": today.isoformat()}
    assert body["is_key_supervised"] is True
    assert body["board"]["number"].startswith("正阳园安公示〔")
    assert len(body["assignment_history"]) == 3
    listed = head.get(f"{BASE}/enterprises/").json()["results"]
    assert [e["id"] for e in listed] == [hengda.pk]
    assert len(head.get(f"{BASE}/enterprises/?all=1").json()["results"]) > 1
    assert AuditEntry.objects.filter(action__in=["assignment_proposed", "assignment_approved"]).count() == 2


def test_an_unfilled_role_is_refused_in_chinese_and_nothing_is_written(api, users, today):
    head = api("officehead")
    body = _designation(users, f.enterprise(), today)
    body["regulator_staff"] = None
    r = head.post(f"{BASE}/assignment-changes/", body, format="json")
    assert r.status_code == 400
    assert "三个责任人须全部明确" in r.json()["detail"] and "行业监管部门负责人" in r.json()["detail"]
    assert not AssignmentChange.objects.exists()

    body["regulator_staff"] = 999999
    r = head.post(f"{BASE}/assignment-changes/", body, format="json")
    assert r.status_code == 400 and "不是管委会工作人员" in str(r.json()["regulator_staff"])
    body["regulator_staff"] = "刘建华"
    r = head.post(f"{BASE}/assignment-changes/", body, format="json")
    assert r.status_code == 400 and "用户编号" in str(r.json()["regulator_staff"])
    body["regulator_staff"] = users["enterprise"].pk  # an enterprise user is not staff
    assert head.post(f"{BASE}/assignment-changes/", body, format="json").status_code == 400
    body.update(regulator_staff=users["officehead"].pk, effective_from="2026-13-40")
    r = head.post(f"{BASE}/assignment-changes/", body, format="json")
    assert r.status_code == 400 and "日期格式错误" in str(r.json()["effective_from"])
    assert not AssignmentChange.objects.exists()


def test_a_regulator_from_the_wrong_office_is_refused(api, users, today):
    body = _designation(users, f.enterprise(), today)
    body["regulator_staff"] = users["buildhead"].pk
    r = api("officehead").post(f"{BASE}/assignment-changes/", body, format="json")
    assert r.status_code == 400
    assert "安全生产部" in r.json()["detail"] and "孙伟不符合" in r.json()["detail"]
    assert not AssignmentChange.objects.exists() and not ResponsibleAssignment.objects.exists()


def test_a_change_overlapping_the_current_holder_is_refused(api, users, today):
    hengda = designate(effective_from=today - datetime.timedelta(days=10))
    r = api("officehead").post(f"{BASE}/assignment-changes/", {
        "enterprise": hengda.enterprise_id, "kind": "change", "reason": "人员调整",
        "effective_from": (today - datetime.timedelta(days=10)).isoformat(),
        "administrative_staff": users["dengbo"].pk}, format="json")
    assert r.status_code == 400 and "任职期间重叠" in r.json()["detail"]
    assert AssignmentChange.objects.count() == 1
    assert ResponsibleAssignment.objects.filter(role="administrative").get().person_name == "黄国栋"


def test_an_enterprise_user_sees_only_its_own_supervision_record(api, users, today):
    designate(effective_from=today)
    other = designate(f.enterprise(f.XINCAILIAO), regulator="officehead", effective_from=today).enterprise
    ent = api("enterprise")

    listed = ent.get(f"{BASE}/enterprises/").json()["results"]
    assert [e["name"] for e in listed] == [f.HENGDA]
    assert {p["name"] for p in listed[0]["persons"]} == {"黄国栋", "刘建华", "李国强"}
    own = listed[0]["id"]
    assert ent.get(f"{BASE}/enterprises/{own}/").status_code == 200
    r = ent.get(f"{BASE}/enterprises/{other.pk}/")
    assert r.status_code == 404 and r.json()["detail"] == "未找到，或您无权查看。"
    r = ent.post(f"{BASE}/enterprises/{own}/grade/", {"grade": "blue", "reason": "自评"}, format="json")
    assert r.status_code == 403
    for path in ("duties/", "duties/overdue/", "visits/", "meetings/", "reports/", "presence-requests/",
                 "assignment-changes/", "cadence/", "duty-rules/", "plans/"):
        r = ent.get(f"{BASE}/{path}")
        assert r.status_code == 403, path
        assert "仅管委会工作人员" in r.json()["detail"]
    r = ent.post(f"{BASE}/visits/", {"enterprise": own, "visited_on": today.isoformat(),
                                     "led_by": users["enterprise"].pk, "summary": "自查"}, format="json")
    assert r.status_code == 403 and not GuidanceVisit.objects.exists()
    assert ent.post(f"{BASE}/assignment-tasks/1/", {"decision": "approve"}, format="json").status_code == 403
    assert APIClient().get(f"{BASE}/enterprises/").status_code in (401, 403)
    assert APIClient().get(f"{BASE}/duties/").status_code in (401, 403)


def test_the_grade_is_set_through_the_api_and_kept_in_history(api, today):
    hengda = f.enterprise()
    head = api("officehead")
    r = head.post(f"{BASE}/enterprises/{hengda.pk}/grade/", {"grade": "purple", "reason": "x"}, format="json")
    assert r.status_code == 400 and "red" in str(r.json()["grade"])
    r = head.post(f"{BASE}/enterprises/{hengda.pk}/grade/", {"grade": "orange", "reason": "涉及危险化学品"},
                  format="json")
    assert r.status_code == 201, r.content
    r = api("buildhead").post(f"{BASE}/enterprises/{hengda.pk}/grade/", {"grade": "red", "reason": "x"},
                              format="json")
    assert r.status_code == 403
    body = head.get(f"{BASE}/enterprises/{hengda.pk}/").json()
    assert body["risk_grade"] == "orange"
    assert [(g["grade"], g["reason"], g["set_by_name"]) for g in body["grade_history"]] == [
        ("orange", "涉及危险化学品", "刘建华")]
    assert head.get(f"{BASE}/enterprises/abc/").status_code == 404


def test_visits_are_recorded_and_listed(api, users, today):
    hengda = designate(effective_from=today).enterprise
    sup = api("supervisor")
    r = sup.post(f"{BASE}/visits/", {
        "enterprise": hengda.pk, "visited_on": today.isoformat(), "led_by": users["supervisor"].pk,
        "participants": [users["officehead"].pk], "summary": "检查冲压车间安全防护"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["led_by_name"] == "黄国栋" and r.json()["participant_names"] == ["刘建华"]
    assert r.json()["occasion"] == "routine"

    r = sup.post(f"{BASE}/visits/", {
        "enterprise": hengda.pk, "visited_on": (today + datetime.timedelta(days=3)).isoformat(),
        "led_by": users["supervisor"].pk, "summary": "x"}, format="json")
    assert r.status_code == 400 and "检查日期不能晚于今天" in r.json()["detail"]
    r = sup.post(f"{BASE}/visits/", {"enterprise": hengda.pk, "visited_on": "yesterday",
                                     "led_by": users["supervisor"].pk, "summary": "x"}, format="json")
    assert r.status_code == 400 and "visited_on" in r.json()
    r = sup.post(f"{BASE}/visits/", {"enterprise": hengda.pk, "visited_on": today.isoformat(),
                                     "led_by": users["enterprise"].pk, "summary": "x"}, format="json")
    assert r.status_code == 400 and "须为管委会工作人员" in r.json()["detail"]
    r = api("inspector3").post(f"{BASE}/visits/", {"enterprise": hengda.pk, "visited_on": today.isoformat(),
                                                   "led_by": users["supervisor"].pk, "summary": "x"}, format="json")
    assert r.status_code == 403 and "本人参加" in r.json()["detail"]
    assert GuidanceVisit.objects.count() == 1

    listed = sup.get(f"{BASE}/visits/?enterprise={hengda.pk}").json()
    assert listed["count"] == 1 and listed["results"][0]["summary"] == "检查冲压车间安全防护"
    assert sup.get(f"{BASE}/visits/?from=2020-01-01&to={today.isoformat()}").json()["count"] == 1
    assert sup.get(f"{BASE}/visits/?from=abc").status_code == 400


def test_the_duties_endpoint_returns_kept_and_overdue_duties_for_chosen_dates(api, users, today):
    last_month = _month_before(today)
    hengda = designate(effective_from=_month_before(last_month)).enterprise
    sup = api("supervisor")
    r = sup.post(f"{BASE}/visits/", {"enterprise": hengda.pk, "visited_on": (last_month + datetime.timedelta(days=5))
                                     .isoformat(), "led_by": users["supervisor"].pk, "summary": "月度检查指导"},
                 format="json")
    assert r.status_code == 201, r.content

    r = sup.get(f"{BASE}/duties/?period=month&on={(last_month + datetime.timedelta(days=9)).isoformat()}")
    assert r.status_code == 200, r.content
    rows = {(d["rule"], d["enterprise_id"]): d for d in r.json()["results"]}
    assert {d["period"] for d in r.json()["results"]} == {"month"}
    kept = rows[("admin_monthly_check", hengda.pk)]
    assert kept["status"] == "kept" and kept["person"] == "黄国栋" and kept["done"] == 1
    missed = rows[("regulator_monthly_check", hengda.pk)]
    assert missed["status"] == "overdue" and missed["person"] == "刘建华" and missed["status_label"] == "逾期未履职"

    mine = sup.get(f"{BASE}/duties/?period=month&on={last_month.isoformat()}&user={users['officehead'].pk}").json()
    assert {d["user_id"] for d in mine["results"]} == {users["officehead"].pk}
    overdue = sup.get(f"{BASE}/duties/overdue/?months=3").json()["results"]
    assert any(d["rule"] == "regulator_monthly_check" and d["enterprise_id"] == hengda.pk for d in overdue)
    assert not any(d["rule"] == "admin_monthly_check" and d["start"] == last_month.isoformat() for d in overdue)

    for bad in ("period=week", "on=2026-02-30", "user=abc"):
        r = sup.get(f"{BASE}/duties/?{bad}")
        assert r.status_code == 400, bad
    assert "month" in str(sup.get(f"{BASE}/duties/?period=week").json())
    assert sup.get(f"{BASE}/duties/overdue/?months=99").status_code == 400


def test_reminders_are_only_the_users_own(api, users):
    mine = Reminder.objects.create(user=users["supervisor"], key="a", kind="overdue", message="本月检查指导未完成")
    Reminder.objects.create(user=users["supervisor"], key="b", kind="due_soon", message="即将到期")
    theirs = Reminder.objects.create(user=users["officehead"], key="a", kind="overdue", message="他人的提醒")
    sup = api("supervisor")
    listed = sup.get(f"{BASE}/reminders/").json()["results"]
    assert {r["message"] for r in listed} == {"本月检查指导未完成", "即将到期"}

    r = sup.post(f"{BASE}/reminders/read/", {"ids": [mine.pk, theirs.pk]}, format="json")
    assert r.status_code == 200 and r.json() == {"marked": 1, "unread": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert [r["message"] for r in sup.get(f"{BASE}/reminders/?unread=1").json()["results"]] == ["即将到期"]
    assert sup.post(f"{BASE}/reminders/read/", {"ids": []}, format="json").json() == {"marked": 0, "unread": 1}
    assert sup.post(f"{BASE}/reminders/read/", {}, format="json").json() == {"marked": 1, "unread": 0}
    assert sup.post(f"{BASE}/reminders/read/", {"ids": ["x"]}, format="json").status_code == 400

    # enterprise users get hazard reminders as the enterprise's responsible person: their own only
    Reminder.objects.create(user=users["enterprise"], key="h", kind="hazard", message="重点管控企业隐患已逾期")
    Reminder.objects.create(user=users["enterprise2"], key="h", kind="hazard", message="另一企业的提醒")
    listed = api("enterprise").get(f"{BASE}/reminders/").json()["results"]
    assert [r["message"] for r in listed] == ["重点管控企业隐患已逾期"]
    assert APIClient().get(f"{BASE}/reminders/").status_code in (401, 403)


def test_plans_meetings_reports_presence_and_tables(api, users, today):
    hengda = designate(effective_from=today).enterprise
    head, principal = api("officehead"), api("xiaopeiming")
    head.post(f"{BASE}/enterprises/{hengda.pk}/grade/", {"grade": "orange", "reason": "涉及危险化学品"}, format="json")

    r = head.post(f"{BASE}/plans/", {"enterprise": hengda.pk, "year": today.year}, format="json")
    assert r.status_code == 201, r.content
    plan = r.json()
    assert plan["grade"] == "orange" and plan["visits"]
    assert head.post(f"{BASE}/plans/", {"enterprise": hengda.pk, "year": today.year},
                     format="json").status_code == 400
    r = head.post(f"{BASE}/plans/{plan['id']}/visits/", {"planned_on": f"{today.year + 1}-01-05"}, format="json")
    assert r.status_code == 400 and "计划日期须在" in r.json()["detail"]
    first = plan["visits"][0]["id"]
    r = head.patch(f"{BASE}/planned-visits/{first}/", {"planned_on": f"{today.year}-12-01"}, format="json")
    assert r.status_code == 200 and r.json()["planned_on"] == f"{today.year}-12-01"
    if len(plan["visits"]) > 1:
        assert head.delete(f"{BASE}/planned-visits/{first}/").status_code == 204
        assert not PlannedVisit.objects.filter(pk=first).exists()
    assert api("buildhead").patch(f"{BASE}/planned-visits/{plan['visits'][-1]['id']}/",
                                  {"planned_on": f"{today.year}-11-01"}, format="json").status_code == 403

    r = principal.post(f"{BASE}/meetings/", {
        "kind": "work_meeting", "title": "季度安全生产工作会议", "held_on": today.isoformat(),
        "chaired_by": users["xiaopeiming"].pk, "attendees": [users["supervisor"].pk, users["dengbo"].pk],
        "minutes": "部署隐患排查"}, format="json")
    assert r.status_code == 201, r.content
    assert sorted(r.json()["attendee_names"]) == sorted(["黄国栋", "邓波"])
    r = principal.post(f"{BASE}/reports/", {
        "reporter": users["dengbo"].pk, "received_by": users["supervisor"].pk, "reported_on": today.isoformat(),
        "summary": "履职情况"}, format="json")
    assert r.status_code == 400 and "主要负责人" in r.json()["detail"]
    r = principal.post(f"{BASE}/reports/", {
        "reporter": users["dengbo"].pk, "received_by": users["xiaopeiming"].pk, "reported_on": today.isoformat(),
        "summary": "履职情况"}, format="json")
    assert r.status_code == 201, r.content

    r = head.post(f"{BASE}/presence-requests/", {"enterprise": hengda.pk, "occasion": "resumption",
                                                 "occurred_on": today.isoformat(), "description": "停产后复工"},
                  format="json")
    assert r.status_code == 201, r.content
    presence = r.json()
    assert presence["attended"] is False
    assert {d["person_name"] for d in presence["duties"]} == {"黄国栋", "刘建华"}
    api("supervisor").post(f"{BASE}/visits/", {
        "enterprise": hengda.pk, "visited_on": today.isoformat(), "led_by": users["supervisor"].pk,
        "participants": [users["officehead"].pk], "summary": "复工检查"}, format="json")
    listed = head.get(f"{BASE}/presence-requests/").json()["results"]
    assert listed[0]["attended"] is True and all(d["attended"] for d in listed[0]["duties"])
    r = head.post(f"{BASE}/presence-requests/", {"enterprise": hengda.pk, "occasion": "routine",
                                                 "occurred_on": today.isoformat(), "description": "x"}, format="json")
    assert r.status_code == 400

    cadence = head.get(f"{BASE}/cadence/").json()["results"]
    assert {c["grade"] for c in cadence} == {"red", "orange", "yellow", "blue"}
    rules = head.get(f"{BASE}/duty-rules/").json()
    assert rules["count"] == 13
    assert head.post(f"{BASE}/cadence/", {}, format="json").status_code == 405


def test_the_schema_lists_the_supervision_endpoints(client):
    r = client.get("/api/v1/schema/")
    assert r.status_code == 200
    body = r.content.decode()
    for path in ("/api/v1/supervision/enterprises/{id}/grade/", "/api/v1/supervision/assignment-tasks/{task_id}/",
                 "/api/v1/supervision/duties/overdue/", "/api/v1/supervision/reminders/read/",
                 "/api/v1/supervision/planned-visits/{id}/"):
        assert path in body
