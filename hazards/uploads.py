"""Upload checks: size, real content type (by the bytes, not the name), stored under a generated name."""

import hashlib
import io
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from workflow.engine import ActionRefused

SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


def sniff(data):
    for magic, content_type, ext in SIGNATURES:
        if data.startswith(magic):
            return content_type, ext
    return None, None


def _content_is_sound(data, content_type):
    if content_type == "application/pdf":
        return b"%%EOF" in data[-2048:]
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:
        return False
    return True


def check_upload(uploaded, *, images_only=False):
    """Return (ContentFile with a generated name, metadata) or raise ActionRefused with a Chinese message."""
    name = getattr(uploaded, "name", "") or "file"
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ActionRefused(_("文件“%(name)s”超过大小限制（最大 %(mb)s MB）。") % {"name": name, "mb": limit // (1024 * 1024)})
    if uploaded.size == 0:
        raise ActionRefused(_("文件“%(name)s”是空文件。") % {"name": name})
    uploaded.seek(0)
    data = uploaded.read()
    content_type, ext = sniff(data)
    allowed = ("image/jpeg", "image/png") if images_only else ("image/jpeg", "image/png", "application/pdf")
    if content_type not in allowed:
        kinds = _("JPEG 或 PNG 图片") if images_only else _("JPEG、PNG 图片或 PDF 文件")
        raise ActionRefused(_("文件“%(name)s”不是%(kinds)s，请重新选择。") % {"name": name, "kinds": kinds})
    if not _content_is_sound(data, content_type):
        raise ActionRefused(_("文件“%(name)s”已损坏或不完整，无法读取。") % {"name": name})
    meta = {
        "original_name": name[:200], "content_type": content_type, "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{ext}"), meta
