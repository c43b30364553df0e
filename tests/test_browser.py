"""Browser journeys: the whole loop for a MAJOR hazard, clicked through by each person in Debian's chromium.

Run with `make test-browser` (or `pytest -m browser`). Screenshots of every step go to artifacts/browser/.
"""

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import datetime  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "browser"
PASSWORD = "zhengyang2026"
HENGDA = "重庆市黔江区恒达机械制造有限公司"
DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "locale": "zh-CN"}
TIMEOUT_MS = 15_000


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing: run `make test-browser` (installs Debian's chromium)")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def photos(tmp_path):
    """Real PNG files on disk, as a phone's gallery would hold them."""
    from PIL import Image, ImageDraw

    def make(name, color):
        image = Image.new("RGB", (640, 480), (235, 235, 230))
        draw = ImageDraw.Draw(image)
        draw.rectangle([60, 60, 580, 420], outline=color, width=10)
        draw.line([60, 420, 580, 60], fill=color, width=8)
        path = tmp_path / name
        image.save(path, format="PNG")
        return path

    return {"finding": make("hazard-finding.png", (200, 60, 40)), "proof": make("rectified.png", (40, 140, 60))}


class Journey:
    """One browser, a fresh context (cookie jar) per person, numbered full-page screenshots."""

    def __init__(self, browser, base_url, prefix):
        self.browser, self.base_url, self.prefix, self.step = browser, base_url, prefix, 0
        self.contexts, self.seen_login = [], []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob(f"{prefix}-*.png"):
            old.unlink()

    def login(self, username, device=DESKTOP):
        context = self.browser.new_context(base_url=self.base_url, **device)
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "确定提交吗？"
        page.goto("/accounts/login/")
        expect(page.get_by_role("heading", name="隐患闭环整改系统")).to_be_visible()
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        if device not in self.seen_login:
            self.seen_login.append(device)
            self.shot(page, f"{username}-login")
        page.get_by_role("button", name="登录").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    def shot(self, page, name):
        self.step += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.prefix}-{self.step:02d}-{name}.png"), full_page=True)

    def close(self):
        for context in self.contexts:
            context.close()


SEEDS = ("workflow.migrations.0002_seed_periods", "workflow.migrations.0004_penalty_periods",
         "hazards.migrations.0005_seed_provisions", "enterprises.migrations.0004_seed_cadence",
         "supervision.migrations.0002_seed_rules")


def reseed():
    """A transactional test flushes the tables the migrations seeded (periods, duty rules, cadence): seed again."""
    import importlib

    from django.apps import apps

    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def journey(request, live_server, transactional_db, browser):
    from hazards import demo

    reseed()
    demo.load_committee()
    prefix = request.node.name.removeprefix("test_").split("_")[0]
    journey = Journey(browser, live_server.url, prefix)
    yield journey
    journey.close()


def expect(target):
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect(target)


def message(page, text):
    expect(page.locator("ul.messages")).to_contain_text(text)


def notices(page):
    return page.locator("section.card", has=page.get_by_role("heading", name="执法文书")).locator(".doc-kind")


def hazard_item(page):
    return page.locator("ol.items > li.item").first


def queue_row(page, title):
    """A task's row in viewflow's list (the queue): it names the enterprise and the task."""
    return page.locator("tr", has_text=title).filter(has_text=HENGDA)


def open_task_from_case(page, case_url, title):
    """The case page lists the open task; the person allowed to act sees 办理."""
    page.goto(case_url)
    row = page.locator("ul.tasks > li", has_text=title)
    expect(row).to_be_visible()
    row.get_by_role("link", name="办理").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()


