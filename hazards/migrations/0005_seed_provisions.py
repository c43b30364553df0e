from django.db import migrations

PROVISIONS = [
    # code, title, violation, penalty text, org min, org max, person min, person max, suspension, daily
    ("aqsf-99", "安全生产法第九十九条", "安全设备的安装、使用、检测、改造和报废不符合国家标准或者行业标准，或者未对安全设备进行经常性维护、保养和定期检测等",
     "责令限期改正，处五万元以下的罚款", 1, 50000, 0, 0, False, False),
    ("aqsf-99-overdue", "安全生产法第九十九条（逾期未改正）", "前述违法行为经责令限期改正，逾期未改正",
     "处五万元以上二十万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处一万元以上二万元以下的罚款；情节严重的，责令停产停业整顿",
     50000, 200000, 10000, 20000, True, False),
    ("aqsf-101", "安全生产法第一百零一条", "未建立事故隐患排查治理制度，或者重大事故隐患排查治理情况未按照规定报告，或者对重大危险源未登记建档、未采取可靠的安全措施等",
     "责令限期改正，处十万元以下的罚款", 1, 100000, 0, 0, False, False),
    ("aqsf-101-overdue", "安全生产法第一百零一条（逾期未改正）", "前述违法行为经责令限期改正，逾期未改正",
     "责令停产停业整顿，并处十万元以上二十万元以下的罚款，对其直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款",
     100000, 200000, 20000, 50000, True, False),
    ("aqsf-102", "安全生产法第一百零二条", "未采取措施消除事故隐患",
     "责令立即消除或者限期消除，处五万元以下的罚款", 1, 50000, 0, 0, False, False),
    ("aqsf-102-refusal", "安全生产法第一百零二条（拒不执行）", "生产经营单位拒不执行消除事故隐患的指令",
     "责令停产停业整顿，对其直接负责的主管人员和其他直接责任人员处五万元以上十万元以下的罚款", 0, 0, 50000, 100000,
     True, False),
    ("aqsf-112", "安全生产法第一百一十二条", "违法行为被责令改正且受到罚款处罚，拒不改正",
     "自作出责令改正之日的次日起，按照原处罚数额按日连续处罚", 1, 10000000, 0, 0, False, True),
]


def seed(apps, schema_editor):
    LegalProvision = apps.get_model("hazards", "LegalProvision")
    PenaltyPolicy = apps.get_model("hazards", "PenaltyPolicy")
    for code, title, violation, text, omin, omax, pmin, pmax, suspension, daily in PROVISIONS:
        LegalProvision.objects.get_or_create(code=code, defaults=dict(
            title=title, violation=violation, penalty_text=text, org_fine_min=omin, org_fine_max=omax,
            person_fine_min=pmin, person_fine_max=pmax, allows_suspension=suspension, daily_fine=daily))
    if not PenaltyPolicy.objects.exists():
        PenaltyPolicy.objects.create()


class Migration(migrations.Migration):
    dependencies = [("hazards", "0004_penalty")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
