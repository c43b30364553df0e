from django.db import migrations


def seed(apps, schema_editor):
    LegalPeriod = apps.get_model("workflow", "LegalPeriod")
    LegalPeriod.objects.get_or_create(key="duty_handover", defaults=dict(
        name="责任人任职不满此天数的当期履职自下期起算", days=7, working_days=False, basis="园区规定"))


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
