"""Send the saved-search digests that are due, and forget unconfirmed sign-ups (cron)."""

from django.core.management.base import BaseCommand, CommandError

from alerts.digests import send_due
from alerts.models import Frequency


class Command(BaseCommand):
    help = (
        "Send each confirmed saved-search alert that is due the records published since its "
        "last digest (none: no mail), and delete sign-ups not confirmed within 7 days. Run it "
        "from cron, e.g. daily at 06:00 (every subscription), or once with --frequency daily "
        "and once a week with --frequency weekly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[choice.value for choice in Frequency],
            help="Only the subscriptions of this frequency (default: all that are due).",
        )

    def handle(self, *args, frequency=None, **options):
        report = send_due(frequency)
        for subscription_id, why in report.failed:
            self.stderr.write(f"alert {subscription_id}: not sent: {why}")
        self.stdout.write(
            f"alerts: {report.due} due, {report.sent} digests sent, "
            f"{len(report.failed)} failed, {report.expired} unconfirmed deleted"
        )
        if report.failed:
            raise CommandError(f"{len(report.failed)} alerts could not be sent (see above).")
