"""Import and export of practices, methods and reports in the interchange format (JSON Lines,
docs/interchange.md): ``importer``, ``exporter``, the record form ``serialise``, the field groups
``spec`` and the declared schema ``schema`` (pydantic), Markdown bodies ``markdown``; the demo
content in ``demo/``."""
