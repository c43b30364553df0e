"""Benchmark of notice (文书) rendering: the project's path against WeasyPrint called the plain way.

    .venv/bin/python bench/bench_notices.py                # full run, about 3-5 minutes on 2 cores
    .venv/bin/python bench/bench_notices.py --renders 100  # shorter memory run

"Ours" is the production path of workflow.notices: render_html(notice) (template, QR code) then
render_pdf(html), which lays out with the one FontConfiguration the process keeps. The baseline renders the
same HTML with ``HTML(string=html).write_pdf()``: WeasyPrint then builds a new FontConfiguration (and looks the
system fonts up again) for every document. Nothing touches the database: notices are unsaved Notice objects
holding a synthetic snapshot like the one hazards/services.py stores. Fresh-process and memory figures come from
child processes of this script, so each starts really cold and neither pollutes the other's memory.
"""

import argparse
import datetime
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A throwaway SQLite database: the bench never queries it, but it must never touch the developer's one either.
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'bench_notices.sqlite3'}")

TARGET_FIRST_S = 1.0
TARGET_WARM_ONE_PAGE_MS = 100.0
FLAT_TOLERANCE_MB = 25.0  # RSS may wobble this much after warm-up and still count as flat

KINDS = ["inspection_record", "rectification_order", "onsite_measures", "reinspection_opinion", "closure_approval"]
THREE_PAGE_ITEMS = 22  # items in the long rectification order; the run prints the page count it really got

# --- synthetic snapshots, shaped like hazards.services builds them ------------------------------------------

ENTERPRISE = {
    "name": "重庆市黔江区恒达机械制造有限公司", "uscc": "91500114MA5U7K3L0G", "address": "正阳工业园区标准厂房A3栋",
    "legal_representative": "李国强", "person_in_charge": "李国强", "contact_person": "吴晓兰",
    "contact_phone": "023-79236688",
}
INSPECTORS = [{"name": "王立新", "badge": "渝应急执 500114001"}, {"name": "陈思远", "badge": "渝应急执 500114002"}]
FINDINGS = [
    ("喷漆房防爆电气设备防爆标志缺失，部分照明灯具为非防爆型。", "喷漆房", "《中华人民共和国安全生产法》第三十六条第一款"),
    ("有限空间（污水池）入口未设置明显的安全警示标志，未配备气体检测仪。", "污水处理站", "《工贸企业有限空间作业安全规定》第十四条"),
    ("冲压车间3号冲床光电保护装置失效，双手操作按钮被短接。", "冲压车间", "《中华人民共和国安全生产法》第三十六条第一款"),
    ("原料仓库消防通道堆放货物，宽度不足4米，应急照明损坏。", "原料仓库", "《中华人民共和国消防法》第二十八条"),
    ("行车（桥式起重机）未按期检验，吊钩防脱钩装置缺失。", "装配车间", "《中华人民共和国特种设备安全法》第四十条"),
    ("焊接作业现场未配备灭火器材，气瓶未采取防倾倒措施，乙炔瓶与氧气瓶间距不足5米。", "焊接区", "《焊接与切割安全》（GB 9448）第10.5条"),
    ("从业人员安全生产教育和培训记录不全，新进员工未经三级安全教育即上岗作业。", "综合办公室", "《中华人民共和国安全生产法》第二十八条第一款"),
    ("配电房未配备绝缘手套、绝缘靴等安全防护用品，配电柜前未铺设绝缘垫。", "配电房", "《低压配电设计规范》（GB 50054）第4.2条"),
]


def _date(value):
    return value.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")


