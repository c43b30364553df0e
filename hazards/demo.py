"""The demo committee of the customer's notice (正阳园区管委发〔2023〕15号): offices, leaders, sectors,
enterprises, accounts, and cases in every state of the loop, made through the real services."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from enterprises.models import Enterprise, EnterpriseUser, Sector
from enterprises.validators import uscc_check_character
from workflow.models import Office, Staff

DEMO_PASSWORD = "zhengyang2026"

OFFICES = [
    ("党政办", "党"), ("安全生产部", "安"), ("规划建设部", "规"), ("财政财务部", "财"),
    ("法制办", "法"), ("高新技术产业部", "高"), ("企业服务中心", "企"), ("经济运行部", "经"),
]

SECTORS = [
    ("hazardous_chemicals", "危险化学品", "安全生产部"),
    ("industry_trade", "工贸", "安全生产部"),
    ("confined_space", "有限空间", "安全生产部"),
    ("combustible_dust", "粉尘涉爆", "安全生产部"),
    ("fire", "消防", "安全生产部"),
    ("construction", "建设施工", "规划建设部"),
    ("gas", "燃气", "规划建设部"),
    ("special_equipment", "特种设备", "经济运行部"),
]

# username, name, leader role, portfolio (annex 2 of the seed: 肖培明 principal, 黄国栋 safety)
LEADERS = [
    ("xiaopeiming", "肖培明", Staff.LeaderRole.PRINCIPAL, []),
    ("supervisor", "黄国栋", Staff.LeaderRole.SAFETY, ["安全生产部", "规划建设部"]),
    ("dengbo", "邓波", Staff.LeaderRole.OTHER, ["党政办", "法制办"]),
    ("dingronghua", "丁荣华", Staff.LeaderRole.OTHER, ["高新技术产业部"]),
    ("lidezhong", "李德重", Staff.LeaderRole.OTHER, ["企业服务中心"]),
    ("chenxulong", "陈煦龙", Staff.LeaderRole.OTHER, ["财政财务部", "经济运行部"]),
]

# username, name, office, head?, badge
OFFICERS = [
    ("inspector", "王立新", "安全生产部", False, "渝应急执 500114001"),
    ("inspector2", "陈思远", "安全生产部", False, "渝应急执 500114002"),
    ("inspector3", "何静", "安全生产部", False, "渝应急执 500114003"),
    ("officehead", "刘建华", "安全生产部", True, "渝应急执 500114000"),
    ("builder", "赵明", "规划建设部", False, "渝建执 500114011"),
    ("builder2", "吴磊", "规划建设部", False, "渝建执 500114012"),
    ("buildhead", "孙伟", "规划建设部", True, "渝建执 500114010"),
    ("legal", "周敏", "法制办", False, "渝法审 500114021"),
    ("legalhead", "郑洁", "法制办", True, "渝法审 500114020"),
]


def make_uscc(body17):
    return body17 + uscc_check_character(body17)


# name, uscc body (17 chars), sectors, address, legal rep, person in charge, employees
ENTERPRISES = [
    ("重庆市黔江区恒达机械制造有限公司", "91500114MA5U7K3L0", ["industry_trade", "confined_space"], "正阳工业园区标准厂房A3栋", "李国强", "李国强", 186),
    ("重庆正阳新材料科技有限公司", "91500114MA60J4R21", ["hazardous_chemicals"], "正阳工业园区化工集中区8号", "张慧", "王建军", 97),
    ("重庆黔江金鑫铝业有限公司", "91500114MA5YQ2B88", ["industry_trade", "combustible_dust"], "正阳工业园区冶金路18号", "杨帆", "杨帆", 240),
    ("重庆武陵山食品有限公司", "91500114MA61AB7X3", ["industry_trade", "confined_space"], "正阳工业园区食品产业园2号", "田晓东", "田晓东", 132),
    ("重庆正阳建工集团有限公司", "91500114MA5XH0C91", ["construction"], "正阳工业园区园区大道66号", "冉志刚", "冉志刚", 410),
    ("重庆黔江天然气有限责任公司", "91500114MA5WLM2T6", ["gas"], "正阳工业园区能源路3号", "罗斌", "向东", 58),
    ("重庆正阳纺织服饰有限公司", "91500114MA60PQ8N5", ["industry_trade", "fire"], "正阳工业园区轻纺园5号", "周丽", "周丽", 520),
    ("重庆黔江电子科技有限公司", "91500114MA61CD3H7", ["industry_trade", "fire"], "正阳工业园区电子产业园C1栋", "龚伟", "龚伟", 310),
    ("重庆正阳医药化工有限公司", "91500114MA5Y8E6J2", ["hazardous_chemicals", "confined_space"], "正阳工业园区化工集中区12号", "谭明", "谭明", 143),
    ("重庆黔江起重设备有限公司", "91500114MA60RT4K0", ["special_equipment", "industry_trade"], "正阳工业园区装备园9号", "彭涛", "彭涛", 76),
    ("重庆正阳木业有限公司", "91500114MA61EF5M8", ["industry_trade", "combustible_dust"], "正阳工业园区木材加工区4号", "石勇", "石勇", 88),
    ("重庆武陵仓储物流有限公司", "91500114MA5YTU1P4", ["fire", "hazardous_chemicals"], "正阳工业园区物流园1号", "冯雪", "冯雪", 64),
]

ENTERPRISE_USERS = [
    ("enterprise", "李国强", "重庆市黔江区恒达机械制造有限公司"),
    ("enterprise2", "王建军", "重庆正阳新材料科技有限公司"),
]


def _user(username, *, first_name="", is_staff=False, is_superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={
        "first_name": first_name, "is_staff": is_staff, "is_superuser": is_superuser})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def load_committee():
    """Offices, sectors, leaders, officers, enterprises and accounts (idempotent)."""
    offices = {}
    for order, (name, abbreviation) in enumerate(OFFICES):
        offices[name], _ = Office.objects.get_or_create(name=name, defaults={
            "abbreviation": abbreviation, "order": order, "is_legal_office": name == "法制办"})
    sectors = {}
    for code, name, office in SECTORS:
        sectors[code], _ = Sector.objects.get_or_create(code=code, defaults={"name": name, "office": offices[office]})
    for username, name, role, portfolio in LEADERS:
        staff, _ = Staff.objects.get_or_create(user=_user(username, first_name=name),
                                               defaults={"full_name": name, "leader_role": role})
        staff.portfolio.set([offices[o] for o in portfolio])
    for username, name, office, head, badge in OFFICERS:
        Staff.objects.get_or_create(user=_user(username, first_name=name), defaults={
            "full_name": name, "office": offices[office], "is_office_head": head, "badge_number": badge})
    enterprises = {}
    for index, (name, body, sector_codes, address, rep, pic, employees) in enumerate(ENTERPRISES):
        enterprise, created = Enterprise.objects.get_or_create(name=name, defaults={
            "uscc": make_uscc(body), "address": address, "legal_representative": rep, "person_in_charge": pic,
            "contact_person": pic, "contact_phone": f"023-7923{1001 + index}", "employees": employees})
        if created:
            enterprise.sectors.set([sectors[c] for c in sector_codes])
        enterprises[name] = enterprise
    for username, name, enterprise in ENTERPRISE_USERS:
        EnterpriseUser.objects.get_or_create(user=_user(username, first_name=name), defaults={
            "enterprise": enterprises[enterprise], "full_name": name})
    _user("admin", first_name="系统管理员", is_staff=True, is_superuser=True)
    return offices, sectors, enterprises


def demo_accounts():
    return [
        ("inspector", "王立新 · 安全生产部执法人员"), ("inspector2", "陈思远 · 安全生产部执法人员"),
        ("officehead", "刘建华 · 安全生产部部长"), ("buildhead", "孙伟 · 规划建设部部长"),
        ("supervisor", "黄国栋 · 分管安全生产负责人"), ("xiaopeiming", "肖培明 · 主要负责人"),
        ("legal", "周敏 · 法制办"), ("enterprise", "李国强 · 恒达机械（企业用户）"),
        ("enterprise2", "王建军 · 正阳新材料（企业用户）"), ("admin", "系统管理员"),
    ]


def demo_photo(label="photo", color=(200, 60, 40)):
    """A small real PNG, for evidence in the demo and the tests."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (235, 235, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 40, 280, 200], outline=color, width=6)
    draw.line([40, 200, 280, 40], fill=color, width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{label}.png", buffer.getvalue(), content_type="image/png")


def _users(*names):
    User = get_user_model()
    found = {u.username: u for u in User.objects.filter(username__in=names)}
    return [found[n] for n in names]


def _plan_task_id(hazard):
    from workflow.engine import open_human_task

    from .flows import PlanFlow

    return open_human_task(hazard.plans.order_by("-id").first().process, PlanFlow.approve_plan).pk


def _task_id(inspection, node):
    from workflow.engine import open_human_task

    return open_human_task(inspection.process, node).pk


HAZARD_TEXTS = [
    ("有限空间作业未执行“先通风、再检测、后作业”，作业现场无监护人员", "污水处理池", "confined_space",
     "《工贸企业有限空间作业安全规定》第十三条"),
    ("配电箱未设置漏电保护装置，箱门未上锁，线路私拉乱接", "机加工车间", "industry_trade",
     "《低压配电设计规范》GB 50054-2011 第5.1条"),
    ("安全出口被成品货物堵塞，疏散通道宽度不足1.4米", "成品仓库", "fire", "《中华人民共和国消防法》第二十八条"),
    ("除尘系统未采用防爆型电气设备，未设置泄爆装置", "抛光车间", "combustible_dust",
     "《工贸企业粉尘防爆安全规定》第十四条"),
    ("危险化学品储罐区可燃气体报警仪失效，未定期检定", "储罐区", "hazardous_chemicals",
     "《危险化学品安全管理条例》第二十条"),
    ("从业人员未经安全生产教育和培训即上岗作业", "冲压车间", "industry_trade", "《中华人民共和国安全生产法》第二十八条"),
    ("冲压机光电保护装置被拆除，双手按钮被短接", "冲压车间", "industry_trade",
     "《机械安全 防护装置 固定式和活动式防护装置的设计与制造一般要求》GB/T 8196"),
]

MAJOR_TEXT = ("涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能", "氯化反应车间",
              "hazardous_chemicals", "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第七条")


def _open_case(enterprise, lead, co, hazards, *, major=False, representative=None, signature="signed", days_ago=0):
    from . import services

    codes = [h[2] for h in hazards] + ([MAJOR_TEXT[2]] if major else [])
    sector = enterprise.sectors.filter(code__in=codes).first() or enterprise.sectors.first()
    inspection = services.inspection_create(
        user=lead, enterprise=enterprise, sector=sector, inspectors=[lead, co],
        place=enterprise.address, enterprise_representative=representative or enterprise.person_in_charge,
        inspected_on=timezone.localdate() - datetime.timedelta(days=days_ago), signature=signature,
        refusal_note="" if signature == "signed" else "现场负责人以需请示董事长为由拒绝签字，由两名执法人员在场见证",
        summary="对企业安全生产主体责任落实情况、重点部位和关键环节开展现场检查。",
    )
    for text, location, sector_code, basis in hazards:
        services.hazard_add(user=lead, inspection=inspection, description=text, location=location,
                            sector=Sector.objects.get(code=sector_code), level="general", legal_basis=basis,
                            photos=[demo_photo("finding")])
    if major:
        text, location, sector_code, basis = MAJOR_TEXT
        services.hazard_add(user=lead, inspection=inspection, description=text, location=location,
                            sector=Sector.objects.get(code=sector_code), level="major", legal_basis=basis,
                            measures="责令氯化反应装置立即停止运行，撤出作业人员，设置警戒区域",
                            photos=[demo_photo("major")])
    return inspection


def load_cases():
    """Cases in every state of the loop, each made through the services as the real people would."""
    from . import services
    from .flows import RectificationFlow
    from .models import Hazard, Inspection

    if Inspection.objects.exists():
        return 0
    inspector, inspector2, head, supervisor, builder, builder2 = _users(
        "inspector", "inspector2", "officehead", "supervisor", "builder", "builder2")
    ent_user, ent2_user = _users("enterprise", "enterprise2")
    e = {x.name: x for x in Enterprise.objects.all()}
    hengda, xincailiao = e["重庆市黔江区恒达机械制造有限公司"], e["重庆正阳新材料科技有限公司"]
    T = HAZARD_TEXTS

    def approve(inspection):
        services.order_decide(user=head, task_id=_task_id(inspection, RectificationFlow.approve_order), approve=True,
                              comment="同意")

    def proof(user, hazard):
        services.proof_submit(user=user, hazard=hazard, report="已按要求完成整改，附整改后照片。",
                              files=[demo_photo("proof", (40, 140, 60))])

    def reinspect(inspection, results, by=inspector2, co=inspector):
        services.reinspection_record(user=by, task_id=_task_id(inspection, RectificationFlow.reinspect),
                                     co_inspectors=[co], results=results, notes="逐项现场复查。")

    # 1. a draft being recorded
    _open_case(e["重庆黔江金鑫铝业有限公司"], inspector, inspector2, [T[3]])
    # 2. waiting for the office head to approve the order (the record refused signature)
    c2 = _open_case(e["重庆武陵山食品有限公司"], inspector2, inspector, [T[0], T[5]], signature="refused")
    services.inspection_submit(user=inspector2, inspection=c2)
    # 3. the enterprise's open case: rectifying, one item already overdue, one with an extension pending
    c3 = _open_case(hengda, inspector, inspector2, [T[1], T[6], T[0]], days_ago=12)
    services.inspection_submit(user=inspector, inspection=c3)
    approve(c3)
    h1, h2, h3 = c3.hazards.order_by("number")
    Hazard.objects.filter(pk=h1.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    services.extension_request(user=ent_user, hazard=h2, requested_deadline=h2.deadline + datetime.timedelta(days=15),
                               reason="需采购的光电保护装置到货周期较长，申请延期。")
    # 4. proof submitted for everything: waiting for re-inspection
    c4 = _open_case(hengda, inspector2, inspector, [T[2]], days_ago=6)
    services.inspection_submit(user=inspector2, inspection=c4)
    approve(c4)
    proof(ent_user, c4.hazards.get())
    # 5. a failed re-inspection sent back to rectification, and a passed item waiting for closure
    c5 = _open_case(e["重庆黔江电子科技有限公司"], inspector, inspector2, [T[1], T[2]], days_ago=20)
    services.inspection_submit(user=inspector, inspection=c5)
    approve(c5)
    # the enterprise of c5 has no demo login: its proof is entered by an account created for it
    ent5 = _enterprise_login("dianzi", "龚伟", c5.enterprise)
    for hazard in c5.hazards.all():
        proof(ent5, hazard)
    a, b = c5.hazards.order_by("number")
    reinspect(c5, {a.pk: (True, "已安装漏电保护器，线路已规范。", None), b.pk: (False, "通道仍有货物堆放。", None)})
    # 6. major hazard waiting for the governance plan (enterprise2), and on-site measures issued
    c6 = _open_case(xincailiao, inspector, inspector2, [T[4]], major=True, days_ago=3)
    services.inspection_submit(user=inspector, inspection=c6)
    approve(c6)
    # 7. major hazard: plan approved, rectified, re-inspected: closure waits for the leader in charge
    c7 = _open_case(e["重庆正阳医药化工有限公司"], inspector2, inspector, [], major=True, days_ago=30)
    services.inspection_submit(user=inspector2, inspection=c7)
    approve(c7)
    ent7 = _enterprise_login("yiyao", "谭明", c7.enterprise)
    major = c7.hazards.get()
    services.plan_submit(user=ent7, hazard=major, goal_and_tasks="实现氯化反应装置自动化控制和紧急停车。",
                         methods_and_measures="委托设计单位完成自动化改造设计，加装SIS系统。",
                         funds_and_materials="安排专项资金120万元。", organisation_and_people="总经理谭明牵头，设备部实施。",
                         time_limit=timezone.localdate() + datetime.timedelta(days=40),
                         safety_and_emergency="改造期间装置停用，制定专项应急预案并演练。")
    services.plan_decide(user=head, task_id=_plan_task_id(major),
                         decisions={major.pk: (True, "方案可行，同意实施。")})
    proof(ent7, major)
    reinspect(c7, {major.pk: (True, "自动化控制及紧急停车系统已投用，经测试有效。", None)})
    # 8. a general case closed by the office head
    c8 = _open_case(e["重庆正阳纺织服饰有限公司"], inspector, inspector2, [T[2], T[5]], days_ago=40)
    services.inspection_submit(user=inspector, inspection=c8)
    approve(c8)
    ent8 = _enterprise_login("fangzhi", "周丽", c8.enterprise)
    for hazard in c8.hazards.all():
        proof(ent8, hazard)
    reinspect(c8, {h.pk: (True, "整改到位。", None) for h in c8.hazards.all()})
    services.closure_decide(user=head, task_id=_task_id(c8, RectificationFlow.approve_closure),
                            decisions={h.pk: (True, "同意销号。") for h in c8.hazards.all()})
    # 9. nothing to rectify: one item fixed on the spot, archived
    c9 = _open_case(e["重庆武陵仓储物流有限公司"], inspector2, inspector, [])
    services.hazard_add(user=inspector2, inspection=c9, description="灭火器压力不足", location="1号仓库",
                        sector=Sector.objects.get(code="fire"), level="general",
                        legal_basis="《中华人民共和国消防法》第十六条", fixed_on_spot=True,
                        photos=[demo_photo("finding")], fix_photos=[demo_photo("fixed", (40, 140, 60))])
    services.inspection_submit(user=inspector2, inspection=c9)
    # 10. a construction site of 规划建设部, order waiting for its head
    c10 = _open_case(e["重庆正阳建工集团有限公司"], builder, builder2,
                     [("脚手架连墙件缺失，剪刀撑设置不连续", "3号楼施工现场", "construction",
                       "《建筑施工扣件式钢管脚手架安全技术规范》JGJ 130")])
    services.inspection_submit(user=builder, inspection=c10)
    return Inspection.objects.count()


def _enterprise_login(username, name, enterprise):
    user = _user(username, first_name=name)
    EnterpriseUser.objects.get_or_create(user=user, defaults={"enterprise": enterprise, "full_name": name})
    return user


PENALTY_STAGES = ["proposed", "filed", "investigating", "notified", "hearing", "legal_review", "deliberation",
                  "awaiting_decision", "decided", "served", "executing", "closed", "dropped"]


def _advance_penalty(case, target, *, serious=False):
    """Drive a penalty case through the real services up to `target` (periods are run out by backdating)."""
    from . import penalty_services as ps
    from .flows import PenaltyFlow
    from .models import PenaltyCase
    from workflow.engine import open_human_task

    inspector, inspector2, head, supervisor, legal = _users("inspector", "inspector2", "officehead", "supervisor",
                                                            "legal")
    party = case.enterprise.users.first().user
    today = timezone.localdate()

    def task(node):
        return open_human_task(PenaltyCase.objects.get(pk=case.pk).process, node).pk

    def state():
        return PenaltyCase.objects.get(pk=case.pk).state

    def run_out_periods():
        """The demo's notification is dated two weeks back, with its periods counted from that day."""
        from .penalty_rules import due

        notified_on = today - datetime.timedelta(days=14)
        current = PenaltyCase.objects.get(pk=case.pk)
        PenaltyCase.objects.filter(pk=case.pk).update(
            filed_on=notified_on - datetime.timedelta(days=10),
            decision_due=due(notified_on - datetime.timedelta(days=10), "decision_limit"),
            notified_on=notified_on, statement_due=due(notified_on, "statement_defence"),
            hearing_request_due=due(notified_on, "hearing_request") if current.hearing_rights else None)
        ps.penalty_deadlines_check()

    steps = PENALTY_STAGES
    if target == "dropped":
        ps.filing_decide(user=head, task_id=task(PenaltyFlow.approve_filing), approve=False,
                         comment="经核查，企业已在复查后两日内完成整改，违法行为轻微并及时改正，没有造成危害后果，不予立案")
        return
    if steps.index(target) >= steps.index("filed"):
        ps.filing_decide(user=head, task_id=task(PenaltyFlow.approve_filing), approve=True,
                         officers=[inspector, inspector2], comment="同意立案")
    if steps.index(target) >= steps.index("investigating"):
        code = "aqsf-101" if serious else "aqsf-102"
        ps.investigation_record(user=inspector, task_id=task(PenaltyFlow.investigate),
                                facts=case.facts or "经复查，该单位未按责令限期整改指令书的要求消除事故隐患。",
                                evidence="现场检查记录、责令限期整改指令书、整改复查意见书、现场照片、询问笔录",
                                provision=_provision(code), responsible_person=case.enterprise.person_in_charge,
                                complex_case=False)
    if target in ("filed", "investigating"):
        return
    if steps.index(target) >= steps.index("notified"):
        if serious:  # a major decision: hearing rights, legal review and collective deliberation
            ps.notification_issue(user=inspector, task_id=task(PenaltyFlow.notify), org_fine=100000)
        else:
            ps.notification_issue(user=inspector, task_id=task(PenaltyFlow.notify), org_fine=30000)
    if target == "notified":
        ps.statement_file(user=party, case=case, text="我公司已安排专人整改，恳请从轻处罚。")
        return
    if target == "hearing":
        ps.hearing_request(user=party, case=case, text="对罚款数额有异议，申请听证。")
        from workflow.calendar import add_working_days

        ps.hearing_schedule(user=inspector, case=case, hearing_on=add_working_days(today, 8).date, place="管委会三楼会议室")
        return
    if steps.index(target) >= steps.index("legal_review"):
        run_out_periods()
        ps.prepare_submit(user=inspector, task_id=task(PenaltyFlow.prepare_decision))
    if target == "legal_review":
        return
    if serious and steps.index(target) >= steps.index("deliberation"):
        ps.legal_review_decide(user=legal, task_id=task(PenaltyFlow.legal_review), approve=True,
                               opinion="事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。")
    if target == "deliberation":
        return
    if serious and steps.index(target) >= steps.index("awaiting_decision"):
        ps.deliberation_record(user=supervisor, task_id=task(PenaltyFlow.deliberate), participants="肖培明、黄国栋、邓波",
                               held_on=today, conclusion="同意按告知的内容作出行政处罚决定。")
    if target == "awaiting_decision":
        return
    fine = PenaltyCase.objects.get(pk=case.pk)
    ps.decision_make(user=supervisor, task_id=task(PenaltyFlow.decide), outcome="decide",
                     org_fine=fine.notified_org_fine, person_fine=fine.notified_person_fine,
                     suspension=fine.notified_suspension)
    if target == "decided":
        return
    ps.service_record(user=inspector, task_id=task(PenaltyFlow.serve), served_on=today, method="in_person",
                      recipient=case.enterprise.person_in_charge)
    if target == "served":
        return
    ps.disclosure_publish(user=inspector, task_id=task(PenaltyFlow.disclose))
    if target == "executing":
        return
    owed = PenaltyCase.objects.get(pk=case.pk).total_fine
    ps.payment_record(user=inspector, task_id=task(PenaltyFlow.record_payment), paid_on=today, amount=owed,
                      receipt="渝非税 5001142026" + str(case.pk).zfill(6))
    ps.closing_approve(user=head, task_id=task(PenaltyFlow.approve_closing), comment="执行完毕，同意结案。")
    assert state() == target, (state(), target)


def _provision(code):
    from .models import LegalProvision

    return LegalProvision.objects.get(code=code)


def load_penalties():
    """Penalty cases in every state, at enterprises that have demo logins where the party acts."""
    from . import penalty_services as ps
    from .models import PenaltyCase

    if PenaltyCase.objects.exclude(origin="reinspection_failed").exists():
        return 0
    inspector = _users("inspector")[0]
    plan = [
        ("重庆市黔江区恒达机械制造有限公司", "notified", False, "未按规定对冲压设备进行经常性维护、保养"),
        ("重庆正阳新材料科技有限公司", "hearing", True, "重大危险源未采取可靠的安全措施"),
        ("重庆市黔江区恒达机械制造有限公司", "closed", False, "未采取措施消除事故隐患（配电箱）"),
        ("重庆正阳新材料科技有限公司", "executing", True, "重大事故隐患排查治理情况未按照规定报告"),
        ("重庆正阳纺织服饰有限公司", "filed", False, "安全出口、疏散通道堵塞"),
        ("重庆黔江金鑫铝业有限公司", "investigating", False, "粉尘防爆设施未定期检测"),
        ("重庆武陵山食品有限公司", "legal_review", True, "有限空间作业未执行审批制度"),
        ("重庆正阳医药化工有限公司", "deliberation", True, "重大危险源未登记建档"),
        ("重庆黔江电子科技有限公司", "awaiting_decision", False, "消防设施未保持完好有效"),
        ("重庆正阳木业有限公司", "decided", False, "除尘系统未采用防爆型电气设备"),
        ("重庆市黔江区恒达机械制造有限公司", "served", False, "起重设备未定期检验"),
        ("重庆武陵仓储物流有限公司", "dropped", False, "仓库疏散指示标志缺失"),
    ]
    logins = {"重庆正阳纺织服饰有限公司": ("fangzhi", "周丽"), "重庆黔江金鑫铝业有限公司": ("jinxin", "杨帆"),
              "重庆武陵山食品有限公司": ("wulingshan", "田晓东"), "重庆正阳医药化工有限公司": ("yiyao", "谭明"),
              "重庆黔江电子科技有限公司": ("dianzi", "龚伟"), "重庆正阳木业有限公司": ("muye", "石勇"),
              "重庆黔江起重设备有限公司": ("qizhong", "彭涛"), "重庆武陵仓储物流有限公司": ("cangchu", "冯雪")}
    enterprises = {e.name: e for e in Enterprise.objects.all()}
    for name, target, serious, cause in plan:
        enterprise = enterprises[name]
        if name in logins:
            _enterprise_login(*logins[name], enterprise)
        case = ps.penalty_propose(user=inspector, enterprise=enterprise, cause=cause,
                                  facts=f"{timezone.localdate():%Y年%m月%d日}检查发现，该单位{cause}。",
                                  origin="inspection_finding")
        _advance_penalty(case, target, serious=serious)
    return len(plan)