def check_phone_layout(page):
    """Nothing on a phone-sized page may need sideways scrolling."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the 390px phone screen"


def test_loop_of_a_major_hazard_from_inspection_to_closure(journey, photos):
    from hazards.models import Inspection
    from workflow.models import Notice

    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=30)
    # 1. The inspector opens a case at 恒达机械 with a second inspector, records a MAJOR hazard with a photo,
    #    and submits the record.
    page = journey.login("inspector")
    expect(page).to_have_url(re.compile(r"/cases/$"))
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="开展检查").click()
    expect(page).to_have_url(re.compile(r"/cases/new/$"))
    expect(page.get_by_role("heading", level=1, name="开展现场检查")).to_be_visible()
    page.get_by_label("被检查单位", exact=True).select_option(label=HENGDA)
    page.get_by_label("行业领域").select_option(label="工贸")
    expect(page.get_by_label("王立新（安全生产部）")).to_be_checked()  # the inspector himself
    page.get_by_label("陈思远（安全生产部）").check()
    expect(page.get_by_label("检查日期")).to_have_value(today.isoformat())  # the date picker shows today
    page.get_by_label("检查场所").fill("机加工车间及配电房")
    page.get_by_label("被检查单位现场负责人").fill("李国强")
    page.get_by_label("检查情况").fill("对企业安全生产主体责任落实情况开展现场检查。")
    journey.shot(page, "inspector-new-case-form")
    page.get_by_role("button", name="创建检查并登记隐患").click()
    message(page, "检查已创建，请逐项登记发现的隐患。")
    expect(page.get_by_role("heading", level=1, name=HENGDA)).to_be_visible()
    expect(page.locator(".page-head .badge")).to_have_text("检查记录中")
    expect(page.locator(".facts")).to_contain_text("王立新（主办）、陈思远")
    case = Inspection.objects.get()
    case_url = f"/cases/{case.pk}/"
    expect(page).to_have_url(re.compile(re.escape(case_url) + "$"))
    journey.shot(page, "inspector-case-created")

    page.locator(".page-head").get_by_role("link", name="登记隐患").click()
    expect(page.get_by_role("heading", level=1, name="登记隐患")).to_be_visible()
    page.get_by_label("隐患描述").fill("冲压机光电保护装置被拆除，双手按钮被短接，作业人员手部直接进入危险区域")
    page.get_by_label("隐患部位").fill("冲压车间3号冲床")
    page.get_by_label("重大事故隐患").check()
    page.get_by_label("依据（法律法规及标准条款）").fill("《工贸企业重大事故隐患判定标准》第四条")
    page.get_by_label("现场处理措施（重大隐患必填）").fill("责令3号冲床立即停止使用，设置警示标识")
    page.get_by_label("整改期限").fill(deadline.isoformat())
    page.locator("#id_photos_gallery").set_input_files(photos["finding"])
    expect(page.locator(".field-photos .file-list")).to_contain_text("hazard-finding.png")
    journey.shot(page, "inspector-hazard-form")
    page.get_by_role("button", name="保存隐患").click()
    message(page, "隐患已登记。")
    item = hazard_item(page)
    expect(item.locator(".badge.major")).to_have_text("重大事故隐患")
    expect(item).to_contain_text("冲压车间3号冲床")
    expect(item).to_contain_text(f"{deadline.year}年{deadline.month}月{deadline.day}日")
    photo = item.locator(".thumbs img")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 640  # the photo really came back
    journey.shot(page, "inspector-hazard-recorded")

    page.get_by_role("button", name="提交检查记录").click()  # the confirm dialog is accepted
    message(page, "检查记录已提交，现场检查记录已制发。")
    expect(page.locator(".page-head .badge")).to_have_text("整改指令待审批")
    expect(notices(page)).to_have_text(["现场检查记录"])
    tasks = page.locator("ul.tasks > li", has_text="审批整改指令")
    expect(tasks).to_contain_text("由其他人员办理")
    expect(page.get_by_role("button", name="提交检查记录")).to_have_count(0)
    journey.shot(page, "inspector-record-submitted")

    # 2. The office head lands on the office queue, finds the order and approves it.
    page = journey.login("officehead")
    expect(page).to_have_url(re.compile(r"/workflow/queue/"))
    expect(queue_row(page, "审批整改指令")).to_be_visible()
    journey.shot(page, "officehead-queue-order")
    # from the queue: the task's link leads to viewflow's claim page, "认领并办理" to the project's task page
    queue_row(page, "审批整改指令").get_by_role("link").first.click()
    expect(page.get_by_role("button", name="认领并办理")).to_be_visible()
    journey.shot(page, "officehead-claim-order")
    page.get_by_role("button", name="认领并办理").click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
    expect(page.get_by_role("heading", level=1, name="审批整改指令")).to_be_visible()
    expect(page.locator(".items")).to_contain_text("冲压机光电保护装置被拆除")
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("说明").fill("同意，按期整改。")
    journey.shot(page, "officehead-approve-order")
    page.get_by_role("button", name="提交审批意见").click()
    message(page, "已批准，整改指令书已制发。")
    expect(page.locator(".page-head .badge")).to_have_text("整改中")
    expect(notices(page)).to_have_text(["现场检查记录", "责令限期整改指令书", "现场处理措施决定书"])
    item = hazard_item(page)
    expect(item.locator(".badge.state-awaiting_plan")).to_have_text("待提交治理方案")
    expect(item).to_contain_text("黄国栋")  # 挂牌督办 by the leader in charge of safety
    journey.shot(page, "officehead-order-approved")

    # 3. The enterprise, on a phone, submits the governance plan of the major hazard.
    phone = journey.login("enterprise", PHONE)
    expect(phone).to_have_url(re.compile(r"/portal/$"))
    expect(phone.get_by_role("heading", level=1, name=HENGDA)).to_be_visible()
    expect(phone.get_by_role("heading", name="需要办理的整改（1 项）")).to_be_visible()
    expect(phone.locator(".doc-kind", has_text="责令限期整改指令书")).to_be_visible()
    check_phone_layout(phone)
    journey.shot(phone, "enterprise-phone-portal-plan-due")
    phone.get_by_role("link", name=re.compile("提交治理方案")).click()
    expect(phone.get_by_role("heading", level=1, name="第 1 项隐患")).to_be_visible()
    expect(phone.get_by_role("heading", name="提交隐患治理方案")).to_be_visible()
    phone.get_by_label("治理的目标和任务").fill("恢复3号冲床光电保护装置和双手按钮，消除重大事故隐患。")
    phone.get_by_label("采取的方法和措施").fill("委托设备厂家更换光电保护装置，拆除短接线并逐台排查冲床。")
    phone.get_by_label("经费和物资的落实").fill("安排专项资金8万元，配件已订购。")
    phone.get_by_label("负责治理的机构和人员").fill("总经理李国强牵头，设备部实施。")
    phone.get_by_label("治理的时限").fill((today + datetime.timedelta(days=20)).isoformat())
    phone.get_by_label("安全措施和应急预案").fill("治理期间3号冲床停用并上锁挂牌，制定机械伤害应急预案。")
    check_phone_layout(phone)
    journey.shot(phone, "enterprise-phone-plan-form")
    phone.get_by_role("button", name="提交治理方案").click()
    message(phone, "治理方案已提交，等待审批。")
    expect(phone.locator(".alert", has_text="治理方案已提交，等待管委会审批。")).to_be_visible()
    expect(phone.locator(".page-head .badge.state-plan_review")).to_have_text("治理方案待审批")
    journey.shot(phone, "enterprise-phone-plan-submitted")

    # 4. The office head approves the plan.
    page = journey.login("officehead")
    expect(queue_row(page, "审批治理方案")).to_be_visible()
    journey.shot(page, "officehead-queue-plan")
    open_task_from_case(page, case_url, "审批治理方案")
    expect(page.locator(".decision-row")).to_contain_text("恢复3号冲床光电保护装置和双手按钮")
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("意见").fill("方案可行，同意实施。")
    journey.shot(page, "officehead-approve-plan")
    page.get_by_role("button", name="提交审批意见").click()
    message(page, "治理方案审批已完成。")
    expect(hazard_item(page).locator(".badge.state-rectifying")).to_have_text("整改中")
    journey.shot(page, "officehead-plan-approved")

    # 5. The enterprise, on the phone, uploads its proof: a report and a photo.
    phone = journey.login("enterprise", PHONE)
    expect(phone.get_by_role("heading", name="需要办理的整改（1 项）")).to_be_visible()
    journey.shot(phone, "enterprise-phone-portal-proof-due")
    phone.get_by_role("link", name=re.compile("上传整改佐证")).click()
    expect(phone.get_by_role("heading", name="上传整改佐证")).to_be_visible()
    phone.get_by_label("整改情况报告").fill("已更换3号冲床光电保护装置，拆除短接线，双手按钮恢复正常，经试车有效。")
    phone.locator("#id_proof-files_gallery").set_input_files(photos["proof"])
    expect(phone.locator(".field-files .file-list")).to_contain_text("rectified.png")
    check_phone_layout(phone)
    journey.shot(phone, "enterprise-phone-proof-form")
    phone.get_by_role("button", name="提交整改佐证").click()
    message(phone, "整改佐证已提交，等待复查。")
    expect(phone.locator(".alert", has_text="整改佐证已提交，等待管委会执法人员复查。")).to_be_visible()
    history = phone.locator("ul.history")
    expect(history).to_contain_text("已更换3号冲床光电保护装置")
    expect(history.locator("img")).to_have_count(1)
    check_phone_layout(phone)
    journey.shot(phone, "enterprise-phone-proof-submitted")

    # 6. inspector2 re-inspects with the inspector: the item passes.
    page = journey.login("inspector2")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="部室待办").click()
    expect(queue_row(page, "整改复查")).to_be_visible()
    journey.shot(page, "inspector2-queue-reinspect")
    open_task_from_case(page, case_url, "整改复查")
    row = page.locator(".decision-row")
    expect(row).to_contain_text("已更换3号冲床光电保护装置")
    row.get_by_label("合格", exact=True).check()
    row.get_by_label("复查意见").fill("光电保护装置已恢复，双手按钮有效，整改到位。")
    page.get_by_label("王立新（安全生产部）").check()
    page.get_by_label("复查情况").fill("两名执法人员现场逐项复查。")
    journey.shot(page, "inspector2-reinspect-form")
    page.get_by_role("button", name="提交复查结论").click()
    message(page, "复查已记录，整改复查意见书已制发。")
    expect(hazard_item(page).locator(".badge.state-closure_review")).to_have_text("复查合格，待销号")
    expect(notices(page).filter(has_text="整改复查意见书")).to_have_count(1)
    expect(page.locator("ul.tasks > li", has_text="销号审批")).to_contain_text("由其他人员办理")
    journey.shot(page, "inspector2-reinspected")

    # 7. The closure of a MAJOR hazard is the leader in charge's: the office head may not approve it.
    page = journey.login("officehead")
    page.goto(case_url)
    expect(page.locator("ul.tasks > li", has_text="销号审批")).to_contain_text("由其他人员办理")

    page = journey.login("supervisor")
    expect(page).to_have_url(re.compile(r"/workflow/queue/"))
    expect(queue_row(page, "销号审批")).to_be_visible()
    journey.shot(page, "supervisor-queue-closure")
    open_task_from_case(page, case_url, "销号审批")
    expect(page.locator(".decision-row")).to_contain_text("光电保护装置已恢复")
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("意见").fill("同意销号。")
    journey.shot(page, "supervisor-approve-closure")
    page.get_by_role("button", name="提交审批意见").click()
    message(page, "销号审批已完成。")
    expect(page.locator(".page-head .badge")).to_have_text("已销号")
    expect(hazard_item(page).locator(".badge.state-closed")).to_have_text("已销号")
    expect(notices(page)).to_contain_text(["隐患整改销号审批表"])
    expect(page.locator("ul.tasks")).to_have_count(0)
    journey.shot(page, "supervisor-case-closed")

    # The closure form downloads as a PDF.
    closure = Notice.objects.get(inspection=case, kind="closure_approval")
    pdf = page.request.get(f"/notices/{closure.pk}/pdf/")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"

    # 8. The enterprise sees on its phone that the item is closed.
    phone = journey.login("enterprise", PHONE)
    expect(phone.get_by_role("heading", name="需要办理的整改（0 项）")).to_be_visible()
    expect(phone.locator(".doc-kind", has_text="隐患整改销号审批表")).to_be_visible()
    journey.shot(phone, "enterprise-phone-portal-all-done")
    phone.locator(".doc-list").get_by_role("link", name=re.compile("机加工车间及配电房")).click()
    expect(phone.get_by_role("heading", level=1, name=re.compile("现场检查"))).to_be_visible()
    expect(phone.locator(".page-head .badge")).to_have_text("已销号")
    expect(phone.locator(".doc-kind")).to_have_count(5)
    check_phone_layout(phone)
    journey.shot(phone, "enterprise-phone-case-closed")
    phone.get_by_role("link", name=re.compile("第 1 项")).click()
    expect(phone.locator(".alert.success")).to_contain_text("销号，整改完毕。")
    check_phone_layout(phone)
    journey.shot(phone, "enterprise-phone-hazard-closed")

    case.refresh_from_db()
    assert case.state == "closed"
    assert set(Notice.objects.filter(inspection=case).values_list("kind", flat=True)) == {
        "inspection_record", "rectification_order", "onsite_measures", "reinspection_opinion",
        "closure_approval"}


def test_dates_come_prefilled_in_the_date_pickers(journey):
    """An <input type=date> only takes 2026-11-29: a date rendered the zh-hans way (2026/11/29) shows as empty, and
    the required 检查日期 then blocks the form until the inspector types today's date."""
    from hazards import services
    from tests import factories as f

    case = f.inspection()
    page = journey.login("inspector")
    page.goto("/cases/new/")
    journey.shot(page, "new-case-form-as-opened")
    expect(page.get_by_label("检查日期")).to_have_value(timezone.localdate().isoformat(), timeout=2000)
    page.goto(f"/cases/{case.pk}/hazards/new/")
    journey.shot(page, "hazard-form-as-opened")
    expect(page.get_by_label("整改期限")).to_have_value(services.default_deadline().date.isoformat(), timeout=2000)


