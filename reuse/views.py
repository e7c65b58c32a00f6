"""Public views for reuse: the overview, the outcome comparison (page and CSV), the contact form.

Thin: parse the request, ask ``adoptions``/``comparison``/``contact``, render.
"""

from http import HTTPStatus
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from caching import fragments
from home.information import personal_data_url
from home.page_cache import tag_request
from practices.locales import active_locale, default_locale
from practices.models import ActivityType, MethodPage, Organisation, Region
from practices.records import records_for_reader
from practices.visibility import visible

from . import comparison, contact, export, outcome_records
from .adoptions import RANKING_TAGS, reuse_overview


def _activity_type_choices():
    """(slug, label in the reader's language) for every activity type: one query for the
    source terms and their translations in the reader's language."""
    source, reader = default_locale(), active_locale()
    terms = list(ActivityType.objects.filter(locale__in={source.pk, reader.pk}))
    names = {term.translation_key: term.name for term in terms if term.locale_id == reader.pk}
    choices = sorted(
        (
            (term.slug, names.get(term.translation_key, term.name))
            for term in terms
            if term.locale_id == source.pk
        ),
        key=lambda choice: choice[1],
    )
    return [("", _("All activity types"))] + choices


def _region_choices():
    return [("", _("All regions"))] + [(r.code, r.name) for r in Region.objects.all()]


