"""Search backends: Wagtail's own, subclassed where the stock ones fall short.

``search.backends.database`` is the embedded default (SQLite FTS5 or PostgreSQL full-text
search, chosen by the database in use); ``search.backends.elasticsearch`` is for sites that run
Elasticsearch 8 or 9. All of them answer ``ranked(query, queryset)``, the one call the search
service makes.
"""
