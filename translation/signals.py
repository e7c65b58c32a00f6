"""What the translation workflow tells the rest of the site.

``translation_reviewed``: a person accepted a machine translation (``machine.mark_reviewed``)
without publishing it again; its page no longer says "translated by machine". Sent with
``translation`` (a wagtail-localize ``Translation``) once the strings are marked.
"""

from django.dispatch import Signal

translation_reviewed = Signal()
