"""Content translation with wagtail-localize: one status for every translation, however made.

- ``status``: which languages of a page are done, in progress, outdated or missing.
- ``records``: turns translations written by ``import_content`` into wagtail-localize
  translations (``TranslationSource`` + ``Translation`` + ``StringTranslation`` rows).
- ``po``: offline translation with PO files (``export_translations`` / ``import_translations``).
- ``machine``: applying the configured machine translator, and a person's review of it.
- ``wagtail_hooks`` / ``views``: the per-page status view and the site-wide overview.
"""
