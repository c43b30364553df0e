from django.core.management.base import BaseCommand

from hazards import demo


class Command(BaseCommand):
    help = "Load the demo committee, enterprises, accounts and cases in every state (idempotent)."

    def handle(self, *args, **options):
        demo.load_committee()
        made = demo.load_cases()
        demo.load_penalties()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data loaded ({made} cases created)." if made else "Demo data already present."))
        self.stdout.write(f"Demo accounts (password: {demo.DEMO_PASSWORD}):")
        for username, who in demo.demo_accounts():
            self.stdout.write(f"  {username:<12} {who}")