def _hazards(count, *, major_every=0, start=None):
    start = start or datetime.date(2026, 3, 2)
    rows = []
    for i in range(count):
        description, location, basis = FINDINGS[i % len(FINDINGS)]
        major = bool(major_every) and (i + 1) % major_every == 0
        deadline = start + datetime.timedelta(days=14 if i % 3 else 28)
        rows.append({
            "id": i + 1, "number": i + 1, "description": description, "location": location, "sector": "工贸",
            "level": "major" if major else "general", "level_label": "重大事故隐患" if major else "一般事故隐患",
            "legal_basis": basis,
            "measures": "责令立即停止使用该设备，从危险区域撤出作业人员，设置警戒区域。" if major else "",
            "deadline": _date(deadline), "deadline_provisional": i == count - 1 and count > 2,
            "state_label": "整改中",
        })
    return rows


def sample_context(kind, items=3):
    """A snapshot for one notice of `kind` with `items` hazards."""
    base = {
        "enterprise": dict(ENTERPRISE), "office_name": "安全生产部", "issued_date": "2026年3月2日",
        "inspected_on": "2026年2月27日", "place": "生产车间、仓库及配电房",
    }
    if kind == "inspection_record":
        hazards = _hazards(items)
        if hazards:
            hazards[0]["fixed_on_spot"] = True
        return {**base, "inspectors": INSPECTORS, "enterprise_representative": "李国强", "signature": "signed",
                "refusal_note": "", "summary": "检查了企业安全生产责任制落实、生产车间、仓库、配电房及有限空间作业管理情况。",
                "sector": "工贸", "hazards": hazards}
    if kind == "rectification_order":
        return {**base, "hazards": _hazards(items, major_every=5), "approved_by": "刘建华", "comment": "",
                "inspection_record_number": "正阳园安检记〔2026〕12号"}
    if kind == "onsite_measures":
        hazards = [{**h, "level": "major", "level_label": "重大事故隐患",
                    "measures": "责令立即停止使用该设备，从危险区域撤出作业人员，设置警戒区域。"} for h in _hazards(items)]
        return {**base, "hazards": hazards, "leader": "黄国栋"}
    if kind == "reinspection_opinion":
        results = []
        for i, h in enumerate(_hazards(items)):
            passed = i % 3 != 1
            results.append({**h, "passed": passed, "comment": "已更换为防爆型灯具，现场核查合格。" if passed else "整改不到位，光电保护装置仍未恢复。",
                            "new_deadline": "" if passed else "2026年3月20日", "was_overdue": False})
        return {**base, "round": 1, "reinspected_on": "2026年3月16日", "notes": "", "inspectors": INSPECTORS,
                "results": results, "order_number": "正阳园安责改〔2026〕7号"}
    if kind == "closure_approval":
        return {**base, "hazards": [{**h, "comment": ""} for h in _hazards(items)], "approved_by": "黄国栋",
                "approved_on": "2026年3月20日", "reinspection_number": "正阳园安复查〔2026〕5号",
                "reinspectors": ["王立新", "陈思远"]}
    raise ValueError(kind)


def sample_notice(kind, items=3, serial=1):
    """An unsaved Notice holding a synthetic snapshot; render_html needs nothing from the database."""
    from django.utils import timezone

    from enterprises.models import Enterprise
    from workflow.models import Notice, Office
    from workflow.notices import format_number

    office = Office(id=2, name="安全生产部", abbreviation="安")
    enterprise = Enterprise(id=1, name=ENTERPRISE["name"], uscc=ENTERPRISE["uscc"])
    return Notice(kind=kind, office=office, year=2026, serial=serial, number=format_number(office, kind, 2026, serial),
                  enterprise=enterprise, issued_at=timezone.now(), context=sample_context(kind, items))


def batch_notices(count):
    """A realistic mix: every kind in turn, 1-4 items each."""
    return [sample_notice(KINDS[i % len(KINDS)], items=1 + i % 4, serial=i + 1) for i in range(count)]


# --- the two ways of rendering ---------------------------------------------------------------------------

def render_ours(notice):
    from workflow.notices import render_html, render_pdf

    pdf, pages = render_pdf(render_html(notice))
    return pdf, pages


