"""Controlled vocabularies (activity types, target groups) and free keywords.

Each vocabulary term is a translatable snippet: one row per language sharing a
``translation_key`` and a stable ``slug``. Pages link to the Swedish (source) row and show
the row of the reader's language through ``.localized``. Editors pick terms from the list;
only coordinators add terms, in the snippet admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField


def source_language_terms():
    """Editors choose among the source-language rows; translations follow automatically."""
    return Q(locale__language_code=settings.LANGUAGE_CODE)


class VocabularyTerm(TranslatableMixin, index.Indexed, models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("Stable identifier used by imports, exports and search filters."),
    )
    name = models.CharField(_("label"), max_length=120)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    # The slug identifies the term in every language; only the label is translated.
    override_translatable_fields = [SynchronizedField("slug")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class ActivityType(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_activity_type_slug"),
        ]


class TargetGroup(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_target_group_slug"),
        ]


class PracticeKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "practices.PracticePage", related_name="tagged_keywords", on_delete=models.CASCADE
    )


class MethodKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "practices.MethodPage", related_name="tagged_keywords", on_delete=models.CASCADE
    )


class ReportKeyword(TaggedItemBase):
    content_object = ParentalKey(
        "practices.ProjectReportPage", related_name="tagged_keywords", on_delete=models.CASCADE
    )
