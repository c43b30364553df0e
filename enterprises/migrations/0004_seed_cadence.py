from django.db import migrations

# grade, interval (months), yearly cap, enterprise self-check cadence (日周月)
CADENCE = [("red", 1, 24, "每日"), ("orange", 2, 12, "每日"), ("yellow", 3, 6, "每周"), ("blue", 6, 4, "每月")]


def seed(apps, schema_editor):
    GradeCadence = apps.get_model("enterprises", "GradeCadence")
    for grade, interval, cap, routine in CADENCE:
        GradeCadence.objects.get_or_create(grade=grade, defaults=dict(
            interval_months=interval, yearly_cap=cap, routine_cadence=routine))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_gradecadence_enterprise_is_key_supervised_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
