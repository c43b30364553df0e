"""The whole rectification loop through the pages, as each person would work it."""

from enterprises.models import Sector
from hazards.flows import RectificationFlow
from hazards.models import Hazard, Inspection
from tests import factories as f
from workflow.engine import open_human_task
from workflow.models import AuditEntry, Notice


def _open_task(case, node):
    return open_human_task(Inspection.objects.get(pk=case.pk).process, node)


def test_it_drives_a_general_case_round_the_loop_with_a_failed_reinspection(client_for, users, in_days):
    inspector, head, ent = client_for("inspector"), client_for("officehead"), client_for("enterprise")
    hengda = f.enterprise()
    trade = Sector.objects.get(code="industry_trade")

    # the inspector opens the inspection with a second inspector
    r = inspector.post("/cases/new/", {
        "enterprise": hengda.pk, "sector": trade.pk, "inspected_on": in_days(0).isoformat(), "place": "机加工车间",
        "inspectors": [users["inspector"].pk, users["inspector2"].pk], "enterprise_representative": "李国强",
        "signature": "signed", "summary": "例行检查",
    })
    case = Inspection.objects.get()
    assert r.status_code == 302 and r.url == f"/cases/{case.pk}/"
    assert case.state == "draft" and case.office.name == "安全生产部"

    for text in ("配电箱未设置漏电保护装置", "安全出口被货物堵塞"):
        r = inspector.post(f"/cases/{case.pk}/hazards/new/", {
            "description": text, "location": "机加工车间", "sector": trade.pk, "level": "general",
            "legal_basis": "《安全生产法》第三十六条", "deadline": in_days(14).isoformat(), "photos": [f.photo()],
        })
        assert r.status_code == 302, r.content.decode()[:2000]
    assert case.hazards.count() == 2
    assert all(h.attachments.count() == 1 for h in case.hazards.all())

    r = inspector.post(f"/cases/{case.pk}/submit/")
    case.refresh_from_db()
    assert case.state == "order_review"
    record = Notice.objects.get(inspection=case, kind="inspection_record")
    assert record.number == "正阳园安检记〔%d〕1号" % in_days(0).year

    # the office head finds the order in the office queue and approves it
    task = _open_task(case, RectificationFlow.approve_order)
    assert task.owner_permission == case.office.head_permission
    assert inspector.get(f"/tasks/{task.pk}/").status_code == 403
    r = head.get(f"/tasks/{task.pk}/")
    assert r.status_code == 200 and "配电箱未设置漏电保护装置" in r.content.decode()
    r = head.post(f"/tasks/{task.pk}/", {"decision": "approve", "comment": "同意"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.state == "rectifying"
    assert set(case.hazards.values_list("state", flat=True)) == {"rectifying"}
    order = Notice.objects.get(inspection=case, kind="rectification_order")
    assert order.number.startswith("正阳园安责改〔") and order.enterprise == hengda

    # the enterprise sees its order in the portal and uploads proof for each item
    r = ent.get("/portal/")
    assert r.status_code == 200 and order.number in r.content.decode()
    h1, h2 = case.hazards.order_by("number")
    for h in (h1, h2):
        r = ent.post(f"/portal/hazards/{h.pk}/", {"action": "proof", "proof-report": "已加装漏电保护器",
                                                  "proof-files": [f.photo("after"), f.pdf_file()]})
        assert r.status_code == 302, r.content.decode()[:3000]
    assert set(case.hazards.values_list("state", flat=True)) == {"proof_submitted"}

    # an inspector of the office re-inspects: item 1 passes, item 2 fails with a new deadline
    task = _open_task(case, RectificationFlow.reinspect)
    r = client_for("inspector2").post(f"/tasks/{task.pk}/", {
        "co_inspectors": [users["inspector"].pk], "notes": "现场复查",
        f"result_{h1.pk}": "pass", f"comment_{h1.pk}": "合格",
        f"result_{h2.pk}": "fail", f"comment_{h2.pk}": "通道仍有堆放", f"deadline_{h2.pk}": in_days(20).isoformat(),
    })
    assert r.status_code == 302, r.content.decode()[:3000]
    h1.refresh_from_db()
    h2.refresh_from_db()
    assert (h1.state, h2.state) == ("closure_review", "rectifying")
    assert h2.deadline == in_days(20)
    assert Notice.objects.filter(inspection=case, kind="reinspection_opinion").count() == 1

    # closure: the re-inspector may not approve it, the office head does
    task = _open_task(case, RectificationFlow.approve_closure)
    assert client_for("inspector2").get(f"/tasks/{task.pk}/").status_code == 403
    r = head.post(f"/tasks/{task.pk}/", {f"decision_{h1.pk}": "approve", f"comment_{h1.pk}": "同意销号"})
    assert r.status_code == 302
    h1.refresh_from_db()
    assert h1.state == "closed"
    case.refresh_from_db()
    assert case.state == "rectifying"  # item 2 still open

    # second round for item 2
    r = ent.post(f"/portal/hazards/{h2.pk}/", {"action": "proof", "proof-report": "货物已清理",
                                               "proof-files": [f.photo("after2")]})
    assert r.status_code == 302
    f.reinspected(case, passed=True)
    task = _open_task(case, RectificationFlow.approve_closure)
    head.post(f"/tasks/{task.pk}/", {f"decision_{h2.pk}": "approve", f"comment_{h2.pk}": ""})
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_at is not None
    assert not case.process.task_set.filter(status__in=["NEW", "ASSIGNED"]).exists()
    assert case.process.status == "DONE"
    kinds = list(Notice.objects.filter(inspection=case).values_list("kind", flat=True))
    assert sorted(set(kinds)) == ["closure_approval", "inspection_record", "rectification_order",
                                  "reinspection_opinion"]
    actions = list(AuditEntry.objects.filter(inspection_id=case.pk).values_list("action", flat=True))
    for expected in ("inspection_opened", "hazard_recorded", "inspection_submitted", "order_approved",
                     "proof_submitted", "reinspection_recorded", "closure_approved", "case_closed"):
        assert expected in actions


def test_it_returns_an_order_to_the_inspector_who_fixes_and_resubmits(client_for, in_days):
    case = f.submitted(items=1)
    head = client_for("officehead")
    task = _open_task(case, RectificationFlow.approve_order)
    r = head.post(f"/tasks/{task.pk}/", {"decision": "reject", "comment": ""})
    assert r.status_code == 200 and "退回整改指令须填写退回理由" in r.content.decode()
    case.refresh_from_db()
    assert case.state == "order_review"
    head.post(f"/tasks/{task.pk}/", {"decision": "reject", "comment": "依据条款不准确"})
    case.refresh_from_db()
    assert case.state == "draft"
    revise = _open_task(case, RectificationFlow.revise_inspection)
    assert revise.owner.username == "inspector"
    inspector = client_for("inspector")
    assert inspector.get(f"/tasks/{revise.pk}/").url == f"/cases/{case.pk}/"
    inspector.post(f"/cases/{case.pk}/submit/")
    case.refresh_from_db()
    assert case.state == "order_review"
    assert _open_task(case, RectificationFlow.approve_order) is not None
    assert Notice.objects.filter(inspection=case, kind="inspection_record").count() == 2


def test_it_archives_an_inspection_whose_only_hazard_was_fixed_on_the_spot(client_for):
    case = f.inspection()
    f.hazard(case, fixed=True)
    client_for("inspector").post(f"/cases/{case.pk}/submit/")
    case.refresh_from_db()
    assert case.state == "archived"
    assert case.hazards.get().state == "fixed_on_spot"
    assert not hasattr(case, "process") or case.process is None
    assert Notice.objects.filter(inspection=case).count() == 1


def test_it_refuses_a_fixed_on_the_spot_item_without_photo_evidence(client_for):
    case = f.inspection()
    trade = Sector.objects.get(code="industry_trade")
    r = client_for("inspector").post(f"/cases/{case.pk}/hazards/new/", {
        "description": "灭火器压力不足", "location": "仓库", "sector": trade.pk, "level": "general",
        "legal_basis": "消防法", "fixed_on_spot": "on"})
    assert r.status_code == 200
    assert "当场整改的隐患须上传整改后的照片作为证据" in r.content.decode()
    assert Hazard.objects.count() == 0
