"""Notices (文书): gap-free numbering in the issuing transaction, PDF rendering after commit."""

import base64
import hashlib
import io
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import audit
from .models import NOTICE_KIND_CODES, Notice, NoticeKind, NoticeSequence

_font_config = None
_font_lock = threading.Lock()


def font_configuration():
    """One FontConfiguration per process: a new one per render costs hundreds of MB over a batch."""
    global _font_config
    if _font_config is None:
        with _font_lock:
            if _font_config is None:
                from weasyprint.text.fonts import FontConfiguration

                _font_config = FontConfiguration()
    return _font_config


def format_number(office, kind, year, serial):
    return f"{settings.NOTICE_ISSUER_PREFIX}{office.abbreviation}{NOTICE_KIND_CODES[kind]}〔{year}〕{serial}号"


def _next_serial(office, kind, year):
    try:
        with transaction.atomic():
            NoticeSequence.objects.get_or_create(office=office, kind=kind, year=year)
    except IntegrityError:
        pass  # a concurrent transaction created it first
    sequence = NoticeSequence.objects.select_for_update().get(office=office, kind=kind, year=year)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return sequence.last_serial


def issue(*, kind, office, enterprise, issued_by, context, inspection=None, penalty_case=None):
    """Number and record a notice inside the caller's transaction; its PDF is rendered after commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notices.issue must run inside a transaction")
    kind = NoticeKind(kind)
    context = {**context, **_legal_terms()}  # the periods in force when issued are printed, even if changed later
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    serial = _next_serial(office, kind, year)
    notice = Notice.objects.create(
        kind=kind, office=office, year=year, serial=serial, number=format_number(office, kind, year, serial),
        enterprise=enterprise, inspection=inspection, penalty_case=penalty_case, issued_at=issued_at,
        issued_by=issued_by, context=context,
    )
    audit.record(
        actor=issued_by, action="notice_issued", target=notice, summary=f"{kind.label} {notice.number}",
        data={"kind": kind.value, "number": notice.number}, inspection_id=getattr(inspection, "pk", None),
        penalty_case_id=getattr(penalty_case, "pk", None),
    )
    transaction.on_commit(lambda: _enqueue_render(notice.pk))
    return notice


def _legal_terms():
    from .models import LegalPeriod

    periods = {p.key: p.days for p in LegalPeriod.objects.all()}
    terms = {"periods": periods, "review_body": settings.NOTICE_REVIEW_BODY}
    try:
        from hazards.models import PenaltyPolicy

        terms["late_fee_percent"] = PenaltyPolicy.current().late_fee_percent_per_day
    except LookupError:
        pass
    return terms


def _enqueue_render(notice_id):
    from .tasks import render_notice

    render_notice.enqueue(notice_id)


def verify_url(notice):
    return settings.PUBLIC_BASE_URL + reverse("notice_verify", args=[notice.verify_token])


def qr_data_uri(text):
    """A small PNG (cheaper for WeasyPrint to draw than an SVG path); printed sharp with pixelated scaling."""
    import qrcode

    image = qrcode.make(text, box_size=4, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_html(notice):
    url = verify_url(notice)
    context = {
        **notice.context,
        "notice": notice,
        "kind_label": notice.kind_label,
        "committee_name": settings.COMMITTEE_NAME,
        "font_family": settings.NOTICE_FONT_FAMILY,
        "verify_url": url,
        "qr": qr_data_uri(url),
    }
    return render_to_string(f"notices/{notice.kind}.html", context)


_render_lock = threading.Lock()


def render_pdf(html):
    from weasyprint import HTML

    # The shared FontConfiguration (a Pango font map) is not safe across threads of one worker.
    with _render_lock:
        document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=font_configuration())
        return document.write_pdf(), len(document.pages)


def warm_up():
    """Render one representative notice so a worker's first real notice is fast (run at worker start)."""
    from .models import Office

    office = Office(name="安全生产部", abbreviation="安")
    hazard = {"number": 1, "description": "配电箱未设置漏电保护装置", "location": "车间", "level_label": "一般事故隐患",
              "legal_basis": "《中华人民共和国安全生产法》第三十六条", "deadline": "2026年12月1日"}
    notice = Notice(kind=NoticeKind.RECTIFICATION_ORDER, office=office, year=2026, serial=0,
                    number=format_number(office, NoticeKind.RECTIFICATION_ORDER, 2026, 0),
                    issued_at=timezone.now(), context={
                        "enterprise": {"name": "预热企业", "uscc": "", "address": ""}, "office_name": office.name,
                        "issued_date": "2026年1月1日", "hazards": [hazard]})
    render_pdf(render_html(notice))


def ensure_pdf(notice_id):
    """Render and store the notice's PDF once; later calls return the stored file."""
    notice = Notice.objects.get(pk=notice_id)
    if notice.pdf:
        return notice
    pdf, pages = render_pdf(render_html(notice))  # outside any lock: rendering is slow
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.pdf:
            return notice
        digest = hashlib.sha256(pdf).hexdigest()
        notice.pdf.save(f"{notice.kind}-{notice.year}-{notice.office_id}-{notice.serial}-{digest[:12]}.pdf",
                        ContentFile(pdf), save=False)
        notice.sha256 = digest
        notice.page_count = pages
        notice.save(update_fields=["pdf", "sha256", "page_count"])
    return notice
