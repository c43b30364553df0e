"""Who may see and do what: other enterprises get 404, wrong staff get 403, anonymous users log in first."""

import pytest

from hazards.flows import RectificationFlow
from tests import factories as f
from workflow.models import LoginFailure, Notice


@pytest.fixture
def case(committee):
    return f.ordered(items=1)


def test_an_enterprise_user_never_sees_another_enterprises_case(client_for, case):
    other = client_for("enterprise2")
    hazard = case.hazards.get()
    notice = Notice.objects.filter(inspection=case).first()
    for url in (f"/portal/cases/{case.pk}/", f"/portal/hazards/{hazard.pk}/", f"/cases/{case.pk}/",
                f"/notices/{notice.pk}/pdf/", f"/attachments/{hazard.attachments.first().pk}/"):
        assert other.get(url).status_code == 404, url
    r = other.post(f"/portal/hazards/{hazard.pk}/", {"action": "proof", "proof-report": "伪造",
                                                     "proof-files": [f.photo()]})
    assert r.status_code == 404
    hazard.refresh_from_db()
    assert hazard.state == "rectifying" and hazard.proofs.count() == 0
    assert case.enterprise.name not in other.get("/portal/").content.decode()


def test_an_enterprise_user_cannot_open_staff_pages(client_for, case):
    ent = client_for("enterprise")
    for url in ("/cases/", "/hazards/", "/cases/new/"):
        assert ent.get(url).status_code == 403, url


def test_staff_of_another_office_cannot_act_on_the_task(client_for, committee):
    case = f.submitted(items=1)
    task_id = f.task_id(case, RectificationFlow.approve_order)
    for username in ("buildhead", "inspector", "legal", "supervisor"):
        assert client_for(username).get(f"/tasks/{task_id}/").status_code == 403, username
        r = client_for(username).post(f"/tasks/{task_id}/", {"decision": "approve"})
        assert r.status_code == 403, username
    case.refresh_from_db()
    assert case.state == "order_review"


def test_only_the_cases_inspectors_edit_its_draft(client_for, committee):
    case = f.inspection()
    r = client_for("inspector3").post(f"/cases/{case.pk}/submit/")
    assert r.status_code == 403
    case.refresh_from_db()
    assert case.state == "draft"


def test_anonymous_visitors_land_on_the_login_page(client):
    r = client.get("/")
    assert r.status_code == 302 and r.url.startswith("/accounts/login/")
    assert "登录" in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize("username,landing", [
    ("enterprise", "/portal/"), ("officehead", "/workflow/queue/"), ("supervisor", "/workflow/queue/"),
    ("inspector", "/cases/"),
])
def test_each_role_lands_on_its_own_work(client_for, username, landing):
    r = client_for(username).get("/")
    assert r.status_code == 302 and r.url == landing


def test_login_is_throttled_after_repeated_failures(client, committee, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        r = client.post("/accounts/login/", {"username": "inspector", "password": "wrong"})
        assert "用户名或密码错误" in r.content.decode()
    r = client.post("/accounts/login/", {"username": "inspector", "password": "zhengyang2026"})
    assert r.status_code == 200 and "登录失败次数过多" in r.content.decode()
    assert LoginFailure.objects.count() == settings.LOGIN_MAX_FAILURES
    assert "_auth_user_id" not in client.session


def test_forms_are_csrf_protected(committee, users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["inspector"])
    assert client.post("/cases/new/", {}).status_code == 403


def test_double_submit_of_the_same_decision_is_refused_with_a_message(client_for, committee):
    case = f.submitted(items=1)
    task_id = f.task_id(case, RectificationFlow.approve_order)
    head = client_for("officehead")
    assert head.post(f"/tasks/{task_id}/", {"decision": "approve"}).status_code == 302
    r = head.post(f"/tasks/{task_id}/", {"decision": "approve"}, follow=True)
    assert r.status_code == 200 and "该任务已处理完毕" in r.content.decode()
    assert Notice.objects.filter(inspection=case, kind="rectification_order").count() == 1


def test_a_forged_task_id_is_a_404(client_for, committee):
    assert client_for("officehead").get("/tasks/999999/").status_code == 404


def test_refusals_are_explained_in_chinese_on_the_page(client_for, committee):
    r = client_for("enterprise").get("/cases/")
    assert r.status_code == 403 and "仅管委会工作人员可以访问此页面" in r.content.decode()
    r = client_for("enterprise").get("/portal/hazards/999999/")
    assert r.status_code == 404 and "页面不存在" in r.content.decode()
