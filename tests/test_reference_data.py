import pytest
from wagtail.models import Locale

from practices.models import ActivityType, Municipality, Region, TargetGroup


@pytest.mark.django_db
class TestReferenceData:
    def test_all_regions_and_municipalities_are_loaded(self):
        assert Region.objects.count() == 21
        assert Municipality.objects.count() == 290

    def test_codes_keep_leading_zeros_and_link_to_their_region(self):
        upplands_vasby = Municipality.objects.get(code="0114")
        assert upplands_vasby.name == "Upplands Väsby"
        assert upplands_vasby.region.code == "01"
        assert Municipality.objects.get(code="1766").name == "Sunne"

    def test_the_four_site_languages_exist_as_locales(self):
        codes = set(Locale.objects.values_list("language_code", flat=True))
        assert {"sv", "en", "ar", "fa"} <= codes

    def test_each_vocabulary_term_has_one_row_per_language_sharing_key_and_slug(self):
        for model in (ActivityType, TargetGroup):
            slugs = set(model.objects.values_list("slug", flat=True))
            assert slugs
            for slug in slugs:
                rows = model.objects.filter(slug=slug)
                assert sorted(row.locale.language_code for row in rows) == ["ar", "en", "fa", "sv"]
                assert len({row.translation_key for row in rows}) == 1

    def test_labels_come_from_the_csv_in_each_language(self):
        labels = {
            term.locale.language_code: term.name
            for term in ActivityType.objects.filter(slug="language-training")
        }
        assert labels == {
            "sv": "Språkträning",
            "en": "Language training",
            "ar": "تعلّم اللغة",
            "fa": "آموزش زبان",
        }

    def test_localized_returns_the_term_in_the_active_language(self):
        from django.utils import translation

        term = ActivityType.objects.get(slug="mentorship", locale__language_code="sv")
        with translation.override("en"):
            assert term.localized.name == "Mentorship"
