"""How many sign-ups a client and an address may make in a window, with the contact form's
mechanism (``organisations.limits``: counters under keyed hashes in the default cache, expiring
with their window, so the cache never holds the address itself)."""

from django.conf import settings

from organisations.clients import client_ip
from organisations.limits import Limit

DEFAULT_RATE_LIMIT = {"requests": 5, "seconds": 3600}


def limits():
    """(per client, per address) ``Limit``s, from ``ALERTS_RATE_LIMIT``."""
    configured = getattr(settings, "ALERTS_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    requests, seconds = int(configured["requests"]), int(configured["seconds"])
    return Limit("alerts-client", requests, seconds), Limit("alerts-address", requests, seconds)


def allow(request, email):
    by_client, by_address = limits()
    return by_client.allows(client_ip(request)) and by_address.allows(email)


def count(request, email):
    by_client, by_address = limits()
    by_client.count(client_ip(request))
    by_address.count(email)


def window_minutes():
    return limits()[0].ttl_minutes()
