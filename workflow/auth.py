"""Grants office permissions from office membership, so viewflow queues tasks to every member of an office."""

from django.contrib.auth.backends import BaseBackend

STAFF_PERMISSIONS = (
    "workflow.staff",
    "hazards.view_rectificationprocess",
    "hazards.view_extensionprocess",
    "hazards.view_planprocess",
    "hazards.view_penaltyprocess",
    "hazards.view_blacklistprocess",
    "enterprises.view_assignmentprocess",
)


def office_permissions(staff):
    perms = set(STAFF_PERMISSIONS)
    if staff.office_id:
        perms.add(f"workflow.office_{staff.office_id}")
        if staff.is_office_head:
            perms.add(f"workflow.office_head_{staff.office_id}")
        if staff.office.is_legal_office:
            perms.add("workflow.legal")
    for office_id in staff.portfolio.values_list("id", flat=True):
        perms.add(f"workflow.leader_{office_id}")
    if staff.leader_role:
        perms.add("workflow.leader")
    if staff.leader_role in ("principal", "safety"):
        perms.add("workflow.supervision_approver")
    return perms


def case_officer_permissions(user_id):
    """One permission per open penalty case the user is a named officer of (read fresh: officers change)."""
    from hazards.models import PenaltyCase, PenaltyState

    cases = PenaltyCase.objects.filter(officers=user_id).exclude(state__in=[PenaltyState.CLOSED, PenaltyState.DROPPED])
    return {f"hazards.penalty_officer_{pk}" for pk in cases.values_list("pk", flat=True)}


class OfficeBackend(BaseBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        cached = getattr(user_obj, "_office_perm_cache", None)
        if cached is None:
            from .models import Staff

            staff = Staff.objects.select_related("office").filter(user=user_obj).first()
            cached = frozenset(office_permissions(staff)) if staff else frozenset()
            user_obj._office_perm_cache = cached
        if not cached:
            return set()
        return set(cached) | case_officer_permissions(user_obj.pk)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)
