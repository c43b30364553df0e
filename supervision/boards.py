"""The public listing boards (公示牌) of the key enterprises, and their batch print into one PDF file."""

import datetime
import io
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import Enterprise
from workflow import audit
from workflow.engine import ActionRefused
from workflow.models import Notice, NoticeKind
from workflow.notices import ensure_pdf
from workflow.roles import staff_of

from .models import BoardBatch

logger = logging.getLogger(__name__)

PAPERS = {"A4": gettext_lazy("A4（横向）"), "A3": gettext_lazy("A3（横向）")}
# A double click returns the batch just started; one still queued or running is returned for longer.
REPEAT_WINDOW = datetime.timedelta(seconds=10)
RUNNING_WINDOW = datetime.timedelta(minutes=10)
A3_LANDSCAPE = (1190.55, 841.89)  # points


def board_notices():
    """Listing boards, newest first: an enterprise's first one is its current board."""
    return Notice.objects.filter(kind=NoticeKind.LISTING_BOARD).order_by("-issued_at", "-id")


def latest_boards(enterprise_ids):
    """{enterprise id: its current board} for the given enterprises, in one query."""
    newest = {}
    for notice in board_notices().filter(enterprise_id__in=enterprise_ids).select_related("office"):
        newest.setdefault(notice.enterprise_id, notice)
    return newest


def current_boards():
    """[(enterprise, newest listing board or None)] of every key enterprise, by name."""
    enterprises = list(Enterprise.objects.filter(is_key_supervised=True).order_by("name", "pk"))
    newest = latest_boards([e.pk for e in enterprises])
    return [(e, newest.get(e.pk)) for e in enterprises]


def current_board(enterprise):
    return board_notices().filter(enterprise=enterprise).first()


def batch_start(*, user, paper):
    """Start printing every current board into one file; returns (batch, started)."""
    if staff_of(user) is None:
        raise PermissionDenied(_("仅管委会工作人员可以批量打印公示牌。"))
    if paper not in PAPERS:
        raise ActionRefused(_("请选择纸张规格（A4或A3）。"))
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one start per user at a time
        now = timezone.now()
        mine = BoardBatch.objects.filter(requested_by=user, paper=paper).exclude(state=BoardBatch.State.FAILED)
        recent = (mine.filter(requested_at__gte=now - REPEAT_WINDOW).first()
                  or mine.filter(state__in=[BoardBatch.State.QUEUED, BoardBatch.State.RUNNING],
                                 requested_at__gte=now - RUNNING_WINDOW).first())
        if recent is not None:
            return recent, False
        total = sum(1 for _e, notice in current_boards() if notice is not None)
        if total == 0:
            raise ActionRefused(_("目前没有重点管控企业的公示牌，无需打印。"))
        batch = BoardBatch.objects.create(requested_by=user, requested_at=now, paper=paper, total=total)
        audit.record(actor=user, action="board_batch_started", target=batch,
                     summary=_("批量打印公示牌（%(p)s，共%(n)d块）") % {"p": paper, "n": total},
                     data={"paper": paper, "total": total})
        transaction.on_commit(lambda: _enqueue(batch.pk))
    return batch, True


def _enqueue(batch_id):
    from .tasks import print_boards

    print_boards.enqueue(batch_id)


def merge(pdfs, paper):
    """One PDF of every page of `pdfs` (bytes); for A3 each page is scaled to A3 landscape."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        for page in PdfReader(io.BytesIO(data)).pages:
            page = writer.add_page(page)  # pypdf 7 transforms only pages attached to a writer
            if paper == "A3":
                page.scale_to(*A3_LANDSCAPE)
    writer.add_metadata({"/Title": _("安全生产“三个责任人”公示牌")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _update(batch_id, **fields):
    with transaction.atomic():  # its own small transaction: the waiting page sees the progress
        BoardBatch.objects.filter(pk=batch_id).update(**fields)


def batch_run(batch_id):
    """Render the boards missing a PDF, count progress, merge into one file. Runs in a background task."""
    claimed = BoardBatch.objects.filter(pk=batch_id, state=BoardBatch.State.QUEUED).update(
        state=BoardBatch.State.RUNNING)
    if not claimed:
        return None  # already run (or being run) by another worker
    batch = BoardBatch.objects.get(pk=batch_id)
    current = None
    try:
        boards = [(e, n) for e, n in current_boards() if n is not None]
        _update(batch_id, total=len(boards), done=0)
        pdfs = []
        for done, (enterprise, notice) in enumerate(boards, 1):
            current = enterprise
            notice = ensure_pdf(notice.pk)
            with notice.pdf.open("rb") as f:
                pdfs.append(f.read())
            _update(batch_id, done=done)
        current = None
        if not pdfs:
            raise ActionRefused(_("目前没有重点管控企业的公示牌。"))
        data = merge(pdfs, batch.paper)
        name = f"boards-{batch.pk}-{batch.paper}-{timezone.localdate():%Y%m%d}.pdf"
        with transaction.atomic():
            batch = BoardBatch.objects.select_for_update().get(pk=batch_id)
            batch.pdf.save(name, ContentFile(data), save=False)
            batch.state = BoardBatch.State.DONE
            batch.finished_at = timezone.now()
            batch.error = ""
            batch.save(update_fields=["pdf", "state", "finished_at", "error"])
        return batch
    except Exception as exc:
        logger.exception("board batch %s failed", batch_id)
        if isinstance(exc, ActionRefused):
            error = str(exc.args[0])
        elif current is not None:
            error = _("%(e)s的公示牌生成失败，请稍后重新打印或联系系统管理员。") % {"e": current.name}
        else:
            error = _("合并打印文件失败，请稍后重新打印或联系系统管理员。")
        _update(batch_id, state=BoardBatch.State.FAILED, error=error[:300], finished_at=timezone.now())
        return None


def batch_status(batch):
    percent = 100 if batch.state == BoardBatch.State.DONE else (
        int(100 * batch.done / batch.total) if batch.total else 0)
    return {"state": batch.state, "state_label": batch.get_state_display(), "done": batch.done,
            "total": batch.total, "percent": min(100, percent), "error": batch.error}
