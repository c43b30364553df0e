"""Uploads: checked by content, limited in size, stored under generated names; refusals write nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile

from hazards.models import Attachment, RectificationProof
from tests import factories as f


def _post_proof(client, hazard, files):
    return client.post(f"/portal/hazards/{hazard.pk}/", {"action": "proof", "proof-report": "已整改",
                                                         "proof-files": files})


def test_it_refuses_a_text_file_named_like_a_photo_and_writes_nothing(client_for, committee):
    hazard = f.ordered(items=1).hazards.get()
    r = _post_proof(client_for("enterprise"), hazard, [f.photo(), f.fake_image("整改照片.jpg")])
    assert r.status_code == 200
    assert "不是JPEG、PNG 图片或 PDF 文件" in r.content.decode()
    hazard.refresh_from_db()
    assert hazard.state == "rectifying"
    assert RectificationProof.objects.count() == 0
    assert Attachment.objects.filter(purpose="proof").count() == 0


def test_it_refuses_an_oversized_file(client_for, committee, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    hazard = f.ordered(items=1).hazards.get()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 4000 + b"\n%%EOF", content_type="application/pdf")
    r = _post_proof(client_for("enterprise"), hazard, [big])
    assert "超过大小限制" in r.content.decode()
    assert Attachment.objects.filter(purpose="proof").count() == 0


def test_it_refuses_a_truncated_png(client_for, committee):
    hazard = f.ordered(items=1).hazards.get()
    good = f.photo().read()
    broken = SimpleUploadedFile("broken.png", good[:60], content_type="image/png")
    r = _post_proof(client_for("enterprise"), hazard, [broken])
    assert "已损坏或不完整" in r.content.decode()


def test_proof_without_any_file_is_refused(client_for, committee):
    hazard = f.ordered(items=1).hazards.get()
    r = _post_proof(client_for("enterprise"), hazard, [])
    assert "请至少上传一张整改后照片" in r.content.decode()


def test_it_stores_files_under_generated_names_and_keeps_the_original_for_display(client_for, committee):
    hazard = f.ordered(items=1).hazards.get()
    r = _post_proof(client_for("enterprise"), hazard, [f.photo("../../etc/passwd"), f.pdf_file("整改报告.pdf")])
    assert r.status_code == 302
    names = {a.original_name: a for a in Attachment.objects.filter(purpose="proof")}
    assert set(names) == {"passwd.png", "整改报告.pdf"}
    for attachment in names.values():
        stored = attachment.file.name.rsplit("/", 1)[-1]
        assert len(stored.split(".")[0]) == 32 and "passwd" not in stored
    assert names["整改报告.pdf"].content_type == "application/pdf"


def test_attachments_download_only_for_those_allowed(client_for, committee):
    hazard = f.ordered(items=1).hazards.get()
    attachment = hazard.attachments.first()
    assert client_for("enterprise").get(f"/attachments/{attachment.pk}/").status_code == 200
    assert client_for("inspector").get(f"/attachments/{attachment.pk}/").status_code == 200
    assert client_for("enterprise2").get(f"/attachments/{attachment.pk}/").status_code == 404
