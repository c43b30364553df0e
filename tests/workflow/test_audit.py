"""The audit trail is append-only and hash-chained; verify_audit names the first altered or missing row."""

import pytest
from django.core.management import CommandError, call_command

from tests import factories as f
from workflow.models import AuditEntry


@pytest.fixture
def trail(committee):
    f.ordered(items=2)
    return list(AuditEntry.objects.order_by("id"))


def test_every_step_appends_a_row_chained_to_the_previous_one(trail):
    assert len(trail) >= 6
    for previous, entry in zip(trail, trail[1:]):
        assert entry.prev_hash == previous.hash
    assert {"inspection_opened", "hazard_recorded", "inspection_submitted", "notice_issued", "order_approved"} <= {
        e.action for e in trail}
    assert trail[0].actor_name == "王立新"


def test_verify_audit_passes_on_an_untouched_trail(trail, capsys):
    call_command("verify_audit")
    assert "校验通过" in capsys.readouterr().out


def test_verify_audit_names_an_edited_row(trail):
    victim = trail[3]
    AuditEntry.objects.filter(pk=victim.pk).update(summary="篡改后的内容")
    with pytest.raises(CommandError, match=f"第 {victim.pk} 条记录的内容被修改"):
        call_command("verify_audit")


def test_verify_audit_names_the_row_after_a_deleted_one(trail):
    AuditEntry.objects.filter(pk=trail[2].pk).delete()
    with pytest.raises(CommandError, match=f"第 {trail[3].pk} 条记录之前的记录被删除"):
        call_command("verify_audit")


def test_verify_audit_notices_the_last_row_deleted(trail):
    AuditEntry.objects.filter(pk=trail[-1].pk).delete()
    with pytest.raises(CommandError, match="链尾记录被删除"):
        call_command("verify_audit")
