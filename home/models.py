"""The home page: the root of each language's page tree."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """Root of a language's tree; parent of the practice, method and report indexes."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "practices.PracticeIndexPage",
        "practices.MethodIndexPage",
        "practices.ReportIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from practices.models import MethodPage, PracticePage, ProjectReportPage
        from practices.records import records_for_reader

        context = super().get_context(request, *args, **kwargs)
        sections = []
        for model in (PracticePage, MethodPage, ProjectReportPage):
            keys = list(
                model.objects.live()
                .public()
                .order_by("-first_published_at")
                .values_list("translation_key", flat=True)
                .distinct()[:30]
            )
            latest = records_for_reader(model.objects.all(), keys, self.locale)[:3]
            sections.append({"model": model, "records": latest})
        context["sections"] = sections
        context["indexes"] = self.get_children().live().public().specific()
        return context
