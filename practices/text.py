"""The plain text of a content page's fields, as search indexes it and semantic search embeds
it: rich text without its tags, a body stream without its structure (block types, choice
values such as a heading's level never become text)."""

import html
import re

from wagtail import blocks

TAG = re.compile(r"<[^>]*>")


def plain_text(rich_text):
    """The text of a rich-text field: tags become spaces (so words either side stay apart),
    entities become characters. Wagtail writes well-formed HTML; a regular expression reads it
    several times faster than Django's ``strip_tags`` (an HTML parser), a tenth of indexing."""
    return html.unescape(TAG.sub(" ", rich_text))


BLOCK_END = re.compile(r"(</(p|h\d|li|blockquote)>)", re.IGNORECASE)
LINE_BREAK = re.compile(r"(<(br|hr)\s*/>)", re.IGNORECASE)


def rich_text_for_indexing(source):
    """Wagtail's ``get_text_for_indexing`` (a space after each block element, then the tags
    removed), with a regular expression where it has Django's ``strip_tags`` (an HTML parser):
    the same text from the HTML Wagtail stores, several times faster."""
    source = LINE_BREAK.sub(r"\1 ", BLOCK_END.sub(r"\1 ", source))
    return html.unescape(TAG.sub("", source).strip())


def body_text(body):
    """The searchable content of a body stream, as ``StreamBlock.get_searchable_content``
    gives it; its rich-text blocks (most of the text) read from their stored HTML without
    making block values of them (with the parser, a quarter of building a document)."""
    stream_block = body.stream_block
    parts = []
    for position, item in enumerate(body.raw_data):
        block = stream_block.child_blocks.get(item["type"])
        if isinstance(block, blocks.RichTextBlock):
            parts.append(rich_text_for_indexing(item["value"] or ""))
        elif block is not None:
            child = body[position]
            parts.extend(block.get_searchable_content(child.value))
    return parts
