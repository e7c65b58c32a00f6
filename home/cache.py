"""A Redis cache that survives Redis being down.

Django's ``RedisCache``, with every call guarded: when Redis does not answer, the call is
answered by a fallback instead of raising, a warning is logged (at most once a minute per
cache), and Redis is not asked again for a few seconds (so a dead Redis costs a request no
connection attempts). The fallback is chosen per cache:

- ``"local"``: a memory cache in this process. Counters (the contact form's limit) and
  Wagtail's site lookup go on working, per process, until Redis is back.
- ``None``: nothing: a read misses, a write is dropped. For the page cache, whose entries are
  only correct while every process sees the same invalidations: pages are then served uncached.

Settings (``CACHES``): ``"BACKEND": "home.cache.ResilientRedisCache"``, and in ``OPTIONS``
``"FALLBACK"`` (default ``"local"``) plus redis-py's own options (timeouts).
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds Redis is left alone after a failure
WARN_EVERY = 60.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        fallback = options.pop("FALLBACK", "local")
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._fallback = (
            LocMemCache(f"redis-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
            if fallback == "local"
            else None
        )
        self._down_until = 0.0
        self._warned_at = 0.0

    @property
    def available(self):
        """False while Redis is being left alone after a failure."""
        return time.monotonic() >= self._down_until

    def _call(self, name, default, *args, **kwargs):
        if self.available:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except (RedisError, OSError) as error:
                self._went_down(error)
        if self._fallback is not None:
            return getattr(self._fallback, name)(*args, **kwargs)
        return default

    def _went_down(self, error):
        now = time.monotonic()
        self._down_until = now + RETRY_AFTER
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            logger.warning(
                "Redis does not answer (%s); using %s for %.0f s",
                error,
                "a per-process cache" if self._fallback is not None else "no cache",
                RETRY_AFTER,
            )

    def add(self, key, value, timeout=None, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        if self.available or self._fallback is not None:
            return self._call("incr", None, key, delta, version)
        raise ValueError(f"Key '{key}' not found")

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", [], data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", None)
