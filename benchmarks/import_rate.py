"""How fast ``import_content`` writes new records and passes over unchanged ones.

``measure(records)`` imports the synthetic corpus (``benchmarks.corpus``) into a scratch
database (``benchmarks.evaluation.scratch_database``) from a JSON Lines file, as a person would
run ``import_content``, then imports the same file again (every record unchanged), then runs
``update_index``; it returns the times (wall clock, and CPU time of this process: the
database server's work is the difference, with any wait for a busy machine), the rates and the
SQL queries per record of each run.
``manage.py bench_import`` prints them; the site benchmark can call ``measure`` itself.
"""

import io
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from benchmarks import corpus
from benchmarks.evaluation import scratch_database
from home.site_tree import ensure_site_tree


@contextmanager
def _counting_queries():
    """The number of SQL statements run in the block (without keeping them: an import of
    10,000 records sends hundreds of thousands)."""
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        yield count


def _timed(command, *args, **options):
    err = io.StringIO()
    with _counting_queries() as queries:
        started, cpu = time.perf_counter(), time.process_time()
        call_command(command, *args, stdout=io.StringIO(), stderr=err, **options)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, cpu, queries[0], err.getvalue()


def measure(records=10_000, update_index=True, write=None):
    """Import ``records`` synthetic records into a scratch database, then again unchanged
    (and ``update_index`` over them); returns a dict of the figures. ``write`` (optional)
    gets a line as each step ends."""
    write = write or (lambda line: None)
    items = list(corpus.generate(records))
    figures = {
        "records": records,
        "pages": corpus.page_count(items),
        "database": connection.vendor,
    }
    with tempfile.TemporaryDirectory() as folder, scratch_database():
        path = Path(folder) / "corpus.jsonl"
        corpus.write_jsonl(path, items)
        del items
        ensure_site_tree()
        for run in ("new", "unchanged"):
            seconds, cpu, queries, _log = _timed("import_content", str(path), progress_every=30)
            figures[run] = {
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "records_per_second": round(records / seconds, 1),
                "queries_per_record": round(queries / records, 1),
            }
            write(_line(run, figures[run]))
        if update_index:
            seconds, cpu, queries, _log = _timed("update_index")
            figures["update_index"] = {
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "records_per_second": round(records / seconds, 1),
                "pages_per_second": round(figures["pages"] / seconds, 1),
                "queries_per_record": round(queries / records, 1),
            }
            write(_line("update_index", figures["update_index"]))
    return figures


def _line(run, figures):
    return (
        f"{run:>12}: {figures['seconds']:8.1f} s  {figures['records_per_second']:8.1f} records/s"
        f"  {figures['queries_per_record']:6.1f} queries/record"
        f"  ({figures['cpu_seconds']:.1f} s CPU in this process)"
    )
