from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from translation.po import import_directory


class Command(BaseCommand):
    help = (
        "Apply translated PO files written by export_translations. Each file is checked against "
        "the current source first: a file exported before the source changed is refused as a "
        "whole. Translations are saved as drafts for review unless --publish is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Folder with the translated .po files.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the translated pages instead of saving drafts for review.",
        )

    @no_translations  # operators' tools answer in English, like the other commands
    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"No such folder: {directory}")
        imported, failures = import_directory(directory, publish=options["publish"])
        for done in imported:
            state = "published" if done.published else "saved as draft"
            self.stdout.write(
                f"{done.path.name}: {done.strings} strings applied to "
                f'"{done.instance}" ({done.instance.locale.language_code}), {state}'
            )
        for path, message in failures:
            self.stderr.write(f"{path.name}: not imported: {message}")
        self.stdout.write(f"imported: {len(imported)} file(s), {len(failures)} refused")
        if failures:
            raise CommandError(
                f"{len(failures)} file(s) refused; nothing from them was applied.", returncode=1
            )
