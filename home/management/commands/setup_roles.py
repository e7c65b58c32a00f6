from django.core.management.base import BaseCommand
from django.db import transaction

from home.information import ensure_information_pages
from home.site_tree import ensure_site_tree
from organisations.roles import ensure_roles


class Command(BaseCommand):
    help = (
        "Build the site tree (with the about, accessibility and personal data pages), set up "
        "the platform coordinators' and translators' groups and "
        'the "Coordinator review" workflow. Safe to run again; make setup runs it.'
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            _coordinators, _translators, changes = ensure_roles(ensure_site_tree())
            changes += [f"information page {page.url_path}" for page in ensure_information_pages()]
        if options["verbosity"] > 1:
            for change in changes:
                self.stdout.write(f"  + {change}")
        if changes:
            self.stdout.write(f"Roles and review workflow set up ({len(changes)} changes).")
        else:
            self.stdout.write("Roles and review workflow already set up; nothing changed.")
