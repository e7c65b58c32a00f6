"""Signals the importer sends.

``records_imported`` is sent once a batch of new records written in bulk
(``interchange.bulk.BulkWriter``) has been committed, with ``pages``: the pages written. The bulk
writer sends no ``page_published`` per page (listeners would each do a page's work a page at a
time); it does search's, the page cache's and the vector queue's work itself for the whole
batch, and apps above ``interchange`` that must learn of new published content (the open-data
downloads) listen to this signal.
"""

from django.dispatch import Signal

records_imported = Signal()
