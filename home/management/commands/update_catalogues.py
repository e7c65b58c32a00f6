"""``manage.py update_catalogues``: makemessages for the four catalogues, without GNU gettext."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import to_locale

from learning_platform.i18n_catalogue import ExtractionError, extract_messages
from learning_platform.i18n_sync import (
    format_grouped,
    load_catalogue,
    pending_changes,
    update_catalogue,
)


class Command(BaseCommand):
    help = (
        "Add the strings marked for translation in the code to locale/<language>/LC_MESSAGES/"
        "django.po (untranslated, with their locations) and mark entries the code no longer "
        "uses obsolete. Existing translations are kept. Pure Python: no xgettext needed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; list what is missing or stale and exit 1 if anything is.",
        )
        parser.add_argument(
            "-l",
            "--locale",
            action="append",
            dest="languages",
            metavar="LANGUAGE",
            help="Only this language (repeatable). Default: every language in LANGUAGES.",
        )
        parser.add_argument(
            "--no-obsolete",
            action="store_true",
            help="Remove entries the code no longer uses instead of keeping them as #~.",
        )

    def handle(self, *args, **options):
        if not settings.LOCALE_PATHS:
            raise CommandError("Set LOCALE_PATHS: it says where the catalogues are.")
        base_dir = Path(settings.BASE_DIR)
        locale_dir = Path(settings.LOCALE_PATHS[0])
        languages = options["languages"] or [code for code, _name in settings.LANGUAGES]
        try:
            messages = extract_messages(base_dir)
        except ExtractionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(messages)} message(s) in the code")

        catalogues = [
            (language, path, self._load(language, path))
            for language, path in self._catalogue_paths(locale_dir, languages)
        ]  # all read before any is written: a bad one stops the run with nothing changed
        out_of_date = []
        for language, path, catalogue in catalogues:
            if options["check"]:
                changes = pending_changes(catalogue, messages)
            else:
                changes = update_catalogue(
                    catalogue, messages, remove_obsolete=options["no_obsolete"]
                )
                catalogue.save(str(path))
            self._report(_relative(path, base_dir), changes, messages, written=not options["check"])
            if changes:
                out_of_date.append(language)

        if options["check"] and out_of_date:
            raise CommandError(
                "Catalogues out of date: %s. Run `manage.py update_catalogues`, then translate "
                "the new entries." % ", ".join(out_of_date),
                returncode=1,
            )

    def _catalogue_paths(self, locale_dir, languages):
        for language in languages:
            path = locale_dir / to_locale(language) / "LC_MESSAGES" / "django.po"
            if not path.is_file():
                raise CommandError(f"No catalogue for {language!r}: {path} does not exist.")
            yield language, path

    def _load(self, language, path):
        try:
            return load_catalogue(path)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the {language!r} catalogue {path}: {error}") from error

    def _report(self, relative, changes, messages, *, written):
        if not changes:
            self.stdout.write(f"{relative}: up to date")
            return
        verb = "" if written else "would be "
        groups = (
            (f"{verb}added", changes.added),
            (f"{verb}revived from obsolete", changes.revived),
            (f"{verb}changed between singular and plural (fuzzy)", changes.reshaped),
            (f"{verb}marked obsolete (no longer in the code)", changes.obsoleted),
        )
        self.stdout.write(f"{relative}:")
        for label, keys in groups:
            if keys:
                heading = f"  {len(keys)} {label}:"
                items = [(key, "") for key in keys]
                self.stdout.write(format_grouped(items, messages, heading, indent="    "))


def _relative(path, base_dir):
    try:
        return path.relative_to(base_dir).as_posix()
    except ValueError:
        return str(path)
