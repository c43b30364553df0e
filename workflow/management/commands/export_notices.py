import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflow.models import Notice
from workflow.notices import ensure_pdf


class Command(BaseCommand):
    help = "Write every issued notice as a PDF file into DIR (the archive export)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        target = Path(directory)
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot create {target}: {exc}") from exc
        count = 0
        for notice_id in Notice.objects.order_by("kind", "year", "office_id", "serial").values_list("pk", flat=True):
            notice = ensure_pdf(notice_id)
            path = target / f"{notice.number}.pdf"
            with notice.pdf.open("rb") as source, open(path, "wb") as out:
                out.write(source.read())
            count += 1
            self.stdout.write(f"{notice.number}\t{notice.kind_label}\t{notice.enterprise.name}\t{path.name}")
        self.stdout.write(self.style.SUCCESS(f"{count} notices written to {os.fspath(target)}"))
