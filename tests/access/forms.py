"""Submit Wagtail's page editor as a browser would: read the form, change fields, post it."""

from bs4 import BeautifulSoup
from django.urls import reverse

SKIPPED_INPUT_TYPES = {"submit", "button", "file", "image", "reset"}


def _inside_template(element):
    return any(parent.name == "template" for parent in element.parents)


def form_data(html, form_id="page-edit-form"):
    """The values a browser would send for the form, as ``{name: value or [values]}``."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    assert form is not None, f"no form #{form_id} in the page"
    data = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.has_attr("disabled") or _inside_template(element):
            continue
        if element.name == "textarea":
            add(name, element.text)
        elif element.name == "select":
            options = element.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if not chosen and options and not element.has_attr("multiple"):
                chosen = options[:1]
            for option in chosen:
                add(name, option.get("value", option.text))
            if not chosen:
                data.setdefault(name, [])
        else:
            kind = (element.get("type") or "text").lower()
            if kind in SKIPPED_INPUT_TYPES:
                continue
            if kind in {"checkbox", "radio"}:
                if element.has_attr("checked"):
                    add(name, element.get("value", "on"))
                continue
            add(name, element.get("value", ""))
    # Stream fields and the comments formset are built by JavaScript; send them empty.
    data.setdefault("body-count", ["0"])
    for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data.setdefault(f"comments-{key}", ["0" if key != "MAX_NUM_FORMS" else "1000"])
    return {name: values if len(values) != 1 else values[0] for name, values in data.items()}


def edit_form_data(client, page, **changes):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200, response.status_code
    data = form_data(response.content.decode())
    data.update(changes)
    return data


def post_edit(client, page, action=None, **changes):
    """Post the editor for ``page`` with ``changes``; ``action`` e.g. "submit", "publish"."""
    data = edit_form_data(client, page, **changes)
    if action:
        data[f"action-{action}"] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
