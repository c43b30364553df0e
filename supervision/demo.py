"""Demo of real-name supervision: grades, the three responsible persons of the twelve demo enterprises, and a
year of visits, meetings, reports and presence at key moments, some duties kept and some not, all made through
the real services as the real people would. Dates are relative to today and stay inside the services' one-year
window, so the demo loads on any day."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from enterprises import services as ent_services
from enterprises.flows import AssignmentFlow
from enterprises.models import AssignmentChange, Enterprise, GradeAssessment, ResponsibleRole
from workflow.calendar import add_period, is_workday
from workflow.engine import open_human_task
from workflow.models import Staff
from workflow.periods import get_period

from . import periods
from . import services as sv
from .models import DutyReport, GuidanceVisit, InspectionPlan, MeetingKind, Occasion, SafetyMeeting

# username: phone, for staff without one
STAFF_PHONES = {
    "xiaopeiming": "13908270101", "supervisor": "13908270102", "dengbo": "13908270103",
    "dingronghua": "13908270104", "lidezhong": "13908270105", "chenxulong": "13908270106",
    "officehead": "13983270201", "buildhead": "13983270202", "legalhead": "13983270203",
    "inspector": "13983270211", "inspector2": "13983270212", "inspector3": "13983270213",
    "builder": "13983270221", "builder2": "13983270222", "legal": "13983270231",
}

# enterprise, grade, reason, administrative lead, regulator lead, enterprise lead's position and phone
KEY = [
    ("重庆市黔江区恒达机械制造有限公司", "yellow", "涉及有限空间作业，冲压、剪切设备较多", "supervisor", "officehead",
     "总经理", "13896520001"),
    ("重庆正阳新材料科技有限公司", "red", "涉及重点监管危险化工工艺，构成危险化学品重大危险源", "xiaopeiming",
     "officehead", "总经理", "13896520002"),
    ("重庆黔江金鑫铝业有限公司", "orange", "铝粉尘涉爆，除尘系统规模较大", "dengbo", "officehead", "董事长",
     "13896520003"),
    ("重庆武陵山食品有限公司", "yellow", "污水池、发酵罐等有限空间作业较多", "dingronghua", "officehead", "总经理",
     "13896520004"),
    ("重庆正阳建工集团有限公司", "orange", "在建项目多，涉及深基坑、高支模和高处作业", "supervisor", "buildhead",
     "董事长", "13896520005"),
    ("重庆黔江天然气有限责任公司", "red", "城镇燃气门站及高压管线，人员密集区域影响大", "chenxulong", "buildhead",
     "总经理", "13896520006"),
    ("重庆正阳纺织服饰有限公司", "blue", "劳动密集型企业，主要为火灾风险，管理较规范", "lidezhong", "officehead",
     "总经理", "13896520007"),
    ("重庆黔江电子科技有限公司", "blue", "人员密集，消防设施完好，管理较规范", "dengbo", "officehead", "总经理",
     "13896520008"),
    ("重庆正阳医药化工有限公司", "orange", "涉及危险化学品储存和有限空间作业", "xiaopeiming", "officehead",
     "总经理", "13896520009"),
    ("重庆黔江起重设备有限公司", "yellow", "起重机械制造，涉及吊装和特种设备作业", "chenxulong", "officehead",
     "总经理", "13896520010"),
    ("重庆正阳木业有限公司", "orange", "木粉尘涉爆，喷涂工序使用易燃涂料", "dingronghua", "officehead", "总经理",
     "13896520011"),
    ("重庆武陵仓储物流有限公司", "yellow", "储存少量危险化学品，库房火灾荷载较大", "lidezhong", "officehead",
     "总经理", "13896520012"),
]
REGRADE = (8, "red", "检查发现涉及重点监管危险化工工艺的装置未实现自动化控制（重大事故隐患），风险等级上调")
CHANGE = (10, "lidezhong", "工作分工调整，行政负责人由丁荣华调整为李德重")
CHANGE_BACK = 3  # months ago, effective on the 15th
COVERAGE_MISS = 9  # its administrative lead visits it not once in the last whole half-year
NOT_YET = (3, 7, 11)  # not yet visited this month
# (enterprise, months back): what did not happen that month
MISSED = {(2, 4), (7, 6), (3, 8)}  # no check at all
REGULATOR_ONLY = {(11, 2)}  # the administrative lead stayed away
ADMIN_ONLY = {(5, 3)}  # the regulator lead stayed away
LEADER_JOINED = {(1, 5), (8, 5), (1, 9), (8, 9), (0, 7), (4, 7), (7, 4)}  # the leader took part, did not lead
RESUMED = (6, 4)  # resumed work after a stoppage; both leads attended the next day
UNATTENDED = 2  # resumed work a few days ago; nobody has come yet

SUMMARIES = [
    "检查安全生产责任制落实、隐患排查治理台账和重点部位管控情况，现场指导企业完善风险分级管控措施。",
    "检查有限空间、动火等危险作业审批和现场监护情况，督促企业开展从业人员安全培训。",
    "检查消防设施、安全出口和疏散通道，抽查特种作业人员持证上岗情况，提出整改要求。",
    "听取企业安全生产工作汇报，检查应急预案演练和应急物资储备情况，指导企业做好季节性安全防范。",
    "对上次检查发现问题的整改情况进行复查，检查设备设施维护保养记录和安全警示标志设置。",
]
GENERIC_SUMMARY = "检查企业安全生产主体责任落实情况，指导企业开展隐患自查自改。"


def _users():
    return {u.username: u for u in get_user_model().objects.filter(staff__isnull=False)}


def _staff():
    return {s.user.username: s for s in Staff.objects.select_related("user", "office")}


def _clamp_workday(day, lo, hi):
    """`day` moved inside [lo, hi] and onto a working day where the span has one."""
    day = min(max(day, lo), hi)
    for step in (0, 1, -1, 2, -2, 3, -3):
        candidate = day + datetime.timedelta(days=step)
        if lo <= candidate <= hi and is_workday(candidate):
            return candidate
    return day


class _Span:
    """The months (and quarters) of the demo year, from a year ago to today."""

    def __init__(self, today):
        self.today = today
        self.first = today - datetime.timedelta(days=365)
        self.months = periods.between(periods.MONTH, self.first, today)

    def back(self, start):
        return (self.today.year - start.year) * 12 + self.today.month - start.month

    def day(self, start, end, preferred, *, future_ok=False):
        """A working day of [start, end] near `preferred` within the demo year; None if it is still to come."""
        lo, hi = max(start, self.first), min(end, self.today)
        if lo > hi or (preferred > self.today and not future_ok):
            return None
        return _clamp_workday(preferred, lo, hi)


def load_supervision():
    """Grades, key enterprises with their boards, a year of duty records, this year's plans (idempotent).
    Returns the number of records created."""
    today = timezone.localdate()
    span = _Span(today)
    made = 0
    with transaction.atomic():
        _give_phones()
        users, staff = _users(), _staff()
        enterprises = {e.name: e for e in Enterprise.objects.filter(name__in=[k[0] for k in KEY])}
        if len(enterprises) < len(KEY):
            return 0  # the demo committee is not loaded
        ents = [enterprises[k[0]] for k in KEY]
        for i, ent in enumerate(ents):
            made += _grade(ent, KEY[i], users, span.first)
        for i, ent in enumerate(ents):
            made += _designate(ent, KEY[i], users, staff, span.first)
        if not (GuidanceVisit.objects.exists() or SafetyMeeting.objects.exists() or DutyReport.objects.exists()):
            made += _records(ents, users, span)
        made += _change(ents, users, staff, span)
        made += _regrade(ents, users, span)
        for ent in ents:
            if not InspectionPlan.objects.filter(enterprise=ent, year=today.year).exists():
                sv.plan_generate(user=users["supervisor"], enterprise=Enterprise.objects.get(pk=ent.pk),
                                 year=today.year)
                made += 1
    return made


def _give_phones():
    for s in Staff.objects.filter(phone="").select_related("user"):
        phone = STAFF_PHONES.get(s.user.username)
        if phone:
            s.phone = phone
            s.save(update_fields=["phone"])


def _grade(ent, row, users, first):
    if GradeAssessment.objects.filter(enterprise=ent).exists():
        return 0
    _name, grade, reason, _admin, regulator, *_rest = row
    ent_services.grade_set(user=users[regulator], enterprise=ent, grade=grade, reason=reason, set_on=first)
    return 1


def _approve(change, approver):
    task = open_human_task(change.process, AssignmentFlow.approve)
    return ent_services.assignment_decide(user=approver, task_id=task.pk, approve=True, comment="同意")


def _designate(ent, row, users, staff, first):
    if AssignmentChange.objects.filter(enterprise=ent).exists():
        return 0
    _name, _grade, _reason, admin, regulator, position, phone = row
    ent = Enterprise.objects.get(pk=ent.pk)
    change = ent_services.assignment_propose(
        user=users[regulator], enterprise=ent, kind=AssignmentChange.Kind.DESIGNATE, effective_from=first,
        reason="列入园区重点管控企业，实行“三个责任人”实名监管", administrative_staff=staff[admin],
        regulator_staff=staff[regulator], enterprise_person=ent.person_in_charge, enterprise_position=position,
        enterprise_phone=phone)
    _approve(change, users["xiaopeiming"])
    return 1


def _change_day(span):
    start, _end = periods.bounds(periods.MONTH, periods.month_start(span.today, CHANGE_BACK))
    return start.replace(day=15)


def _change(ents, users, staff, span):
    index, new_admin, reason = CHANGE
    ent = Enterprise.objects.get(pk=ents[index].pk)
    if ent.assignment_changes.filter(kind=AssignmentChange.Kind.CHANGE).exists():
        return 0
    # proposed by the principal leader, so the safety leader approves it
    change = ent_services.assignment_propose(
        user=users["xiaopeiming"], enterprise=ent, kind=AssignmentChange.Kind.CHANGE,
        effective_from=_change_day(span), reason=reason, administrative_staff=staff[new_admin])
    _approve(change, users["supervisor"])
    return 1


def _regrade(ents, users, span):
    index, grade, reason = REGRADE
    ent = Enterprise.objects.get(pk=ents[index].pk)
    if ent.grade_assessments.count() > 1:
        return 0
    set_on = _clamp_workday(span.today - datetime.timedelta(days=30), span.first, span.today)
    ent_services.grade_set(user=users["officehead"], enterprise=ent, grade=grade, reason=reason, set_on=set_on)
    return 1


# --- a year of records ---------------------------------------------------------------------------------------

def _records(ents, users, span):
    """Every record of the year as (day, order, action), run oldest first so presence links as it would."""
    events = []
    admins = [row[3] for row in KEY]
    regulators = [row[4] for row in KEY]
    half_start, half_end = periods.previous(periods.HALF_YEAR, span.today)
    unattended_on = _unattended_day(span)

    def helper(i):
        return "builder" if regulators[i] == "buildhead" else "inspector"

    for start, end in span.months:
        back = span.back(start)
        for i, ent in enumerate(ents):
            if (i, back) in MISSED or (back == 0 and i in NOT_YET):
                continue
            preferred = start.replace(day=4 + (i * 3 + back * 5) % 18)
            admin = admins[i]
            if i == CHANGE[0] and back == CHANGE_BACK:
                preferred = start.replace(day=8)  # the predecessor's check, before the change on the 15th
            elif i == CHANGE[0] and back < CHANGE_BACK:
                admin = CHANGE[1]
            day = span.day(start, end, preferred)
            if day is None:
                continue
            if i == UNATTENDED and unattended_on and day >= unattended_on:
                continue
            regulator = regulators[i]
            summary = SUMMARIES[(i + back) % len(SUMMARIES)]
            skip_admin = (i, back) in REGULATOR_ONLY or (i == COVERAGE_MISS and half_start <= day <= half_end)
            if (i, back) == RESUMED:
                occurred = span.day(start, end, preferred - datetime.timedelta(days=1))
                events.append((occurred, 0, _presence(ent, users, "officehead" if regulator == "officehead"
                                                      else "buildhead", occurred)))
                day = _clamp_workday(occurred + datetime.timedelta(days=1), occurred, span.today)
                events.append((day, 1, _visit(ent, users, admin, [regulator, helper(i)], day, Occasion.RESUMPTION,
                                              "企业停产整顿后复工复产，到场检查复工复产安全条件，督促落实复工前安全检查和全员教育。")))
            elif skip_admin:
                events.append((day, 1, _visit(ent, users, regulator, [helper(i)], day, summary=summary)))
            elif (i, back) in ADMIN_ONLY:
                events.append((day, 1, _visit(ent, users, admin, [], day, summary=summary)))
            elif (i, back) in LEADER_JOINED:
                events.append((day, 1, _visit(ent, users, regulator, [admin, helper(i)], day, summary=summary)))
            else:
                events.append((day, 1, _visit(ent, users, admin, [regulator, helper(i)], day, summary=summary)))
    events.extend(_meetings(users, span))
    events.extend(_reports(users, span))
    if unattended_on:
        events.append((unattended_on, 0, _presence(ents[UNATTENDED], users, "officehead", unattended_on)))
    events.sort(key=lambda e: (e[0], e[1]))
    for _day, _order, action in events:
        action()
    return len(events)


def _unattended_day(span):
    """A recent day whose presence deadline has passed by today."""
    period = get_period("presence")
    day = span.today - datetime.timedelta(days=4)
    while day > span.first and add_period(day, period).date >= span.today:
        day -= datetime.timedelta(days=1)
    return day if day > span.first else None


def _visit(ent, users, led_by, participants, day, occasion=Occasion.ROUTINE, summary=GENERIC_SUMMARY):
    def run():
        sv.visit_record(user=users[led_by], enterprise=ent, visited_on=day, led_by=users[led_by],
                        participants=[users[p] for p in participants], summary=summary, occasion=occasion,
                        problems_found=len(summary) % 4)
    return run


def _presence(ent, users, raised_by, day):
    def run():
        sv.presence_request_raise(user=users[raised_by], enterprise=Enterprise.objects.get(pk=ent.pk),
                                  occasion=Occasion.RESUMPTION, occurred_on=day,
                                  description="企业停产检修结束，拟恢复生产，请行政负责人和行业监管部门负责人到场督导。")
    return run


WORK_ATTENDEES = ["supervisor", "dengbo", "dingronghua", "lidezhong", "chenxulong", "officehead", "buildhead"]


def _meetings(users, span):
    events = []
    quarters = periods.between(periods.QUARTER, span.first, span.today)
    on_behalf = quarters[-3] if len(quarters) >= 3 else None  # the quarter before last completed
    meeting_months = set()
    for start, end in quarters:
        preferred = (start + datetime.timedelta(days=40)).replace(day=10)
        day = span.day(start, end, preferred)
        if day is None:
            continue
        meeting_months.add(periods.bounds(periods.MONTH, day)[0])
        label = periods.label(periods.QUARTER, start)
        if (start, end) == on_behalf:
            events.append((day, 1, _meeting(users, MeetingKind.WORK_MEETING, f"{label}安全生产工作会议", day,
                                            "supervisor", ["dengbo", "dingronghua", "lidezhong", "chenxulong",
                                                           "officehead", "buildhead"], on_behalf_of="xiaopeiming",
                                            minutes="受主要负责人委托召开。通报本季度安全生产形势和隐患排查治理情况，"
                                                    "部署下季度重点工作。")))
        else:
            events.append((day, 1, _meeting(users, MeetingKind.WORK_MEETING, f"{label}安全生产工作会议", day,
                                            "xiaopeiming", WORK_ATTENDEES,
                                            minutes="通报本季度安全生产形势、重点企业“三个责任人”履职和隐患排查治理情况，"
                                                    "研究部署下季度安全生产重点工作。")))
    complete = [m for m in span.months if m[1] < span.today and m[0] not in meeting_months]
    gaps = {complete[-2][0], complete[-6][0]} if len(complete) >= 6 else set()
    for start, end in span.months:
        if start in meeting_months or start in gaps:
            continue
        day = span.day(start, end, start.replace(day=25))
        if day is None:
            continue
        label = periods.label(periods.MONTH, start)
        events.append((day, 1, _meeting(users, MeetingKind.STUDY, f"{label}安全生产形势分析会", day, "supervisor",
                                        ["officehead", "buildhead"],
                                        minutes="分析本月安全生产形势和重点行业领域风险，研究重大事故隐患整改督办事项。")))
    return events


def _meeting(users, kind, title, day, chaired_by, attendees, *, minutes, on_behalf_of=None):
    def run():
        sv.meeting_record(user=users[chaired_by], kind=kind, title=title, held_on=day, chaired_by=users[chaired_by],
                          attendees=[users[a] for a in attendees], minutes=minutes,
                          on_behalf_of=users[on_behalf_of] if on_behalf_of else None)
    return run


REPORTERS = ["dengbo", "dingronghua", "lidezhong", "chenxulong"]


def _reports(users, span):
    events = []
    quarters = periods.between(periods.QUARTER, span.first, span.today)
    complete = [q for q in quarters if q[1] < span.today]
    missing = ("chenxulong", complete[-1]) if complete else None
    for start, end in quarters:
        for n, reporter in enumerate(REPORTERS):
            if (reporter, (start, end)) == missing:
                continue
            day = span.day(start, end, (start + datetime.timedelta(days=70)).replace(day=16 + n))
            if day is None:
                continue
            events.append((day, 1, _report(users, reporter, day)))
    return events


def _report(users, reporter, day):
    def run():
        sv.report_record(user=users[reporter], reporter=users[reporter], received_by=users["xiaopeiming"],
                         reported_on=day, summary="专题汇报本季度分管领域安全生产履职情况、存在问题和下一步工作打算。")
    return run


def responsible_names(enterprise):
    """The three names on the enterprise's current board, for checks and the tests."""
    held = ent_services.current_assignments(enterprise)
    return [held[r].person_name for r in ResponsibleRole.values if r in held]
