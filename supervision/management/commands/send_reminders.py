from django.core.management.base import BaseCommand

from supervision.tasks import send_reminders


class Command(BaseCommand):
    help = ("Daily (e.g. from cron, after check_deadlines): remind people of duties falling due or overdue, "
            "of key moments to attend, and of key enterprises' major or overdue hazards. Each reminder goes once.")

    def handle(self, *args, **options):
        result = send_reminders.enqueue()
        if result.is_finished:
            created, mailed = result.return_value
            self.stdout.write(self.style.SUCCESS(f"{created} reminders created, {mailed} e-mailed"))
        else:
            self.stdout.write(self.style.SUCCESS(f"reminder job queued ({result.id})"))
