"""Notices: real WeasyPrint PDFs with an embedded CJK font, numbered without gaps, verifiable by QR code."""

import hashlib

import pytest
from django.core.management import call_command

from hazards.flows import RectificationFlow
from tests import factories as f
from workflow.models import Notice
from workflow.notices import ensure_pdf


def _pdf(notice):
    notice = ensure_pdf(notice.pk)
    with notice.pdf.open("rb") as fh:
        return fh.read()


def test_the_rectification_order_prints_its_number_enterprise_items_and_deadlines(committee, in_days):
    case = f.inspection()
    f.hazard(case, description="配电箱未设置漏电保护装置", deadline=in_days(12))
    f.hazard(case, description="安全出口被成品货物堵塞", deadline=in_days(20))
    from hazards import services

    services.inspection_submit(user=f.user("inspector"), inspection=case)
    services.order_decide(user=f.user("officehead"), task_id=f.task_id(case, RectificationFlow.approve_order),
                          approve=True)
    order = Notice.objects.get(inspection=case, kind="rectification_order")
    data = _pdf(order)
    text = f.pdf_text(data).replace(" ", "").replace("\n", "")
    assert order.number in text
    assert "责令限期整改指令书" in text
    assert "重庆市黔江区恒达机械制造有限公司" in text
    assert "配电箱未设置漏电保护装置" in text and "安全出口被成品货物堵塞" in text
    assert in_days(12).strftime("%Y年").lstrip("0") in text
    assert f"{in_days(12).month}月{in_days(12).day}日" in text
    assert "行政复议" in text and "黔江区人民政府" in text
    fonts = f.pdf_fonts(data)
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts), fonts
    assert Notice.objects.get(pk=order.pk).sha256 == hashlib.sha256(data).hexdigest()


def test_the_pdf_is_rendered_once_and_stored(committee):
    case = f.submitted(items=1)
    record = Notice.objects.get(inspection=case, kind="inspection_record")
    first = _pdf(record)
    name = Notice.objects.get(pk=record.pk).pdf.name
    assert _pdf(record) == first
    assert Notice.objects.get(pk=record.pk).pdf.name == name


def test_numbers_run_per_office_kind_and_year_without_gaps(committee):
    for _ in range(3):
        f.submitted(items=1)
    numbers = list(Notice.objects.filter(kind="inspection_record").order_by("serial").values_list("number", flat=True))
    year = Notice.objects.first().year
    assert numbers == [f"正阳园安检记〔{year}〕{n}号" for n in (1, 2, 3)]


def test_the_verification_page_shows_the_notice_and_refuses_forgeries(client, committee):
    case = f.submitted(items=1)
    record = ensure_pdf(Notice.objects.get(inspection=case).pk)
    r = client.get(f"/v/{record.verify_token}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert record.number in body and "重庆市黔江区恒达机械制造有限公司" in body and record.sha256 in body
    r = client.get("/v/00000000-0000-0000-0000-000000000000/")
    assert r.status_code == 404 and "未找到该文书" in r.content.decode()


def test_the_qr_code_on_the_notice_points_at_the_verification_page(committee):
    from workflow.notices import render_html, verify_url

    case = f.submitted(items=1)
    record = Notice.objects.get(inspection=case)
    html = render_html(record)
    assert "data:image/png;base64," in html
    assert verify_url(record) == f"http://park.example/v/{record.verify_token}/"
    assert verify_url(record) in html


def test_notices_download_only_for_those_allowed(client_for, committee):
    case = f.submitted(items=1)
    record = Notice.objects.get(inspection=case)
    assert client_for("enterprise2").get(f"/notices/{record.pk}/pdf/").status_code == 404
    r = client_for("enterprise").get(f"/notices/{record.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_export_notices_writes_every_kind_of_notice(tmp_path, committee, capsys):
    from hazards import demo

    demo.load_cases()
    call_command("export_notices", str(tmp_path / "archive"))
    files = sorted((tmp_path / "archive").glob("*.pdf"))
    kinds = set(Notice.objects.values_list("kind", flat=True))
    assert kinds == {"inspection_record", "rectification_order", "onsite_measures", "reinspection_opinion",
                     "closure_approval"}
    assert len(files) == Notice.objects.count()
    measures = Notice.objects.filter(kind="onsite_measures").first()
    data = (tmp_path / "archive" / f"{measures.number}.pdf").read_bytes()
    assert measures.number in f.pdf_text(data).replace(" ", "")
    assert any("Noto-Serif-CJK-SC" in n for n in f.pdf_fonts(data))


@pytest.mark.parametrize("family,ok", [("Noto Serif CJK SC", True), ("No Such Font SC", False)])
def test_the_system_check_fails_without_a_cjk_font(settings, family, ok):
    from workflow.checks import check_cjk_font

    settings.NOTICE_FONT_FAMILY = family
    errors = check_cjk_font()
    assert (errors == []) is ok
    if not ok:
        assert errors[0].id == "workflow.E002" and "fonts-noto-cjk" in errors[0].hint
