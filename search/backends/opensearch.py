"""Wagtail's OpenSearch 2 backend (``opensearch-py``) with our analysis, fields and ranking
(``search.backends.engine``, shared with the Elasticsearch backend).

``OPENSEARCH_URL`` (comma-separated node URLs) selects it in the settings, with the stock
options (``URLS``, ``INDEX_PREFIX``, ``TIMEOUT``, ``OPTIONS``, ``INDEX_SETTINGS``). With
several nodes the client spreads requests over them and, when one does not answer (a refused
or reset connection), sends the request to the next (``max_retries``): a lost node costs a
search nothing while the others hold a copy of every shard (one replica).

Tested against real OpenSearch 2.19 nodes: ``tests/engine/`` (``make test-engine`` starts a
three-node cluster from Maven Central, ``tools/search-node/``).
"""

from modelsearch.backends.opensearch2 import (
    OpenSearch2AutocompleteQueryCompiler,
    OpenSearch2Index,
    OpenSearch2Mapping,
    OpenSearch2SearchBackend,
    OpenSearch2SearchQueryCompiler,
)

from .engine import (
    EngineBackendMixin,
    EngineIndexMixin,
    LanguageMappingMixin,
    LanguageQueryCompilerMixin,
    engine_settings,
)


class LanguageMapping(LanguageMappingMixin, OpenSearch2Mapping):
    pass


class LanguageIndex(EngineIndexMixin, OpenSearch2Index):
    pass


class LanguageQueryCompiler(LanguageQueryCompilerMixin, OpenSearch2SearchQueryCompiler):
    mapping_class = LanguageMapping


class LanguageAutocompleteQueryCompiler(OpenSearch2AutocompleteQueryCompiler):
    mapping_class = LanguageMapping


class SearchBackend(EngineBackendMixin, OpenSearch2SearchBackend):
    mapping_class = LanguageMapping
    index_class = LanguageIndex
    query_compiler_class = LanguageQueryCompiler
    autocomplete_query_compiler_class = LanguageAutocompleteQueryCompiler
    settings = engine_settings(OpenSearch2SearchBackend.settings)

    def _send_search(self, index, body):
        return self.es.search(index=index, body=body)