def render_baseline(notice):
    from weasyprint import HTML

    from workflow.notices import render_html

    pdf = HTML(string=render_html(notice)).write_pdf()  # a new FontConfiguration inside, fonts looked up again
    return pdf, None


RENDERERS = {"ours": render_ours, "baseline": render_baseline}


def rss_mb():
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def setup_django():
    import django

    django.setup()


# --- child processes ---------------------------------------------------------------------------------------

def warm_up():
    """What a worker could do at start: load WeasyPrint and the fonts once, before the first real notice."""
    from workflow.notices import render_html, render_pdf

    # A representative notice, not a one-word page: tables, bold, the QR code and the URL resolver all get warm.
    render_pdf(render_html(sample_notice("inspection_record", items=2)))


def child_first(mode):
    started, started_cpu = time.perf_counter(), time.process_time()
    setup_django()
    result = {"setup_s": time.perf_counter() - started}
    if mode == "prewarmed":
        ready = time.perf_counter()
        warm_up()
        result["warmup_s"] = time.perf_counter() - ready
        mode = "ours"
    ready, ready_cpu = time.perf_counter(), time.process_time()
    RENDERERS[mode](sample_notice("rectification_order", items=3))
    result.update(first_s=time.perf_counter() - ready, first_cpu_s=time.process_time() - ready_cpu,
                  total_cpu_s=time.process_time() - started_cpu)
    print(json.dumps(result))


def child_memory(mode, renders, every):
    setup_django()
    notices = batch_notices(len(KINDS) * 4)
    render = RENDERERS[mode]
    series = []
    for i in range(1, renders + 1):
        render(notices[i % len(notices)])
        if i % every == 0 or i == renders:
            gc.collect()
            series.append([i, round(rss_mb()[0], 1)])
    print(json.dumps({"series": series, "peak_mb": round(rss_mb()[1], 1)}))


def child_command(*args):
    return [sys.executable, __file__, "--child", *map(str, args)]


def run_child(*args, timeout=900):
    started = time.perf_counter()
    result = subprocess.run(child_command(*args), capture_output=True, text=True, timeout=timeout, cwd=BASE_DIR)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1]), wall


def run_children_together(*arg_lists, timeout=900):
    """Memory runs only: they may share the CPUs, since no time is measured in them."""
    procs = [subprocess.Popen(child_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=BASE_DIR) for args in arg_lists]
    results = []
    for args, proc in zip(arg_lists, procs):
        out, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"child {args} failed:\n{err[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


# --- measurements in this process --------------------------------------------------------------------------

def timed(render, notice, runs):
    """Median wall and CPU seconds of `runs` renders (CPU time is less disturbed by other load on the machine)."""
    walls, cpus = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf, pages = render(notice)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return statistics.median(walls), statistics.median(cpus), pages, len(pdf)


def rate(render, notices):
    started, started_cpu = time.perf_counter(), time.process_time()
    for notice in notices:
        render(notice)
    return len(notices) / (time.perf_counter() - started), len(notices) / (time.process_time() - started_cpu)


def ms(seconds):
    return f"{seconds * 1000:,.0f} ms"


def verdict(ok):
    return "OK" if ok else "MISSED"


def flat(series, tolerance=FLAT_TOLERANCE_MB):
    """Flat when, after the first sample (fonts and caches loaded), RSS never rises more than `tolerance` MB."""
    if len(series) < 3:
        return None
    values = [mb for _i, mb in series[1:]]
    return max(values) - values[0] <= tolerance


WIDTHS = (50, 20, 20, 8, 24)


