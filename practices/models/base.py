"""What every practice, method and report page shares: identity, place, taxonomy, contact."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import classproperty
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from practices.blocks import BodyBlock
from practices.locales import active_locale
from practices.widgets import MunicipalityChooser

from .taxonomy import source_language_terms


class ContentPage(Page):
    """Abstract base for the three kinds of content that are published, searched and compared."""

    # Short names used in external ids, the interchange format and search results.
    interchange_type = ""

    external_id = models.CharField(
        _("external id"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_(
            "Stable identifier shared with other systems; translations share it. "
            "Generated for pages made in the admin."
        ),
    )
    summary = models.TextField(
        _("summary"), help_text=_("One plain paragraph: what it is and what it achieved.")
    )
    body = StreamField(
        BodyBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_(
            "The whole story: background, how you worked, results and what you learnt. Use "
            "headings and short paragraphs: many readers are on a phone."
        ),
    )
    organisation = models.ForeignKey(
        "practices.Organisation",
        verbose_name=_("organisation"),
        help_text=_("The organisation that owns this page. Its editors can change it."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    municipalities = ParentalManyToManyField(
        "practices.Municipality",
        verbose_name=_("municipalities"),
        help_text=_("Where it ran. Search by name and choose all that apply."),
        blank=True,
        related_name="+",
    )
    regions = ParentalManyToManyField(
        "practices.Region",
        verbose_name=_("regions"),
        blank=True,
        related_name="+",
        help_text=_("Regions where it ran, when it was not tied to particular municipalities."),
    )
    activity_types = ParentalManyToManyField(
        "practices.ActivityType",
        verbose_name=_("activity types"),
        help_text=_("What kind of work it is. Choose all that fit: readers filter by these."),
        blank=True,
        related_name="+",
        limit_choices_to=source_language_terms,
    )
    target_groups = ParentalManyToManyField(
        "practices.TargetGroup",
        verbose_name=_("target groups"),
        help_text=_("Who it is for. Choose all that fit."),
        blank=True,
        related_name="+",
        limit_choices_to=source_language_terms,
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("When the work started. The first of the month is fine if you are unsure."),
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("When it ended. Leave empty while it is still running."),
    )
    contact_name = models.CharField(
        _("contact name"),
        max_length=255,
        blank=True,
        help_text=_(
            "Who readers can ask: preferably a team or a function, such as “The project "
            "manager of Connecting People”. Name a person only with their consent."
        ),
    )
    contact_role = models.CharField(
        _("contact role"),
        max_length=255,
        blank=True,
        help_text=_("The contact's role, for example project manager."),
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_(
            "Readers' questions reach this address through a form; the address itself is "
            "never shown on the site."
        ),
    )
    # Freshness: the day the owning organisation last confirmed the page is still current
    # ("Still current" on the dashboard). Set on every translation of the record at once,
    # without a new revision (``practices.freshness``), and kept when a revision is published.
    last_reviewed = models.DateField(
        _("last reviewed by the owner"), null=True, blank=True, editable=False
    )

    # What a page says about itself to search: its title (Page's, boost 2), its summary (1.5),
    # and, in ``search_text_fields`` below, the text fields read besides summary and body. The
    # search app's backends add what they derive from these: the words' other forms, and the
    # page's taxonomy, places and organisation in every language (``search.documents``).
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=1.5),
        index.FilterField("start_date"),
        index.FilterField("end_date"),
        index.FilterField("organisation"),
        index.FilterField("external_id"),
        index.FilterField("last_reviewed"),
    ]
    # Rich-text fields of a page type that search reads besides summary and body.
    search_text_fields = ()

    @classmethod
    def get_indexed_objects(cls):
        """The pages an index rebuild reads, with their locale and organisation. (The search
        backends read the other relations an index entry shows for a whole chunk of pages at
        once: ``search.documents.prefetched_labels``.)"""
        return super().get_indexed_objects().select_related("locale", "organisation")

    override_translatable_fields = [
        SynchronizedField("external_id"),
        SynchronizedField("organisation"),
        SynchronizedField("municipalities"),
        SynchronizedField("regions"),
        SynchronizedField("activity_types"),
        SynchronizedField("target_groups"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
        SynchronizedField("contact_name"),
        SynchronizedField("contact_email"),
        SynchronizedField("last_reviewed"),
    ]

    class Meta:
        abstract = True

    # Panels shared by the page types, combined into tabs in each subclass.
    place_panels = [
        FieldPanel("organisation"),
        FieldPanel("municipalities", widget=MunicipalityChooser),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
    ]
    taxonomy_panels = [
        FieldPanel("activity_types", widget=forms.CheckboxSelectMultiple),
        FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
    ]
    period_panel = FieldRowPanel(
        [FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Period")
    )
    contact_panel = MultiFieldPanel(
        [FieldPanel("contact_name"), FieldPanel("contact_role"), FieldPanel("contact_email")],
        heading=_("Contact"),
    )

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    # Who may do what with a page, and the form editors fill in, are decided by the access
    # rules of the organisations app. The composition root names them in settings
    # (CONTENT_PAGE_FORM, CONTENT_PAGE_PERMISSION_TESTER), so the content model imports no
    # other app.

    @classproperty
    def base_form_class(cls):  # noqa: N805 - a class property
        return import_string(settings.CONTENT_PAGE_FORM)

    def permissions_for_user(self, user):
        """Page rights follow the page's organisation (see ``CONTENT_PAGE_PERMISSION_TESTER``)."""
        return import_string(settings.CONTENT_PAGE_PERMISSION_TESTER)(user, self)

    def with_content_json(self, content):
        """A revision carries the page's content, not when its owner last confirmed it: the
        confirmation stays as it is when an older revision is published or compared."""
        page = super().with_content_json(content)
        page.last_reviewed = self.last_reviewed
        return page

    def save(self, *args, **kwargs):
        if not self.external_id:
            self.external_id = self.generate_external_id()
        return super().save(*args, **kwargs)

    @classmethod
    def generate_external_id(cls):
        return f"{cls.interchange_type}-{uuid.uuid4().hex[:16]}"

    # Reading helpers for templates -------------------------------------------------

    def localized_terms(self, relation):
        """The terms of ``relation`` in the active language where translated (two queries,
        however many terms: ``term.localized`` costs two per term)."""
        terms = list(getattr(self, relation).all())
        locale = active_locale()
        if all(term.locale_id == locale.pk for term in terms):
            return terms
        model = type(terms[0])
        translated = {
            term.translation_key: term
            for term in model.objects.filter(
                locale=locale, translation_key__in=[term.translation_key for term in terms]
            )
        }
        return [translated.get(term.translation_key, term) for term in terms]

    @property
    def activity_types_localized(self):
        return self.localized_terms("activity_types")

    @property
    def target_groups_localized(self):
        return self.localized_terms("target_groups")

    @property
    def places(self):
        """Municipalities where it ran, else the regions."""
        return list(self.municipalities.all()) or list(self.regions.all())
