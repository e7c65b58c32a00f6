"""Small things many pages show (the navigation, the footer, the restricted sections, a
translation's state), computed once and reused until what they show changes.

Each value is kept under the versions of the tags it depends on (``caching.tags``): one
cache round trip reads the value and the current versions together, and a bump of any of
them makes the value stale, exactly as for whole pages.
"""

from . import tags as tag_versions

TIMEOUT = 24 * 3600


def cached(key, tags, compute, timeout=TIMEOUT):
    """``compute()``, or its value kept while ``tags`` keep their versions.

    The versions are read before computing: a change committed meanwhile leaves the value
    stored already stale, never stored as current.
    """
    cache = tag_versions.store()
    version_keys = {tag_versions.version_key(tag): tag for tag in tags}
    found = cache.get_many([f"fragment:{key}", *version_keys])
    current = {tag: found.get(vkey, 0) for vkey, tag in version_keys.items()}
    entry = found.get(f"fragment:{key}")
    if entry is not None and entry[0] == current:
        return entry[1]
    value = compute()
    cache.set(f"fragment:{key}", (current, value), timeout=timeout)
    return value
