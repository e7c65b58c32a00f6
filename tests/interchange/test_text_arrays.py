"""PostgreSQL's bulk inserts send each column as a text array (Django 5.2's UNNEST): the
dumper that escapes them without a regular expression writes what psycopg's own writes, and
what goes in comes back."""

import pytest
from django.db import connection
from psycopg.adapt import PyFormat, Transformer
from psycopg.types.array import ListDumper

from interchange.text_arrays import TextListDumper
from practices.models import Organisation

pytestmark = pytest.mark.django_db

AWKWARD = [
    'a "quoted" word',
    'back\\slash and \\" both',
    "{braces}, commas, and spaces",
    "NULL",
    "",
    "tab\tnewline\n",
    "مقهى اللغة",
    None,
]


def dumped(dumper_class, values):
    raw = connection.connection if connection.vendor == "postgresql" else None
    if raw is None:
        pytest.skip("psycopg's dumpers are used on PostgreSQL only")
    dumper = dumper_class(list, Transformer(raw)).upgrade(values, PyFormat.TEXT)
    return bytes(dumper.dump(values))


def test_the_same_bytes_as_psycopgs_dumper(db):
    connection.ensure_connection()
    for values in (AWKWARD, [AWKWARD[:3], AWKWARD[3:6]], [], ["plain", "words"]):
        assert dumped(TextListDumper, values) == dumped(ListDumper, values)


def test_what_a_bulk_insert_writes_comes_back(db):
    if connection.vendor != "postgresql":
        pytest.skip("the UNNEST bulk insert is PostgreSQL's")
    connection.ensure_connection()
    assert connection.connection.adapters.get_dumper(list, PyFormat.TEXT) is TextListDumper
    names = [f"{value} {n}" for n, value in enumerate(AWKWARD) if value is not None]
    Organisation.objects.bulk_create(
        [Organisation(name=name, kind=Organisation.Kind.MUNICIPALITY) for name in names]
    )
    stored = Organisation.objects.filter(name__in=names).values_list("name", flat=True)
    assert sorted(stored) == sorted(names)
