"""Who may do what, page by page: the organisation decides, not just the folder.

Each test walks one action over every actor and page and asserts both the grants and the
denials; admin views are requested by their direct URLs, so a hidden button is not enough.
Wagtail's admin answers a refusal with a redirect to the dashboard and the message "Sorry, you
do not have permission to access this area." (403 to requests made by script); anonymous
visitors are sent to the login page.
"""

from http import HTTPStatus

from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from .forms import post_edit
from .world import build_world

ACTORS = ["sunne", "hylte", "coordinator", "translator", "anonymous"]
SOURCE_PAGES = ["sunne_draft", "hylte_draft", "hylte_live"]


class MatrixTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def user(self, actor):
        return self.world.users.get(actor)

    def page(self, name):
        return self.world.pages[name].specific_class.objects.get(pk=self.world.pages[name].pk)

    def login(self, actor):
        self.client.logout()
        if actor != "anonymous":
            self.client.force_login(self.user(actor))

    def outcome(self, actor, url):
        """ "ok", "refused", "login" or the unexpected status code."""
        self.login(actor)
        response = self.client.get(url)
        if response.status_code == HTTPStatus.OK:
            return "ok"
        if response.status_code == HTTPStatus.FORBIDDEN:
            return "refused"
        if response.status_code == HTTPStatus.FOUND:
            location = response["Location"]
            if location == reverse("wagtailadmin_home"):
                return "refused"
            if location.startswith(reverse("wagtailadmin_login")):
                return "login"
        return response.status_code

    def assert_matrix(self, url_name, expected, pages=SOURCE_PAGES):
        """GET the admin view for every actor and page: 200 where granted, else refused."""
        wrong = []
        for page_name in pages:
            page = self.world.pages[page_name]
            url = reverse(url_name, args=[page.pk])
            for actor in ACTORS:
                if actor == "anonymous":
                    want = "login"
                else:
                    want = "ok" if actor in expected[page_name] else "refused"
                got = self.outcome(actor, url)
                if got != want:
                    wrong.append(f"{actor} on {page_name}: {got}, expected {want}")
        assert not wrong, "\n".join(wrong)

    def assert_tester(self, method, expected, pages=SOURCE_PAGES):
        from django.contrib.auth.models import AnonymousUser

        wrong = []
        for page_name in pages:
            page = self.page(page_name)
            for actor in ACTORS:
                user = self.user(actor) or AnonymousUser()
                user = type(user).objects.get(pk=user.pk) if user.pk else user  # fresh caches
                result = getattr(page.permissions_for_user(user), method)()
                if result != (actor in expected[page_name]):
                    wrong.append(f"{actor} on {page_name}: {method}() = {result}")
        assert not wrong, "\n".join(wrong)


OWNERS = {
    "sunne_draft": {"sunne", "coordinator"},
    "hylte_draft": {"hylte", "coordinator"},
    "hylte_live": {"hylte", "coordinator"},
}
COORDINATOR_ONLY = {name: {"coordinator"} for name in SOURCE_PAGES}
# Editors may delete or move their organisation's drafts; live pages only coordinators.
DELETERS = {
    "sunne_draft": {"sunne", "coordinator"},
    "hylte_draft": {"hylte", "coordinator"},
    "hylte_live": {"coordinator"},
}


class TestViewDraft(MatrixTestCase):
    def test_view_draft(self):
        self.assert_matrix("wagtailadmin_pages:view_draft", OWNERS)

    def test_preview_on_edit(self):
        self.assert_matrix("wagtailadmin_pages:preview_on_edit", OWNERS)

    def test_revision_history(self):
        self.assert_matrix("wagtailadmin_pages:history", OWNERS)

    def test_draft_is_not_public(self):
        self.login("anonymous")
        response = self.client.get(
            self.world.pages["hylte_draft"].url or "/sv/goda-exempel/hylte-draft/"
        )
        assert response.status_code == HTTPStatus.NOT_FOUND

    def test_explorer_hides_other_organisations_drafts(self):
        url = reverse("wagtailadmin_explore", args=[self.world.index.pk])
        self.login("sunne")
        content = self.client.get(url).content.decode()
        assert "Sunne draft" in content
        assert "Hylte live" in content  # published pages are public anyway
        assert "Hylte draft" not in content

        self.login("coordinator")
        content = self.client.get(url).content.decode()
        assert "Sunne draft" in content and "Hylte draft" in content

    def test_admin_search_hides_other_organisations_drafts(self):
        url = reverse("wagtailadmin_pages:search") + "?q=draft"
        self.login("sunne")
        content = self.client.get(url).content.decode()
        assert "Sunne draft" in content
        assert "Hylte draft" not in content

        self.login("coordinator")
        content = self.client.get(url).content.decode()
        assert "Hylte draft" in content


