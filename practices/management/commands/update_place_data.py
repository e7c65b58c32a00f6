"""Load a new edition of SKR's municipality groups or SCB's population per municipality."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from practices import place_data
from practices.models import Municipality


class Command(BaseCommand):
    help = (
        "Update the municipalities' SKR group and population from CSV files of the shape of "
        "practices/data/municipality_groups.csv (code, group_code, edition) and "
        "practices/data/population.csv (code, population, year). Every line is checked first: "
        "a file with an unknown code or group changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--groups", help="SKR's Kommungruppsindelning as CSV")
        parser.add_argument("--population", help="SCB's population per municipality as CSV")

    def handle(self, *args, groups=None, population=None, **options):
        if not groups and not population:
            raise CommandError("Give --groups, --population or both.")
        codes = Municipality.objects.values_list("code", flat=True)
        try:
            data = place_data.read(groups, population, codes)
        except place_data.PlaceDataError as error:
            raise CommandError(f"Nothing changed: {error}") from error
        with transaction.atomic():
            changed = place_data.apply(data, Municipality)
        self.stdout.write(
            f"{changed} municipalities updated ({len(data.groups)} groups and "
            f"{len(data.population)} populations read)."
        )
