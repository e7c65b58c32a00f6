"""import_content: upserts, translations, references in any order, and every rejection rule."""

import io
import json
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from interchange.importer import Importer
from practices.models import MethodPage, PracticePage, ProjectReportPage

from .conftest import DEV_CORPUS
from .helpers import record, run_import


def all_content_pages():
    return (
        list(PracticePage.objects.all())
        + list(MethodPage.objects.all())
        + list(ProjectReportPage.objects.all())
    )


@pytest.mark.dev_corpus
class TestDevCorpus(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.out = io.StringIO()
        call_command("import_content", str(DEV_CORPUS), stdout=cls.out, stderr=io.StringIO())

    def test_sixty_records_become_75_published_pages(self):
        self.assertEqual(
            self.out.getvalue().strip().splitlines()[-1],
            "imported: 60 created, 0 updated, 0 unchanged, 0 rejected",
        )
        pages = all_content_pages()
        self.assertEqual(len(pages), 75)
        self.assertTrue(all(page.live for page in pages))

    def test_importing_again_changes_nothing(self):
        out = io.StringIO()
        call_command("import_content", str(DEV_CORPUS), stdout=out, stderr=io.StringIO())
        self.assertEqual(
            out.getvalue().strip(), "imported: 0 created, 0 updated, 60 unchanged, 0 rejected"
        )
        self.assertEqual(len(all_content_pages()), 75)

    def test_translations_are_translations_of_the_source_page(self):
        sources = [
            json.loads(line)
            for line in DEV_CORPUS.read_text(encoding="utf-8").splitlines()
            if '"translations"' in line
        ]
        item = sources[0]
        pages = PracticePage.objects.filter(external_id=item["external_id"]).order_by("id")
        pages = pages or MethodPage.objects.filter(external_id=item["external_id"])
        source = pages[0]
        self.assertEqual(source.locale.language_code, item["locale"])
        for language, text in item["translations"].items():
            translation = source.get_translation(
                source.locale.__class__.objects.get(language_code=language)
            )
            self.assertEqual(translation.title, text["title"])
            self.assertEqual(translation.specific.summary, text["summary"])
            self.assertEqual(translation.external_id, source.external_id)
            self.assertTrue(translation.live)

    def test_pages_sit_under_the_index_of_their_kind_and_language(self):
        for page in all_content_pages():
            parent = page.get_parent().specific
            self.assertEqual(parent.locale_id, page.locale_id)
            self.assertIn(
                page.__class__.__name__.replace("Page", ""),
                {"Practice": "Practice", "Method": "Method", "ProjectReport": "ProjectReport"},
            )
            self.assertEqual(
                type(parent).__name__,
                {
                    "PracticePage": "PracticeIndexPage",
                    "MethodPage": "MethodIndexPage",
                    "ProjectReportPage": "ReportIndexPage",
                }[type(page).__name__],
            )


@pytest.mark.django_db
class TestUpserts:
    def test_changed_text_updates_the_page_and_its_translation(self, site_tree):
        original = record(translations={"en": {"title": "Language café", "summary": "Practice."}})
        assert (
            run_import(original).summary
            == "imported: 1 created, 0 updated, 0 unchanged, 0 rejected"
        )
        changed = record(
            summary="Ny sammanfattning.",
            translations={"en": {"title": "Language café in Sunne", "summary": "Practice."}},
        )
        assert (
            run_import(changed).summary == "imported: 0 created, 1 updated, 0 unchanged, 0 rejected"
        )
        source = PracticePage.objects.get(locale__language_code="sv")
        assert source.summary == "Ny sammanfattning."
        english = PracticePage.objects.get(locale__language_code="en")
        assert english.title == "Language café in Sunne"
        assert english.translation_key == source.translation_key
        assert PracticePage.objects.count() == 2
        assert (
            run_import(changed).summary == "imported: 0 created, 0 updated, 1 unchanged, 0 rejected"
        )

    def test_shared_fields_follow_the_source_into_translations(self, site_tree):
        item = record(
            municipalities=["1766"],
            activity_types=["mentorship"],
            indicators=[{"key": "in_work", "value": 45, "unit": "percent", "target": 40}],
            translations={"ar": {"title": "مقهى اللغة", "summary": "ملخص"}},
        )
        run_import(item)
        arabic = PracticePage.objects.get(locale__language_code="ar")
        assert [m.code for m in arabic.municipalities.all()] == ["1766"]
        assert [t.slug for t in arabic.activity_types.all()] == ["mentorship"]
        assert [(i.key, int(i.value), int(i.target)) for i in arabic.indicators.all()] == [
            ("in_work", 45, 40)
        ]

    def test_methods_may_be_referenced_before_they_appear(self, site_tree):
        practice = record(methods=["t-method"])
        method = record(external_id="t-method", type="method", title="Mjuk matchning")
        result = run_import(practice, method)
        assert result.summary == "imported: 2 created, 0 updated, 0 unchanged, 0 rejected"
        page = PracticePage.objects.get()
        assert [m.external_id for m in page.methods] == ["t-method"]
        assert MethodPage.objects.get().applications() == [page]

    def test_a_reference_to_a_method_already_on_the_site_resolves(self, site_tree):
        run_import(record(external_id="t-method", type="method", title="Metod"))
        result = run_import(record(methods=["t-method"]))
        assert result.summary == "imported: 1 created, 0 updated, 0 unchanged, 0 rejected"

    def test_page_slugs_are_unique_among_siblings(self, site_tree):
        run_import(record(external_id="a"), record(external_id="b"))
        slugs = sorted(PracticePage.objects.values_list("slug", flat=True))
        assert slugs == ["sprakcafe-i-sunne", "sprakcafe-i-sunne-2"]


@pytest.mark.django_db
class TestRejections:
    @pytest.mark.parametrize(
        ("changes", "rule", "words"),
        [
            ({"activity_types": ["mentorship", "juggling"]}, "activity_types", '"juggling"'),
            ({"target_groups": ["martians"]}, "target_groups", '"martians"'),
            ({"municipalities": ["9999"]}, "municipalities", '"9999"'),
            ({"regions": ["99"]}, "regions", '"99"'),
            ({"type": "article"}, "type", "practice"),
            ({"locale": "de"}, "locale", "sv, en, ar, fa"),
            ({"title": ""}, "title", "empty"),
            ({"title": "x" * 256}, "title", "255"),
            ({"summary": None}, "summary", "required"),
            ({"start_date": "2020-13-01"}, "start_date", "YYYY-MM-DD"),
            ({"start_date": "2020-05-01", "end_date": "2020-01-01"}, "end_date", "before"),
            ({"funding": [{"source": "ESF", "amount_sek": "lots"}]}, "funding", "whole number"),
            (
                {"indicators": [{"key": "in_work", "value": 3, "unit": "apples"}]},
                "indicators",
                "unit",
            ),
            ({"contact": {"email": "not-an-address"}}, "contact", "not a valid address"),
            ({"methods": ["nowhere"]}, "methods", 'no method with external_id "nowhere"'),
            ({"translations": {"xx": {"title": "?"}}}, "translations.xx", "unknown language"),
            ({"translations": {"sv": {"title": "Samma"}}}, "translations.sv", "own language"),
            ({"colour": "blue"}, "fields", "colour"),
            # Nested or wrongly shaped JSON is a rejected record, never a crash.
            ({"title": {"sv": {"nested": ["x"]}}}, "title", "must be a string"),
            ({"summary": ["a", "list"]}, "summary", "must be a string"),
            ({"municipalities": "1766"}, "municipalities", "list of strings"),
            ({"municipalities": [["1766"]]}, "municipalities", "list of strings"),
            (
                {"indicators": [{"key": "in_work", "value": {"deep": 1}, "unit": "count"}]},
                "indicators",
                "item 1: value must be a number",
            ),
            (
                {"indicators": [{"key": "in_work", "value": True, "unit": "count"}]},
                "indicators",
                "value must be a number",
            ),
            (
                {"indicators": [{"key": "in_work", "value": 1, "unit": "count", "x": 2}]},
                "indicators",
                "unknown field(s): x",
            ),
            ({"funding": {"source": "ESF"}}, "funding", "must be a list"),
            ({"funding": [{"source": "ESF", "amount_sek": 1, "year": 2}]}, "funding", "year"),
            ({"contact": ["Ann"]}, "contact", "must be an object"),
            ({"contact": {"name": "Ann", "phone": "1"}}, "contact", "must be an object"),
            ({"translations": ["en"]}, "translations", "must be an object"),
            ({"translations": {"en": {"title": 5}}}, "translations.en.title", "string"),
            ({"translations": {"en": {"summary": "x"}}}, "translations.en.title", "required"),
            (
                {"translations": {"en": {"title": "T", "when_to_use": "x"}}},
                "translations.en",
                "when_to_use",
            ),
        ],
    )
    def test_bad_record_is_rejected_with_line_id_and_rule(self, site_tree, changes, rule, words):
        good = record(external_id="good")
        bad = record(external_id="bad", **changes)
        if "summary" in changes and changes["summary"] is None:
            bad.pop("summary", None)
        result = run_import(good, bad)
        assert result.summary == "imported: 1 created, 0 updated, 0 unchanged, 1 rejected"
        message = str(result.rejections[0])
        assert message.startswith('line 2: external_id "bad": ')
        assert f"{rule}: " in message
        assert words in message
        assert list(PracticePage.objects.values_list("external_id", flat=True)) == ["good"]

    def test_invalid_json_and_non_objects_are_rejected(self, site_tree):
        result = run_import(record(), raw_lines=["{not json", "[1, 2]"])
        assert [r.line for r in result.rejections] == [2, 3]
        assert "not valid JSON" in str(result.rejections[0])
        assert "JSON object" in str(result.rejections[1])
        assert PracticePage.objects.count() == 1

    def test_duplicate_external_id_in_one_file(self, site_tree):
        result = run_import(record(), record(title="Annan titel"))
        assert "appears twice in this file (first on line 1)" in str(result.rejections[0])

    def test_a_record_cannot_change_type(self, site_tree):
        run_import(record())
        result = run_import(record(type="method"))
        assert "already has this id as a practice" in str(result.rejections[0])

    def test_a_reference_to_a_rejected_method_rejects_the_practice_too(self, site_tree):
        broken_method = record(external_id="m", type="method", activity_types=["nope"])
        result = run_import(broken_method, record(methods=["m"]))
        assert len(result.rejections) == 2
        assert PracticePage.objects.count() == MethodPage.objects.count() == 0

    @pytest.mark.parametrize("bulk", [True, False])
    def test_a_failure_while_saving_leaves_nothing_half_written(self, site_tree, monkeypatch, bulk):
        def explode(*args, **kwargs):
            raise RuntimeError("disk full")

        # Fail while writing the translation, after the source page has been saved (written
        # one by one: copying the page; in bulk, and then one by one: its translation memory).
        monkeypatch.setattr(PracticePage, "copy_for_translation", explode)
        monkeypatch.setattr("interchange.bulk.record_new_translations", explode)
        item = record(translations={"en": {"title": "Language café"}})
        result = Importer(bulk=bulk).run([json.dumps(item)])
        assert "save: disk full" in str(result.rejections[0])
        assert PracticePage.objects.count() == 0

    def test_keywords_survive_a_batch_written_again_one_by_one(self, site_tree, monkeypatch):
        """The importer reuses the keyword rows it has read; those made in a batch that was
        rolled back are gone, and the records written again one by one make them anew."""

        def explode(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr("interchange.bulk.record_new_translations", explode)
        items = [
            record(external_id="k1", keywords=["språkvän", "mentor"]),
            record(external_id="k2", keywords=["språkvän"], translations={"en": {"title": "A"}}),
        ]
        result = Importer(batch=2).run([json.dumps(item) for item in items])
        assert result.rejections == []
        monkeypatch.undo()
        later = [record(external_id=f"k{n}", keywords=["språkvän"]) for n in (3, 4)]
        assert Importer(batch=2).run([json.dumps(item) for item in later]).rejections == []
        tagged = {
            page.external_id: sorted(tag.name for tag in page.keywords.all())
            for page in PracticePage.objects.filter(locale__language_code="sv")
        }
        assert tagged == {
            "k1": ["mentor", "språkvän"],
            "k2": ["språkvän"],
            "k3": ["språkvän"],
            "k4": ["språkvän"],
        }
        tag_model = PracticePage.keywords.through.tag_model()
        assert tag_model.objects.filter(name="språkvän").count() == 1


@pytest.mark.django_db
class TestCommand:
    def test_command_exits_non_zero_and_names_the_rejected_record(self, site_tree, tmp_path):
        path = tmp_path / "content.jsonl"
        lines = [record(external_id="ok"), record(external_id="broken", activity_types=["x"])]
        path.write_text("\n".join(json.dumps(item) for item in lines), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(CommandError) as raised:
            call_command("import_content", str(path), stdout=out, stderr=err)
        assert raised.value.returncode == 1
        assert out.getvalue().strip() == "imported: 1 created, 0 updated, 0 unchanged, 1 rejected"
        assert (
            'rejected line 2: external_id "broken": activity_types: unknown activity type "x"'
            in err.getvalue()
        )

    def test_missing_file_is_a_clear_error(self, db):
        with pytest.raises(CommandError, match="No such file"):
            call_command("import_content", "/nonexistent/file.jsonl")

    def test_progress_is_reported_per_batch_and_record(self, site_tree):
        seen = []
        items = [record(external_id=f"p{n}", title=f"Praktik {n}") for n in range(5)]
        items.append(record(external_id="r", type="report", practices=["p0"]))  # one by one
        lines = [json.dumps(item) for item in items]
        Importer(progress=lambda done, total: seen.append((done, total)), batch=2).run(lines)
        # Two batches of two, one of one, then the report (it refers to another record).
        assert seen == [(2, 6), (4, 6), (5, 6), (6, 6)]


def test_the_schema_declares_exactly_the_fields_of_the_format():
    from interchange import spec
    from interchange.schema import RECORD_MODELS

    for record_type, model in RECORD_MODELS.items():
        assert set(model.model_fields) == spec.allowed_fields(record_type), record_type


@pytest.mark.django_db
def test_a_method_may_not_list_methods(site_tree):
    result = run_import(record(external_id="m", type="method", methods=["x"]))
    assert "methods: only practices and reports list the methods they applied" in str(
        result.rejections[0]
    )


@pytest.mark.django_db
class TestOversizedInput:
    """Bounded work per input: an oversized or absurdly nested line is a rejected record, fast,
    and the rest of the file is imported."""

    def test_a_five_megabyte_one_word_field_is_refused_in_seconds(self, site_tree):
        huge = record(external_id="huge", summary="x" * 5_000_000)
        started = time.monotonic()
        result = run_import(record(external_id="good"), huge)
        assert time.monotonic() - started < 10
        assert result.summary == "imported: 1 created, 0 updated, 0 unchanged, 1 rejected"
        assert "too long" in str(result.rejections[0])

    def test_a_long_field_within_the_line_limit_is_refused_by_its_own_limit(self, site_tree):
        result = run_import(record(external_id="long", summary="ord " * 5000))
        assert "summary: must be at most 10000 characters" in str(result.rejections[0])

    def test_deeply_nested_json_is_a_rejected_line_not_a_crash(self, site_tree):
        nested = "[" * 100_000 + "]" * 100_000
        result = run_import(record(external_id="good"), raw_lines=[nested])
        assert result.summary == "imported: 1 created, 0 updated, 0 unchanged, 1 rejected"
        assert "nested too deeply" in str(result.rejections[0])


def test_a_huge_word_is_analysed_in_linear_time():
    """Compound splitting and stemming stop at 64 characters. Measured here: about 1 ms (sv,
    en) and 9 ms (ar, fa) for 128,000 characters; before, 12 s. The bound below only catches
    quadratic work coming back."""
    from search.analysis import analyse, swedish_lexicon

    swedish_lexicon()
    for language, letter in (("sv", "a"), ("en", "a"), ("ar", "ب"), ("fa", "ب")):
        started = time.perf_counter()
        analyse(letter * 128_000, language)
        assert time.perf_counter() - started < 1.0, language
