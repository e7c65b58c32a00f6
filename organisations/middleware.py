"""Admin views that name one page by its id show its title before asking what the user may do
with it: the explorer and the page chooser opened at that page, and the bulk actions'
confirmation pages (``?id=…``, sequential ids would list every title). For an editor of one
organisation, naming another organisation's draft there is refused the way Wagtail refuses
(the dashboard with "Sorry, you do not have permission…", 403 to scripts), so no title shows.
"""

from wagtail.admin.auth import permission_denied

from .permissions import hidden_drafts
from .scope import is_organisation_scoped

# URL names of admin views that show the page whose id they take, and where the id is.
PAGE_VIEWS = {
    "wagtailadmin_explore": "parent_page_id",
    "wagtailadmin_choose_page_child": "parent_page_id",
}
BULK_VIEWS = {"wagtail_bulk_action"}


def _ids(values):
    return {int(value) for value in values if str(value).isdigit()}


class HiddenDraftsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.url_name not in PAGE_VIEWS.keys() | BULK_VIEWS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_organisation_scoped(user):
            return None
        if match.url_name in BULK_VIEWS:
            ids = _ids(request.GET.getlist("id") + request.POST.getlist("id"))
        else:
            ids = _ids([view_kwargs.get(PAGE_VIEWS[match.url_name], "")])
        if ids and hidden_drafts(user).filter(pk__in=ids).exists():
            return permission_denied(request)
        return None
