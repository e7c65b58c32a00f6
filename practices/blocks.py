"""The one body block set shared by practice, method and report pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

INLINE_FEATURES = ["bold", "italic", "link"]
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
        # Structure, not content: its label ("Avsnittsrubrik") would match every record.
        search_index=False,
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "practices/blocks/heading.html"


class StepsBlock(blocks.ListBlock):
    """Ordered steps: rendered as a numbered list, written as ``1.`` lines in Markdown."""

    def __init__(self, **kwargs):
        super().__init__(blocks.RichTextBlock(features=INLINE_FEATURES, label=_("Step")), **kwargs)

    class Meta:
        icon = "list-ol"
        label = _("Steps")
        template = "practices/blocks/steps.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "practices/blocks/quote.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"), required=False, help_text=_("Defaults to the document's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "practices/blocks/document_link.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, label=_("Paragraph"), icon="pilcrow"
    )
    steps = StepsBlock()
    quote = QuoteBlock()
    image = ImageBlock(label=_("Image"), template="practices/blocks/image.html")
    document = DocumentLinkBlock()
    table = TableBlock(label=_("Table"), template="practices/blocks/table.html")

    class Meta:
        # Blocks fall back to their own templates; the stream wraps nothing extra.
        block_counts = {}
