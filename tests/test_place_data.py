"""SKR's municipality groups and SCB's population: loaded by migration, updated by
``update_place_data`` from a new edition, and a wrong file changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from practices.models import Municipality

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("update_place_data", *args, stdout=out)
    return out.getvalue()


def test_every_municipality_has_its_group_and_population():
    assert not Municipality.objects.filter(group="").exists()
    assert not Municipality.objects.filter(population__isnull=True).exists()
    hylte = Municipality.objects.get(code="1315")
    assert (hylte.group, hylte.main_group, hylte.group_edition) == ("B5", "B", 2023)
    assert 9_000 < hylte.population < 11_000 and hylte.population_year == 2024
    assert Municipality.objects.get(code="0180").group == "A1"  # Stockholm


def test_a_new_edition_updates_only_what_changed(tmp_path):
    groups = tmp_path / "groups.csv"
    groups.write_text("code,name,group_code,group_name_sv,edition\n1315,Hylte,C8,Landsbygd,2027\n")
    people = tmp_path / "population.csv"
    people.write_text(
        "code,name,population,year\n1315,Hylte,10500,2026\n0180,Stockholm,990000,2026\n"
    )
    output = run("--groups", str(groups), "--population", str(people))
    assert "2 municipalities updated" in output
    hylte = Municipality.objects.get(code="1315")
    assert (hylte.group, hylte.group_edition, hylte.population, hylte.population_year) == (
        "C8",
        2027,
        10500,
        2026,
    )
    assert Municipality.objects.get(code="1766").group_edition == 2023  # Sunne: not in the file


HEADER = "code,name,group_code,group_name_sv,edition\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            HEADER + "9999,X,B5,x,2027\n",
            "no municipality '9999'",
        ),
        (HEADER + "1315,Hylte,D1,x,2027\n", "no SKR group 'D1'"),
        (HEADER + "1315,Hylte,B5,x,later\n", "is not a year"),
        ("code,name,group\n1315,Hylte,B5\n", "missing columns"),
    ],
)
def test_a_wrong_groups_file_changes_nothing(tmp_path, content, message):
    path = tmp_path / "groups.csv"
    # A good line first: nothing of the file may be written when a later line is wrong.
    lines = content.split("\n", 1)
    path.write_text(lines[0] + "\n1766,Sunne,C8,x,2027\n" + lines[1])
    with pytest.raises(CommandError, match=message) as refused:
        run("--groups", str(path))
    assert "Nothing changed" in str(refused.value)
    assert Municipality.objects.get(code="1766").group_edition == 2023


def test_a_population_that_is_not_a_number_is_refused(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("code,name,population,year\n1315,Hylte,about ten thousand,2026\n")
    with pytest.raises(CommandError, match="is not a number"):
        run("--population", str(path))
    with pytest.raises(CommandError, match="Give --groups, --population or both"):
        run()
    with pytest.raises(CommandError, match="No such file"):
        run("--population", str(path.parent / "missing.csv"))
