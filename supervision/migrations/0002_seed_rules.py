from django.db import migrations

A1 = "园区管委发〔2023〕15号 附件1"
A2 = "园区管委发〔2023〕15号 附件2第10项"
# code, name, subject, period, measure, basis
RULES = [
    ("admin_monthly_check", "每月至少开展1次检查指导", "administrative", "month", "enterprise_check",
     A2 + "：行政负责人每月至少开展1次检查指导"),
    ("regulator_monthly_check", "每月至少开展1次检查指导", "regulator", "month", "enterprise_check",
     A2 + "：行业监管部门负责人每月至少开展1次检查指导"),
    ("admin_half_year_coverage", "每半年挂牌企业指导检查全覆盖", "administrative", "half_year", "coverage",
     A2 + "：每半年完成1次挂牌企业（单位）指导检查全覆盖"),
    ("regulator_half_year_coverage", "每半年挂牌企业指导检查全覆盖", "regulator", "half_year", "coverage",
     A2 + "：每半年完成1次挂牌企业（单位）指导检查全覆盖"),
    ("principal_monthly_led_check", "每月至少带队组织开展1次安全生产工作检查", "principal", "month", "led_check",
     A1 + " 主要负责人（六）"),
    ("principal_quarterly_meeting", "每季度主持或委托召开1次安全生产工作会议", "principal", "quarter", "chaired_meeting",
     A1 + " 主要负责人（六）"),
    ("principal_quarterly_study", "每季度至少研究1次安全生产工作", "principal", "quarter", "study",
     A1 + " 主要负责人（2）"),
    ("principal_quarterly_heard_report", "每季度听取1次班子成员安全生产履职专题汇报", "principal", "quarter",
     "heard_report", A1 + " 主要负责人（三）"),
    ("safety_monthly_led_check", "每月至少带队检查1次安全生产工作", "safety", "month", "led_check",
     A1 + " 分管负责人（六）"),
    ("safety_monthly_study", "每月至少研究分析1次安全生产工作形势", "safety", "month", "study",
     A1 + " 分管负责人（2）"),
    ("other_monthly_led_check", "每月至少带队检查1次安全生产工作", "other", "month", "led_check",
     A1 + " 其他负责人（六）"),
    ("other_quarterly_study", "每季度至少研究分析1次安全生产形势", "other", "quarter", "study",
     A1 + " 其他负责人（四）"),
    ("other_quarterly_report", "每季度向主要负责人专题汇报1次履职情况", "other", "quarter", "gave_report",
     A1 + " 其他负责人（1）"),
]


def seed(apps, schema_editor):
    DutyRule = apps.get_model("supervision", "DutyRule")
    for code, name, subject, period, measure, basis in RULES:
        DutyRule.objects.get_or_create(code=code, defaults=dict(
            name=name, subject=subject, period=period, measure=measure, basis=basis, required=1,
            remind_days_before=5 if period == "month" else 10))
    LegalPeriod = apps.get_model("workflow", "LegalPeriod")
    LegalPeriod.objects.get_or_create(key="presence", defaults=dict(
        name="重点企业特殊时期责任人到场期限", days=3, working_days=True, basis=A2))


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial"), ("workflow", "0006_alter_notice_kind_alter_noticesequence_kind")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
