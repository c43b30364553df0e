from django.core.management.base import BaseCommand

from hazards import demo
from supervision import reminders
from supervision.demo import load_supervision


class Command(BaseCommand):
    help = "Load the demo committee, enterprises, accounts, cases in every state and a year of supervision (idempotent)."

    def handle(self, *args, **options):
        demo.load_committee()
        made = demo.load_cases()
        demo.load_penalties()
        supervised = load_supervision()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded ({made} cases created)." if made else "Demo data already present."))
        if supervised:
            self.stdout.write(self.style.SUCCESS(f"Supervision demo loaded ({supervised} records created)."))
        created, _mailed = reminders.run()  # as the daily job would have: in-app reminders to see on login
        if created:
            self.stdout.write(f"{created} reminders created.")
        self.stdout.write(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        for username, who in demo.demo_accounts():
            self.stdout.write(f"  {username:<12} {who}")
