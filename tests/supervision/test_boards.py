"""The listing boards (公示牌): one printed page per key enterprise with its three responsible persons, and a batch
print of all boards into one file that shows its progress while it runs."""

import io

import pytest
from pypdf import PdfReader

from supervision import boards
from supervision.models import BoardBatch
from tests import factories as f
from tests.supervision.builders import designate, staff
from workflow.models import AuditEntry
from workflow.notices import ensure_pdf

JINXIN = "重庆黔江金鑫铝业有限公司"
ROLES = ["行政负责人", "行业监管部门负责人", "企业（单位）责任人"]


def _flat(text):
    return text.replace(" ", "").replace("\n", "")


def _pdf_bytes(notice):
    notice = ensure_pdf(notice.pk)
    with notice.pdf.open("rb") as fh:
        return fh.read()


@pytest.fixture
def two_boards(committee):
    for username, phone in (("supervisor", "13908270102"), ("dengbo", "13908270103"), ("officehead", "13983270201")):
        s = staff(username)
        s.phone = phone
        s.save()
    designate(person="李国强", phone="13800000001")
    designate(f.enterprise(JINXIN), admin="dengbo", person="杨帆", phone="13800000002")
    return [boards.current_board(f.enterprise()), boards.current_board(f.enterprise(JINXIN))]


def _start(client, paper, capture):
    with capture(execute=True):
        return client.post("/supervision/boards/", {"paper": paper})


def test_a_board_prints_the_three_names_roles_phones_and_its_number_in_the_cjk_font(two_boards):
    board = two_boards[0]
    data = _pdf_bytes(board)
    text = _flat(f.pdf_text(data))
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    assert board.number in text and board.number.startswith("正阳园安公示〔")
    assert "重庆市黔江区恒达机械制造有限公司" in text
    for name in ("黄国栋", "刘建华", "李国强"):
        assert name in text
    for role in ROLES:
        assert role in text
    assert "13908270102" in text and "13983270201" in text and "13800000001" in text
    assert "扫码核验" in text
    fonts = f.pdf_fonts(data)
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts
    assert not any("DejaVu" in name for name in fonts), fonts


def test_the_verification_page_of_a_board_names_its_three_persons(two_boards, client):
    page = client.get(f"/v/{two_boards[1].verify_token}/").content.decode()
    assert two_boards[1].number in page
    for text in ["邓波", "刘建华", "杨帆", "13800000002", *ROLES]:
        assert text in page


def test_the_board_list_shows_each_key_enterprise_with_its_current_board(two_boards, client_for):
    page = client_for("officehead").get("/supervision/boards/").content.decode()
    for board in two_boards:
        assert board.number in page
        assert f"/notices/{board.pk}/pdf/" in page
    assert "重庆正阳新材料科技有限公司" not in page  # not key-supervised


