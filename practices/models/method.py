"""Methods: reusable ways of working that practices and reports apply."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField

from practices.blocks import PARAGRAPH_FEATURES
from practices.records import records_for_reader

from .base import ContentPage
from .practice import PracticePage
from .report import ProjectReportPage
from .taxonomy import MethodKeyword


class CostLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class MethodPage(ContentPage):
    """A method description; lives under the method index page."""

    interchange_type = "method"

    when_to_use = RichTextField(
        _("when to use it"),
        features=PARAGRAPH_FEATURES,
        blank=True,
        help_text=_("The situations and target groups the method suits."),
    )
    prerequisites = RichTextField(
        _("prerequisites"),
        features=PARAGRAPH_FEATURES,
        blank=True,
        help_text=_("What must be in place before you start."),
    )
    staff = models.CharField(
        _("staff"),
        max_length=255,
        blank=True,
        help_text=_("For example: one coordinator half-time and volunteer mentors."),
    )
    cost_level = models.CharField(
        _("cost level"),
        max_length=16,
        choices=CostLevel.choices,
        blank=True,
        help_text=_("Roughly what it costs to run the method, staff time included."),
    )
    time_needed = models.CharField(
        _("time needed"),
        max_length=255,
        blank=True,
        help_text=_("For example: six months per group."),
    )
    variations = RichTextField(
        _("variations"),
        features=PARAGRAPH_FEATURES,
        blank=True,
        help_text=_(
            "How the method has been adapted elsewhere, and what to keep when you adapt it."
        ),
    )
    evidence = RichTextField(
        _("evidence"),
        features=PARAGRAPH_FEATURES,
        blank=True,
        help_text=_("What is known about the results: studies, evaluations, figures."),
    )
    keywords = ClusterTaggableManager(through=MethodKeyword, blank=True, verbose_name=_("keywords"))

    parent_page_types = ["practices.MethodIndexPage"]
    subpage_types = []

    search_text_fields = ("when_to_use", "prerequisites", "variations", "evidence")

    content_panels = ContentPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("when_to_use"),
        FieldPanel("body", heading=_("How it works (steps)")),
        FieldPanel("variations"),
        FieldPanel("evidence"),
    ]
    resource_panels = [
        FieldPanel("prerequisites"),
        FieldRowPanel([FieldPanel("staff"), FieldPanel("cost_level"), FieldPanel("time_needed")]),
    ]
    facts_panels = [
        MultiFieldPanel(ContentPage.place_panels, heading=_("Who and where")),
        ContentPage.period_panel,
        MultiFieldPanel(
            ContentPage.taxonomy_panels + [FieldPanel("keywords")], heading=_("Taxonomy")
        ),
        ContentPage.contact_panel,
    ]
    # Adoptions belong to the adopting organisation, not to the method's owner, so they are
    # recorded under "Method adoptions" in the admin menu (``reuse.wagtail_hooks``).
    reuse_panels = [
        HelpPanel(
            heading=_("Organisations using this method"),
            content=_(
                "Organisations record that they adopted or adapted this method under "
                '"Method adoptions" in the admin menu. Practices that list the method under '
                '"methods applied" are counted automatically.'
            ),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(resource_panels, heading=_("Resources")),
            ObjectList(facts_panels, heading=_("Facts")),
            ObjectList(reuse_panels, heading=_("Reuse")),
            ObjectList(ContentPage.promote_panels, heading=_("Promote")),
            ObjectList(
                ContentPage.settings_panels + [FieldPanel("external_id", read_only=True)],
                heading=_("Settings"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")

    def applications(self):
        """Live practices and reports that applied this method, one per record, in the
        reader's language where translated.

        Links may point at any translation of the method, so match on its translation key.
        """
        pages = []
        for model in (PracticePage, ProjectReportPage):
            keys = (
                model.objects.filter(method_links__method__translation_key=self.translation_key)
                .values_list("translation_key", flat=True)
                .distinct()
            )
            pages.extend(records_for_reader(model.objects.all(), list(keys), self.locale))
        return sorted(pages, key=lambda page: page.title.lower())

    def applied_reports(self):
        """The project reports among ``applications()``; practices are listed as adoptions."""
        return [page for page in self.applications() if page.interchange_type == "report"]
