"""The alert pages: sign up, check your inbox, confirm, unsubscribe. Thin: parse, ask
``subscriptions``/``searches``, render.

Confirming and unsubscribing take a POST: a GET (a mail scanner following every link, a
preview) only shows the page with its button, so no machine can subscribe or unsubscribe
anyone. The unsubscribe POST needs no CSRF token, only the token in its address: mail
clients send it as RFC 8058's one-click unsubscribe, with no page and no cookie.
"""

from http import HTTPStatus

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from home.information import personal_data_url

from . import limits, searches, subscriptions
from .forms import AlertForm
from .models import Frequency
from .subscriptions import PENDING_DAYS


def _search_context(request, language):
    """(saved search or None, its criteria, the error message if the page would refuse it)."""
    try:
        search = searches.normalise(request.GET, language)
    except searches.SearchParameterError as error:
        return None, [], error.message
    return search, searches.describe(search, language), ""


@require_http_methods(["GET", "POST"])
def new(request):
    """The sign-up form for the search in the query string."""
    language = get_language()
    search, criteria, search_error = _search_context(request, language)
    form = AlertForm(request.POST) if request.method == "POST" else AlertForm()
    status = HTTPStatus.BAD_REQUEST if search_error else HTTPStatus.OK
    if request.method == "POST" and form.is_valid() and not search_error:
        email = form.cleaned_data["email"]
        if limits.allow(request, email):
            limits.count(request, email)
            subscriptions.subscribe(email, search, language, form.cleaned_data["frequency"])
            return redirect("alerts_pending")
        minutes = limits.window_minutes()
        form.add_error(
            None,
            ngettext(
                "Too many sign-ups in a short time from your connection or for this address. "
                "Nothing was sent. Please try again in %(minutes)d minute.",
                "Too many sign-ups in a short time from your connection or for this address. "
                "Nothing was sent. Please try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        status = HTTPStatus.TOO_MANY_REQUESTS
    elif request.method == "POST" and form.errors:
        status = HTTPStatus.BAD_REQUEST
    context = {
        "form": form,
        "criteria": criteria,
        "search_error": search_error,
        "search_url": searches.search_path(search or ""),
        "pending_days": PENDING_DAYS,
        "personal_data_url": personal_data_url(),
    }
    return TemplateResponse(request, "alerts/new.html", context, status=status)


def pending(request):
    """After signing up: check your inbox."""
    context = {"pending_days": PENDING_DAYS}
    return TemplateResponse(request, "alerts/pending.html", context)


def _gone(request):
    return TemplateResponse(request, "alerts/gone.html", status=HTTPStatus.NOT_FOUND)


def _subscription_context(subscription):
    return {
        "subscription": subscription,
        "criteria": searches.describe(subscription.search, subscription.language),
        "search_url": searches.search_path(subscription.search),
        "weekly": subscription.frequency == Frequency.WEEKLY,
        "personal_data_url": personal_data_url(),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET: the button that confirms. POST: confirmed, and what will come and when."""
    if request.method == "POST":
        subscription = subscriptions.confirm(token)
    else:
        subscription = subscriptions.find(token)
    if subscription is None:
        return _gone(request)
    template = "alerts/confirmed.html" if subscription.confirmed else "alerts/confirm.html"
    return TemplateResponse(request, template, _subscription_context(subscription))


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: the button that unsubscribes. POST (the button, or a mail client's one-click
    unsubscribe): the subscription is deleted at once."""
    if request.method == "POST":
        subscriptions.unsubscribe(token)
        return TemplateResponse(request, "alerts/unsubscribed.html")
    subscription = subscriptions.find(token)
    if subscription is None:
        return _gone(request)
    return TemplateResponse(request, "alerts/unsubscribe.html", _subscription_context(subscription))
