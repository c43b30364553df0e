"""Duties owed versus done, computed from the records (visits, inspections, meetings, reports, assignments).

Rules of attribution (one place, so the dashboard, the reminders, the API and the tests agree):
- A responsible person's monthly check of an enterprise is owed by whoever holds the role at the end of the
  period (or, for the current period, today); a check counts when the person holding the role on the day of
  the check led it or took part. So a replacement mid-month inherits the month, and a check the predecessor
  made while still in the role keeps it. A role taken over in the period's last days (LegalPeriod
  "duty_handover", 7 days) is owed from the next period: the predecessor stays answerable for this one, and a
  newly designated enterprise owes nothing for it.
- Half-year coverage: every enterprise a person is accountable for (as above) in the half-year must have had
  such a check in that half-year.
- Leaders' duties count their own records: checks they led, meetings they chaired (or chaired on their
  behalf), meetings they chaired or attended, reports they heard or gave.
"""

import datetime
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.models import ResponsibleAssignment, ResponsibleRole
from hazards.models import Inspection
from workflow.models import Staff
from workflow.periods import get_period

from . import periods
from .models import DutyReport, DutyRule, GuidanceVisit, MeetingKind, SafetyMeeting

KEPT, OPEN, DUE_SOON, OVERDUE = "kept", "open", "due_soon", "overdue"
STATUS_LABELS = {KEPT: gettext_lazy("已履职"), OPEN: gettext_lazy("进行中"), DUE_SOON: gettext_lazy("即将到期"),
                 OVERDUE: gettext_lazy("逾期未履职")}
RESPONSIBLE_SUBJECTS = {DutyRule.Subject.ADMINISTRATIVE: ResponsibleRole.ADMINISTRATIVE,
                        DutyRule.Subject.REGULATOR: ResponsibleRole.REGULATOR}
LEADER_OFFICE = "管委会领导"


@dataclass
class Check:
    on: datetime.date
    enterprise_id: int
    enterprise_name: str
    led_by: int
    people: frozenset
    label: str


@dataclass
class Duty:
    rule: DutyRule
    user_id: int
    person: str
    office: str
    start: datetime.date
    end: datetime.date
    required: int
    done: int
    today: datetime.date
    enterprise_id: int | None = None
    enterprise_name: str = ""
    role: str = ""
    evidence: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def status(self):
        if self.done >= self.required:
            return KEPT
        if self.end < self.today:
            return OVERDUE
        if (self.end - self.today).days < self.rule.remind_days_before:
            return DUE_SOON
        return OPEN

    @property
    def status_label(self):
        return str(STATUS_LABELS[self.status])

    @property
    def period_label(self):
        return periods.label(self.rule.period, self.start)

    @property
    def key(self):
        """Identifies the duty across runs (for reminders sent once)."""
        return f"{self.rule.code}:{self.start.isoformat()}:{self.enterprise_id or '-'}:{self.user_id}"

    def as_dict(self):
        return {
            "rule": self.rule.code, "name": self.rule.name, "basis": self.rule.basis, "user_id": self.user_id,
            "person": self.person, "office": self.office, "role": self.role, "period": self.rule.period,
            "period_label": self.period_label, "start": self.start, "end": self.end,
            "enterprise_id": self.enterprise_id, "enterprise": self.enterprise_name, "required": self.required,
            "done": self.done, "status": self.status, "status_label": self.status_label,
            "evidence": self.evidence, "missing": self.missing,
        }


def _people_of(through, owner_field, ids_filter):
    people = defaultdict(set)
    for owner_id, user_id in through.objects.filter(**ids_filter).values_list(owner_field, "user_id"):
        people[owner_id].add(user_id)
    return people


def checks_between(start, end):
    """Every check at an enterprise in [start, end]: guidance visits and inspections, with who took part."""
    found = []
    visit_label, inspection_label = _("%(d)s 检查指导"), _("%(d)s 监督检查")
    through = GuidanceVisit.participants.through
    people = _people_of(through, "guidancevisit_id", {"guidancevisit__visited_on__range": (start, end)})
    for pk, on, enterprise_id, name, lead in GuidanceVisit.objects.filter(visited_on__range=(start, end)).values_list(
            "pk", "visited_on", "enterprise_id", "enterprise__name", "led_by_id"):
        found.append(Check(on, enterprise_id, name, lead, frozenset([lead, *people.get(pk, ())]),
                           visit_label % {"d": on.isoformat()}))
    through = Inspection.inspectors.through
    people = _people_of(through, "inspection_id", {"inspection__inspected_on__range": (start, end)})
    for pk, on, enterprise_id, name, lead in Inspection.objects.filter(inspected_on__range=(start, end)).values_list(
            "pk", "inspected_on", "enterprise_id", "enterprise__name", "lead_inspector_id"):
        found.append(Check(on, enterprise_id, name, lead, frozenset([lead, *people.get(pk, ())]),
                           inspection_label % {"d": on.isoformat()}))
    found.sort(key=lambda c: c.on)
    return found


