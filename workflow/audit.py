"""The audit trail: append-only, hash-chained rows (执法全过程记录)."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead
from .roles import display_name

GENESIS = "0" * 64


def _digest(*, prev_hash, at, actor_id, actor_name, action, target_type, target_id, inspection_id, summary, data,
            penalty_case_id=None):
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor_id, actor_name, action, target_type, str(target_id), inspection_id,
         summary, data] + ([penalty_case_id] if penalty_case_id is not None else []),
        cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def entry_digest(entry):
    return _digest(
        prev_hash=entry.prev_hash, at=entry.at, actor_id=entry.actor_id, actor_name=entry.actor_name,
        action=entry.action, target_type=entry.target_type, target_id=entry.target_id,
        inspection_id=entry.inspection_id, summary=entry.summary, data=entry.data,
        penalty_case_id=entry.penalty_case_id,
    )


def _locked_head():
    try:
        return AuditHead.objects.select_for_update().get(pk=1)
    except AuditHead.DoesNotExist:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1)
        except IntegrityError:
            pass
        return AuditHead.objects.select_for_update().get(pk=1)


def record(*, actor, action, target, summary="", data=None, inspection_id=None, penalty_case_id=None):
    """Append one row to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside a transaction")
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    head = _locked_head()
    at = timezone.now()
    fields = dict(
        at=at, actor_id=getattr(actor, "pk", None), actor_name=display_name(actor), action=action,
        target_type=target._meta.label_lower, target_id=str(target.pk), inspection_id=inspection_id,
        summary=str(summary)[:300], data=data, penalty_case_id=penalty_case_id,
    )
    digest = _digest(prev_hash=head.last_hash, **fields)
    entry = AuditEntry.objects.create(prev_hash=head.last_hash, hash=digest, **fields)
    head.last_entry_id = entry.pk
    head.last_hash = digest
    head.count += 1
    head.save()
    return entry


def verify():
    """Return (ok, message, first_bad_entry_id) after walking the whole chain."""
    prev = GENESIS
    count = 0
    last_id = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev:
            return False, f"第 {entry.pk} 条记录之前的记录被删除或修改（前序哈希不符）", entry.pk
        if entry_digest(entry) != entry.hash:
            return False, f"第 {entry.pk} 条记录的内容被修改（哈希不符）", entry.pk
        prev = entry.hash
        count += 1
        last_id = entry.pk
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if count:
            return False, "审计链头记录丢失", None
        return True, "审计记录为空", None
    if head.count != count or head.last_hash != prev:
        return False, f"链尾记录被删除：应有 {head.count} 条，实有 {count} 条（末条 {head.last_entry_id}）", head.last_entry_id
    return True, f"共 {count} 条记录，校验通过（末条 {last_id}）", None
