"""The home page (the root of each language's page tree) and the site's information pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField

from caching import fragments
from practices.locales import by_id
from practices.models import MethodPage, PracticePage, ProjectReportPage
from practices.records import records_for_reader
from practices.visibility import visible

from .navigation import NavigationLink

# What the body of an information page may hold (headings below the page's own h1).
INFORMATION_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


LATEST_SHOWN = 3  # records of each kind on the home page
# Published pages read to find them: a record's translations are published near each other.
LATEST_SCANNED = 40


def _latest_records(model, count):
    """The translation keys of the ``count`` records of ``model`` published last (live,
    public), newest first: a few rows of one indexed query, whatever the size of the site."""
    keys = []
    newest = visible(model.objects).order_by("-first_published_at", "-pk")
    for key in newest.values_list("translation_key", flat=True)[:LATEST_SCANNED]:
        if key not in keys:
            keys.append(key)
            if len(keys) == count:
                break
    return keys


class HomePage(Page):
    """Root of a language's tree; parent of the practice, method and report indexes."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "practices.PracticeIndexPage",
        "practices.MethodIndexPage",
        "practices.ReportIndexPage",
        "home.InformationPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections = []
        for model in (PracticePage, MethodPage, ProjectReportPage):
            latest = records_for_reader(
                model.objects.select_related("locale", "organisation"),
                _latest_records(model, LATEST_SHOWN),
                by_id(self.locale_id),
            )
            sections.append({"model": model, "records": latest})
        context["sections"] = sections
        context["indexes"] = fragments.cached(
            f"home-sections:{self.pk}", ["site"], lambda: self._section_links(request)
        )
        return context

    def _section_links(self, request):
        """The index pages under this home page, as links (kept while ``site`` stands)."""
        return [
            NavigationLink(page.title, page.get_url(request), page.url_path)
            for page in visible(self.get_children()).not_type(InformationPage)
        ]


class InformationPurpose(models.TextChoices):
    """The pages every public site must have; the footer links them in this order."""

    ABOUT = "about", _("About the platform")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    PERSONAL_DATA = "personal_data", _("Personal data")


class InformationPage(Page):
    """A plain text page about the site itself (about, accessibility, personal data)."""

    summary = models.TextField(
        _("summary"),
        help_text=_("One or two sentences: shown under the title and in search engines."),
    )
    body = RichTextField(_("text"), features=INFORMATION_FEATURES)
    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=InformationPurpose.choices,
        blank=True,
        help_text=_(
            "Which of the site's required pages this is. The footer of every page links to "
            "them, and the contact form links to the personal data page."
        ),
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        null=True,
        blank=True,
        help_text=_(
            "When the content was last checked (the accessibility statement must say when it "
            "was last reviewed)."
        ),
    )
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Shown at the end of the page as the address to write to."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
        FieldPanel("contact_email"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("purpose")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    override_translatable_fields = [
        SynchronizedField("purpose"),
        SynchronizedField("last_reviewed"),
        SynchronizedField("contact_email"),
    ]

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
