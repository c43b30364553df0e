from django.core.management.base import BaseCommand, CommandError

from workflow.audit import verify


class Command(BaseCommand):
    help = "Walk the audit trail's hash chain; exit non-zero naming the first altered or missing row."

    def handle(self, *args, **options):
        ok, message, _entry_id = verify()
        if not ok:
            raise CommandError(message)
        self.stdout.write(self.style.SUCCESS(message))