class TestEdit(MatrixTestCase):
    def test_edit(self):
        self.assert_matrix("wagtailadmin_pages:edit", OWNERS)
        self.assert_tester("can_edit", OWNERS)

    def test_editors_cannot_edit_the_index_page(self):
        url = reverse("wagtailadmin_pages:edit", args=[self.world.index.pk])
        assert self.outcome("sunne", url) == "refused"
        # Translators work on the translations, not on the Swedish tree.
        assert self.outcome("translator", url) == "refused"
        assert self.outcome("coordinator", url) == "ok"

    def test_editors_can_add_pages_under_the_index(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["practices", "practicepage", self.world.index.pk]
        )
        assert self.outcome("sunne", url) == "ok"
        assert self.outcome("hylte", url) == "ok"
        assert self.outcome("translator", url) == "refused"

    def test_organisation_editor_keeps_rights_whoever_created_the_page(self):
        # A second editor of Hylte edits the page the first one created.
        from .world import make_user

        colleague = make_user("hylte-colleague", self.world.hylte.editors_group)
        self.client.force_login(colleague)
        url = reverse("wagtailadmin_pages:edit", args=[self.world.pages["hylte_draft"].pk])
        assert self.client.get(url).status_code == HTTPStatus.OK

    def test_page_handed_to_another_organisation_changes_hands_at_once(self):
        page = self.page("sunne_draft")
        self.login("coordinator")
        post_edit(self.client, page, organisation=str(self.world.hylte.pk))  # a draft save

        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert self.outcome("sunne", url) == "refused"
        assert self.outcome("hylte", url) == "ok"

    def test_translations(self):
        translation = self.world.pages["hylte_live_en"]
        url = reverse("wagtailadmin_pages:edit", args=[translation.pk])
        assert self.outcome("translator", url) == "ok"
        assert self.outcome("sunne", url) == "refused"
        assert self.outcome("coordinator", url) == "ok"
        translator = self.user("translator")
        assert not translation.permissions_for_user(translator).can_publish()

    def test_only_translators_and_coordinators_submit_translations(self):
        url = reverse(
            "wagtail_localize:submit_page_translation", args=[self.world.pages["hylte_live"].pk]
        )
        assert self.outcome("translator", url) == "ok"
        assert self.outcome("coordinator", url) == "ok"
        assert self.outcome("sunne", url) == "refused"
        assert self.outcome("hylte", url) == "refused"
        assert self.outcome("anonymous", url) == "login"


class TestSubmit(MatrixTestCase):
    def test_submit_for_review(self):
        self.assert_tester("can_submit_for_moderation", OWNERS)


class TestPublish(MatrixTestCase):
    def test_publish(self):
        self.assert_tester("can_publish", COORDINATOR_ONLY)
        self.assert_tester("can_lock", COORDINATOR_ONLY)

    def test_unpublish(self):
        self.assert_matrix(
            "wagtailadmin_pages:unpublish", {"hylte_live": {"coordinator"}}, ["hylte_live"]
        )


class TestDelete(MatrixTestCase):
    def test_delete(self):
        self.assert_matrix("wagtailadmin_pages:delete", DELETERS)
        self.assert_tester("can_delete", DELETERS)

    def test_refused_delete_leaves_the_page(self):
        self.login("sunne")
        page = self.world.pages["hylte_draft"]
        response = self.client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == reverse("wagtailadmin_home")
        assert type(page).objects.filter(pk=page.pk).exists()


class TestMove(MatrixTestCase):
    def test_move(self):
        self.assert_matrix("wagtailadmin_pages:move", DELETERS)
        self.assert_tester("can_move", DELETERS)

    def test_copy(self):
        self.assert_matrix("wagtailadmin_pages:copy", OWNERS)


class TestChooseCollection(MatrixTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Document = get_document_model()
        cls.documents = {}
        for key, organisation in (("sunne", cls.world.sunne), ("hylte", cls.world.hylte)):
            cls.documents[key] = Document.objects.create(
                title=f"{organisation.name} annual report",
                file=ContentFile(b"report", name=f"{key}.txt"),
                collection=organisation.collection,
            )

    def test_choosable_collections(self):
        sunne, hylte = self.world.sunne.collection, self.world.hylte.collection
        everything = set(Collection.objects.all())
        expected = {
            "sunne": {sunne},
            "hylte": {hylte},
            "coordinator": everything,
            "translator": set(),
        }
        for model in (get_image_model(), get_document_model()):
            policy = policy_registry.get_by_type(model)
            for actor, collections in expected.items():
                got = set(policy.collections_user_has_permission_for(self.user(actor), "choose"))
                assert got == collections, (policy, actor, got)
                adding = set(policy.collections_user_has_permission_for(self.user(actor), "add"))
                assert adding == collections, (policy, actor, adding)

    def test_document_chooser_offers_only_own_collection(self):
        url = reverse("wagtaildocs_chooser:choose")
        self.login("sunne")
        content = self.client.get(url).content.decode()
        assert "Sunne kommun annual report" in content
        assert "Hylte kommun annual report" not in content

        self.login("coordinator")
        content = self.client.get(url).content.decode()
        assert "Hylte kommun annual report" in content

        self.login("translator")
        content = self.client.get(url).content.decode()
        assert "annual report" not in content

    def test_cannot_upload_into_another_organisations_collection(self):
        self.login("sunne")
        response = self.client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Smuggled",
                "file": ContentFile(b"x", name="smuggled.txt"),
                "collection": self.world.hylte.collection.pk,
            },
        )
        # With one collection to add to, Wagtail offers no choice: the document lands there.
        document = get_document_model().objects.filter(title="Smuggled").first()
        if document is not None:
            assert document.collection == self.world.sunne.collection
        else:
            assert response.status_code == HTTPStatus.OK  # the form again, with an error


class TestTaxonomyAndOrganisations(MatrixTestCase):
    def test_only_coordinators_manage_organisations_and_taxonomy(self):
        organisation_edit = reverse(
            "wagtailsnippets_practices_organisation:edit", args=[self.world.sunne.pk]
        )
        activity_type_add = reverse("wagtailsnippets_practices_activitytype:add")
        for url in (organisation_edit, activity_type_add):
            assert self.outcome("coordinator", url) == "ok"
            for actor in ("sunne", "hylte", "translator"):
                assert self.outcome(actor, url) == "refused", (actor, url)
            assert self.outcome("anonymous", url) == "login"

    def test_organisation_shows_its_group_and_collection(self):
        self.login("coordinator")
        url = reverse("wagtailsnippets_practices_organisation:edit", args=[self.world.sunne.pk])
        content = self.client.get(url).content.decode()
        assert "Sunne kommun – redaktörer" in content
