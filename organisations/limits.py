"""Counting what a client does within a window: at most N questions, password-reset mails, …

Counters live in the default cache (Redis in production, shared by every process; per process
when Redis is down, see ``home.cache``) under keyed hashes, so the cache never holds an
address or an e-mail address, and expire with their window.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    requests: int
    seconds: int

    def key(self, value):
        digest = hmac.new(settings.SECRET_KEY.encode(), str(value).encode(), hashlib.sha256)
        return f"limit:{self.name}:{digest.hexdigest()[:32]}"

    def allows(self, value):
        """Whether ``value`` (an address, an e-mail) may do it once more in its window."""
        return (cache.get(self.key(value)) or 0) < self.requests

    def count(self, value):
        """Count one more; the window starts with the first."""
        key = self.key(value)
        if cache.add(key, 1, timeout=self.seconds):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=self.seconds)

    def ttl_minutes(self):
        return max(1, self.seconds // 60)
