"""Admin strings that Wagtail's own Swedish catalogue lacks (added since it was last
translated), marked here so that ``make messages`` keeps them in the project's catalogues.

The project's catalogues (``LOCALE_PATHS``) take precedence over the apps', so Wagtail's
templates show these in Swedish. ``tests/access/test_swedish_admin.py`` finds any that are
still missing on the pages editors and coordinators use.
"""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = [
    gettext_noop("Actions (footer)"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Date updated"),
    gettext_noop("Edit account avatar"),
    gettext_noop("Locked by"),
    gettext_noop("Side panel width"),
    gettext_noop("Side panels"),
]
