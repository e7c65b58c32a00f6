"""The DCAT-AP-SE catalogue of the open data (``/open-data/catalog.rdf``), for Sweden's data
portal (dataportal.se) to harvest.

One ``dcat:Catalog`` with two ``dcat:Dataset``s, (a) the records (distributions: the JSON
Lines download and the API) and (b) the outcome indicators (the CSV download), and the API
as a ``dcat:DataService``. DCAT-AP-SE's mandatory properties, and the recommended ones that
apply, are given:

- catalogue: title and description (sv, en), publisher, dataset, homepage, language,
  licence, modified, themes taxonomy, spatial coverage;
- dataset: title and description (sv, en), publisher, contact point (a vCard with an e-mail
  address), theme (the EU data theme vocabulary), access rights, keyword, landing page,
  language, spatial coverage, update frequency, distribution;
- distribution: access URL, download URL (files), format (the EU file types), media type,
  licence, title, access service (the API's distribution);
- data service: title, endpoint URL, endpoint description, serves dataset, licence, access
  rights, publisher, contact point;
- agent: name (sv, en), type (ADMS publisher type); contact: ``vcard:fn``,
  ``vcard:hasEmail`` (``settings.PLATFORM_CONTACT_EMAIL``).

Addresses are absolute, from ``settings.SITE_URL``.
"""

from django.conf import settings
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")
PUBLIC = URIRef(EU + "access-right/PUBLIC")
THEMES = URIRef(EU + "data-theme")
SWEDEN = URIRef(EU + "country/SWE")
FREQUENCY = URIRef(EU + "frequency/CONT")  # changes whenever a record is published
LANGUAGES = [URIRef(EU + f"language/{code}") for code in ("SWE", "ENG", "ARA", "FAS")]
FILE_TYPE = {
    "jsonl": URIRef(EU + "file-type/JSON"),
    "json": URIRef(EU + "file-type/JSON"),
    "csv": URIRef(EU + "file-type/CSV"),
}
MEDIA_TYPE = {
    "json": URIRef("http://www.iana.org/assignments/media-types/application/json"),
    "csv": URIRef("http://www.iana.org/assignments/media-types/text/csv"),
}
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")

PUBLISHER_NAME = {"sv": "Kunskapsplattformen", "en": "The Learning Platform"}
CATALOG = {
    "title": {
        "sv": "Kunskapsplattformens öppna data",
        "en": "Open data from the Learning Platform",
    },
    "description": {
        "sv": (
            "Goda exempel, metodbeskrivningar och projektrapporter från svenska kommuner, "
            "regioner och organisationer som hjälper asylsökande och nyanlända till arbete, "
            "studier och eget företagande, med deras uppmätta resultat. Licens: CC BY 4.0, "
            "ange Kunskapsplattformen som källa."
        ),
        "en": (
            "Good-practice cases, method descriptions and project reports from Swedish "
            "municipalities, regions and organisations that help asylum seekers and new "
            "arrivals into work, studies and business, with their measured outcomes. "
            "Licence: CC BY 4.0, attribute the Learning Platform."
        ),
    },
}
DATASETS = {
    "records": {
        "title": {
            "sv": "Goda exempel, metoder och projektrapporter",
            "en": "Good practice, methods and project reports",
        },
        "description": {
            "sv": (
                "Alla publicerade goda exempel, metodbeskrivningar och projektrapporter i "
                "utbytesformatet (JSON Lines): texter med översättningar till engelska, "
                "arabiska och dari, organisation, kommuner, verksamhetstyper, målgrupper, "
                "period, finansiering, resultatindikatorer, tillämpade metoder, vilka "
                "organisationer som använder en metod, och när posten senast uppdaterades "
                "och granskades av ägaren. Också via ett API."
            ),
            "en": (
                "Every published good-practice case, method description and project report "
                "in the interchange format (JSON Lines): texts with their translations into "
                "English, Arabic and Dari, organisation, municipalities, activity types, "
                "target groups, period, funding, outcome indicators, methods applied, the "
                "organisations that use a method, and when the record was last updated and "
                "last reviewed by its owner. Also through an API."
            ),
        },
        "keywords": {
            "sv": ["integration", "nyanlända", "arbetsmarknad", "goda exempel", "metoder"],
            "en": ["integration", "new arrivals", "labour market", "good practice", "methods"],
        },
        "themes": ("SOCI", "EDUC"),
    },
    "outcomes": {
        "title": {
            "sv": "Resultatindikatorer för goda exempel och projekt",
            "en": "Outcome indicators of good practice and projects",
        },
        "description": {
            "sv": (
                "En rad per resultatindikator i varje publicerat gott exempel och "
                "projektrapport (CSV): postens id, typ, titel, organisation, kommunkoder, "
                "indikator, uppmätt värde, enhet, mål, mätdatum och senaste uppdatering."
            ),
            "en": (
                "One row per outcome indicator of every published good-practice case and "
                "project report (CSV): the record's id, type, title, organisation, "
                "municipality codes, indicator, value measured, unit, target, date measured "
                "and last update."
            ),
        },
        "keywords": {
            "sv": ["integration", "nyanlända", "resultat", "indikatorer", "sysselsättning"],
            "en": ["integration", "new arrivals", "outcomes", "indicators", "employment"],
        },
        "themes": ("SOCI", "EDUC", "ECON"),
    },
}


def _url(path):
    return URIRef(settings.SITE_URL.rstrip("/") + path)


def _texts(graph, subject, predicate, texts):
    for language, text in texts.items():
        graph.add((subject, predicate, Literal(text, lang=language)))


