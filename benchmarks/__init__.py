"""Measuring tools, outside the runtime apps: the search benchmark (``bench_search``: a seeded
synthetic corpus, timings through gunicorn) and the relevance evaluation (``evaluate_search``
against a judged query set). Installed in the dev, test and bench settings, not in production.
"""
