from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from . import text_arrays


class InterchangeConfig(AppConfig):
    name = "interchange"
    verbose_name = _("Import and export")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        connection_created.connect(text_arrays.register, dispatch_uid="interchange.text_arrays")