def test_queue_claims_open_the_projects_own_page_without_viewflows_styles(journey):
    """viewflow's frontend navigates with Turbo Drive: the task page reached by 认领并办理 must still be a full page
    load, not the project's body merged under viewflow's stylesheets and scripts."""
    from tests import factories as f

    f.submitted()
    page = journey.login("officehead")
    queue_row(page, "审批整改指令").get_by_role("link").first.click()
    page.get_by_role("button", name="认领并办理").click()
    expect(page.get_by_role("heading", level=1, name="审批整改指令")).to_be_visible()
    journey.shot(page, "task-page-after-claim")
    viewflow_assets = page.locator("link[href*='/static/viewflow/'], script[src*='/static/viewflow/']")
    expect(viewflow_assets).to_have_count(0, timeout=2000)


# --- real-name supervision (实名制监管) -----------------------------------------------------------------------------

def red(locator):
    """The row is painted red (the overdue background), not just marked with a class."""
    return locator.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(253, 236, 236)"


def no_sideways_scroll(page):
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the {page.viewport_size['width']}px screen"


@pytest.fixture
def supervision_demo(journey):
    from supervision.demo import load_supervision

    assert load_supervision() > 0
    return journey


def test_supervision_a_leader_reads_the_duty_tables_a_person_and_the_excel_export(supervision_demo, tmp_path):
    from openpyxl import load_workbook

    from supervision import periods

    journey = supervision_demo
    today = timezone.localdate()
    page = journey.login("supervisor")
    expect(page).to_have_url(re.compile(r"/workflow/queue/"))  # a leader lands on viewflow's queue, without the nav
    page.get_by_role("link", name="案件", exact=True).click()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="实名制监管").click()
    expect(page).to_have_url(re.compile(r"/supervision/$"))
    expect(page.get_by_role("heading", level=1, name="履职看板")).to_be_visible()
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="实名制监管")).to_have_attribute(
        "aria-current", "page")
    for kind, label in (("month", "本月"), ("quarter", "本季度"), ("half_year", "本半年")):
        table = page.locator(f"#period-{kind}")
        expect(table.get_by_role("heading", name=re.compile(f"^{label}（"))).to_be_visible()
        expect(table.locator("tbody tr").first).to_be_visible()
    expect(page.locator("figure.duty-chart svg")).to_be_visible()
    # the periods just ended: the demo's 陈煦龙 skipped his report of the last quarter
    late = page.locator("section", has=page.get_by_role("heading", name="上一期逾期未履职")).locator("tr.is-overdue")
    expect(late.first).to_be_visible()
    assert red(late.first)
    journey.shot(page, "supervisor-dashboard")

    # the same tables on the last day of the previous quarter: that quarter's unkept duties are red
    _start, quarter_end = periods.previous(periods.QUARTER, today)
    page.get_by_label("查看日期").fill(quarter_end.isoformat())
    page.get_by_role("button", name="查看").click()
    expect(page).to_have_url(re.compile(r"on=" + quarter_end.isoformat()))
    quarter = page.locator("#period-quarter")
    overdue = quarter.locator("tr.is-overdue")
    expect(overdue.first).to_be_visible()
    assert red(overdue.first)
    report = overdue.filter(has_text="每季度向主要负责人专题汇报1次履职情况").filter(has_text="陈煦龙")
    expect(report.locator(".badge.duty-overdue")).to_have_text("逾期未履职")
    journey.shot(page, "supervisor-dashboard-last-quarter")

    # one person's year, with the duty he left undone
    report.get_by_role("link", name="陈煦龙").click()
    expect(page).to_have_url(re.compile(r"/supervision/people/\d+/$"))
    expect(page.get_by_role("heading", level=1, name="陈煦龙（其他分管负责人）")).to_be_visible()
    expect(page.locator("tr.is-overdue", has_text="每季度向主要负责人专题汇报1次履职情况").first).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("逾期未履职")
    journey.shot(page, "supervisor-person")

    # the Excel export of the dashboard as it was looked at
    page.go_back()
    with page.expect_download() as info:
        page.get_by_role("link", name="导出Excel").click()
    download = info.value
    assert download.suggested_filename == f"实名制监管履职情况_{quarter_end.isoformat()}.xlsx"
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    assert path.read_bytes()[:2] == b"PK"
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["本月", "本季度", "本半年", "逾期"]
    sheet = workbook["本季度"]
    assert [c.value for c in sheet[1]][:3] == ["责任人", "所在部室", "职责"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    unkept = [r for r in rows if r[0] == "陈煦龙" and r[2] == "每季度向主要负责人专题汇报1次履职情况"]
    assert len(unkept) == 1 and unkept[0][8] == "逾期未履职"
    assert any(r[8] == "已履职" for r in rows)
    assert any(r[0] == "陈煦龙" for r in [[c.value for c in row] for row in workbook["逾期"].iter_rows(min_row=2)])


def test_supervision_three_persons_proposed_approved_and_printed_on_the_board(journey):
    from tests import factories as f

    hengda = f.enterprise()
    enterprise_url = f"/supervision/enterprises/{hengda.pk}/"
    # 1. The head of 安全生产部 proposes the three persons of 恒达机械 through the form.
    page = journey.login("officehead")
    page.goto("/supervision/enterprises/?all=1")
    page.get_by_role("link", name=HENGDA).click()
    expect(page).to_have_url(re.compile(re.escape(enterprise_url) + "$"))
    expect(page.get_by_role("heading", level=1, name=HENGDA)).to_be_visible()
    expect(page.locator(".page-head")).to_contain_text("非重点管控")
    page.get_by_role("link", name="确定三个责任人").click()
    expect(page.get_by_role("heading", level=1, name="确定与调整三个责任人")).to_be_visible()
    expect(page.get_by_label("确定三个责任人（列入重点管控）")).to_be_checked()
    page.get_by_label("行政负责人（园区领导）").select_option(label="黄国栋（分管安全生产负责人）")
    page.get_by_label("行业监管部门负责人（部室负责人）").select_option(label="刘建华（安全生产部）")
    page.get_by_label("企业（单位）责任人姓名").fill("李国强")
    page.get_by_label("企业（单位）责任人职务").fill("总经理")
    page.get_by_label("企业（单位）责任人电话").fill("13896520001")
    page.get_by_label("理由").fill("涉及有限空间作业，列入园区重点管控企业")
    journey.shot(page, "officehead-propose")
    page.get_by_role("button", name="提交审批").click()
    message(page, "已提交，等待主要负责人或分管安全生产负责人审批。")
    pending = page.locator("section.card", has=page.get_by_role("heading", name="待审批的责任人确定与调整"))
    expect(pending).to_contain_text("待主要负责人或分管安全生产负责人审批")  # not his to approve
    journey.shot(page, "officehead-proposed")

    # 2. The principal leader finds the task in his queue, claims it and approves it.
    page = journey.login("xiaopeiming")
    page.goto("/workflow/queue/")
    row = queue_row(page, "审批三个责任人")
    expect(row).to_be_visible()
    journey.shot(page, "xiaopeiming-queue")
    row.get_by_role("link").first.click()
    page.get_by_role("button", name="认领并办理").click()
    expect(page).to_have_url(re.compile(r"/tasks/\d+/$"))
    expect(page.get_by_role("heading", level=1, name="审批三个责任人")).to_be_visible()
    compare = page.locator("table.compare")
    for name in ("黄国栋", "刘建华", "李国强"):
        expect(compare).to_contain_text(name)
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("说明").fill("同意，挂牌公示。")
    journey.shot(page, "xiaopeiming-approve")
    page.get_by_role("button", name="提交审批意见").click()
    message(page, "已批准，责任人自生效日期起任职，公示牌已制发。")

    # 3. The enterprise page shows the three persons and the new board.
    expect(page).to_have_url(re.compile(re.escape(enterprise_url) + "(#decision)?$"))
    expect(page.locator(".page-head")).to_contain_text("重点管控")
    current = page.locator("section.card", has=page.get_by_role("heading", name="三个责任人（现任）"))
    for role, name in (("行政负责人", "黄国栋"), ("行业监管部门负责人", "刘建华"), ("企业（单位）责任人", "李国强")):
        expect(current.locator(".person-slot", has_text=role)).to_contain_text(name)
    board_link = page.get_by_role("link", name="公示牌（PDF）")
    expect(board_link).to_be_visible()
    expect(page.locator(".doc-list")).to_contain_text("正阳园安公示〔")
    journey.shot(page, "xiaopeiming-approved")
    pdf = page.request.get(board_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    text = f.pdf_text(pdf.body()).replace(" ", "").replace("\n", "")
    for name in ("黄国栋", "刘建华", "李国强", HENGDA):
        assert name in text, name


def test_supervision_batch_print_of_the_boards(journey, tmp_path):
    from pypdf import PdfReader

    from tests import factories as f
    from tests.supervision import builders as b

    b.designate()
    b.designate(f.enterprise(f.XINCAILIAO), admin="xiaopeiming", person="王建军", phone="13800000002")
    page = journey.login("inspector")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="实名制监管").click()
    page.locator("nav.subnav").get_by_role("link", name="公示牌").click()
    expect(page).to_have_url(re.compile(r"/supervision/boards/$"))
    expect(page.get_by_role("heading", level=1, name="重点管控企业“三个责任人”公示牌")).to_be_visible()
    expect(page.locator("table.data tbody tr")).to_have_count(2)
    expect(page.get_by_text("将全部 2 块现行公示牌合并为一个 PDF 文件")).to_be_visible()
    page.get_by_label("A4（横向）").check()
    journey.shot(page, "inspector-boards")
    page.get_by_role("button", name="开始批量打印").click()
    expect(page).to_have_url(re.compile(r"/supervision/boards/batches/\d+/$"))
    expect(page.get_by_role("heading", level=1, name="公示牌批量打印")).to_be_visible()
    expect(page.locator("#batch-percent")).to_have_text("100%")
    expect(page.locator("#batch-state")).to_have_text("已完成")
    expect(page.locator("#batch-bar")).to_have_attribute("value", "100")
    download_link = page.get_by_role("link", name="下载打印文件（PDF）")
    expect(download_link).to_be_visible()
    journey.shot(page, "inspector-batch-done")
    response = page.request.get(download_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    path = tmp_path / "boards.pdf"
    path.write_bytes(response.body())
    reader = PdfReader(path)
    assert len(reader.pages) == 2  # one page per board
    text = "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")
    assert HENGDA in text and f.XINCAILIAO in text and "王建军" in text
    # the batch is listed on the boards page
    page.get_by_role("link", name="返回公示牌列表").click()
    expect(page.locator("table.data", has_text="发起人").locator("tbody tr").first).to_contain_text("已完成")


def test_supervision_an_enterprise_sees_its_own_grade_and_persons_but_not_the_staff_pages(journey):
    from enterprises import services as ent_services
    from tests import factories as f
    from tests.supervision import builders as b

    hengda = f.enterprise()
    ent_services.grade_set(user=f.user("officehead"), enterprise=hengda, grade="yellow",
                           reason="涉及有限空间作业，冲压、剪切设备较多", set_on=timezone.localdate())
    b.designate(hengda)
    b.designate(f.enterprise(f.XINCAILIAO), person="王建军", phone="13800000002")
    for device in (DESKTOP, PHONE):
        page = journey.login("enterprise", device)
        nav = page.get_by_role("navigation", name="主导航")
        expect(nav.get_by_role("link", name="实名制监管")).to_have_count(0)
        nav.get_by_role("link", name="三个责任人").click()
        expect(page).to_have_url(re.compile(r"/portal/supervision/$"))
        expect(nav.get_by_role("link", name="三个责任人")).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", level=1, name="三个责任人与风险等级")).to_be_visible()
        expect(page.locator(".badge.grade-yellow")).to_have_text("黄色（一般风险）")
        people = page.locator(".people-list")
        for role, name in (("行政负责人", "黄国栋"), ("行业监管部门负责人", "刘建华"), ("企业（单位）责任人", "李国强")):
            expect(people.locator(".person-slot", has_text=role)).to_contain_text(name)
        expect(page.locator("main")).not_to_contain_text("王建军")  # not the other enterprise's
        expect(page.get_by_role("link", name="下载公示牌（PDF）")).to_be_visible()
        if device is PHONE:
            no_sideways_scroll(page)
        journey.shot(page, f"enterprise-portal-{'phone' if device is PHONE else 'desktop'}")

        response = page.goto("/supervision/")
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_contain_text("无权")
        journey.shot(page, "enterprise-403")


def test_supervision_pages_fit_a_phone_screen(supervision_demo):
    from enterprises.models import Enterprise

    journey = supervision_demo
    hengda = Enterprise.objects.get(name=HENGDA)
    page = journey.login("supervisor", PHONE)
    page.goto("/supervision/")
    expect(page.get_by_role("heading", level=1, name="履职看板")).to_be_visible()
    no_sideways_scroll(page)
    journey.shot(page, "phone-dashboard")
    # wide tables scroll inside their own box: names and offices are not broken one character a line
    for cell in page.locator("table.summary-table tbody td:nth-child(-n+2)").all()[:6]:
        assert cell.evaluate("el => el.getClientRects().length === 1 && el.getBoundingClientRect().height < 48"), \
            cell.inner_text()
    # the chart's names stay legible on a phone
    scale = page.locator("figure.duty-chart svg").evaluate(
        "el => el.getBoundingClientRect().width / el.viewBox.baseVal.width")
    font = page.locator("figure.duty-chart .c-label").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert font * scale >= 10, f"the chart's names are {font * scale:.1f}px on a phone"
    for url in (f"/supervision/enterprises/{hengda.pk}/", "/supervision/boards/", "/supervision/overdue/",
                f"/supervision/enterprises/{hengda.pk}/plans/{timezone.localdate().year}/",
                "/supervision/visits/new/", "/supervision/presence/"):
        page.goto(url)
        no_sideways_scroll(page)
