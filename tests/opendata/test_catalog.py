"""The DCAT-AP-SE catalogue (/open-data/catalog.rdf) parses with rdflib and gives the catalogue,
both datasets, their distributions and the API with DCAT-AP-SE's mandatory properties (and the
recommended ones that apply), with absolute addresses from SITE_URL."""

import pytest
from django.test import Client
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
SITE = "https://kunskap.example.se"
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")


@pytest.fixture
def graph(site_tree, settings):
    settings.SITE_URL = SITE
    settings.PLATFORM_CONTACT_EMAIL = "oppnadata@example.org"
    response = Client().get("/open-data/catalog.rdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rdf+xml; charset=utf-8"
    assert '<http://creativecommons.org/licenses/by/4.0/>; rel="license"' in response["Link"]
    parsed = Graph()
    parsed.parse(data=response.content, format="xml")
    return parsed


def languages(graph, subject, predicate):
    return {value.language for value in graph.objects(subject, predicate)}


def one(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_the_catalogue(graph):
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    catalog = catalogs[0]
    assert catalog == URIRef(f"{SITE}/open-data/catalog.rdf")
    assert languages(graph, catalog, DCTERMS.title) == {"sv", "en"}
    assert languages(graph, catalog, DCTERMS.description) == {"sv", "en"}
    assert one(graph, catalog, FOAF.homepage) == URIRef(f"{SITE}/sv/open-data/")
    assert one(graph, catalog, DCTERMS.license) == LICENCE
    assert one(graph, catalog, DCAT.themeTaxonomy) == URIRef(EU + "data-theme")
    assert len(list(graph.objects(catalog, DCAT.dataset))) == 2
    assert len(list(graph.objects(catalog, DCAT.service))) == 1

    publisher = one(graph, catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert Literal("Kunskapsplattformen", lang="sv") in set(graph.objects(publisher, FOAF.name))
    assert one(graph, publisher, DCTERMS.type) is not None


def test_both_datasets_with_the_required_properties(graph):
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets == {
        URIRef(f"{SITE}/open-data/catalog.rdf#dataset-records"),
        URIRef(f"{SITE}/open-data/catalog.rdf#dataset-outcomes"),
    }
    for dataset in datasets:
        assert languages(graph, dataset, DCTERMS.title) == {"sv", "en"}
        assert languages(graph, dataset, DCTERMS.description) == {"sv", "en"}
        publisher = one(graph, dataset, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph
        contact = one(graph, dataset, DCAT.contactPoint)
        assert (contact, RDF.type, VCARD.Organization) in graph
        assert one(graph, contact, VCARD.hasEmail) == URIRef("mailto:oppnadata@example.org")
        assert one(graph, contact, VCARD.fn)
        themes = set(graph.objects(dataset, DCAT.theme))
        assert URIRef(EU + "data-theme/SOCI") in themes
        assert URIRef(EU + "data-theme/EDUC") in themes
        assert one(graph, dataset, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
        assert list(graph.objects(dataset, DCAT.keyword))
        assert list(graph.objects(dataset, DCAT.distribution))
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert (distribution, RDF.type, DCAT.Distribution) in graph
            assert str(one(graph, distribution, DCAT.accessURL)).startswith(SITE + "/")
            assert one(graph, distribution, DCTERMS.license) == LICENCE
            assert str(one(graph, distribution, DCTERMS.format)).startswith(EU + "file-type/")


def test_the_distributions_lead_to_the_files_and_the_api(graph):
    records = URIRef(f"{SITE}/open-data/catalog.rdf#dataset-records")
    outcomes = URIRef(f"{SITE}/open-data/catalog.rdf#dataset-outcomes")

    def downloads(dataset):
        return {
            str(url)
            for distribution in graph.objects(dataset, DCAT.distribution)
            for url in graph.objects(distribution, DCAT.downloadURL)
        }

    def accesses(dataset):
        return {
            str(url)
            for distribution in graph.objects(dataset, DCAT.distribution)
            for url in graph.objects(distribution, DCAT.accessURL)
        }

    assert downloads(records) == {f"{SITE}/open-data/records.jsonl"}
    assert accesses(records) == {f"{SITE}/open-data/records.jsonl", f"{SITE}/api/records/"}
    assert downloads(outcomes) == {f"{SITE}/open-data/outcomes.csv"}
    csv = next(iter(graph.objects(outcomes, DCAT.distribution)))
    assert one(graph, csv, DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/text/csv"
    )

    api = next(graph.subjects(RDF.type, DCAT.DataService))
    assert one(graph, api, DCAT.endpointURL) == URIRef(f"{SITE}/api/records/")
    assert one(graph, api, DCAT.endpointDescription) == URIRef(f"{SITE}/api/openapi.json")
    assert one(graph, api, DCAT.servesDataset) == records
    assert languages(graph, api, DCTERMS.title) == {"sv", "en"}
