"""Template helpers for reuse on practice, method and report pages: who uses a method, which
methods a practice is based on, the contact form."""

from django import template

from home.information import personal_data_url
from practices.locales import active_locale
from reuse.adoptions import based_on_methods as methods_of_practice
from reuse.adoptions import method_reuse as reuse_of_method
from reuse.contact import ContactForm, contact_page

register = template.Library()


@register.inclusion_tag("reuse/contact/form.html", takes_context=True)
def contact_form(context, page):
    """An empty contact form for ``page``, posting to the contact view; nothing when the page
    takes no questions. The contact's address is never part of the form."""
    return {
        "page": contact_page(page),
        "form": ContactForm(),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "personal_data_url": personal_data_url(),
    }


@register.filter
def cells(row, columns):
    """A comparison row's indicators in column order (None where it measured nothing)."""
    return row.cell_list(columns)


@register.simple_tag
def method_reuse(method):
    """The organisations that use ``method``, read in the active language."""
    return reuse_of_method(method, active_locale())


@register.simple_tag
def based_on_methods(practice):
    """Live methods ``practice`` applied or adopted, in the active language where live."""
    return methods_of_practice(practice, active_locale())
