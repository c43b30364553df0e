"""Reminders: before a duty falls due, when it is overdue, at key moments, and on key enterprises' hazards.

Each reminder has a key unique per person, so a job run twice (or two jobs at once) sends each one once.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import EnterpriseUser, ResponsibleRole
from hazards.models import OPEN_HAZARD_STATES, Hazard, HazardLevel, HazardState

from . import duties, periods
from .models import DutyRule, PresenceDuty, Reminder

log = logging.getLogger(__name__)


def _create(user_id, key, kind, message, link):
    """A reminder to send unless that person already has one with this key (saved by _save)."""
    return Reminder(user_id=user_id, key=key, kind=kind, message=message[:300], link=link)


def _save(candidates, chunk=500):
    """Save the candidates nobody has yet (looked up in bulk); returns the new reminders."""
    candidates = [c for c in candidates if c is not None]
    existing = set()
    keys = sorted({c.key for c in candidates})
    for i in range(0, len(keys), chunk):
        existing |= set(Reminder.objects.filter(key__in=keys[i:i + chunk]).values_list("user_id", "key"))
    made = []
    for c in candidates:
        if (c.user_id, c.key) in existing:
            continue
        existing.add((c.user_id, c.key))
        try:
            with transaction.atomic():
                c.save()
        except IntegrityError:
            continue  # a concurrent job created it first
        made.append(c)
    return made


def _mail(reminders):
    """E-mail the new reminders of people who have an address; marks each one sent."""
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={r.user_id for r in reminders}).exclude(email="")}
    sent = 0
    for r in reminders:
        user = users.get(r.user_id)
        if user is None:
            continue
        link = settings.PUBLIC_BASE_URL + r.link if r.link else ""
        try:
            send_mail(_("【隐患闭环整改系统】%(k)s") % {"k": r.get_kind_display()}, f"{r.message}\n{link}".strip(),
                      None, [user.email])
        except Exception:  # noqa: BLE001 - a mail server down must not lose the in-app reminder
            log.exception("reminder mail to %s failed", user.email)
            continue
        Reminder.objects.filter(pk=r.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
        sent += 1
    return sent


def _duty_reminders(today):
    made = []
    link = reverse("supervision_dashboard")
    for d in duties.current(today):
        if d.status == duties.DUE_SOON:
            text = _("%(p)s须于%(end)s前完成：%(name)s%(ent)s（已完成%(done)d/%(req)d）") % {
                "p": d.period_label, "end": d.end.isoformat(), "name": d.rule.name,
                "ent": f"（{d.enterprise_name}）" if d.enterprise_name else "", "done": d.done, "req": d.required}
            made.append(_create(d.user_id, "due:" + d.key, Reminder.Kind.DUE_SOON, text, link))
    kinds = {r.period for r in DutyRule.objects.filter(active=True)}
    for kind in kinds:
        start, end = periods.previous(kind, today)
        for d in duties.compute(start=start, end=end, today=today, kinds=[kind]):
            if d.status == duties.OVERDUE:
                text = _("%(p)s未完成：%(name)s%(ent)s（完成%(done)d/%(req)d）") % {
                    "p": d.period_label, "name": d.rule.name,
                    "ent": f"（{d.enterprise_name}）" if d.enterprise_name else "", "done": d.done,
                    "req": d.required}
                made.append(_create(d.user_id, "overdue:" + d.key, Reminder.Kind.OVERDUE, text, link))
    return made


def presence_reminders(request_ids=None, today=None):
    today = today or timezone.localdate()
    made = []
    qs = PresenceDuty.objects.filter(visit__isnull=True).select_related("request__enterprise")
    if request_ids is not None:
        qs = qs.filter(request_id__in=request_ids)
    for duty in qs:
        request = duty.request
        link = reverse("supervision_presence")
        text = _("%(e)s：%(o)s，请于%(due)s前到场履职。") % {
            "e": request.enterprise.name, "o": request.get_occasion_display(), "due": request.due_by.isoformat()}
        made.append(_create(duty.person_id, f"presence:{duty.pk}", Reminder.Kind.PRESENCE, text, link))
        if request.due_by < today:
            text = _("%(e)s：%(o)s，到场期限%(due)s已过，尚未到场。") % {
                "e": request.enterprise.name, "o": request.get_occasion_display(), "due": request.due_by.isoformat()}
            made.append(_create(duty.person_id, f"presence-overdue:{duty.pk}", Reminder.Kind.OVERDUE, text, link))
    return made


def hazard_recipients(enterprise, day=None):
    """[(user id, is an enterprise account)] of the three responsible persons: the two committee leads, and the
    enterprise's own users for its enterprise lead."""
    from enterprises.services import current_assignments

    held = current_assignments(enterprise, day)
    users = [(held[r].staff.user_id, False) for r in (ResponsibleRole.ADMINISTRATIVE, ResponsibleRole.REGULATOR)
             if r in held and held[r].staff_id]
    if ResponsibleRole.ENTERPRISE in held:
        users += [(uid, True) for uid in EnterpriseUser.objects.filter(enterprise=enterprise)
                  .values_list("user_id", flat=True)]
    return users


