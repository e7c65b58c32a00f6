"""Tag versions: one counter per tag in the ``pages`` cache.

A cached value records the versions of the tags it was computed under; once any of them has
moved on (``bump``), the value is stale. A bump is one counter, however many values show the
tag. Bump only after the change has committed (``bump_on_commit``): bumping earlier would let
a reader who still sees the old data store it under the new version.
"""

from django.core.cache import caches
from django.db import transaction

VERSION_TIMEOUT = None  # versions never expire (an expired version would revive stale values)


def store():
    return caches["pages"]


def version_key(tag):
    return f"tag:{tag}"


def versions(tags):
    """{tag: version} for ``tags``; a tag never bumped is at version 0."""
    found = store().get_many([version_key(tag) for tag in tags])
    return {tag: found.get(version_key(tag), 0) for tag in tags}


def bump(*tags):
    """Move the given tags on: every value showing one of them is stale from now on."""
    cache = store()
    for tag in set(tags):
        key = version_key(tag)
        if not cache.add(key, 1, timeout=VERSION_TIMEOUT):
            try:
                cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.add(key, 1, timeout=VERSION_TIMEOUT)


def bump_on_commit(*tags):
    transaction.on_commit(lambda: bump(*tags))
