"""Project reports: who ran a project, with what money, and what it measurably achieved."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.models import Orderable
from wagtail_localize.fields import SynchronizedField

from .base import ContentPage
from .outcomes import FundingSource, OutcomeIndicator
from .taxonomy import ReportKeyword


class ProjectReportPage(ContentPage):
    """A project's report with its funding and measured outcomes; lives under the report index."""

    interchange_type = "report"

    partners = ParentalManyToManyField(
        "practices.Organisation",
        verbose_name=_("partners"),
        help_text=_("Other organisations that took part."),
        blank=True,
        related_name="+",
    )
    report_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("report document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The full report, for example as PDF."),
    )
    keywords = ClusterTaggableManager(through=ReportKeyword, blank=True, verbose_name=_("keywords"))

    # Partner organisations are the same in every language (wagtail-localize skips
    # many-to-many fields unless declared).
    override_translatable_fields = ContentPage.override_translatable_fields + [
        SynchronizedField("partners"),
    ]
    parent_page_types = ["practices.ReportIndexPage"]
    subpage_types = []

    content_panels = ContentPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("report_document"),
    ]
    facts_panels = [
        MultiFieldPanel(
            [FieldPanel("organisation", heading=_("Project owner")), FieldPanel("partners")]
            + ContentPage.place_panels[1:],
            heading=_("Who and where"),
        ),
        ContentPage.period_panel,
        MultiFieldPanel(
            ContentPage.taxonomy_panels + [FieldPanel("keywords")], heading=_("Taxonomy")
        ),
        InlinePanel("method_links", heading=_("Methods applied"), label=_("Method")),
        InlinePanel("linked_practices", heading=_("Linked practices"), label=_("Practice")),
        ContentPage.contact_panel,
    ]
    outcome_panels = [
        InlinePanel("funding", heading=_("Funding"), label=_("Funding source")),
        InlinePanel("indicators", heading=_("Outcome indicators"), label=_("Indicator")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(facts_panels, heading=_("Facts")),
            ObjectList(outcome_panels, heading=_("Outcomes")),
            ObjectList(ContentPage.promote_panels, heading=_("Promote")),
            ObjectList(
                ContentPage.settings_panels + [FieldPanel("external_id", read_only=True)],
                heading=_("Settings"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")

    @property
    def methods(self):
        return [link.method for link in self.method_links.select_related("method") if link.method]

    @property
    def practices(self):
        return [link.practice for link in self.linked_practices.select_related("practice")]

    @property
    def participants(self):
        for indicator in self.indicators.all():
            if indicator.key == "participants" and indicator.unit == "count":
                return int(indicator.value)
        return None


class ReportIndicator(OutcomeIndicator):
    page = ParentalKey(ProjectReportPage, on_delete=models.CASCADE, related_name="indicators")


class ReportFunding(FundingSource):
    page = ParentalKey(ProjectReportPage, on_delete=models.CASCADE, related_name="funding")


class ReportMethod(Orderable):
    page = ParentalKey(ProjectReportPage, on_delete=models.CASCADE, related_name="method_links")
    method = models.ForeignKey(
        "practices.MethodPage",
        verbose_name=_("method"),
        on_delete=models.CASCADE,
        related_name="report_links",
    )

    panels = [PageChooserPanel("method", "practices.MethodPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("method applied")
        verbose_name_plural = _("methods applied")


class ReportPractice(Orderable):
    page = ParentalKey(ProjectReportPage, on_delete=models.CASCADE, related_name="linked_practices")
    practice = models.ForeignKey(
        "practices.PracticePage",
        verbose_name=_("practice"),
        on_delete=models.CASCADE,
        related_name="report_links",
    )

    panels = [PageChooserPanel("practice", "practices.PracticePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("linked practice")
        verbose_name_plural = _("linked practices")
