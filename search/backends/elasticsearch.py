"""Wagtail's Elasticsearch 9 backend with our analysis, fields and ranking (``search.backends.
engine``, shared with the OpenSearch backend).

Settings name this module (``"BACKEND": "search.backends.elasticsearch"``) with the stock
options (``URLS``, ``INDEX_PREFIX``, ``TIMEOUT``, ``OPTIONS``, ``INDEX_SETTINGS``,
``ATOMIC_REBUILD``), plus ``COMPATIBLE_WITH``:

- **Elasticsearch 8.** elasticsearch-py 9 asks for ``compatible-with=9`` on every request,
  which an 8.x server refuses (400 ``media_type_header_exception``; elasticsearch-py 9.0.0
  release notes). ``COMPATIBLE_WITH`` (default 8) rewrites the ``Accept`` and
  ``Content-Type`` headers to ``compatible-with=8``: an 8.x server reads that as its own
  version, and a 9.x server as REST API compatibility with 8, which covers everything
  modelsearch sends. ``COMPATIBLE_WITH: None`` keeps the client's own headers.

Elasticsearch itself cannot be run from the registries this project's machines reach, so this
backend is verified at the client's HTTP boundary (``tests/search/test_elasticsearch_http.py``:
the index settings, mapping, bulk body and ``_search`` body sent, the headers, the parsing of a
response and the error paths), and ``tests/search/test_elasticsearch_live.py`` checks it against
``ELASTICSEARCH_URL`` where one is set. Everything it shares with the OpenSearch backend is
tested against real OpenSearch nodes (``tests/engine/``, ``make test-engine``).
"""

import re
from functools import cache

from elastic_transport import HttpHeaders, Transport
from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Index,
    Elasticsearch9Mapping,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
)

from .engine import (
    BULK_TIMEOUT,
    EngineBackendMixin,
    EngineIndexMixin,
    LanguageMappingMixin,
    LanguageQueryCompilerMixin,
    engine_settings,
)

DEFAULT_COMPATIBLE_WITH = 8


class LanguageMapping(LanguageMappingMixin, Elasticsearch9Mapping):
    pass


class LanguageIndex(EngineIndexMixin, Elasticsearch9Index):
    pass


class LanguageQueryCompiler(LanguageQueryCompilerMixin, Elasticsearch9SearchQueryCompiler):
    mapping_class = LanguageMapping


class LanguageAutocompleteQueryCompiler(Elasticsearch9AutocompleteQueryCompiler):
    mapping_class = LanguageMapping


COMPAT_RE = re.compile(r"compatible-with=\d+")


class CompatibilityTransport(Transport):
    """Sends ``compatible-with=<compatible_with>`` instead of the client's major version."""

    compatible_with = DEFAULT_COMPATIBLE_WITH

    def perform_request(self, method, target, *, headers=None, **kwargs):
        if headers:
            headers = HttpHeaders(headers)
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = COMPAT_RE.sub(
                        f"compatible-with={self.compatible_with}", headers[name]
                    )
            kwargs["headers"] = headers
        return super().perform_request(method, target, **kwargs)


@cache
def compatibility_transport(major):
    return type(
        f"Compatible{major}Transport", (CompatibilityTransport,), {"compatible_with": major}
    )


class SearchBackend(EngineBackendMixin, Elasticsearch9SearchBackend):
    mapping_class = LanguageMapping
    index_class = LanguageIndex
    query_compiler_class = LanguageQueryCompiler
    autocomplete_query_compiler_class = LanguageAutocompleteQueryCompiler
    settings = engine_settings(Elasticsearch9SearchBackend.settings)

    def __init__(self, params):
        params = dict(params)
        compatible_with = params.pop("COMPATIBLE_WITH", DEFAULT_COMPATIBLE_WITH)
        options = dict(params.get("OPTIONS") or {})
        if compatible_with is not None:
            options.setdefault("transport_class", compatibility_transport(int(compatible_with)))
        params["OPTIONS"] = options
        super().__init__(params)

    def _send_search(self, index, body):
        return self.es.search(index=index, **body)

    def send_bulk(self, actions, index_name):
        # elasticsearch-py 8+ takes a request's own timeout through ``options``.
        client = self.es.options(request_timeout=BULK_TIMEOUT)
        return self.bulk(client, actions, index=index_name)
