"""Benchmark of the list pages as the data grows: viewflow inbox and queue, the hazard ledger and the case list.

    .venv/bin/python bench/bench_lists.py                          # 1k, 10k, 100k hazards on SQLite (~2 min, 2 cores)
    .venv/bin/python bench/bench_lists.py --sizes 1000,10000       # shorter run
    .venv/bin/python bench/bench_lists.py --postgres               # on PostgreSQL (database bench_lists, dropped after)

The bench owns a throwaway database: a SQLite file in a fresh temporary directory (deleted at the end unless
--keep), or with --postgres a database named bench_lists on postgres://postgres@127.0.0.1:5432/ that it creates and
drops. DATABASE_URL is set before django.setup(), so the developer's db.sqlite3 is never opened.

It migrates, loads the demo committee (hazards.demo.load_committee), then grows the data in steps (1k, then up to
10k, then up to 100k hazards) with bulk_create: inspections of office 安全生产部 spread over the demo enterprises,
three hazards each, states spread over the FSM states with some deadlines already past, and for every case under
way a RectificationProcess with open human tasks exactly as RectificationFlow would leave them (approve_order /
approve_plan / approve_closure queued to Office.head_permission, or leader_permission for a major item's closure,
reinspect queued to Office.member_permission or ASSIGNED to "inspector"), plus finished tasks as history. At each
size every page is requested once to warm up, once under CaptureQueriesContext to count the SQL queries, then REPEATS
times for the median time of django.test.Client.get() (the whole Django stack in process: middleware, session, view,
template; no network).

Baseline: GET /accounts/login/ by an anonymous client, the cheapest page of the same stack, measured at every size.
Targets: a page's query count is the same at the smallest and the largest size (no N+1), and its median time grows
less than GROWTH_LIMIT times from the smallest to the largest size. A request whose query still runs after --timeout
seconds is interrupted (sqlite3 interrupt(), psycopg cancel()) and the page reported TIMEOUT, so one pathological page
cannot stall the run; a slow page gets fewer timed requests (at least 3, marked *). The times are wall-clock in one
process: other load on the machine shows up in the baseline's own spread, which the report prints.

SQLite is measured as Django leaves it, never ANALYZEd (--analyze runs ANALYZE after each step); PostgreSQL is
ANALYZEd after each step, as its autovacuum would do.
"""

import argparse
import collections
import datetime
import os
import re
import shutil
import statistics
import sys
import signal
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "bench_lists"
PG_BENCH_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"

DEFAULT_SIZES = "1000,10000,100000"
REPEATS = 7
GROWTH_LIMIT = 3.0
HAZARDS_PER_INSPECTION = 3
OFFICE_NAME = "安全生产部"

# (label, path, user): user None is an anonymous client.
PAGES = [
    ("baseline /accounts/login/", "/accounts/login/", None),
    ("inbox /workflow/inbox/", "/workflow/inbox/", "inspector"),
    ("queue /workflow/queue/", "/workflow/queue/", "officehead"),
    ("ledger /hazards/", "/hazards/", "inspector"),
    ("ledger /hazards/?overdue=1", "/hazards/?overdue=1", "inspector"),
    ("cases /cases/", "/cases/", "inspector"),
]
BASELINE = PAGES[0][0]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the throwaway database -------------------------------------------------------------------------------

def pg_admin(sql):
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


