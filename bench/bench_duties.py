"""Benchmark of real-name supervision as the park grows: duty computation, the dashboard and the reminder job.

    .venv/bin/python bench/bench_duties.py                     # 12, 120, 600 key enterprises (~1 min)
    .venv/bin/python bench/bench_duties.py --sizes 12,120

It owns a throwaway SQLite database in a temporary directory (DATABASE_URL is set before django.setup()). It
migrates, loads the demo committee, then grows to N key enterprises, each with three responsible persons
(administrative lead spread over the six leaders, regulator lead 刘建华) and a year of guidance visits by both
leads (two months in twelve missed), and leaders' meetings and reports, with bulk_create. At each size it measures
(median of REPEATS): duties.current(), duties.overdue() over 12 months, GET /supervision/ and the Excel export
as 黄国栋, and reminders.run() (first run creates, second run must create nothing). Baseline: GET /accounts/login/
by an anonymous client in the same process. Target: query counts flat across sizes; time roughly linear in N.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
REPEATS = 5


def setup_django(tmp):
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("MEDIA_ROOT", str(Path(tmp) / "media"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    from hazards import demo

    demo.load_committee()


def grow(target):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from enterprises.models import AssignmentChange, Enterprise, ResponsibleAssignment, Sector
    from hazards.demo import make_uscc
    from supervision.models import DutyReport, GuidanceVisit, MeetingKind, SafetyMeeting
    from workflow.models import Staff

    User = get_user_model()
    today = timezone.localdate()
    start = today.replace(year=today.year - 1, day=1)
    leaders = list(Staff.objects.exclude(leader_role="").order_by("id"))
    regulator = Staff.objects.get(user__username="officehead")
    admin = User.objects.get(username="admin")
    sector = Sector.objects.get(code="industry_trade")
    have = Enterprise.objects.filter(is_key_supervised=True).count()
    new = []
    for i in range(have, target):
        new.append(Enterprise(name=f"压测企业{i:05d}", uscc=make_uscc(f"91500114BENCH{i:04d}"), address="园区",
                              legal_representative="张三", person_in_charge="张三", risk_grade="yellow",
                              is_key_supervised=True))
    Enterprise.objects.bulk_create(new)
    new = list(Enterprise.objects.filter(name__in=[e.name for e in new]))
    Enterprise.sectors.through.objects.bulk_create(
        Enterprise.sectors.through(enterprise_id=e.pk, sector_id=sector.pk) for e in new)
    changes = AssignmentChange.objects.bulk_create(
        AssignmentChange(enterprise=e, kind="designate", effective_from=start, reason="压测", state="approved",
                         requested_by=admin) for e in new)
    rows, visits = [], []
    for n, (e, change) in enumerate(zip(new, changes)):
        lead = leaders[n % len(leaders)]
        for role, staff in (("administrative", lead), ("regulator", regulator)):
            rows.append(ResponsibleAssignment(enterprise=e, role=role, staff=staff, person_name=staff.full_name,
                                              phone="023-0000", start_date=start, change=change))
            for month in range(12):
                if (month + n) % 6 == 0:
                    continue  # two missed months in twelve
                day = (start + datetime.timedelta(days=31 * month)).replace(day=10)
                if day <= today:
                    visits.append(GuidanceVisit(enterprise=e, visited_on=day, led_by_id=staff.user_id, summary="检查",
                                                recorded_by=admin))
        rows.append(ResponsibleAssignment(enterprise=e, role="enterprise", person_name="张三", phone="138",
                                          start_date=start, change=change))
    ResponsibleAssignment.objects.bulk_create(rows)
    GuidanceVisit.objects.bulk_create(visits, batch_size=2000)
    if not SafetyMeeting.objects.exists():
        principal = leaders[0]
        for month in range(12):
            day = (start + datetime.timedelta(days=31 * month)).replace(day=20)
            if day > today:
                continue
            m = SafetyMeeting.objects.create(kind=MeetingKind.STUDY, title="安全形势分析", held_on=day,
                                             chaired_by_id=principal.user_id, minutes="纪要", recorded_by=admin)
            m.attendees.set([s.user_id for s in leaders[1:]])
            for s in leaders[2:]:
                DutyReport.objects.create(reporter_id=s.user_id, received_by_id=principal.user_id, reported_on=day,
                                          summary="汇报", recorded_by=admin)


def timed(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)  # now: the next request's request_started signal resets the log
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="12,120,600")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from django.contrib.auth import get_user_model
        from django.test import Client

        from supervision import duties, reminders
        from supervision.models import Reminder

        anon = Client()
        leader = Client()
        leader.force_login(get_user_model().objects.get(username="supervisor"))
        results = []
        for size in sizes:
            grow(size)
            base, base_q = timed(lambda: anon.get("/accounts/login/"))
            cur, cur_q = timed(lambda: duties.current())
            over, over_q = timed(lambda: duties.overdue())
            dash, dash_q = timed(lambda: leader.get("/supervision/"))
            xlsx, xlsx_q = timed(lambda: leader.get("/supervision/export.xlsx"))
            Reminder.objects.all().delete()
            t0 = time.perf_counter()
            created, _mailed = reminders.run()
            first = (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            again, _ = reminders.run()
            second = (time.perf_counter() - t0) * 1000
            n_duties = len(duties.overdue())
            results.append((size, base, cur, cur_q, over, over_q, dash, dash_q, xlsx, xlsx_q, first, created,
                            second, again, n_duties))
            print(f"{size} key enterprises done", flush=True)
        print()
        print(f"{'key ent.':>8} {'baseline':>9} {'current()':>16} {'overdue()':>16} {'GET /supervision/':>19} "
              f"{'export.xlsx':>16} {'reminders 1st':>18} {'2nd run':>14}")
        for (size, base, cur, cur_q, over, over_q, dash, dash_q, xlsx, xlsx_q, first, created, second, again,
             n_duties) in results:
            print(f"{size:>8} {base:>7.1f}ms {cur:>7.1f}ms {cur_q:>3}q {cur / base:>3.0f}x "
                  f"{over:>7.1f}ms {over_q:>3}q {dash:>7.1f}ms {dash_q:>3}q {dash / base:>4.0f}x "
                  f"{xlsx:>7.1f}ms {xlsx_q:>3}q {first:>8.0f}ms ({created:>5}) {second:>7.0f}ms ({again})"
                  f"   overdue rows {n_duties}")
        print("\nms = median wall time; q = SQL queries; Nx = ratio to the baseline login page; "
              "reminders: (reminders created); the second run must create 0.")


if __name__ == "__main__":
    main()
