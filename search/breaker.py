"""The search engine's circuit breaker (pybreaker, in each process).

An engine that hangs costs every search its timeout. After ``SEARCH_ENGINE_FAILURES`` failed
requests in a row (searches or index updates), the breaker opens: for
``SEARCH_ENGINE_COOLDOWN`` seconds the engine is not asked at all, searches answer from the
database backend at once, and index updates are kept as pending (``search.resync``). After the
cool-down, the next request is a trial: if the engine answers, the breaker closes and the
pending updates are sent; if not, it opens again for another cool-down.

Only engines are guarded (backends with ``is_engine``); the database backends answer from the
site's own database.
"""

import logging

import pybreaker
from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_FAILURES = 3
DEFAULT_COOLDOWN = 30  # seconds


class _Listener(pybreaker.CircuitBreakerListener):
    def __init__(self):
        self.on_close = []

    def state_change(self, cb, old_state, new_state):
        name = new_state.name if new_state else None
        if name == pybreaker.STATE_OPEN:
            logger.warning(
                "Search engine failed %d times in a row: searching the database for %s s",
                cb.fail_max,
                cb.reset_timeout,
            )
        elif name == pybreaker.STATE_CLOSED and getattr(old_state, "name", None) in (
            pybreaker.STATE_OPEN,
            pybreaker.STATE_HALF_OPEN,
        ):
            logger.warning("Search engine answers again")
            for callback in self.on_close:
                callback()


_listener = _Listener()
_breaker = pybreaker.CircuitBreaker(
    fail_max=DEFAULT_FAILURES,
    reset_timeout=DEFAULT_COOLDOWN,
    name="search-engine",
    listeners=[_listener],
)

Open = pybreaker.CircuitBreakerError


def breaker():
    """The process's breaker, with its limits as settings say now."""
    _breaker.fail_max = getattr(settings, "SEARCH_ENGINE_FAILURES", DEFAULT_FAILURES)
    _breaker.reset_timeout = getattr(settings, "SEARCH_ENGINE_COOLDOWN", DEFAULT_COOLDOWN)
    return _breaker


def call(function, *args, **kwargs):
    """``function(*args, **kwargs)`` through the breaker: raises ``Open`` without calling it
    while the breaker is open (and when this very call opened it)."""
    return breaker().call(function, *args, **kwargs)


def is_open():
    return breaker().current_state == pybreaker.STATE_OPEN


def when_closed(callback):
    """Call ``callback()`` each time the engine answers again after the breaker opened."""
    if callback not in _listener.on_close:
        _listener.on_close.append(callback)


def reset():
    """Closed, failures forgotten (for tests, and after a full rebuild)."""
    _breaker.close()
