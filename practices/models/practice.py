"""Good-practice cases: what a municipality or association did, for whom, and what it achieved."""

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
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail_localize.fields import SynchronizedField

from practices.blocks import PARAGRAPH_FEATURES

from .base import ContentPage
from .outcomes import FundingSource, OutcomeIndicator
from .taxonomy import PracticeKeyword


class PracticePage(ContentPage):
    """A good-practice case; lives under the practice index page."""

    interchange_type = "practice"

    challenge = RichTextField(
        _("the challenge"),
        features=PARAGRAPH_FEATURES,
        blank=True,
        help_text=_("What problem did you set out to solve, and for whom?"),
    )
    results = RichTextField(
        _("results"),
        features=PARAGRAPH_FEATURES,
        blank=True,
        help_text=_("What it achieved. Put measured figures in the outcome indicators too."),
    )
    lessons_learned = RichTextField(
        _("lessons learned"),
        features=PARAGRAPH_FEATURES,
        blank=True,
        help_text=_("What worked, and what did not: the most useful part for others."),
    )
    partners = ParentalManyToManyField(
        "practices.Organisation",
        verbose_name=_("partners"),
        help_text=_("Other organisations that took part."),
        blank=True,
        related_name="+",
    )
    keywords = ClusterTaggableManager(
        through=PracticeKeyword, blank=True, verbose_name=_("keywords")
    )

    # Partner organisations are the same in every language (wagtail-localize skips
    # many-to-many fields unless declared).
    override_translatable_fields = ContentPage.override_translatable_fields + [
        SynchronizedField("partners"),
    ]
    parent_page_types = ["practices.PracticeIndexPage"]
    subpage_types = []

    search_text_fields = ("challenge", "results", "lessons_learned")

    content_panels = ContentPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("challenge"),
        FieldPanel("body", heading=_("What was done")),
        FieldPanel("results"),
        FieldPanel("lessons_learned"),
        InlinePanel("images", heading=_("Images"), label=_("Image")),
        InlinePanel("documents", heading=_("Documents"), label=_("Document")),
    ]
    facts_panels = [
        MultiFieldPanel(
            ContentPage.place_panels + [FieldPanel("partners")], heading=_("Who and where")
        ),
        ContentPage.period_panel,
        MultiFieldPanel(
            ContentPage.taxonomy_panels + [FieldPanel("keywords")], heading=_("Taxonomy")
        ),
        InlinePanel("method_links", heading=_("Methods applied"), label=_("Method")),
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
        verbose_name = _("good-practice case")
        verbose_name_plural = _("good-practice cases")

    @property
    def methods(self):
        return [link.method for link in self.method_links.select_related("method") if link.method]


class PracticeIndicator(OutcomeIndicator):
    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="indicators")


class PracticeFunding(FundingSource):
    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="funding")


class PracticeMethod(Orderable):
    """A method the practice applied; the method page lists its practices from these rows."""

    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="method_links")
    method = models.ForeignKey(
        "practices.MethodPage",
        verbose_name=_("method"),
        on_delete=models.CASCADE,
        related_name="practice_links",
    )

    panels = [PageChooserPanel("method", "practices.MethodPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("method applied")
        verbose_name_plural = _("methods applied")


class PracticeImage(Orderable):
    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("alternative text"),
        max_length=255,
        help_text=_("Describe what the image shows for someone who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]


class PracticeDocument(Orderable):
    page = ParentalKey(PracticePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("link text"), max_length=255, blank=True, help_text=_("Defaults to the document's title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def link_text(self):
        return self.title or self.document.title
