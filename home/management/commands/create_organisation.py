from django.core.management.base import BaseCommand, CommandError, no_translations

from home.site_tree import ensure_site_tree
from organisations.organisations import OrganisationSetupError, set_up_organisation
from practices.models import Organisation


class Command(BaseCommand):
    help = (
        "Set up an organisation: its record, its editors' group, its own image and document "
        "collection and the page permissions its editors need, plus the platform's "
        "coordinators' and translators' groups and the review workflow. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='The organisation\'s name, e.g. "Sunne kommun".')
        parser.add_argument(
            "--kind",
            required=True,
            help="One of: " + ", ".join(Organisation.Kind.values) + ".",
        )
        parser.add_argument("--municipality", help="Four-digit municipality code, e.g. 1766.")
        parser.add_argument("--region", help="Two-digit region code, e.g. 17.")
        parser.add_argument("--website", default="", help="The organisation's website.")

    @no_translations  # operators' tools answer in English, like the other commands
    def handle(self, *args, **options):
        try:
            result = set_up_organisation(
                ensure_site_tree(),
                options["name"],
                options["kind"],
                municipality_code=options["municipality"],
                region_code=options["region"],
                website=options["website"],
            )
        except OrganisationSetupError as error:
            raise CommandError(str(error)) from error

        organisation = result.organisation
        if options["verbosity"] > 1:
            for change in result.changes:
                self.stdout.write(f"  + {change}")
        if not result.changes:
            self.stdout.write(f'"{organisation}" is already set up; nothing changed.')
            return
        verb = "created" if result.created else "updated"
        self.stdout.write(
            self.style.SUCCESS(
                f'"{organisation}" {verb} ({len(result.changes)} changes). '
                f'Add its editors to the group "{organisation.editors_group}".'
            )
        )
