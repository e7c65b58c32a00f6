"""Index pages that list practices, methods and reports, one record per translation group."""

from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from practices.locales import by_id
from practices.records import records_for_reader
from practices.visibility import visible

from .method import MethodPage
from .practice import PracticePage
from .report import ProjectReportPage
from .taxonomy import ActivityType, TargetGroup


class IndexPage(Page):
    """Abstract listing page: children filtered by GET parameters and paginated."""

    per_page = 20
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        return "practices/index_page.html"

    @property
    def child_model(self):
        raise NotImplementedError

    def filtered_records(self, params):
        pages = visible(self.child_model.objects)
        activity_types = [value for value in params.getlist("activity_type") if value]
        target_groups = [value for value in params.getlist("target_group") if value]
        regions = [value for value in params.getlist("region") if value]
        if activity_types:
            pages = pages.filter(activity_types__slug__in=activity_types)
        if target_groups:
            pages = pages.filter(target_groups__slug__in=target_groups)
        if regions:
            pages = pages.filter(
                Q(regions__code__in=regions) | Q(municipalities__region__code__in=regions)
            )
        return (
            pages.values("translation_key")
            .annotate(first_id=Min("id"))
            .order_by("-first_id")
            .values_list("translation_key", flat=True)
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.filtered_records(request.GET), self.per_page)
        page_of_keys = paginator.get_page(request.GET.get("page"))
        locale = by_id(self.locale_id)
        records = records_for_reader(
            self.child_model.objects.select_related("organisation"),
            list(page_of_keys.object_list),
            locale,
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            records=records,
            paginator=paginator,
            page_obj=page_of_keys,
            filter_query=query.urlencode(),
            activity_type_choices=ActivityType.objects.filter(locale=locale),
            target_group_choices=TargetGroup.objects.filter(locale=locale),
            selected_activity_types=request.GET.getlist("activity_type"),
            selected_target_groups=request.GET.getlist("target_group"),
            selected_count=len(
                [v for v in request.GET.getlist("activity_type") if v]
                + [v for v in request.GET.getlist("target_group") if v]
            ),
        )
        return context


class PracticeIndexPage(IndexPage):
    """Lists good-practice cases; child of the home page."""

    subpage_types = ["practices.PracticePage"]

    class Meta:
        verbose_name = _("practice index")

    @property
    def child_model(self):
        return PracticePage


class MethodIndexPage(IndexPage):
    """Lists methods; child of the home page."""

    subpage_types = ["practices.MethodPage"]

    class Meta:
        verbose_name = _("method index")

    @property
    def child_model(self):
        return MethodPage


class ReportIndexPage(IndexPage):
    """Lists project reports; child of the home page."""

    subpage_types = ["practices.ProjectReportPage"]

    class Meta:
        verbose_name = _("report index")

    @property
    def child_model(self):
        return ProjectReportPage