class OverviewFilterForm(forms.Form):
    activity_type = forms.ChoiceField(
        label=_("Activity type"),
        required=False,
        error_messages={"invalid_choice": _("There is no activity type “%(value)s”.")},
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("There is no region with the code “%(value)s”.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].choices = _activity_type_choices()
        self.fields["region"].choices = _region_choices()


# What the overview and the comparisons show, for the page cache (home.page_cache).
REUSE_TAGS = ("site", "taxonomy", "orgs", "reuse")


def overview(request):
    """Methods ranked by how many organisations use them; filter by activity type and region."""
    tag_request(request, *REUSE_TAGS)
    form = OverviewFilterForm(request.GET or None)
    activity_type = region = None
    status = HTTPStatus.OK
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["activity_type"]:
                activity_type = ActivityType.objects.get(
                    locale__language_code=settings.LANGUAGE_CODE,
                    slug=form.cleaned_data["activity_type"],
                )
            if form.cleaned_data["region"]:
                region = Region.objects.get(code=form.cleaned_data["region"])
        else:
            status = HTTPStatus.BAD_REQUEST
    # The page links keep the filters that apply.
    kept = {
        "activity_type": activity_type.slug if activity_type else "",
        "region": region.code if region else "",
    }
    filter_query = urlencode({key: value for key, value in kept.items() if value})
    page_number = (request.GET.get("page") or "")[:12]

    def render_results():
        result = reuse_overview(
            active_locale(),
            activity_type=activity_type,
            region=region,
            page_number=page_number or None,
        )
        context = {"overview": result, "filter_query": filter_query}
        return (
            render_to_string("reuse/overview_results.html", context, request=request),
            render_to_string("reuse/overview_map.html", context, request=request),
        )

    # The ranking, its table and its map show every reader of a language the same: rendered
    # once per change of what they count (``RANKING_TAGS``), as a record page's body is.
    key = f"reuse-overview-html:{get_language()}:{kept['activity_type']}:{kept['region']}"
    results, results_map = fragments.cached(f"{key}:{page_number}", RANKING_TAGS, render_results)
    context = {"form": form, "results": mark_safe(results), "results_map": mark_safe(results_map)}  # noqa: S308 - our templates' own output
    return TemplateResponse(request, "reuse/overview.html", context, status=status)


def _method_for_reader(external_id):
    """The method with ``external_id`` in the reader's language where live, else 404."""
    pages = visible(MethodPage.objects.filter(external_id=external_id))
    keys = list(pages.values_list("translation_key", flat=True).distinct()[:1])
    found = records_for_reader(MethodPage.objects.all(), keys, active_locale())
    if not found:
        raise Http404("No such method.")
    return found[0]


def _activity_type(slug):
    """The source-language term with ``slug`` (pages link to those rows), else 404."""
    return get_object_or_404(ActivityType, locale__language_code=settings.LANGUAGE_CODE, slug=slug)


def _organisation_kind_choices():
    return [("", _("All kinds of organisation")), *Organisation.Kind.choices]


class ComparisonFilterForm(forms.Form):
    """What narrows a comparison, and its order. A value that is wrong is named and left
    out; the others still apply."""

    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("There is no region with the code “%(value)s”.")},
    )
    year = forms.IntegerField(
        label=_("Running in the year"),
        required=False,
        min_value=1990,
        max_value=2100,
        error_messages={"invalid": _("Enter a year as four digits, for example 2024.")},
    )
    organisation_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        required=False,
        error_messages={
            "invalid_choice": _("There is no kind of organisation “%(value)s”."),
        },
    )
    sort = forms.CharField(
        label=_("Sort by"), required=False, max_length=80, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _region_choices()
        self.fields["organisation_kind"].choices = _organisation_kind_choices()

    def clean_sort(self):
        value = self.cleaned_data["sort"].strip()
        if value and comparison.sort_from(value) is None:
            raise forms.ValidationError(
                _("The table cannot be sorted by “%(value)s”. Select a column heading instead."),
                params={"value": value},
            )
        return value


# Download formats: (content type, file name ending).
DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "excel-csv": ("text/csv; charset=utf-8", "-excel.csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


def _download(request, records, columns, sort, subject_name, name, download):
    """The whole set, read in batches: CSV streamed a batch at a time; the workbook written
    in openpyxl's write-only mode."""

    def absolute_url(page):
        return request.build_absolute_uri(page.url)

    pages = outcome_records.batches(records.ordered(*sort))
    content_type, ending = DOWNLOADS[download]
    if download == "xlsx":
        body = export.to_xlsx(
            pages, columns, absolute_url, subject_name, right_to_left=get_language_bidi()
        )
        response = HttpResponse(body, content_type=content_type)
    else:
        lines = export.csv_lines(pages, columns, absolute_url, for_excel=download == "excel-csv")
        response = StreamingHttpResponse(lines, content_type=content_type)
    filename = f"comparison-{slugify(name) or 'outcomes'}-{get_language()}{ending}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _respond(request, kind, subject, sources, name, url_name, download):
    if download is not None and download not in DOWNLOADS:
        raise Http404("No such download.")
    if download is None and request.GET.get("format") == "csv":
        download = "csv"
    form = ComparisonFilterForm(request.GET)
    status = HTTPStatus.OK if form.is_valid() else HTTPStatus.BAD_REQUEST
    chosen = form.cleaned_data  # the valid values only: a wrong one is named and left out
    region = Region.objects.filter(code=chosen["region"]).first() if chosen.get("region") else None
    records = outcome_records.OutcomeRecords(
        sources,
        active_locale(),
        region=region,
        year=chosen.get("year"),
        organisation_kind=chosen.get("organisation_kind", ""),
        subject=f"{kind}:{name}",
    )
    sort = comparison.sort_from(chosen.get("sort") or comparison.PAGE_SORT)
    subject_name = subject.title if kind == "method" else subject.name
    if download is not None:
        if status != HTTPStatus.OK:
            errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
            return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
        columns = comparison.columns_of(records)
        return _download(request, records, columns, sort, subject_name, name, download)
    result = comparison.compare_records(records, *sort, page_number=request.GET.get("page"))
    kept = {key: str(value) for key, value in chosen.items() if value not in ("", None)}
    kept.pop("sort", None)
    sort_value = f"-{sort[0]}" if sort[1] else sort[0]
    download_query = urlencode({**kept, "sort": sort_value})
    context = {
        "kind": kind,
        "subject": subject,
        "subject_name": subject_name,
        "comparison": result,
        "form": form,
        "page_obj": result.page_obj,
        "filter_query": download_query,  # the pagination links keep filters and sort
        "sort_base": urlencode(kept),  # the column headings keep the filters
        "filtered": bool(kept),
        "downloads": {
            form_name.replace("-", "_"): reverse(url_name, args=[name, form_name])
            + "?"
            + download_query
            for form_name in DOWNLOADS
        },
    }
    return TemplateResponse(request, "reuse/comparison.html", context, status=status)


def compare_method(request, external_id, download=None):
    """Outcomes of the practices and reports that applied a method."""
    tag_request(request, *REUSE_TAGS)
    method = _method_for_reader(external_id)
    sources = outcome_records.method_sources(method)
    url_name = "reuse_compare_method_download"
    return _respond(request, "method", method, sources, external_id, url_name, download)


def compare_activity_type(request, slug, download=None):
    """Outcomes of the practices and reports of one activity type."""
    tag_request(request, *REUSE_TAGS)
    term = _activity_type(slug)
    return _respond(
        request,
        "activity",
        term.localized,
        outcome_records.activity_type_sources(term),
        slug,
        "reuse_compare_activity_download",
        download,
    )


def _contact_page_or_404(page_id):
    page = get_object_or_404(visible(Page.objects), pk=page_id)
    page = contact.contact_page(page)
    if page is None:
        raise Http404("This page takes no questions.")
    return page


@require_http_methods(["GET", "POST"])
def contact_owner(request, page_id):
    """The contact form: shown on the page itself, and here again when it needs correcting."""
    page = _contact_page_or_404(page_id)
    if request.method == "GET":
        return TemplateResponse(
            request,
            "reuse/contact/form_page.html",
            {
                "page": page,
                "form": contact.ContactForm(),
                "personal_data_url": personal_data_url(),
            },
        )
    if not contact.allow(request):
        return TemplateResponse(
            request,
            "reuse/contact/rate_limited.html",
            {"page": page, "window_minutes": contact.rate_limit().ttl_minutes()},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    form = contact.ContactForm(request.POST)
    if form.is_bot:
        # Answer a bot as if it had succeeded, so it learns nothing; send nothing.
        return redirect("reuse_contact_sent", page_id=page.pk)
    if not form.is_valid():
        return TemplateResponse(
            request,
            "reuse/contact/form_page.html",
            {"page": page, "form": form, "personal_data_url": personal_data_url()},
            status=HTTPStatus.BAD_REQUEST,
        )
    contact.send(page, form.cleaned_data, request.build_absolute_uri(page.url), get_language())
    contact.count_sent(request)
    return redirect("reuse_contact_sent", page_id=page.pk)


def contact_sent(request, page_id):
    page = _contact_page_or_404(page_id)
    return TemplateResponse(request, "reuse/contact/sent.html", {"page": page})
