"""Machine translation: the configured translator (off unless set, see settings) and review.

Machine-translated strings are wagtail-localize ``StringTranslation`` rows with
``translation_type="machine"``; the public page says so (``status.translation_state``) until
every such string has been edited by a person (wagtail-localize then stores it as manual) or a
person marks the translation as reviewed (``mark_reviewed``).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringSegment, StringTranslation
from wagtail_localize.views.edit_translation import apply_machine_translation

from .signals import translation_reviewed


def machine_translator():
    """The configured machine translator, or None (the default)."""
    return get_machine_translator()


def machine_translate(translation, user):
    """Fill the untranslated strings of ``translation`` by machine, as the editor's button does.

    ``user`` must be allowed to edit the translated page. Returns False when machine
    translation is off or there was nothing left to translate.
    """
    translator = machine_translator()
    if translator is None:
        return False
    try:
        translation.get_target_instance()
    except ObjectDoesNotExist:
        # wagtail-localize translates into an existing (draft) page, as "Translate this page"
        # creates; make that draft first.
        translation.save_target(user=user, publish=False)
    return apply_machine_translation(translation.pk, user, translator)


def machine_strings(translation):
    """The current strings of ``translation`` still as the machine translated them."""
    current = StringSegment.objects.filter(
        source_id=translation.source_id,
        string_id=OuterRef("translation_of_id"),
        context_id=OuterRef("context_id"),
    )
    return StringTranslation.objects.filter(
        Exists(current),
        locale_id=translation.target_locale_id,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
    )


@transaction.atomic
def mark_reviewed(translation, user):
    """A person has read the machine translation and accepts it; returns how many strings."""
    count = machine_strings(translation).update(
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        last_translated_by=user,
        updated_at=timezone.now(),
    )
    if count:
        translation_reviewed.send(sender=type(translation), translation=translation)
    return count
