from django.db import migrations

PERIODS = [
    ("statement_defence", "陈述申辩期限", 3, True, "行政处罚法 第四十五条；安全生产违法行为行政处罚办法"),
    ("hearing_request", "听证申请期限", 5, True, "行政处罚法 第六十四条第（一）项"),
    ("hearing_notice", "听证举行前通知", 7, True, "行政处罚法 第六十四条第（二）项"),
    ("decision_limit", "作出处罚决定期限（自立案之日起）", 90, False, "行政处罚法 第六十条"),
    ("decision_extension", "经批准延长办案期限", 30, False, "安全生产违法行为行政处罚办法"),
    ("decision_warning", "办案期限届满前提醒", 15, False, "园区规定"),
    ("service", "处罚决定书送达期限", 7, True, "行政处罚法 第六十一条"),
    ("disclosure", "行政处罚决定公示期限", 7, True, "安全生产法 第七十八条"),
    ("payment", "缴纳罚款期限（自收到决定书之日起）", 15, False, "行政处罚法 第六十七条"),
]


def seed(apps, schema_editor):
    LegalPeriod = apps.get_model("workflow", "LegalPeriod")
    for key, name, days, working, basis in PERIODS:
        LegalPeriod.objects.get_or_create(key=key, defaults=dict(name=name, days=days, working_days=working, basis=basis))


class Migration(migrations.Migration):
    dependencies = [("workflow", "0003_penalty")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
