from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    name = "translation"
    verbose_name = _("Content translation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import restrictions

        restrictions.connect()
