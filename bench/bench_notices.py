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

def child_first(mode):
    started = time.perf_counter()
    setup_django()
    ready = time.perf_counter()
    notice = sample_notice("rectification_order", items=3)
    _pdf, _pages = RENDERERS[mode](notice)
    done = time.perf_counter()
    print(json.dumps({"setup_s": ready - started, "first_s": done - ready}))


def child_memory(mode, renders, every):
    setup_django()
    notices = batch_notices(len(KINDS) * 4)
    render = RENDERERS[mode]
    series = []
    for i in range(1, renders + 1):
        render(notices[i % len(notices)])
        if i % every == 0 or i == renders:
            gc.collect()
            rss, _hwm = rss_mb()
            series.append([i, round(rss, 1)])
    _rss, hwm = rss_mb()
    print(json.dumps({"series": series, "peak_mb": round(hwm, 1)}))


def run_child(*args, timeout=900):
    env = dict(os.environ, PYTHONHASHSEED="0")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--child", *map(str, args)], capture_output=True, text=True,
                            timeout=timeout, env=env, cwd=BASE_DIR)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1]), wall


# --- measurements in this process --------------------------------------------------------------------------

def timed(render, notice, runs):
    times = []
    pages = None
    for _ in range(runs):
        started = time.perf_counter()
        pdf, pages = render(notice)
        times.append(time.perf_counter() - started)
    return times, pages, len(pdf)


def fmt_ms(seconds):
    return f"{seconds * 1000:,.0f} ms"


def verdict(ok):
    return "OK" if ok else "MISSED"


def flat(series, tolerance=FLAT_TOLERANCE_MB):
    """Flat when, after the first sample (fonts and caches loaded), RSS never rises more than `tolerance` MB."""
    if len(series) < 3:
        return None
    values = [mb for _i, mb in series[1:]]
    return max(values) - values[0] <= tolerance


