"""The legal rules of the penalty loop, as plain functions the services, pages and tests share."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.calendar import add_period
from workflow.periods import get_period

from .models import PenaltyPolicy, PenaltyState


def due(start, key):
    return add_period(start, get_period(key)).date


def has_hearing_rights(*, org_fine, person_fine, suspension, policy=None):
    """行政处罚法 Art. 63: larger fines, suspension or revocation carry the right to a hearing."""
    policy = policy or PenaltyPolicy.current()
    return suspension or org_fine >= policy.hearing_org_fine or person_fine >= policy.hearing_person_fine


def is_major_decision(case, policy=None):
    policy = policy or PenaltyPolicy.current()
    return case.notified_suspension or case.notified_org_fine >= policy.major_org_fine


def legal_review_required(case, policy=None):
    """Art. 58: heard cases, major decisions and complex cases are reviewed by the legal office first."""
    return bool(case.hearing_record) or case.complex_case or is_major_decision(case, policy)


def deliberation_required(case, policy=None):
    """Art. 57: complex cases and serious violations are decided collectively by the leaders."""
    return case.complex_case or is_major_decision(case, policy)


def range_errors(provision, *, org_fine, person_fine, suspension, person=""):
    """Why a penalty lies outside what the provision allows (empty when it is inside)."""
    errors = []
    if provision is None:
        return [_("请选择处罚依据。")]
    if org_fine and not provision.org_fine_min <= org_fine <= provision.org_fine_max:
        errors.append(_("%(p)s 对单位的罚款应在 %(lo)s 元至 %(hi)s 元之间。") % {
            "p": provision.title, "lo": provision.org_fine_min, "hi": provision.org_fine_max})
    if not org_fine and provision.org_fine_min:
        errors.append(_("%(p)s 对单位的罚款不得少于 %(lo)s 元。") % {"p": provision.title, "lo": provision.org_fine_min})
    if person_fine:
        if not provision.person_fine_max:
            errors.append(_("%(p)s 未规定对个人的罚款。") % {"p": provision.title})
        elif not provision.person_fine_min <= person_fine <= provision.person_fine_max:
            errors.append(_("%(p)s 对直接负责的主管人员的罚款应在 %(lo)s 元至 %(hi)s 元之间。") % {
                "p": provision.title, "lo": provision.person_fine_min, "hi": provision.person_fine_max})
        if not person.strip():
            errors.append(_("对个人罚款须写明直接负责的主管人员姓名。"))
    if suspension and not provision.allows_suspension:
        errors.append(_("%(p)s 不允许责令停产停业整顿。") % {"p": provision.title})
    if not (org_fine or person_fine or suspension):
        errors.append(_("请填写罚款数额或处罚措施。"))
    return errors


def heavier_than_notified(case, *, org_fine, person_fine, suspension):
    """Art. 45: the decision may not be heavier than the notification."""
    return (org_fine > case.notified_org_fine or person_fine > case.notified_person_fine
            or (suspension and not case.notified_suspension))


def payment_due(case):
    return due(case.served_on, "payment") if case.served_on else None


def late_fee(case, paid_on, policy=None):
    """行政处罚法 Art. 72: 3% of the fine a day after the payment period, never more than the fine."""
    policy = policy or PenaltyPolicy.current()
    deadline = payment_due(case)
    if deadline is None or paid_on <= deadline:
        return 0
    days = (paid_on - deadline).days
    return min(case.total_fine, case.total_fine * policy.late_fee_percent_per_day * days // 100)


def rights_periods_over(case, today=None):
    today = today or timezone.localdate()
    if case.statement_due and today <= case.statement_due:
        return False
    if case.hearing_rights and case.hearing_request_due and today <= case.hearing_request_due:
        return False
    return True


def next_deadline(case, today=None, *, party=False):
    """(label, date) of the next legal deadline of the case; with party=True only those the party must meet."""
    today = today or timezone.localdate()
    state = case.state
    if party:
        return _party_deadline(case, today)
    if state == PenaltyState.NOTIFIED:
        if case.statement_due and today <= case.statement_due:
            return _("陈述申辩截止"), case.statement_due
        if case.hearing_rights and case.hearing_request_due and today <= case.hearing_request_due:
            return _("听证申请截止"), case.hearing_request_due
    if state == PenaltyState.HEARING and case.hearing_on:
        return _("听证日期"), case.hearing_on
    if state in (PenaltyState.FILED, PenaltyState.INVESTIGATING, PenaltyState.NOTIFIED, PenaltyState.HEARING,
                 PenaltyState.LEGAL_REVIEW, PenaltyState.DELIBERATION, PenaltyState.AWAITING_DECISION):
        return _("作出决定期限"), case.decision_due
    if state == PenaltyState.DECIDED:
        return _("送达期限"), due(case.decided_on, "service")
    if state == PenaltyState.SERVED:
        return _("公示期限"), due(case.decided_on, "disclosure")
    if state == PenaltyState.EXECUTING and case.total_fine and not case.paid_on:
        return _("缴款期限"), payment_due(case)
    return None


def _party_deadline(case, today):
    state = case.state
    if state == PenaltyState.NOTIFIED:
        if case.statement_due and today <= case.statement_due:
            return _("陈述申辩截止"), case.statement_due
        if case.hearing_rights and case.hearing_request_due and today <= case.hearing_request_due:
            return _("听证申请截止"), case.hearing_request_due
    if state == PenaltyState.HEARING and case.hearing_on and today <= case.hearing_on:
        return _("听证日期"), case.hearing_on
    if state in (PenaltyState.SERVED, PenaltyState.EXECUTING) and case.total_fine and not case.paid_on:
        return _("缴款期限"), payment_due(case)
    return None


def decision_warning(case, today=None):
    """Days left before the decision deadline when within the warning period, else None."""
    today = today or timezone.localdate()
    if case.decision_due is None or case.state not in (
            PenaltyState.FILED, PenaltyState.INVESTIGATING, PenaltyState.NOTIFIED, PenaltyState.HEARING,
            PenaltyState.LEGAL_REVIEW, PenaltyState.DELIBERATION, PenaltyState.AWAITING_DECISION):
        return None
    left = (case.decision_due - today).days
    return left if left <= get_period("decision_warning").days else None


def repeat_offence(enterprise, policy=None, today=None):
    """(kind, reason, cases) when the enterprise's decided penalties reach a repeat-offender rule, else None."""
    from .models import PenaltyCase

    policy = policy or PenaltyPolicy.current()
    today = today or timezone.localdate()
    decided = PenaltyCase.objects.filter(enterprise=enterprise, decided_on__isnull=False)

    def within(days, major_only):
        qs = decided.filter(decided_on__gt=today - datetime.timedelta(days=days))
        if major_only:
            qs = qs.filter(hazard__level="major")
        return list(qs)

    short = within(policy.closure_days_short, True)
    long = within(policy.closure_days_long, True)
    if len(short) >= policy.closure_count_short or len(long) >= policy.closure_count_long:
        cases = short if len(short) >= policy.closure_count_short else long
        return "closure", _("存在重大事故隐患，%(d)d 日内受到 %(n)d 次行政处罚（安全生产法第一百一十三条）") % {
            "d": policy.closure_days_short if cases is short else policy.closure_days_long, "n": len(cases)}, cases
    recent = within(policy.blacklist_days, False)
    if len(recent) >= policy.blacklist_count:
        return "blacklist", _("%(d)d 日内受到 %(n)d 次安全生产行政处罚") % {
            "d": policy.blacklist_days, "n": len(recent)}, recent
    return None


_IDENTITY = r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"
_MOBILE = r"(?<!\d)1[3-9]\d{9}(?!\d)"
_LANDLINE = r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"


def redact(text):
    """Text fit for public disclosure: identity numbers and phone numbers removed (安全生产法 Art. 78)."""
    import re

    text = re.sub(_IDENTITY, "[已隐去]", text or "")
    text = re.sub(_MOBILE, "[已隐去]", text)
    return re.sub(_LANDLINE, "[已隐去]", text)
