"""The page form of practices, methods and reports: editors' pages stay in their organisation.

An organisation editor may only choose one of their own organisations for a page (the only
one is preselected on new pages), so they cannot create a page "belonging" to Hylte, nor hand
one of theirs over. Coordinators choose freely.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from practices.models import Organisation

from .scope import is_organisation_scoped, is_source_locale, is_translator, organisation_ids


def limit_organisation_choices(form, user):
    field = form.fields.get("organisation")
    if field is None or user is None or not is_organisation_scoped(user):
        return
    page = form.instance
    if is_translator(user) and page.locale_id and not is_source_locale(page):
        return  # translations copy the source page's organisation
    own = organisation_ids(user)
    field.queryset = field.queryset.filter(pk__in=own)
    field.required = True
    # A plain list of their own organisations instead of the snippet chooser, which would
    # offer every organisation (and needs rights on the organisation snippets).
    field.widget = forms.Select()
    field.widget.choices = field.choices
    field.error_messages["invalid_choice"] = _(
        "Choose one of your own organisations. Ask a coordinator to move a page to another "
        "organisation."
    )
    field.help_text = _("The organisation that owns this page. Its editors can change it.")
    if len(own) == 1:
        field.empty_label = None
        if not page.organisation_id:
            form.initial["organisation"] = next(iter(own))


def preselect_own_municipality(form, user):
    """A new page of an editor of one organisation starts with that organisation's
    municipality chosen (most practices run where their organisation sits)."""
    field = form.fields.get("municipalities")
    page = form.instance
    if field is None or user is None or page.pk or not is_organisation_scoped(user):
        return
    own = organisation_ids(user)
    if len(own) != 1:
        return
    municipality = (
        Organisation.objects.filter(pk__in=own).values_list("municipality", flat=True).first()
    )
    if municipality and not form.initial.get("municipalities"):
        form.initial["municipalities"] = [municipality]


class ContentPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_organisation_choices(self, self.for_user)
        preselect_own_municipality(self, self.for_user)
