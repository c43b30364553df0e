from django.core.management.base import BaseCommand

from hazards.services import deadlines_check


class Command(BaseCommand):
    help = "Send cases whose rectification deadline has passed to re-inspection (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        moved = deadlines_check()
        for inspection in moved:
            self.stdout.write(f"{inspection.pk}\t{inspection.enterprise.name}")
        self.stdout.write(self.style.SUCCESS(f"{len(moved)} overdue cases sent to re-inspection"))
