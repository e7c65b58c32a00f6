"""Admin widgets for the page editor."""

from django import forms


class MunicipalityChooser(forms.CheckboxSelectMultiple):
    """Sweden's 290 municipalities as checkboxes with a search box above them.

    Without JavaScript every municipality is a checkbox (keyboard and screen readers work as
    with any list of checkboxes); with it (``static/js/municipality-chooser.js``), typing
    narrows the list to the names that match, the chosen ones always stay in view, and the
    count of chosen municipalities is announced.
    """

    template_name = "practices/widgets/municipality_chooser.html"

    class Media:
        js = ["js/municipality-chooser.js"]
