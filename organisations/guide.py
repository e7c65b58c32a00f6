"""The editors' guide: how to write a good practice on the platform, and the review path.

An admin page in the help menu (every signed-in editor, translator and coordinator), in the
admin's language; it links to the dashboard's "New practice" actions.
"""

from django.template.response import TemplateResponse

from .panels import new_page_links
from .workflow import WORKFLOW_NAME


def editors_guide(request):
    return TemplateResponse(
        request,
        "organisations/editors_guide.html",
        {"new_pages": new_page_links(request.user), "workflow_name": WORKFLOW_NAME},
    )
