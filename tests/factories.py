"""Builders that drive the real services, so every test case sits in a state the loop can really reach."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Enterprise, Sector
from hazards import services
from hazards.demo import demo_photo
from hazards.flows import RectificationFlow
from workflow.engine import open_human_task

HENGDA = "重庆市黔江区恒达机械制造有限公司"
XINCAILIAO = "重庆正阳新材料科技有限公司"


def user(name):
    return get_user_model().objects.get(username=name)


def enterprise(name=HENGDA):
    return Enterprise.objects.get(name=name)


def photo(name="photo"):
    return demo_photo(name)


def pdf_file(name="report.pdf"):
    from weasyprint import HTML

    return SimpleUploadedFile(name, HTML(string="<p>report</p>").write_pdf(), content_type="application/pdf")


def fake_image(name="fake.jpg"):
    return SimpleUploadedFile(name, b"this is not an image at all" * 10, content_type="image/jpeg")


def inspection(*, ent=None, lead="inspector", co="inspector2", sector="industry_trade"):
    return services.inspection_create(
        user=user(lead), enterprise=ent or enterprise(), sector=Sector.objects.get(code=sector),
        inspectors=[user(lead), user(co)], place="机加工车间", enterprise_representative="李国强",
    )


def hazard(case, *, level="general", deadline=None, description="配电箱未设置漏电保护装置", lead="inspector",
           sector="industry_trade", fixed=False):
    return services.hazard_add(
        user=user(lead), inspection=case, description=description, location="机加工车间",
        sector=Sector.objects.get(code=sector), level=level, legal_basis="《安全生产法》第三十六条",
        measures="责令停止使用相关设备" if level == "major" else "", deadline=deadline,
        photos=[photo("finding")], fixed_on_spot=fixed, fix_photos=[photo("fixed")] if fixed else [],
    )


def task_id(case, node):
    task = open_human_task(case.process, node)
    assert task is not None, f"no open {node.name} task"
    return task.pk


def plan_task_id(hazard):
    from hazards.flows import PlanFlow

    task = open_human_task(hazard.plans.order_by("-id").first().process, PlanFlow.approve_plan)
    assert task is not None, "no open plan approval task"
    return task.pk


def submitted(*, items=1, level="general", ent=None):
    case = inspection(ent=ent)
    for n in range(items):
        hazard(case, level=level if n == 0 else "general", description=f"隐患描述{n + 1}")
    services.inspection_submit(user=user("inspector"), inspection=case)
    case.refresh_from_db()
    return case


def ordered(**kwargs):
    case = submitted(**kwargs)
    services.order_decide(user=user("officehead"), task_id=task_id(case, RectificationFlow.approve_order),
                          approve=True, comment="同意")
    case.refresh_from_db()
    return case


def prove(case, who="enterprise"):
    for h in case.hazards.filter(state="rectifying"):
        services.proof_submit(user=user(who), hazard=h, report="已整改", files=[photo("proof")])


def reinspected(case, passed=True, by="inspector2", co="inspector"):
    results = {h.pk: (passed, "" if passed else "未整改到位", None)
               for h in services.hazards_due_for_reinspection(case)}
    services.reinspection_record(user=user(by), task_id=task_id(case, RectificationFlow.reinspect),
                                 co_inspectors=[user(co)], results=results)
    case.refresh_from_db()
    return case


def pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages)


def pdf_fonts(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object().get("/BaseFont")))
    return names


# --- penalty cases ------------------------------------------------------------------------------------------

def provision(code="aqsf-102"):
    from hazards.models import LegalProvision

    return LegalProvision.objects.get(code=code)


def failed_case():
    """A rectification case whose re-inspection failed: a penalty case is proposed automatically."""
    case = ordered(items=1)
    prove(case)
    reinspected(case, passed=False)
    return case.penalty_cases.get()


def penalty_task(case, node):
    from workflow.engine import open_human_task

    task = open_human_task(case.process, node)
    assert task is not None, f"no open {node.name} task"
    return task.pk


def filed(case=None):
    from hazards import penalty_services as ps
    from hazards.flows import PenaltyFlow

    case = case or failed_case()
    ps.filing_decide(user=user("officehead"), task_id=penalty_task(case, PenaltyFlow.approve_filing), approve=True,
                     officers=[user("inspector"), user("inspector2")])
    case.refresh_from_db()
    return case


def notified(case=None, *, org_fine=30000, person_fine=0, suspension=False, code="aqsf-102", person="",
             complex_case=False):
    from hazards import penalty_services as ps
    from hazards.flows import PenaltyFlow

    case = filed(case)
    ps.investigation_record(user=user("inspector"), task_id=penalty_task(case, PenaltyFlow.investigate),
                            facts="未按期消除事故隐患", evidence="现场检查记录、复查意见书、照片", provision=provision(code),
                            responsible_person=person, complex_case=complex_case)
    ps.notification_issue(user=user("inspector"), task_id=penalty_task(case, PenaltyFlow.notify), org_fine=org_fine,
                          person_fine=person_fine, suspension=suspension)
    case.refresh_from_db()
    return case
