from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from home.information import ensure_information_pages
from practices.models import CONTENT_PAGE_MODELS

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "demo_content.jsonl"


class Command(BaseCommand):
    help = (
        "Build the site tree and publish the demo practices, methods and reports "
        "(written from real projects; see interchange/demo/)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has practices, methods or reports.",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and any(model.objects.exists() for model in CONTENT_PAGE_MODELS):
            self.stdout.write("The site already has content; demo content not loaded.")
            return
        call_command(
            "import_content",
            str(DEMO_FILE),
            verbosity=options["verbosity"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
        # The demo is a whole site: its footer links to the about, accessibility and personal
        # data pages (setup_roles creates them too).
        ensure_information_pages()
