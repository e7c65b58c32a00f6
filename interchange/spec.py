"""What the interchange format holds for each record type, and how it maps onto the pages.

See docs/interchange.md. Besides the shared fields, the platform writes a few optional
extension fields so an export imported into an empty site reproduces the pages exactly; other
systems may ignore them.
"""

from practices.models import (
    CONTENT_PAGE_TYPES,
    MethodIndexPage,
    PracticeIndexPage,
    ReportIndexPage,
)

LANGUAGES = ("sv", "en", "ar", "fa")

PAGE_MODELS = CONTENT_PAGE_TYPES
INDEX_MODELS = {
    "practice": PracticeIndexPage,
    "method": MethodIndexPage,
    "report": ReportIndexPage,
}
# Methods are written first, then practices, then reports, so references resolve.
TYPE_ORDER = {"method": 0, "practice": 1, "report": 2}

# Extension fields: Markdown text in rich text fields, per type.
RICH_TEXT_FIELDS = {
    "practice": ("challenge", "results", "lessons_learned"),
    "method": ("when_to_use", "prerequisites", "variations", "evidence"),
    "report": (),
}
# Extension fields: short plain text, per type.
PLAIN_TEXT_FIELDS = {"practice": (), "method": ("staff", "time_needed"), "report": ()}
CHOICE_FIELDS = {"practice": {}, "method": {"cost_level": ("low", "medium", "high")}, "report": {}}
# Extension fields: lists of names.
NAME_LIST_FIELDS = {
    "practice": ("partners", "keywords"),
    "method": ("keywords",),
    "report": ("partners", "keywords"),
}
# References to other records by external id: field → the type they must have.
REFERENCE_FIELDS = {
    "practice": {"methods": "method"},
    "method": {},
    "report": {"methods": "method", "practices": "practice"},
}

SHARED_FIELDS = {
    "external_id",
    "type",
    "locale",
    "title",
    "summary",
    "body",
    "organisation",
    "municipalities",
    "regions",
    "activity_types",
    "target_groups",
    "start_date",
    "end_date",
    "funding",
    "indicators",
    "methods",
    "contact",
    "translations",
}


def allowed_fields(record_type):
    return (
        SHARED_FIELDS
        | set(RICH_TEXT_FIELDS[record_type])
        | set(PLAIN_TEXT_FIELDS[record_type])
        | set(CHOICE_FIELDS[record_type])
        | set(NAME_LIST_FIELDS[record_type])
        | set(REFERENCE_FIELDS[record_type])
    )


# Text a translation carries that the source record holds elsewhere: the contact's role (the
# source's is ``contact.role``; the contact's name and address are the same in every language).
TRANSLATION_ONLY_FIELDS = ("contact_role",)


def translatable_fields(record_type):
    """Text fields a translation may carry (the others are synchronised from the source)."""
    return (
        ("title", "summary", "body")
        + RICH_TEXT_FIELDS[record_type]
        + PLAIN_TEXT_FIELDS[record_type]
        + TRANSLATION_ONLY_FIELDS
    )
