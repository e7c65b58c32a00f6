"""The "Method adoptions" admin: organisations record their own use of any method.

An adoption belongs to the adopting organisation, so its editors record it here without
editing the method page (which belongs to the method's owner). Organisation editors list,
edit and remove only their own organisations' adoptions and may only pick one of their own
organisations; coordinators manage all of them (``reuse.permissions``).

Imported from ``practices.wagtail_hooks``.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, PageChooserPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets

from organisations.scope import organisation_ids
from practices.models import MethodAdoption

from .permissions import (
    AdoptionPermissionPolicy,
    adoptions_for_user,
    may_manage,
    sees_all_adoptions,
)

register_permission_policy(MethodAdoption, AdoptionPermissionPolicy(MethodAdoption))


class AdoptionForm(WagtailAdminModelForm):
    """Keeps an organisation editor's adoptions in their own organisations."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields.get("organisation")
        if user is None or field is None or sees_all_adoptions(user):
            return
        own = organisation_ids(user)
        field.queryset = field.queryset.filter(pk__in=own)
        if len(own) == 1 and not self.instance.pk:
            self.initial.setdefault("organisation", next(iter(own)))


class OwnAdoptionMixin:
    """Refuses an adoption of an organisation the user does not work for, even by direct URL.

    Wagtail answers a refusal with its "no permission" message on the dashboard (403 to
    script requests), as it does for pages.
    """

    def get_object(self, *args, **kwargs):
        adoption = super().get_object(*args, **kwargs)
        if not may_manage(self.request.user, adoption):
            raise PermissionDenied
        return adoption


class EditView(OwnAdoptionMixin, snippets.EditView):
    pass


class DeleteView(OwnAdoptionMixin, snippets.DeleteView):
    pass


class HistoryView(OwnAdoptionMixin, snippets.HistoryView):
    pass


class UsageView(OwnAdoptionMixin, snippets.UsageView):
    pass


class MethodAdoptionViewSet(snippets.SnippetViewSet):
    model = MethodAdoption
    icon = "resubmit"
    menu_label = _("Method adoptions")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False  # one adoption per method and organisation: nothing to copy
    list_display = ["method", "organisation", "status", "start_date"]
    list_filter = ["status"]
    search_fields = ["method__title", "organisation__name", "changes"]

    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView
    usage_view_class = UsageView

    edit_handler = ObjectList(
        [
            PageChooserPanel("method", "practices.MethodPage"),
            FieldPanel("organisation"),
            FieldRowPanel([FieldPanel("status"), FieldPanel("start_date")]),
            FieldPanel("changes"),
            PageChooserPanel("practice", "practices.PracticePage"),
        ],
        base_form_class=AdoptionForm,
    )

    def get_queryset(self, request):
        return adoptions_for_user(request.user).select_related("method", "organisation")


register_snippet(MethodAdoptionViewSet)
