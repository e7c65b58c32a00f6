"""The search benchmark (``python manage.py bench_search``): a synthetic corpus and its runner.

``corpus`` writes a deterministic set of interchange records; ``runner`` imports them into a
scratch database, times indexing, serves the site with gunicorn and times searches against a
hand-written SQL floor and a minimal Django view.
"""
