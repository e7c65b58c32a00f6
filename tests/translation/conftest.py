import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.users.models import UserProfile

from practices.models import PracticePage
from tests.helpers import record, run_import

DUMMY_TRANSLATOR = {
    "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
    "OPTIONS": {},
}


@pytest.fixture
def pages(site_tree):
    """A Swedish practice imported with its English translation: {language: page}."""
    result = run_import(
        record(translations={"en": {"title": "Language café", "summary": "Volunteers meet."}})
    )
    assert not result.rejections, result.rejections
    found = PracticePage.objects.filter(external_id="t-practice").order_by("id")
    return {page.locale.language_code: page for page in found}


def in_english(user):
    """The admin speaks the user's preferred language; the assertions read English."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def superuser(django_user_model):
    return in_english(
        django_user_model.objects.create_superuser("coordinator", "c@example.org", "pw")
    )


@pytest.fixture
def plain_editor(django_user_model):
    """Can log in to the admin but edits no pages and is no coordinator."""
    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    group = Group.objects.create(name="Admin access only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return in_english(user)
