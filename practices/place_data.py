"""SKR's municipality groups and SCB's population per municipality, read from CSV files of the
shape of the shared reference data (``practices/data/municipality_groups.csv``: code, name,
group_code, group_name_sv, edition; ``population.csv``: code, name, population, year, …).

The migration that added the fields loads the copies in ``practices/data``; ``manage.py
update_place_data`` loads a new edition. Checked before anything is written: every code must
be one of the 290 municipalities and every group one of SKR's nine, so a wrong file changes
nothing.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
GROUPS_FILE = DATA_DIR / "municipality_groups.csv"
POPULATION_FILE = DATA_DIR / "population.csv"
GROUP_CODES = ("A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9")


class PlaceDataError(ValueError):
    """A file that cannot be loaded; the message says which line and why."""


@dataclass
class PlaceData:
    groups: dict = field(default_factory=dict)  # code -> (group, edition)
    population: dict = field(default_factory=dict)  # code -> (population, year)


def _rows(path, required):
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = set(required) - set(reader.fieldnames or ())
            if missing:
                raise PlaceDataError(f"{path}: missing columns {', '.join(sorted(missing))}")
            return list(enumerate(reader, start=2))
    except OSError as error:
        raise PlaceDataError(f"{path}: {error.strerror}") from error


def _year(value, path, line):
    if not value.isdigit() or not 1900 <= int(value) <= 2100:
        raise PlaceDataError(f"{path}, line {line}: {value!r} is not a year")
    return int(value)


def read(groups_path=None, population_path=None, known_codes=()):
    """``PlaceData`` from the files (either may be None: not read); raises PlaceDataError."""
    known = set(known_codes)
    data = PlaceData()
    if groups_path is not None:
        for line, row in _rows(groups_path, ("code", "group_code", "edition")):
            code, group = row["code"].strip(), row["group_code"].strip()
            if known and code not in known:
                raise PlaceDataError(f"{groups_path}, line {line}: no municipality {code!r}")
            if group not in GROUP_CODES:
                raise PlaceDataError(f"{groups_path}, line {line}: no SKR group {group!r}")
            data.groups[code] = (group, _year(row["edition"].strip(), groups_path, line))
    if population_path is not None:
        for line, row in _rows(population_path, ("code", "population", "year")):
            code, people = row["code"].strip(), row["population"].strip()
            if known and code not in known:
                raise PlaceDataError(f"{population_path}, line {line}: no municipality {code!r}")
            if not people.isdigit():
                raise PlaceDataError(
                    f"{population_path}, line {line}: population {people!r} is not a number"
                )
            data.population[code] = (int(people), _year(row["year"].strip(), population_path, line))
    return data


def apply(data, municipality_model):
    """Write ``data`` onto the municipalities; returns the number of municipalities changed."""
    changed = 0
    for municipality in municipality_model.objects.all():
        before = (
            municipality.group,
            municipality.group_edition,
            municipality.population,
            municipality.population_year,
        )
        if municipality.code in data.groups:
            municipality.group, municipality.group_edition = data.groups[municipality.code]
        if municipality.code in data.population:
            people, year = data.population[municipality.code]
            municipality.population, municipality.population_year = people, year
        after = (
            municipality.group,
            municipality.group_edition,
            municipality.population,
            municipality.population_year,
        )
        if after != before:
            municipality.save(
                update_fields=["group", "group_edition", "population", "population_year"]
            )
            changed += 1
    return changed