def pg_recreate():
    pg_admin(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
    pg_admin(f'CREATE DATABASE "{PG_BENCH_DB}"')


def pg_drop():
    pg_admin(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')


def choose_database(args):
    """Set DATABASE_URL for the bench's own database; return a cleanup callable. Must run before django.setup()."""
    if args.postgres:
        pg_recreate()
        os.environ["DATABASE_URL"] = PG_BENCH_URL
        return (lambda: None) if args.keep else pg_drop
    tmpdir = Path(tempfile.mkdtemp(prefix="bench_lists_"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir / 'bench.sqlite3'}"
    return (lambda: None) if args.keep else (lambda: shutil.rmtree(tmpdir, ignore_errors=True))


# --- synthetic data ---------------------------------------------------------------------------------------

# Case (inspection) states, cycling over 20 slots: 2 draft, 3 order review, 10 rectifying, 4 closed, 1 archived.
INSPECTION_CYCLE = (["draft"] * 2 + ["order_review"] * 3 + ["rectifying"] * 10 + ["closed"] * 4 + ["archived"])
# Hazard states inside a case under rectification, cycling (awaiting_plan / plan_review are rarer: major items).
RECTIFYING_HAZARD_CYCLE = ["rectifying", "rectifying", "proof_submitted", "rectifying", "awaiting_plan",
                           "closure_review", "rectifying", "plan_review", "proof_submitted", "closed"]
# Open human task of a case under rectification, cycling over 10 slots.
RECTIFYING_TASK_CYCLE = (["reinspect_new"] * 4 + ["reinspect_assigned"] * 3 + ["approve_plan"]
                         + ["approve_closure"] * 2)


class Generator:
    """Adds hazards (and their inspections, processes and tasks) in bulk; keeps a running index for variety."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from enterprises.models import Enterprise, Sector
        from hazards.demo import HAZARD_TEXTS
        from workflow.models import Office

        User = get_user_model()
        self.office = Office.objects.get(name=OFFICE_NAME)
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["inspector", "inspector2", "inspector3", "officehead"])}
        self.inspectors = [self.users["inspector"], self.users["inspector2"], self.users["inspector3"]]
        office_sectors = list(Sector.objects.filter(office=self.office))
        self.enterprises = []
        for enterprise in Enterprise.objects.prefetch_related("sectors").order_by("id"):
            sectors = [s for s in enterprise.sectors.all() if s.office_id == self.office.pk] or office_sectors
            self.enterprises.append((enterprise, sectors))
        self.sector_by_code = {s.code: s for s in Sector.objects.all()}
        self.texts = HAZARD_TEXTS
        self.hazards = 0
        self.inspections = 0
        self.now = None

    def grow_to(self, target):
        """Add hazards until there are `target` of them; returns the counts added."""
        from django.db import transaction

        added = collections.Counter()
        while self.hazards < target:
            chunk = min(target - self.hazards, 15000)
            with transaction.atomic():
                added.update(self._add(chunk))
        return added

    def _add(self, n_hazards):
        from django.utils import timezone
        from viewflow.workflow.models import Process, Task
        from viewflow.workflow.status import PROCESS, STATUS

        from hazards.flows import RectificationFlow
        from hazards.models import Hazard, HazardLevel, Inspection

        today = timezone.localdate()
        self.now = self.now or timezone.now()
        office = self.office
        n_inspections = -(-n_hazards // HAZARDS_PER_INSPECTION)
        inspections, sizes = [], []
        left = n_hazards
        for k in range(n_inspections):
            i = self.inspections + k
            enterprise, sectors = self.enterprises[i % len(self.enterprises)]
            state = INSPECTION_CYCLE[i % len(INSPECTION_CYCLE)]
            inspected_on = today - datetime.timedelta(days=(i * 7) % 400)
            created_at = self.now - datetime.timedelta(minutes=200000 - i)  # newer cases later
            closed = state in ("closed", "archived")
            inspections.append(Inspection(
                enterprise=enterprise, office=office, sector=sectors[i % len(sectors)],
                lead_inspector=self.inspectors[i % 3], inspected_on=inspected_on, place=enterprise.address,
                enterprise_representative=enterprise.person_in_charge, summary="对企业安全生产主体责任落实情况开展现场检查。",
                state=state,  # protected FSM field: allowed in the constructor, never by assignment afterwards
                created_at=created_at, closed_at=created_at + datetime.timedelta(days=20) if closed else None,
            ))
            sizes.append(min(HAZARDS_PER_INSPECTION, left))
            left -= sizes[-1]
        Inspection.objects.bulk_create(inspections, batch_size=2000)
        assert all(x.pk for x in inspections), "bulk_create did not return primary keys"

        through = Inspection.inspectors.through
        through.objects.bulk_create([
            through(inspection_id=x.pk, user_id=u.pk)
            for k, x in enumerate(inspections)
            for u in (self.inspectors[(self.inspections + k) % 3], self.inspectors[(self.inspections + k + 1) % 3])
        ], batch_size=5000)

        hazards = []
        for k, (inspection, size) in enumerate(zip(inspections, sizes)):
            i = self.inspections + k
            for number in range(1, size + 1):
                h = self.hazards + len(hazards)
                text, location, sector_code, basis = self.texts[h % len(self.texts)]
                state, deadline, closed_at = self._hazard_state(inspection.state, h, today)
                hazards.append(Hazard(
                    inspection=inspection, number=number, description=text, location=location,
                    sector=self.sector_by_code[sector_code], legal_basis=basis,
                    level=HazardLevel.MAJOR if h % 20 == 7 else HazardLevel.GENERAL,
                    deadline=deadline, deadline_provisional=h % 50 == 3, state=state, closed_at=closed_at,
                ))
        Hazard.objects.bulk_create(hazards, batch_size=2000)
        # selectors.closure_permission: a major item awaiting closure goes to the leader in charge
        major_closure = {h.inspection_id for h in hazards
                         if h.state == "closure_review" and h.level == HazardLevel.MAJOR}

        # viewflow: one process per case past the draft, with the open human task the flow would hold.
        processes, owners = [], []
        for k, inspection in enumerate(inspections):
            if inspection.state in ("draft", "archived"):
                continue
            done = inspection.state == "closed"
            processes.append(Process(
                flow_class=RectificationFlow, status=PROCESS.DONE if done else PROCESS.NEW,
                created=inspection.created_at, finished=inspection.closed_at if done else None,
            ))
            owners.append((self.inspections + k, inspection))
        Process.objects.bulk_create(processes, batch_size=2000)
        assert all(p.pk for p in processes), "bulk_create did not return primary keys"
        self._insert_process_children([(p.pk, x.pk) for p, (_, x) in zip(processes, owners)])

        head, member = office.head_permission, office.member_permission
        officehead, inspector = self.users["officehead"], self.users["inspector"]
        tasks = []
        counts = collections.Counter(hazards=len(hazards), inspections=len(inspections), processes=len(processes))

        def task(process, node, status, *, perm=None, owner=None, created=None, finished=None):
            tasks.append(Task(
                process=process, flow_task=node, flow_task_type="HUMAN", status=status, owner_permission=perm,
                owner=owner, created=created, assigned=created if owner else None,
                started=created if status == STATUS.DONE else None, finished=finished,
            ))
            mine = f" {owner.username}" if owner and status != STATUS.DONE else ""
            counts[f"task {node.name} {status}{mine}"] += 1

        for process, (i, inspection) in zip(processes, owners):
            t0 = inspection.created_at + datetime.timedelta(hours=1)
            if inspection.state == "order_review":
                task(process, RectificationFlow.approve_order, STATUS.NEW, perm=head, created=t0)
                continue
            # history: the approved order
            task(process, RectificationFlow.approve_order, STATUS.DONE, perm=head, owner=officehead, created=t0,
                 finished=t0 + datetime.timedelta(hours=4))
            if inspection.state == "closed":
                continue
            t1 = t0 + datetime.timedelta(days=1)
            kind = RECTIFYING_TASK_CYCLE[(i // len(INSPECTION_CYCLE)) % len(RECTIFYING_TASK_CYCLE)]
            if kind == "reinspect_new":
                task(process, RectificationFlow.reinspect, STATUS.NEW, perm=member, created=t1)
            elif kind == "reinspect_assigned":
                task(process, RectificationFlow.reinspect, STATUS.ASSIGNED, perm=member, owner=inspector, created=t1)
            elif kind == "approve_plan":
                task(process, RectificationFlow.approve_plan, STATUS.NEW, perm=head, created=t1)
            else:
                perm = office.leader_permission if inspection.pk in major_closure else head
                task(process, RectificationFlow.approve_closure, STATUS.NEW, perm=perm, created=t1)
        Task.objects.bulk_create(tasks, batch_size=2000)

        self.inspections += len(inspections)
        self.hazards += len(hazards)
        return counts

    @staticmethod
    def _hazard_state(inspection_state, h, today):
        """(state, deadline, closed_at) of hazard number h in a case in inspection_state."""
        from django.utils import timezone

        future = today + datetime.timedelta(days=5 + h % 40)
        past = today - datetime.timedelta(days=1 + h % 30)
        if inspection_state in ("draft", "order_review"):
            return "recorded", future, None
        if inspection_state == "archived":
            return "fixed_on_spot", None, timezone.now()
        if inspection_state == "closed":
            return "closed", past, timezone.now()
        state = RECTIFYING_HAZARD_CYCLE[h % len(RECTIFYING_HAZARD_CYCLE)]
        if state == "closed":
            return state, past, timezone.now()
        # about a third of the items still to be rectified are past their deadline
        return state, past if h % 3 == 0 else future, None

    @staticmethod
    def _insert_process_children(rows):
        """RectificationProcess is a multi-table child of viewflow's Process: bulk_create refuses it, so insert the
        child rows (process_ptr_id, inspection_id) directly."""
        from django.db import connection

        from hazards.models import RectificationProcess

        meta = RectificationProcess._meta
        qn = connection.ops.quote_name
        ptr = meta.pk.column
        inspection = meta.get_field("inspection").column
        sql = f"INSERT INTO {qn(meta.db_table)} ({qn(ptr)}, {qn(inspection)}) VALUES (%s, %s)"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start:start + 5000])


# --- measuring ----------------------------------------------------------------------------------------------

class PageError(Exception):
    pass


def reset_template_loaders():
    """The cached template loader remembers misses: forget them so templates written meanwhile are found."""
    from django.template import engines

    for backend in engines.all():
        engine = getattr(backend, "engine", None)
        for loader in getattr(engine, "template_loaders", []) or []:
            if hasattr(loader, "reset"):
                loader.reset()


class QueryDeadline:
    """Interrupt the database query still running after `seconds` (sqlite3 interrupt(), psycopg cancel()), so one
    pathological page cannot stall the whole bench; `fired` tells a timeout from a real error."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.fired = False
        self.timer = None

    def __enter__(self):
        from django.db import connection

        connection.ensure_connection()
        raw, vendor = connection.connection, connection.vendor

        def fire():
            self.fired = True
            if vendor == "sqlite":
                raw.interrupt()
            else:
                getattr(raw, "cancel_safe", raw.cancel)()

        if self.seconds:
            self.timer = threading.Timer(self.seconds, fire)
            self.timer.daemon = True
            self.timer.start()
        return self

    def __exit__(self, *exc):
        if self.timer:
            self.timer.cancel()


def fetch(client, path, limit=None):
    from django.template import TemplateDoesNotExist

    deadline = QueryDeadline(limit)
    try:
        with deadline:
            response = client.get(path)
    except TemplateDoesNotExist as exc:
        raise PageError(f"TemplateDoesNotExist: {exc}") from exc
    except Exception as exc:  # the page 500s: keep the cause for the report
        if deadline.fired:
            raise PageError(f"TIMEOUT: the request ran past {limit:g} s and its query was interrupted "
                            f"({type(exc).__name__}: {exc})") from exc
        last = traceback.extract_tb(exc.__traceback__)[-1]
        raise PageError(f"500 {type(exc).__name__}: {exc} (at {last.filename}:{last.lineno})") from exc
    if response.status_code != 200:
        where = response.get("Location", "")
        raise PageError(f"HTTP {response.status_code}{' -> ' + where if where else ''}")
    return response


def rows_shown(content):
    """Data rows in the page's table body (what the user sees; shows the page was full)."""
    text = content.decode("utf-8", "replace")
    body = text.split("<tbody", 1)[1] if "<tbody" in text else ""
    return len(re.findall(r"<tr[\s>]", body))


def measure(clients, repeats, limit, page_budget):
    """{page: {"ms", "queries", "rows", "kb", "sql", "repeats", "warnings"} or {"error"}} for every page.

    A page whose warm-up takes long gets fewer timed requests (at least 3) so it spends about page_budget seconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {}
    for label, path, user in PAGES:
        client = clients[user]
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                t = time.perf_counter()
                fetch(client, path, limit)  # warm-up
                warm = time.perf_counter() - t
            page_warnings = sorted({f"{w.category.__name__}: {w.message}" for w in caught
                                    if "No directory at" not in str(w.message)})
            with CaptureQueriesContext(connection) as ctx:
                response = fetch(client, path, limit)
            # read them now: the next request's request_started signal resets connection.queries
            captured = [q["sql"] for q in ctx.captured_queries]
            n = max(3, min(repeats, int(page_budget / max(warm, 1e-3))))
            times = []
            for _ in range(n):
                t = time.perf_counter()
                fetch(client, path, limit)
                times.append((time.perf_counter() - t) * 1000)
            results[label] = {"ms": statistics.median(times), "queries": len(captured), "repeats": n,
                              "rows": rows_shown(response.content), "kb": len(response.content) / 1024,
                              "sql": captured, "warnings": page_warnings}
        except PageError as exc:
            results[label] = {"error": str(exc)}
    return results


def wait_for_pages(clients, wait_seconds, limit):
    """Pages whose template is still missing (being written): poll until they render or time runs out."""
    deadline = time.monotonic() + wait_seconds
    while True:
        missing = {}
        for label, path, user in PAGES:
            try:
                fetch(clients[user], path, limit)
            except PageError as exc:
                if "TemplateDoesNotExist" in str(exc):
                    missing[label] = str(exc)
        if not missing or time.monotonic() >= deadline:
            return missing
        for label, error in missing.items():
            log(f"  waiting for a template: {label}: {error}")
        time.sleep(min(30, max(1, deadline - time.monotonic())))
        reset_template_loaders()


def normalise_sql(sql):
    """The query with its literals replaced, so the same query with other ids counts as one."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\s*\?(?:\s*,\s*\?)*\s*\)", "(...)", sql)


def repeated_queries(sql_list, minimum=3):
    counts = collections.Counter(normalise_sql(s) for s in sql_list)
    return [(n, q) for q, n in counts.most_common() if n >= minimum]


# --- report ---------------------------------------------------------------------------------------------------

def fmt_size(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def short_error(error):
    return "TIMEOUT" if error.startswith("TIMEOUT") else "ERROR"


def report(sizes, table, db_label, elapsed):
    labels = [p[0] for p in PAGES]
    width = max(len(x) for x in labels) + 2
    col = 27
    first, last = sizes[0], sizes[-1]
    print()
    print(f"=== list pages on {db_label} ===")
    print(f"median ms of {REPEATS} requests after a warm-up (* = fewer, the page being slow), SQL queries of one "
          f"request, table rows shown")
    print("page".ljust(width) + "".join(f"N={fmt_size(s)} hazards".rjust(col) for s in sizes))
    for label in labels:
        line = label.ljust(width)
        for size in sizes:
            r = table[size].get(label, {"error": "not measured"})
            if "error" in r:
                cell = short_error(r["error"])
            else:
                star = "*" if r["repeats"] < REPEATS else " "
                cell = f"{r['ms']:8.1f} ms{star}{r['queries']:4d} q {r['rows']:3d} rows"
            line += cell.rjust(col)
        print(line)
    print()
    print("ratio of the page's median time to the baseline's (GET /accounts/login/, anonymous) at the same size")
    print("page".ljust(width) + "".join(f"N={fmt_size(s)}".rjust(12) for s in sizes))
    for label in labels[1:]:
        line = label.ljust(width)
        for size in sizes:
            r, b = table[size].get(label, {}), table[size].get(BASELINE, {})
            line += (f"{r['ms'] / b['ms']:.1f}x" if "ms" in r and "ms" in b else "-").rjust(12)
        print(line)
    print()
    print("HTML size of the page (KB)")
    print("page".ljust(width) + "".join(f"N={fmt_size(s)}".rjust(12) for s in sizes))
    for label in labels:
        line = label.ljust(width)
        for size in sizes:
            r = table[size].get(label, {})
            line += (f"{r['kb']:.0f}" if "kb" in r else "-").rjust(12)
        print(line)

    print()
    print(f"checks from N={fmt_size(first)} to N={fmt_size(last)} "
          f"(targets: same query count; time growth < {GROWTH_LIMIT:g}x)")
    problems = []
    for label in labels:
        a, b = table[first].get(label, {}), table[last].get(label, {})
        if "error" in a or "error" in b or not a or not b:
            for size in sizes:
                if "error" in table[size].get(label, {}):
                    print(f"  {label}: at N={fmt_size(size)}: {table[size][label]['error']}")
            ok_sizes = [s for s in sizes if "ms" in table[s].get(label, {})]
            if len(ok_sizes) >= 2:
                x, y = table[ok_sizes[0]][label], table[ok_sizes[-1]][label]
                print(f"      last measured: N={fmt_size(ok_sizes[0])} {x['ms']:.1f} ms {x['queries']} q -> "
                      f"N={fmt_size(ok_sizes[-1])} {y['ms']:.1f} ms {y['queries']} q = {y['ms'] / x['ms']:.1f}x")
            problems.append(label)
            continue
        same = a["queries"] == b["queries"]
        growth = b["ms"] / a["ms"] if a["ms"] else float("inf")
        verdict_q = "same" if same else f"GROWS {a['queries']} -> {b['queries']}"
        verdict_t = f"{growth:.1f}x" + (f"  SLOW: grows more than {GROWTH_LIMIT:g}x" if growth > GROWTH_LIMIT else "")
        if label == BASELINE:  # the reference: its growth is only noise (other load on the machine)
            print(f"  {label}: queries {verdict_q}; time {a['ms']:.1f} -> {b['ms']:.1f} ms = {growth:.1f}x "
                  f"(reference; any growth here is measurement noise)")
            continue
        print(f"  {label}: queries {verdict_q}; time {a['ms']:.1f} -> {b['ms']:.1f} ms = {verdict_t}")
        if not same:
            problems.append(label)
            if a["rows"] != b["rows"]:
                print(f"      (the page shows {a['rows']} rows at N={fmt_size(first)} and {b['rows']} at "
                      f"N={fmt_size(last)}: per-row queries; use a first size that fills the page)")
            extra = collections.Counter(normalise_sql(q) for q in b["sql"])
            extra.subtract(collections.Counter(normalise_sql(q) for q in a["sql"]))
            for q, n in extra.most_common(3):
                if n > 0:
                    print(f"      +{n} x {q[:300]}")
        if growth > GROWTH_LIMIT:
            problems.append(label)
    print()
    print("queries repeated 3+ times in one request at the largest size measured (per-row queries: constant in N "
          "while the page is full, but they scale with the page size)")
    any_repeat = False
    for label in labels:
        measured = [s for s in sizes if "sql" in table[s].get(label, {})]
        if not measured:
            continue
        for n, q in repeated_queries(table[measured[-1]][label]["sql"]):
            any_repeat = True
            print(f"  {label}: {n} x {q[:240]}")
    if not any_repeat:
        print("  none")
    print()
    print("warnings raised while rendering")
    seen = {}
    for size in sizes:
        for label in labels:
            for w in table[size].get(label, {}).get("warnings", []):
                seen.setdefault((label, w), size)
    for (label, w), size in seen.items():
        print(f"  {label} (from N={fmt_size(size)}): {w}")
    if not seen:
        print("  none")
    print()
    verdict = "problems: " + ", ".join(dict.fromkeys(problems)) if problems else "all targets met"
    print(f"total {elapsed:.0f} s; {verdict}")
    return not problems


def main():
    global REPEATS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="growing hazard counts (default %(default)s)")
    parser.add_argument("--postgres", action="store_true",
                        help=f"run on PostgreSQL: creates and drops database {PG_BENCH_DB} at 127.0.0.1:5432")
    parser.add_argument("--analyze", action="store_true",
                        help="SQLite: run ANALYZE after each growth step (PostgreSQL is always analysed, as its "
                             "autovacuum would; a SQLite deployment never is unless someone runs it)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed requests per page (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=30,
                        help="interrupt a request's query after this many seconds; the page is reported TIMEOUT "
                             "(default %(default)s)")
    parser.add_argument("--page-budget", type=float, default=45,
                        help="seconds a slow page may take at one size; it then gets fewer (>= 3) timed requests "
                             "(default %(default)s)")
    parser.add_argument("--wait-templates", type=int, default=300,
                        help="seconds to wait for missing templates before measuring anyway (default %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    REPEATS = args.repeats

    started = time.monotonic()
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here
    # SIGTERM (kill, CI timeout) unwinds like Ctrl-C, so the finally below still drops the bench database.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    cleanup = choose_database(args)
    ok = False
    try:
        import django

        django.setup()
        import logging

        logging.getLogger("django.request").setLevel(logging.CRITICAL)  # a 500 is reported in the table instead
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        db = settings.DATABASES["default"]
        db_label = f"{connection.vendor} {db['NAME']}"
        if connection.vendor == "sqlite":
            db_label += " (ANALYZE after each step)" if args.analyze else " (never ANALYZEd, as Django leaves it)"
        assert Path(str(db["NAME"])).resolve() != (BASE_DIR / "db.sqlite3").resolve(), "refusing the developer's DB"
        log(f"database: {db_label}; sizes {', '.join(fmt_size(s) for s in sizes)}; {os.cpu_count()} cores; "
            f"load average {os.getloadavg()[0]:.1f}")
        call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
        log("migrated")
        from hazards.demo import load_committee

        load_committee()
        log("committee loaded")

        User = get_user_model()
        clients = {None: Client()}
        for username in sorted({p[2] for p in PAGES if p[2]}):
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))

        generator = Generator()
        table = {}
        for index, size in enumerate(sizes):
            t = time.monotonic()
            added = generator.grow_to(size)
            if connection.vendor == "postgresql" or args.analyze:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            log(f"N={fmt_size(size)}: generated +{added['hazards']} hazards, +{added['inspections']} inspections, "
                f"+{added['processes']} processes in {time.monotonic() - t:.1f} s")
            log("  tasks added: " + ", ".join(f"{k}={v}" for k, v in sorted(added.items()) if k.startswith("task")))
            if index == 0:
                missing = wait_for_pages(clients, args.wait_templates, args.timeout)
                for label, error in missing.items():
                    log(f"  STILL MISSING after {args.wait_templates} s: {label}: {error}")
            t = time.monotonic()
            table[size] = measure(clients, REPEATS, args.timeout, args.page_budget)
            log(f"N={fmt_size(size)}: measured in {time.monotonic() - t:.1f} s "
                f"(load average {os.getloadavg()[0]:.1f})")
            for label, _, _ in PAGES:
                r = table[size][label]
                if "error" in r:
                    log(f"  {label:28s} {r['error']}")
                else:
                    log(f"  {label:28s} {r['ms']:8.1f} ms ({r['repeats']} runs) {r['queries']:4d} queries "
                        f"{r['rows']:3d} rows {r['kb']:7.0f} KB")
        ok = report(sizes, table, db_label, time.monotonic() - started)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        cleanup()
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
