"""Index pages that list practices, methods and reports, one record per translation group.

A listing costs the same whatever the size of the site: a record's first visible page is found
by an anti-join (no older visible page with its translation key, an index lookup per page) in
the order pages were created, newest first, so a page of the listing reads about as many rows
as it shows; and the number of records, the one figure that reads them all, is kept in the
fragment cache until a record of the type is published or unpublished, a view restriction
changes or the taxonomy does (``caching``'s tags).
"""

import hashlib

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from caching import fragments
from practices.locales import by_id
from practices.records import records_for_reader
from practices.visibility import visible

from .method import MethodPage
from .practice import PracticePage
from .report import ProjectReportPage
from .taxonomy import ActivityType, TargetGroup


class CountedListing:
    """A listing's lazy queryset for ``Paginator``, its count kept in the fragment cache
    under ``tags`` (counting reads every record; a page of it reads a page)."""

    def __init__(self, queryset, key, tags):
        self.queryset = queryset
        self.key = key
        self.tags = tags
        self.ordered = True

    def count(self):
        return fragments.cached(self.key, self.tags, self.queryset.count)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return self.queryset[index]


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
        """The translation keys of the records with a visible page matching ``params``'
        filters, newest first (by their first visible page), as a lazy queryset."""
        model = self.child_model
        pages = visible(model.objects)
        activity_types = [value for value in params.getlist("activity_type") if value]
        target_groups = [value for value in params.getlist("target_group") if value]
        regions = [value for value in params.getlist("region") if value]
        # Filters as subqueries: joins would repeat a page once per matching term.
        if activity_types:
            matching = model.objects.filter(activity_types__slug__in=activity_types)
            pages = pages.filter(pk__in=matching.values("pk"))
        if target_groups:
            matching = model.objects.filter(target_groups__slug__in=target_groups)
            pages = pages.filter(pk__in=matching.values("pk"))
        if regions:
            matching = model.objects.filter(
                Q(regions__code__in=regions) | Q(municipalities__region__code__in=regions)
            )
            pages = pages.filter(pk__in=matching.values("pk"))
        older = pages.filter(translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
        return (
            pages.filter(~Exists(older)).order_by("-pk").values_list("translation_key", flat=True)
        )

    def listing(self, params):
        """``filtered_records`` with its count kept in the fragment cache."""
        record_type = self.child_model.interchange_type
        filters = sorted(
            (name, sorted(value for value in params.getlist(name) if value))
            for name in ("activity_type", "target_group", "region")
        )
        digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:24]
        return CountedListing(
            self.filtered_records(params),
            f"listing-count:{record_type}:{digest}",
            (f"list:{record_type}", "restrictions", "taxonomy"),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.listing(request.GET), self.per_page)
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