def row(*cells):
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, WIDTHS)).rstrip()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--renders", type=int, default=500, help="renders for our memory run (default 500)")
    parser.add_argument("--baseline-renders", type=int, default=None,
                        help="renders for the baseline memory run (default: a fifth of --renders, at least 50)")
    parser.add_argument("--fresh-runs", type=int, default=3, help="fresh processes per mode (median reported)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        if args.child[0] == "first":
            return child_first(args.child[1])
        if args.child[0] == "memory":
            return child_memory(args.child[1], int(args.child[2]), int(args.child[3]))
        raise SystemExit(f"unknown child {args.child}")

    bench_started = time.perf_counter()
    load_before = os.getloadavg()[0]
    setup_django()
    from django.conf import settings
    import weasyprint
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    from workflow.notices import render_html

    subsetting = harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)  # WeasyPrint's own condition
    print("Notice rendering benchmark")
    print(f"  WeasyPrint {weasyprint.__version__}, font family {settings.NOTICE_FONT_FAMILY!r}, {os.cpu_count()} CPU(s), "
          f"load average {load_before:.1f} at start")
    print(f"  libharfbuzz-subset: {'present, used for font subsetting' if subsetting else 'MISSING or HarfBuzz < 4.1: fontTools subsets instead, every CJK notice takes 5-10 s'}")
    print("  ours     = workflow.notices.render_html + render_pdf (one FontConfiguration kept by the process)")
    print("  baseline = render_html + HTML(string=html).write_pdf() (a new FontConfiguration and font lookup per render)")
    print("  running ... (fresh processes, warm renders, a batch of 50, then the memory runs)", flush=True)

    # (1) first notice in a fresh process
    first = {}
    for mode in ("ours", "baseline", "prewarmed"):
        runs = [run_child("first", mode) for _ in range(args.fresh_runs)]
        first[mode] = {key: statistics.median(r[key] for r, _w in runs) for key in runs[0][0]}
        first[mode]["wall"] = statistics.median(w for _r, w in runs)

    # (2) warm medians, one page and three pages
    one = sample_notice("rectification_order", items=3)
    three = sample_notice("rectification_order", items=THREE_PAGE_ITEMS)
    render_ours(one)  # warm up: fonts loaded, templates compiled
    render_baseline(one)
    warm = {}
    for label, notice, runs_ours, runs_base in (("one", one, 20, 8), ("three", three, 8, 4)):
        wall, cpu, pages, size = timed(render_ours, notice, runs_ours)
        wall_base, cpu_base, _pages, size_base = timed(render_baseline, notice, runs_base)
        warm[label] = {"wall": wall, "cpu": cpu, "wall_base": wall_base, "cpu_base": cpu_base, "pages": pages,
                       "kb": size / 1024, "kb_base": size_base / 1024}
    html_s = timed(lambda n: (render_html(n).encode(), None), one, 20)[0]

    # (3) throughput over a batch of 50 mixed notices (20 for the slower baseline)
    batch = batch_notices(50)
    rate_ours, rate_ours_cpu = rate(render_ours, batch)
    rate_base, rate_base_cpu = rate(render_baseline, batch[:20])

    # (4) memory over many renders, each mode in its own fresh process
    renders = max(args.renders, 10)
    every = max(renders // 10, 1)
    base_renders = args.baseline_renders or max(renders // 5, 50)
    base_every = max(base_renders // 10, 1)
    mem_ours, mem_base = run_children_together(("memory", "ours", renders, every),
                                               ("memory", "baseline", base_renders, base_every))

    # --- report ---
    print()
    print(row("figure", "ours", "baseline", "ratio", "target"))
    print("-" * (sum(WIDTHS) + 2 * (len(WIDTHS) - 1)))
    fo, fb, fp = first["ours"], first["baseline"], first["prewarmed"]
    print(row(f"(1) first notice, fresh process (median of {args.fresh_runs})", ms(fo["first_s"]), ms(fb["first_s"]),
              f"{fb['first_s'] / fo['first_s']:.1f}x", f"<= 1 s  {verdict(fo['first_s'] <= TARGET_FIRST_S)}"))
    print(row("    same, CPU time", ms(fo["first_cpu_s"]), ms(fb["first_cpu_s"]), "",
              f"<= 1 s  {verdict(fo['first_cpu_s'] <= TARGET_FIRST_S)}"))
    print(row("    django.setup() before it", ms(fo["setup_s"]), ms(fb["setup_s"]), "", ""))
    print(row("    whole process, interpreter start to exit", ms(fo["wall"]), ms(fb["wall"]), "", ""))
    print(row("    ours after a warm-up at process start", ms(fp["first_s"]), "", "",
              f"(warm-up itself {ms(fp['warmup_s'])})"))
    w1, w3 = warm["one"], warm["three"]
    print(row(f"(2) warm median, {w1['pages']}-page notice (3 items)", ms(w1["wall"]), ms(w1["wall_base"]),
              f"{w1['wall_base'] / w1['wall']:.1f}x", f"<= 100 ms  {verdict(w1['wall'] * 1000 <= TARGET_WARM_ONE_PAGE_MS)}"))
    print(row("    same, CPU time", ms(w1["cpu"]), ms(w1["cpu_base"]), f"{w1['cpu_base'] / w1['cpu']:.1f}x",
              f"<= 100 ms  {verdict(w1['cpu'] * 1000 <= TARGET_WARM_ONE_PAGE_MS)}"))
    print(row(f"    warm median, {w3['pages']}-page notice ({THREE_PAGE_ITEMS} items)", ms(w3["wall"]), ms(w3["wall_base"]),
              f"{w3['wall_base'] / w3['wall']:.1f}x", ""))
    print(row("    same, CPU time", ms(w3["cpu"]), ms(w3["cpu_base"]), f"{w3['cpu_base'] / w3['cpu']:.1f}x", ""))
    print(row("    of which render_html (template + QR code)", ms(html_s), "(same)", "", ""))
    print(row("    PDF size, 1-page / 3-page", f"{w1['kb']:.0f} / {w3['kb']:.0f} KB",
              f"{w1['kb_base']:.0f} / {w3['kb_base']:.0f} KB", "", ""))
    print(row("(3) notices per second, mixed batch, 1 process", f"{rate_ours:.1f}/s (of 50)", f"{rate_base:.1f}/s (of 20)",
              f"{rate_ours / rate_base:.1f}x", ""))
    print(row("    same, per CPU-second", f"{rate_ours_cpu:.1f}/s", f"{rate_base_cpu:.1f}/s", "", ""))
    flat_ours, flat_base = flat(mem_ours["series"]), flat(mem_base["series"])
    print(row("(4) peak RSS (VmHWM)", f"{mem_ours['peak_mb']:.0f} MB / {renders}", f"{mem_base['peak_mb']:.0f} MB / {base_renders}",
              "", f"flat  {verdict(bool(flat_ours))}"))
    first_sample = lambda m: m["series"][1][1] if len(m["series"]) > 1 else m["series"][0][1]  # noqa: E731
    print(row("    RSS after warm-up -> last sample", f"{first_sample(mem_ours):.0f} -> {mem_ours['series'][-1][1]:.0f} MB",
              f"{first_sample(mem_base):.0f} -> {mem_base['series'][-1][1]:.0f} MB", "",
              f"flat: ours {'yes' if flat_ours else 'no'}, base {'yes' if flat_base else 'no'}"))
    print()
    print(f"RSS series (renders:MB) — ours every {every} renders, baseline every {base_every}:")
    print("  ours:     " + "  ".join(f"{i}:{mb:.0f}" for i, mb in mem_ours["series"]))
    print("  baseline: " + "  ".join(f"{i}:{mb:.0f}" for i, mb in mem_base["series"]))
    print()
    print(f"Flat = no rise above {FLAT_TOLERANCE_MB:.0f} MB after the first sample. Load average {os.getloadavg()[0]:.1f} at "
          f"the end; wall times on a shared machine vary, CPU times less. Bench took "
          f"{time.perf_counter() - bench_started:.0f} s.")
    return None


if __name__ == "__main__":
    main()