def _agent(graph):
    agent = _url("/open-data/catalog.rdf#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    _texts(graph, agent, FOAF.name, PUBLISHER_NAME)
    graph.add((agent, DCTERMS.type, LOCAL_AUTHORITY))
    graph.add((agent, FOAF.homepage, _url("/")))
    graph.add((agent, FOAF.mbox, URIRef(f"mailto:{settings.PLATFORM_CONTACT_EMAIL}")))
    return agent


def _contact(graph):
    contact = _url("/open-data/catalog.rdf#contact")
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(PUBLISHER_NAME["sv"])))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.PLATFORM_CONTACT_EMAIL}")))
    return contact


def _distribution(graph, name, title, url, kind, download=True, service=None):
    distribution = _url(f"/open-data/catalog.rdf#distribution-{name}")
    graph.add((distribution, RDF.type, DCAT.Distribution))
    _texts(graph, distribution, DCTERMS.title, title)
    graph.add((distribution, DCAT.accessURL, url))
    if download:
        graph.add((distribution, DCAT.downloadURL, url))
    graph.add((distribution, DCTERMS.format, FILE_TYPE[kind]))
    if kind in MEDIA_TYPE:
        graph.add((distribution, DCAT.mediaType, MEDIA_TYPE[kind]))
    graph.add((distribution, DCTERMS.license, LICENCE))
    if service is not None:
        graph.add((distribution, DCAT.accessService, service))
    return distribution


def _dataset(graph, name, publisher, contact, modified):
    facts = DATASETS[name]
    dataset = _url(f"/open-data/catalog.rdf#dataset-{name}")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    _texts(graph, dataset, DCTERMS.title, facts["title"])
    _texts(graph, dataset, DCTERMS.description, facts["description"])
    graph.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCAT.contactPoint, contact))
    for theme in facts["themes"]:
        graph.add((dataset, DCAT.theme, URIRef(f"{EU}data-theme/{theme}")))
    for language, words in facts["keywords"].items():
        for word in words:
            graph.add((dataset, DCAT.keyword, Literal(word, lang=language)))
    graph.add((dataset, DCTERMS.accessRights, PUBLIC))
    graph.add((dataset, DCAT.landingPage, _url("/sv/open-data/")))
    graph.add((dataset, DCTERMS.spatial, SWEDEN))
    graph.add((dataset, DCTERMS.accrualPeriodicity, FREQUENCY))
    for language in LANGUAGES:
        graph.add((dataset, DCTERMS.language, language))
    if modified is not None:
        graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    return dataset


def build_graph(modified=None):
    """The catalogue as an rdflib ``Graph``; ``modified``: when the data last changed."""
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
    ):
        graph.bind(prefix, namespace)
    publisher = _agent(graph)
    contact = _contact(graph)

    catalog = _url("/open-data/catalog.rdf")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(graph, catalog, DCTERMS.title, CATALOG["title"])
    _texts(graph, catalog, DCTERMS.description, CATALOG["description"])
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, _url("/sv/open-data/")))
    graph.add((catalog, DCTERMS.license, LICENCE))
    graph.add((catalog, DCAT.themeTaxonomy, THEMES))
    graph.add((catalog, DCTERMS.spatial, SWEDEN))
    for language in LANGUAGES:
        graph.add((catalog, DCTERMS.language, language))
    if modified is not None:
        graph.add((catalog, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    graph.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))

    records = _dataset(graph, "records", publisher, contact, modified)
    outcomes = _dataset(graph, "outcomes", publisher, contact, modified)
    graph.add((catalog, DCAT.dataset, records))
    graph.add((catalog, DCAT.dataset, outcomes))

    api = _url("/open-data/catalog.rdf#api")
    graph.add((api, RDF.type, DCAT.DataService))
    _texts(
        graph,
        api,
        DCTERMS.title,
        {
            "sv": "Kunskapsplattformens API för öppna data",
            "en": "The Learning Platform's open-data API",
        },
    )
    graph.add((api, DCAT.endpointURL, _url("/api/records/")))
    graph.add((api, DCAT.endpointDescription, _url("/api/openapi.json")))
    graph.add((api, DCAT.servesDataset, records))
    graph.add((api, DCTERMS.license, LICENCE))
    graph.add((api, DCTERMS.accessRights, PUBLIC))
    graph.add((api, DCTERMS.publisher, publisher))
    graph.add((api, DCAT.contactPoint, contact))
    graph.add((catalog, DCAT.service, api))

    graph.add(
        (
            records,
            DCAT.distribution,
            _distribution(
                graph,
                "records-jsonl",
                {"sv": "Alla poster (JSON Lines)", "en": "All records (JSON Lines)"},
                _url("/open-data/records.jsonl"),
                "jsonl",
            ),
        )
    )
    graph.add(
        (
            records,
            DCAT.distribution,
            _distribution(
                graph,
                "records-api",
                {"sv": "API (JSON)", "en": "API (JSON)"},
                _url("/api/records/"),
                "json",
                download=False,
                service=api,
            ),
        )
    )
    graph.add(
        (
            outcomes,
            DCAT.distribution,
            _distribution(
                graph,
                "outcomes-csv",
                {"sv": "Resultatindikatorer (CSV)", "en": "Outcome indicators (CSV)"},
                _url("/open-data/outcomes.csv"),
                "csv",
            ),
        )
    )
    return graph


def catalog_rdf(modified=None):
    """The catalogue as RDF/XML bytes."""
    return build_graph(modified).serialize(format="pretty-xml", encoding="utf-8")
