"""The benchmark's synthetic corpus: the same seed gives the same records, all importable."""

import pytest

from benchmarks import corpus
from interchange.importer import Importer
from interchange.schema import Vocabulary, validate_record
from practices.models import MethodPage, PracticePage, ProjectReportPage


def test_same_seed_same_records():
    assert list(corpus.generate(30)) == list(corpus.generate(30))
    assert corpus.lines(corpus.generate(30)) == corpus.lines(corpus.generate(30))


def test_a_smaller_corpus_is_a_prefix_and_start_skips():
    assert list(corpus.generate(10)) == list(corpus.generate(30))[:10]
    assert list(corpus.generate(30, start=25)) == list(corpus.generate(30))[25:]


def test_another_seed_other_records():
    assert list(corpus.generate(5, seed=7)) != list(corpus.generate(5))


def test_mix_of_types_languages_and_translations():
    records = list(corpus.generate(400))
    types = {record["type"] for record in records}
    assert types == {"practice", "method", "report"}
    assert {record["locale"] for record in records} == {"sv", "en"}
    translated = {language for record in records for language in record.get("translations", {})}
    assert translated == {"sv", "en", "ar", "fa"}
    assert corpus.page_count(records) > len(records)
    assert len({record["external_id"] for record in records}) == len(records)


@pytest.mark.django_db
def test_records_are_valid_interchange_and_import(site_tree):
    records = list(corpus.generate(20))
    vocabulary = Vocabulary()
    for record in records:
        assert validate_record(record, vocabulary) == [], record["external_id"]
    result = Importer().run(corpus.lines(records))
    assert result.rejections == []
    assert result.counts["created"] == 20
    models = (PracticePage, MethodPage, ProjectReportPage)
    pages = sum(model.objects.count() for model in models)
    assert pages == corpus.page_count(records)