def test_a_batch_print_makes_one_file_with_one_page_per_board(two_boards, client_for, django_capture_on_commit_callbacks):
    client = client_for("officehead")
    response = _start(client, "A4", django_capture_on_commit_callbacks)
    batch = BoardBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/boards/batches/{batch.pk}/"
    assert (batch.state, batch.total, batch.done, batch.paper) == ("done", 2, 2, "A4")
    assert AuditEntry.objects.filter(action="board_batch_started", target_id=str(batch.pk)).exists()

    status = client.get(f"/supervision/boards/batches/{batch.pk}/status/").json()
    assert status["state"] == "done" and (status["done"], status["total"], status["percent"]) == (2, 2, 100)
    assert status["pdf_url"] == f"/supervision/boards/batches/{batch.pk}/pdf/"

    detail = client.get(f"/supervision/boards/batches/{batch.pk}/").content.decode()
    assert "下载打印文件" in detail and status["pdf_url"] in detail

    download = client.get(status["pdf_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    data = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    text = _flat(f.pdf_text(data))
    assert "重庆市黔江区恒达机械制造有限公司" in text and JINXIN in text
    assert two_boards[0].number in text and two_boards[1].number in text
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape


def test_an_a3_batch_scales_every_board_to_a3_landscape(two_boards, client_for, django_capture_on_commit_callbacks):
    client = client_for("buildhead")
    _start(client, "A3", django_capture_on_commit_callbacks)
    batch = BoardBatch.objects.get()
    with batch.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (1191, 842)
    assert "李国强" in _flat(reader.pages[0].extract_text() + reader.pages[1].extract_text())


def test_a_double_submit_returns_the_batch_just_started(two_boards, client_for, django_capture_on_commit_callbacks):
    client = client_for("officehead")
    first = _start(client, "A4", django_capture_on_commit_callbacks)
    second = _start(client, "A4", django_capture_on_commit_callbacks)
    assert BoardBatch.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_progress_is_reported_while_the_batch_runs(two_boards, client_for):
    batch = BoardBatch.objects.create(requested_by=f.user("officehead"), paper="A4", total=2, done=1,
                                      state=BoardBatch.State.RUNNING)
    client = client_for("inspector")
    status = client.get(f"/supervision/boards/batches/{batch.pk}/status/").json()
    assert status == {**status, "state": "running", "done": 1, "total": 2, "percent": 50, "pdf_url": None}
    assert client.get(f"/supervision/boards/batches/{batch.pk}/pdf/").status_code == 404
    page = client.get(f"/supervision/boards/batches/{batch.pk}/").content.decode()
    assert "生成中" in page and "supervision/boards/batches/%d/status/" % batch.pk in page
    assert 'value="50"' in page


def test_a_batch_of_a_board_that_cannot_be_rendered_fails_with_a_chinese_error(two_boards, monkeypatch):
    def broken(notice_id):
        raise RuntimeError("font missing")

    monkeypatch.setattr(boards, "ensure_pdf", broken)
    batch = BoardBatch.objects.create(requested_by=f.user("officehead"), paper="A4", total=2)
    boards.batch_run(batch.pk)
    batch.refresh_from_db()
    assert batch.state == "failed" and not batch.pdf
    assert "公示牌生成失败" in batch.error and "重庆市黔江区恒达机械制造有限公司" in batch.error


def test_bad_paper_and_no_boards_are_refused_in_chinese(committee, client_for):
    client = client_for("officehead")
    response = client.post("/supervision/boards/", {"paper": "B5"})
    assert response.status_code == 400 and "请选择纸张规格" in response.content.decode()
    response = client.post("/supervision/boards/", {"paper": "A4"})
    assert response.status_code == 400 and "目前没有重点管控企业的公示牌" in response.content.decode()
    assert not BoardBatch.objects.exists()


def test_enterprise_users_are_refused_and_anonymous_users_sent_to_log_in(two_boards, client_for, client):
    batch = BoardBatch.objects.create(requested_by=f.user("officehead"), paper="A4", total=2)
    urls = ["/supervision/boards/", f"/supervision/boards/batches/{batch.pk}/",
            f"/supervision/boards/batches/{batch.pk}/status/", f"/supervision/boards/batches/{batch.pk}/pdf/"]
    ent = client_for("enterprise")
    for url in urls:
        assert ent.get(url).status_code == 403, url
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    assert ent.post("/supervision/boards/", {"paper": "A4"}).status_code == 403
    assert BoardBatch.objects.count() == 1
    assert client_for("officehead").get("/supervision/boards/batches/999999/").status_code == 404


def test_the_newest_board_is_the_current_one(two_boards):
    from enterprises import services as ent_services

    ent_services.grade_set(user=f.user("officehead"), enterprise=f.enterprise(), grade="red", reason="重大危险源")
    newest = boards.current_board(f.enterprise())
    assert newest.pk != two_boards[0].pk
    assert {n.pk for _e, n in boards.current_boards()} == {newest.pk, two_boards[1].pk}
    assert "红色" in _flat(f.pdf_text(_pdf_bytes(newest)))


def test_export_notices_writes_the_boards_too(two_boards, tmp_path):
    from django.core.management import call_command

    call_command("export_notices", str(tmp_path / "out"), stdout=io.StringIO())
    for board in two_boards:
        path = tmp_path / "out" / f"{board.number}.pdf"
        assert path.exists()
        assert board.number in _flat(f.pdf_text(path.read_bytes()))
