"""The site's locales, read once per process.

Wagtail's ``Locale.get_active()`` and ``Locale.get_default()`` query the database on every
call, and a page asks a dozen times. The locales are the languages in settings (sv, en, ar,
fa): they change only with the settings, that is with a restart (and ``clear`` drops the copy
when a locale is saved in this process, for the tests and the admin).
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

_locales = {}


def _all():
    if not _locales:
        _locales.update({locale.language_code: locale for locale in Locale.objects.all()})
    return _locales


def all_locales():
    """``{language code: Locale}``."""
    return dict(_all())


def _find(match):
    """The first locale ``match`` accepts, reading the locales again once if none does (one
    was added by another process)."""
    for attempt in range(2):
        found = next((item for item in _all().values() if match(item)), None)
        if found is not None or attempt:
            return found
        clear()
    return None


def locale(language_code):
    """The Locale for a content language code (``Locale.DoesNotExist`` if it has none)."""
    found = _find(lambda item: item.language_code == language_code)
    if found is None:
        raise Locale.DoesNotExist(language_code)
    return found


def default_locale():
    return locale(get_supported_content_language_variant(settings.LANGUAGE_CODE))


def active_locale():
    """The locale of the active language (the URL's), else the default one."""
    try:
        code = get_supported_content_language_variant(translation.get_language())
        return locale(code)
    except (LookupError, Locale.DoesNotExist):
        return default_locale()


def by_id(locale_id):
    found = _find(lambda item: item.pk == locale_id)
    if found is None:
        raise Locale.DoesNotExist(locale_id)
    return found


def clear(**kwargs):  # also a signal receiver
    _locales.clear()


post_save.connect(clear, sender=Locale, dispatch_uid="practices-locales-saved")
post_delete.connect(clear, sender=Locale, dispatch_uid="practices-locales-deleted")
