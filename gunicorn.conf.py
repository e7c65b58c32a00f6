"""gunicorn's settings for the site: read from the working directory by every
``gunicorn learning_platform.wsgi`` started there (production, ``bench_search``, ``loadtest``).

Command-line options (workers, bind, timeout) still apply; this file adds the hooks.
"""


def post_worker_init(worker):
    """Once a worker has loaded the site: search builds its snapshot of the records in a
    thread, the first one now, so no reader's request waits for a load (``search.serving``)."""
    from search import serving  # Django is set up only once the worker has loaded the site

    serving.start()
