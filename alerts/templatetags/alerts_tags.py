"""The search page's "Notify me of new results" link."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from alerts.searches import SEARCH_FIELDS

register = template.Library()


@register.simple_tag
def alert_signup_url(params):
    """The sign-up form's address for the search ``params`` (its text and filters)."""
    items = [(name, value) for name, value in params.as_query_items() if name in SEARCH_FIELDS]
    base = reverse("alerts_new")
    return f"{base}?{urlencode(items)}" if items else base
