"""Reads: what stage a case is at, who may see what, and the lists people work from."""

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from workflow.roles import enterprise_of, staff_of

from .models import (
    OPEN_HAZARD_STATES, Hazard, HazardLevel, HazardState, Inspection, InspectionState, PenaltyCase, PenaltyState,
)


def case_stage(process):
    """Which step the case needs next, from the models' legal states (read fresh, never from memory)."""
    inspection = Inspection.objects.get(pk=process.inspection_id)
    if inspection.state == InspectionState.DRAFT:
        return "revise"
    if inspection.state == InspectionState.ORDER_REVIEW:
        return "approve_order"
    if inspection.state != InspectionState.RECTIFYING:
        return "end"
    states = set(inspection.hazards.values_list("state", flat=True))
    today = timezone.localdate()
    overdue = inspection.hazards.filter(state=HazardState.RECTIFYING, deadline__lt=today).exists()
    if HazardState.CLOSURE_REVIEW in states:
        return "approve_closure"
    if overdue or (HazardState.PROOF_SUBMITTED in states and HazardState.RECTIFYING not in states):
        return "reinspect"
    if states & {HazardState.RECTIFYING, HazardState.AWAITING_PLAN, HazardState.PLAN_REVIEW}:
        return "wait_proof"  # waiting for the enterprise; a plan is approved in its own PlanFlow
    return "end"


def closure_permission(inspection):
    major = inspection.hazards.filter(state=HazardState.CLOSURE_REVIEW, level=HazardLevel.MAJOR).exists()
    return inspection.office.leader_permission if major else inspection.office.head_permission


def visible_inspections(user):
    """Staff see every case; an enterprise user sees only its own enterprise's; anyone else nothing."""
    qs = Inspection.objects.all()
    if staff_of(user) or user.is_superuser:
        return qs
    enterprise = enterprise_of(user)
    if enterprise:
        return qs.filter(enterprise=enterprise).exclude(state=InspectionState.DRAFT)
    return qs.none()


def get_visible_inspection(user, pk):
    try:
        return visible_inspections(user).select_related("enterprise", "office", "sector").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError):
        raise Http404 from None


def visible_hazards(user):
    return Hazard.objects.filter(inspection__in=visible_inspections(user))


def get_visible_hazard(user, pk):
    try:
        return visible_hazards(user).select_related("inspection__enterprise", "inspection__office", "sector").get(pk=pk)
    except (Hazard.DoesNotExist, ValueError):
        raise Http404 from None


def overdue_q(prefix=""):
    today = timezone.localdate()
    return Q(**{f"{prefix}state__in": [HazardState.RECTIFYING, HazardState.AWAITING_PLAN],
                f"{prefix}deadline__lt": today})


def hazard_ledger(user, *, state=None, office=None, level=None, overdue=False, search=None):
    qs = visible_hazards(user).exclude(inspection__state=InspectionState.DRAFT).select_related("inspection__enterprise", "inspection__office", "sector")
    if state:
        qs = qs.filter(state=state)
    if office:
        qs = qs.filter(inspection__office_id=office)
    if level:
        qs = qs.filter(level=level)
    if overdue:
        qs = qs.filter(overdue_q())
    search = (search or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
    if search:
        qs = qs.filter(Q(description__icontains=search) | Q(inspection__enterprise__name__icontains=search))
    return qs.order_by("deadline", "id")


def inspection_list(user, *, state=None, overdue=False):
    """Cases newest first; counts are added to the rows actually shown by with_counts()."""
    qs = visible_inspections(user).select_related("enterprise", "office").order_by("-created_at", "-id")
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(Exists(Hazard.objects.filter(overdue_q(), inspection=OuterRef("pk"))))
    return qs


def with_counts(inspections):
    """Hazard counts and the overdue flag for one page of cases, in one query."""
    inspections = list(inspections)
    rows = (
        Hazard.objects.filter(inspection__in=inspections).values("inspection")
        .annotate(total=Count("id"), open=Count("id", filter=Q(state__in=OPEN_HAZARD_STATES)),
                  overdue=Count("id", filter=overdue_q()))
    )
    counts = {r["inspection"]: r for r in rows}
    for inspection in inspections:
        row = counts.get(inspection.pk, {})
        inspection.hazard_count = row.get("total", 0)
        inspection.open_count = row.get("open", 0)
        inspection.has_overdue = bool(row.get("overdue"))
    return inspections


def penalty_stage(process):
    """Which step a penalty case needs next, from its legal state (read fresh)."""
    from .penalty_rules import rights_periods_over

    case = PenaltyCase.objects.get(pk=process.case_id)
    state = case.state
    if state == PenaltyState.NOTIFIED:
        return "prepare_decision" if rights_periods_over(case) else "wait_party"
    if state == PenaltyState.EXECUTING:
        return "approve_closing" if (case.paid_on or not case.total_fine) else "record_payment"
    return {
        PenaltyState.PROPOSED: "approve_filing", PenaltyState.FILED: "investigate",
        PenaltyState.INVESTIGATING: "notify", PenaltyState.HEARING: "hold_hearing",
        PenaltyState.LEGAL_REVIEW: "legal_review", PenaltyState.DELIBERATION: "deliberate",
        PenaltyState.AWAITING_DECISION: "decide", PenaltyState.DECIDED: "serve", PenaltyState.SERVED: "disclose",
    }.get(state, "end")


def visible_penalty_cases(user):
    qs = PenaltyCase.objects.all()
    if staff_of(user) or user.is_superuser:
        return qs
    enterprise = enterprise_of(user)
    if enterprise:
        return qs.filter(enterprise=enterprise).exclude(state=PenaltyState.PROPOSED)
    return qs.none()


def get_visible_penalty_case(user, pk):
    try:
        return visible_penalty_cases(user).select_related("enterprise", "office", "provision").get(pk=pk)
    except (PenaltyCase.DoesNotExist, ValueError):
        raise Http404 from None


def disclosed_penalties():
    return (PenaltyCase.objects.filter(disclosed_on__isnull=False).select_related("enterprise", "provision")
            .order_by("-decided_on", "-id"))
