"""Import and export of practices, methods and reports in the interchange format (JSON Lines,
docs/interchange.md): ``importer``, ``exporter``, the record form ``serialise``, its rules
``spec`` and ``validation``, Markdown bodies ``markdown``; the demo content in ``demo/``."""
