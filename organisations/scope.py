"""Which organisations a user works for, and which roles they hold.

The answers are cached on the user object, which Django builds once per request, so the page
permission tester and the explorer hook can ask as often as they like.
"""

from django.conf import settings
from django.db.models import Q
from wagtail.models import Page

from practices.models import CONTENT_PAGE_MODELS, Organisation

# The groups' names are in the platform's language, Swedish, as the admin is (migration
# organisations/0002 renamed the English ones).
COORDINATORS = "Plattformssamordnare"
TRANSLATORS = "Översättare"

_CACHE = "_access_scope_cache"


def _group_names(user):
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {"groups": set(user.groups.values_list("name", flat=True)), "orgs": None}
        setattr(user, _CACHE, cache)
    return cache["groups"]


def is_coordinator(user):
    """Superusers and platform coordinators see and do everything."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or COORDINATORS in _group_names(user)


def is_translator(user):
    return user.is_authenticated and user.is_active and TRANSLATORS in _group_names(user)


def organisation_ids(user):
    """Ids of the organisations whose editors' group the user belongs to."""
    if not user.is_authenticated:
        return frozenset()
    _group_names(user)
    cache = getattr(user, _CACHE)
    if cache["orgs"] is None:
        cache["orgs"] = frozenset(
            Organisation.objects.filter(editors_group__user=user).values_list("pk", flat=True)
        )
    return cache["orgs"]


def is_organisation_scoped(user):
    """Whether the user's page rights are limited to their organisations' pages.

    Everyone who is not a coordinator is: an editor of Sunne works on Sunne's pages; a user in
    no organisation owns no pages. Translators are the one exception, for translated pages
    (see ``permissions``).
    """
    return user.is_authenticated and not is_coordinator(user)


def is_source_locale(page):
    return page.locale.language_code == settings.LANGUAGE_CODE


def content_pages(organisation_ids_=None):
    """Practices, methods and reports (as plain pages), optionally of some organisations only."""
    pages = Page.objects.type(*CONTENT_PAGE_MODELS)
    if organisation_ids_ is None:
        return pages
    belongs = Q()
    for model in CONTENT_PAGE_MODELS:
        # Multi-table inheritance: each page type is reachable from Page by its model name.
        belongs |= Q(**{f"{model._meta.model_name}__organisation__in": organisation_ids_})
    return pages.filter(belongs)
