from django.db import migrations

PERIODS = [
    ("reinspection", "收到整改报告或整改期限届满后复查", 10, True, "安全生产事故隐患排查治理暂行规定 第二十二条"),
    ("resumption_review", "重大隐患恢复生产申请审查", 10, True, "安全生产事故隐患排查治理暂行规定 第二十三条"),
    ("new_deadline_after_failed", "复查不合格后重新责令整改期限", 10, True, "安全生产法 第一百零二条"),
    ("default_rectification", "一般隐患默认整改期限", 10, True, "安全生产法 第六十五条"),
    ("extension_notice", "延期申请须在期限届满前提出", 1, True, "行政强制法 第六十九条"),
    ("closure_review", "销号审批", 5, True, "园区规定"),
]


def seed(apps, schema_editor):
    LegalPeriod = apps.get_model("workflow", "LegalPeriod")
    AuditHead = apps.get_model("workflow", "AuditHead")
    for key, name, days, working, basis in PERIODS:
        LegalPeriod.objects.get_or_create(key=key, defaults=dict(name=name, days=days, working_days=working, basis=basis))
    AuditHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
