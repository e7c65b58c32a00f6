"""Versioned tags: cached things say what they show, and a change moves those tags on.

The bottom layer: the page cache (``home.page_cache``), the fragments many pages share
(``caching.fragments``) and the content app's own lookups all invalidate this way. Values
live in the ``pages`` cache (Redis in production, local memory without it); when that cache
is down, nothing is kept and everything is computed every time.
"""