class _Holders:
    """Who held which role at which enterprise over a span, read once."""

    def __init__(self, start, end):
        rows = (ResponsibleAssignment.objects
                .filter(role__in=[ResponsibleRole.ADMINISTRATIVE, ResponsibleRole.REGULATOR]).overlapping(start, end)
                .select_related("enterprise", "staff__office").order_by("start_date", "id"))
        self.by_slot = defaultdict(list)
        for a in rows:
            self.by_slot[(a.enterprise_id, a.role)].append(a)

    def on(self, enterprise_id, role, day):
        for a in self.by_slot.get((enterprise_id, role), ()):
            if a.covers(day):
                return a
        return None

    def accountable(self, role, start, end, today):
        """{(enterprise_id): assignment} of whoever is answerable for the period (see module docstring)."""
        cutoff = min(end, today)
        late = end - datetime.timedelta(days=get_period("duty_handover").days)
        result = {}
        for (enterprise_id, slot_role), assignments in self.by_slot.items():
            if slot_role != role:
                continue
            inside = [a for a in assignments if a.start_date <= cutoff and (a.end_date is None or a.end_date >= start)]
            while inside and inside[-1].start_date > max(late, start):
                inside.pop()  # taken over in the period's last days: owed from the next period
            if inside:
                result[enterprise_id] = inside[-1]
        return result


def _office_name(staff):
    if staff is None:
        return ""
    if staff.leader_role:
        return LEADER_OFFICE
    return staff.office.name if staff.office else ""


def _credited_by_enterprise(checks, holders, role):
    """{enterprise_id: [checks, by date]} of the checks that count for `role` (see the module docstring)."""
    found = defaultdict(list)
    for c in checks:
        holder = holders.on(c.enterprise_id, role, c.on)
        if holder is not None and holder.staff is not None and holder.staff.user_id in c.people:
            found[c.enterprise_id].append(c)
    return found


def _between(items, start, end, key=lambda c: c.on):
    """The items (sorted by `key`) dated within [start, end]."""
    dates = [key(c) for c in items]
    return items[bisect_left(dates, start):bisect_right(dates, end)]


def _responsible_duties(rule, start, end, today, holders, credited):
    role = RESPONSIBLE_SUBJECTS[rule.subject]
    accountable = holders.accountable(role, start, end, today)
    done_at = {eid: _between(credited.get(eid, []), start, end) for eid in accountable}
    duties = []
    if rule.measure == DutyRule.Measure.ENTERPRISE_CHECK:
        for enterprise_id, a in accountable.items():
            if a.staff is None:
                continue
            done = done_at[enterprise_id]
            duties.append(Duty(rule, a.staff.user_id, a.person_name, _office_name(a.staff), start, end, rule.required,
                               len(done), today, enterprise_id, a.enterprise.name, role,
                               evidence=[c.label for c in done]))
    elif rule.measure == DutyRule.Measure.COVERAGE:
        per_person = defaultdict(list)
        for enterprise_id, a in accountable.items():
            if a.staff is not None:
                per_person[a.staff.user_id].append(a)
        for user_id, assignments in per_person.items():
            covered = [a for a in assignments if len(done_at[a.enterprise_id]) >= rule.required]
            covered_ids = {a.enterprise_id for a in covered}
            missing = [a.enterprise.name for a in assignments if a.enterprise_id not in covered_ids]
            first = assignments[0]
            duties.append(Duty(rule, user_id, first.person_name, _office_name(first.staff), start, end,
                               len(assignments), len(covered), today, role=role,
                               evidence=[a.enterprise.name for a in covered], missing=missing))
    return duties


