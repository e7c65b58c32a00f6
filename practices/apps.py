from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Practices, methods and reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Signal receivers: the cached locales and restricted sections follow their changes.
        from practices import locales, visibility  # noqa: F401