def row(*cells, widths=(44, 18, 18, 12, 22)):
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))


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
    setup_django()
    from django.conf import settings
    import weasyprint
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    subsetting = harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)  # WeasyPrint's own condition
    print("Notice rendering benchmark")
    print(f"  WeasyPrint {weasyprint.__version__}, font family {settings.NOTICE_FONT_FAMILY!r}, "
          f"{os.cpu_count()} CPU(s)")
    print(f"  libharfbuzz-subset: {'present, used for font subsetting' if subsetting else 'MISSING or HarfBuzz < 4.1: fontTools subsets instead, every CJK notice takes 5-10 s'}")
    print()

    # (1) first notice in a fresh process
    first = {}
    for mode in ("ours", "baseline"):
        runs = [run_child("first", mode) for _ in range(args.fresh_runs)]
        first[mode] = {
            "setup": statistics.median(r["setup_s"] for r, _w in runs),
            "first": statistics.median(r["first_s"] for r, _w in runs),
            "wall": statistics.median(w for _r, w in runs),
        }

    # (2) warm medians, one page and three pages
    one = sample_notice("rectification_order", items=3)
    three = sample_notice("rectification_order", items=THREE_PAGE_ITEMS)
    render_ours(one)  # warm up: fonts loaded, templates compiled
    render_baseline(one)
    warm = {}
    for label, notice, runs_ours, runs_base in (("one", one, 30, 10), ("three", three, 12, 5)):
        times_ours, pages, size = timed(render_ours, notice, runs_ours)
        times_base, _p, size_base = timed(render_baseline, notice, runs_base)
        warm[label] = {"ours": statistics.median(times_ours), "base": statistics.median(times_base),
                       "pages": pages, "kb": size / 1024, "kb_base": size_base / 1024}
    from workflow.notices import render_html

    started = time.perf_counter()
    for _ in range(20):
        render_html(one)
    html_ms = (time.perf_counter() - started) / 20

    # (3) throughput over a batch of 50 mixed notices
    batch = batch_notices(50)
    started = time.perf_counter()
    for notice in batch:
        render_ours(notice)
    rate_ours = len(batch) / (time.perf_counter() - started)
    base_batch = batch[:20]
    started = time.perf_counter()
    for notice in base_batch:
        render_baseline(notice)
    rate_base = len(base_batch) / (time.perf_counter() - started)

    # (4) memory over many renders, each mode in its own fresh process
    renders = max(args.renders, 10)
    every = max(renders // 10, 1)
    base_renders = args.baseline_renders or max(renders // 5, 50)
    base_every = max(base_renders // 10, 1)
    mem_ours, _w = run_child("memory", "ours", renders, every)
    mem_base, _w = run_child("memory", "baseline", base_renders, base_every)

    # --- report ---
    widths = (46, 16, 16, 10, 22)
    print(row("figure", "ours", "baseline", "ratio", "target", widths=widths))
    print("-" * 116)
    fo, fb = first["ours"], first["baseline"]
    print(row(f"(1) first notice, fresh process (median of {args.fresh_runs})", fmt_ms(fo["first"]), fmt_ms(fb["first"]),
              f"{fb['first'] / fo['first']:.1f}x", f"<= 1 s  {verdict(fo['first'] <= TARGET_FIRST_S)}", widths=widths))
    print(row("    django.setup() before it", fmt_ms(fo["setup"]), fmt_ms(fb["setup"]), "", "", widths=widths))
    print(row("    whole process (interpreter to exit)", fmt_ms(fo["wall"]), fmt_ms(fb["wall"]), "", "", widths=widths))
    w1, w3 = warm["one"], warm["three"]
    print(row(f"(2) warm median, {w1['pages']}-page notice", fmt_ms(w1["ours"]), fmt_ms(w1["base"]),
              f"{w1['base'] / w1['ours']:.1f}x", f"<= 100 ms  {verdict(w1['ours'] * 1000 <= TARGET_WARM_ONE_PAGE_MS)}",
              widths=widths))
    print(row(f"    warm median, {w3['pages']}-page notice ({THREE_PAGE_ITEMS} items)", fmt_ms(w3["ours"]),
              fmt_ms(w3["base"]), f"{w3['base'] / w3['ours']:.1f}x", "", widths=widths))
    print(row("    PDF size 1-page / 3-page", f"{w1['kb']:.0f} / {w3['kb']:.0f} KB", f"{w1['kb_base']:.0f} / {w3['kb_base']:.0f} KB",
              "", "", widths=widths))
    print(row("    of which render_html (template + QR)", fmt_ms(html_ms), "same", "", "", widths=widths))
    print(row("(3) throughput, mixed batch, one process", f"{rate_ours:.1f} /s (50)", f"{rate_base:.1f} /s (20)",
              f"{rate_ours / rate_base:.1f}x", "", widths=widths))
    flat_ours, flat_base = flat(mem_ours["series"]), flat(mem_base["series"])
    print(row(f"(4) peak RSS over renders", f"{mem_ours['peak_mb']:.0f} MB ({renders})",
              f"{mem_base['peak_mb']:.0f} MB ({base_renders})", "",
              f"flat  {verdict(bool(flat_ours))}", widths=widths))
    print(row("    RSS after warm-up -> last sample",
              f"{mem_ours['series'][1][1]:.0f} -> {mem_ours['series'][-1][1]:.0f} MB" if len(mem_ours["series"]) > 1 else "",
              f"{mem_base['series'][1][1]:.0f} -> {mem_base['series'][-1][1]:.0f} MB" if len(mem_base["series"]) > 1 else "",
              "", f"flat: {flat_ours} / {flat_base}", widths=widths))
    print()
    print("RSS series (renders: MB), sampled every", every, "renders for ours and", base_every, "for the baseline:")
    print("  ours:     " + "  ".join(f"{i}:{mb:.0f}" for i, mb in mem_ours["series"]))
    print("  baseline: " + "  ".join(f"{i}:{mb:.0f}" for i, mb in mem_base["series"]))
    print()
    print(f"ours = workflow.notices.render_html + render_pdf (one FontConfiguration per process); "
          f"baseline = render_html + HTML(string=html).write_pdf() (new FontConfiguration per render).")
    print(f"Bench finished in {time.perf_counter() - bench_started:.0f} s.")
    return None


if __name__ == "__main__":
    main()
