from django.core.management.base import BaseCommand

from hazards.penalty_services import missing_plans_check, penalty_deadlines_check
from hazards.services import deadlines_check


class Command(BaseCommand):
    help = ("Daily (e.g. from cron): send overdue rectification cases to re-inspection, penalty cases whose "
            "statement and hearing-request periods are over back to their officers, and propose a penalty case "
            "for a major hazard whose governance plan is still missing after its deadline.")

    def handle(self, *args, **options):
        moved = deadlines_check()
        for inspection in moved:
            self.stdout.write(f"re-inspection due\t{inspection.pk}\t{inspection.enterprise.name}")
        cases = penalty_deadlines_check()
        for case in cases:
            self.stdout.write(f"rights periods over\t{case.pk}\t{case.enterprise.name}")
        proposed = missing_plans_check()
        for case in proposed:
            self.stdout.write(f"governance plan missing, penalty proposed\t{case.pk}\t{case.enterprise.name}")
        self.stdout.write(self.style.SUCCESS(
            f"{len(moved)} overdue cases sent to re-inspection, {len(cases)} penalty cases ready for a decision, "
            f"{len(proposed)} penalty cases proposed for missing governance plans"))
