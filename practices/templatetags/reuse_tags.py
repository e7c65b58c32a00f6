"""Template helpers for reuse: the contact form on practice, method and report pages."""

from django import template

from home.information import personal_data_url
from practices.reuse.contact import ContactForm, contact_page

register = template.Library()


@register.inclusion_tag("practices/contact/form.html", takes_context=True)
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