def _leader_duties(rule, start, end, today, leaders, led, meetings, reports):
    duties = []
    for staff in leaders.get(rule.subject, ()):
        uid = staff.user_id
        if rule.measure == DutyRule.Measure.LED_CHECK:
            done = [c.label + " " + c.enterprise_name for c in _between(led.get(uid, []), start, end)]
        elif rule.measure == DutyRule.Measure.CHAIRED_MEETING:
            done = [f"{m.held_on} {m.title}" for m in meetings if start <= m.held_on <= end
                    and m.kind == MeetingKind.WORK_MEETING and uid in (m.chaired_by_id, m.on_behalf_of_id)]
        elif rule.measure == DutyRule.Measure.STUDY:
            done = [f"{m.held_on} {m.title}" for m in meetings if start <= m.held_on <= end
                    and (uid == m.chaired_by_id or uid in m.attendee_ids)]
        elif rule.measure == DutyRule.Measure.HEARD_REPORT:
            done = [f"{r.reported_on} {r.reporter_name}" for r in reports if start <= r.reported_on <= end
                    and r.received_by_id == uid]
        elif rule.measure == DutyRule.Measure.GAVE_REPORT:
            done = [f"{r.reported_on} {r.reporter_name}" for r in reports if start <= r.reported_on <= end
                    and r.reporter_id == uid]
        else:
            continue
        duties.append(Duty(rule, uid, staff.full_name, LEADER_OFFICE, start, end, rule.required, len(done), today,
                           evidence=done))
    return duties


def compute(*, start=None, end=None, today=None, kinds=None, rules=None, spans=None):
    """Every duty whose period overlaps [start, end] and has begun by `today`, for every active rule; or, with
    spans={kind: [(start, end), ...]}, the duties of exactly those periods (read in one pass)."""
    today = today or timezone.localdate()
    rules = list(rules if rules is not None else DutyRule.objects.filter(active=True))
    if kinds is not None:
        rules = [r for r in rules if r.period in kinds]
    if spans is not None:
        rules = [r for r in rules if spans.get(r.period)]
    else:
        spans = {r.period: periods.between(r.period, start, end) for r in rules}
    if not rules:
        return []
    first = min(p[0][0] for p in spans.values())
    last = max(p[-1][1] for p in spans.values())
    checks = checks_between(first, min(last, today))
    holders = _Holders(first, last)
    meetings = list(SafetyMeeting.objects.filter(held_on__range=(first, last)).prefetch_related("attendees"))
    for m in meetings:
        m.attendee_ids = {u.pk for u in m.attendees.all()}
    reports = list(DutyReport.objects.filter(reported_on__range=(first, last)))
    names = {s.user_id: s.full_name for s in Staff.objects.filter(user__in={r.reporter_id for r in reports})}
    for r in reports:
        r.reporter_name = names.get(r.reporter_id, "")
    leaders = defaultdict(list)
    for s in Staff.objects.exclude(leader_role="").order_by("id"):
        leaders[s.leader_role].append(s)
    credited = {}
    led = defaultdict(list)
    for c in checks:
        led[c.led_by].append(c)
    duties = []
    for rule in rules:
        for p_start, p_end in spans[rule.period]:
            if p_start > today:
                continue
            if rule.subject in RESPONSIBLE_SUBJECTS:
                role = RESPONSIBLE_SUBJECTS[rule.subject]
                if role not in credited:
                    credited[role] = _credited_by_enterprise(checks, holders, role)
                duties.extend(_responsible_duties(rule, p_start, p_end, today, holders, credited[role]))
            else:
                duties.extend(_leader_duties(rule, p_start, p_end, today, leaders, led, meetings, reports))
    return duties


def current(today=None):
    """The duties of the month, quarter, half-year and year containing today."""
    today = today or timezone.localdate()
    return compute(start=today, end=today, today=today)


def overdue(*, today=None, months=12):
    """Duties of the last `months` months whose period has ended without them being kept, newest first."""
    today = today or timezone.localdate()
    start = periods.month_start(today, months - 1)
    rows = [d for d in compute(start=start, end=today, today=today) if d.status == OVERDUE]
    rows.sort(key=lambda d: (d.end, d.person), reverse=True)
    return rows


def summarize(duties, by="person"):
    """Totals per person (or per office): required, done, overdue count; for the tables and the chart."""
    totals = {}
    for d in duties:
        key = (d.user_id, d.person, d.office) if by == "person" else (d.office,)
        t = totals.setdefault(key, {"name": d.person if by == "person" else d.office, "office": d.office,
                                    "user_id": d.user_id if by == "person" else None, "duties": 0, "kept": 0,
                                    "overdue": 0, "due_soon": 0})
        t["duties"] += 1
        t["kept"] += d.status == KEPT
        t["overdue"] += d.status == OVERDUE
        t["due_soon"] += d.status == DUE_SOON
    rows = sorted(totals.values(), key=lambda t: (t["office"] != LEADER_OFFICE, t["office"], t["name"]))
    for t in rows:
        t["rate"] = round(100 * t["kept"] / t["duties"]) if t["duties"] else 100
    return rows
