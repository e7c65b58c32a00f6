from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "demo_content.jsonl"


class Command(BaseCommand):
    help = "Build the site tree and publish the demo practices, methods and reports."

    def handle(self, *args, **options):
        call_command("import_content", str(DEMO_FILE), verbosity=options["verbosity"],
                     stdout=self.stdout, stderr=self.stderr)
