"""``loadtest``: the site under load with production settings (see ``benchmarks.loadtest``)."""

from django.core.management.base import BaseCommand

from benchmarks.loadtest.run import LoadTest, Options


class Command(BaseCommand):
    help = (
        "Serve a scratch copy of the site with gunicorn and production settings, load it with "
        "locust and print requests/s, p50/p95/p99 and errors per kind of URL."
    )

    def add_arguments(self, parser):
        defaults = Options()
        parser.add_argument("--users", type=int, default=defaults.users)
        parser.add_argument("--seconds", type=int, default=defaults.seconds)
        parser.add_argument("--workers", type=int, default=defaults.workers)
        parser.add_argument(
            "--fault",
            choices=("none", "redis"),
            default=defaults.fault,
            help="redis: stop the Redis server for 14 s in the middle of the run",
        )
        parser.add_argument("--redis-url", default=defaults.redis_url)

    def handle(self, **options):
        run = Options(
            users=options["users"],
            seconds=options["seconds"],
            workers=options["workers"],
            fault=options["fault"],
            redis_url=options["redis_url"],
        )
        LoadTest(run, self.stdout.write).run()