def hazard_reminders(hazard_ids=None, today=None):
    """Major or overdue open hazards of key enterprises, to their three responsible persons."""
    today = today or timezone.localdate()
    qs = Hazard.objects.filter(state__in=OPEN_HAZARD_STATES, inspection__enterprise__is_key_supervised=True)
    if hazard_ids is not None:
        qs = qs.filter(pk__in=hazard_ids)
    made = []
    recipients = {}
    for h in qs.select_related("inspection__enterprise"):
        overdue = h.state in (HazardState.RECTIFYING, HazardState.AWAITING_PLAN) and h.deadline and h.deadline < today
        if not (h.level == HazardLevel.MAJOR or overdue):
            continue
        enterprise = h.inspection.enterprise
        if enterprise.pk not in recipients:
            recipients[enterprise.pk] = hazard_recipients(enterprise, today)
        for user_id, is_enterprise in recipients[enterprise.pk]:
            link = (reverse("portal_hazard", args=[h.pk]) if is_enterprise
                    else reverse("case_detail", args=[h.inspection_id]))
            if h.level == HazardLevel.MAJOR:
                text = _("重点管控企业%(e)s发现重大事故隐患：%(d)s") % {"e": enterprise.name, "d": h.description[:120]}
                made.append(_create(user_id, f"hazard-major:{h.pk}", Reminder.Kind.HAZARD, text, link))
            if overdue:
                text = _("重点管控企业%(e)s的隐患已逾期（整改期限%(dl)s）：%(d)s") % {
                    "e": enterprise.name, "dl": h.deadline.isoformat(), "d": h.description[:120]}
                made.append(_create(user_id, f"hazard-overdue:{h.pk}:{h.deadline.isoformat()}",
                                    Reminder.Kind.HAZARD, text, link))
    return made


def run(today=None):
    """The whole reminder job; returns (created, mailed)."""
    today = today or timezone.localdate()
    return deliver(_duty_reminders(today) + presence_reminders(today=today) + hazard_reminders(today=today))


def deliver(candidates):
    """Save the reminders not sent before and e-mail them; returns (created, mailed)."""
    made = _save(candidates)
    return len(made), _mail(made)


def key_enterprises_with_open_hazards(user):
    """For the dashboard: key enterprises the user answers for with major or overdue open hazards."""
    from django.db.models import Q

    from enterprises.models import ResponsibleAssignment
    from hazards.selectors import overdue_q

    enterprise_ids = ResponsibleAssignment.objects.filter(staff__user=user).held_on(timezone.localdate()).values_list(
        "enterprise_id", flat=True)
    return (Hazard.objects.filter(inspection__enterprise__in=enterprise_ids, state__in=OPEN_HAZARD_STATES)
            .filter(Q(level=HazardLevel.MAJOR) | overdue_q())
            .select_related("inspection__enterprise").order_by("deadline", "id"))

