"""Number formats for the reading languages, on top of Django's (``FORMAT_MODULE_PATH``).

Django's Arabic and Persian formats do not group thousands (``NUMBER_GROUPING`` is 0), so
1250000 SEK would print as one unbroken number. Both languages keep Western digits (0–9):
that is what Swedish public-sector sites in Arabic and Dari/Persian do, readers know them
from Swedish documents, and figures stay identical when copied between languages. Only the
attributes set here differ from Django's; everything else falls through to Django's module.
"""
