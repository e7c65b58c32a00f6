from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from translation.po import POFileError, export_language


class Command(BaseCommand):
    help = (
        "Write a PO file (wagtail-localize's format) for every page that is untranslated, in "
        "progress or outdated in LANG, for translators working offline. Apply the translated "
        "files with import_translations."
    )

    def add_arguments(self, parser):
        parser.add_argument("language", help="Target language code, e.g. ar.")
        parser.add_argument("directory", help="Folder to write the .po files to (created).")

    @no_translations  # operators' tools answer in English, like the other commands
    def handle(self, *args, **options):
        language = options["language"]
        if language == settings.LANGUAGE_CODE:
            raise CommandError(
                f"{language} is the source language; choose a language to translate into."
            )
        directory = Path(options["directory"])
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a folder.")
        try:
            written = export_language(language, directory)
        except POFileError as error:
            raise CommandError(str(error)) from error
        for exported in written:
            self.stdout.write(
                f"{exported.path.name}: {exported.status}, "
                f"{exported.translated}/{exported.strings} strings translated"
            )
        self.stdout.write(f"exported: {len(written)} file(s) for {language} to {directory}")
