"""Reading a PDF back in tests: its text with pdftotext (poppler-utils), its images with pypdf."""

import io
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

PDFTOTEXT = Path("/usr/bin/pdftotext")
needs_pdftotext = pytest.mark.skipif(
    not PDFTOTEXT.exists(), reason="pdftotext (poppler-utils) is not installed"
)
# Marks pdftotext puts around right-to-left runs; they are not part of the text.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def pdf_text(content):
    """The PDF's text, laid out (``pdftotext -layout``), bidi marks and runs of whitespace as
    single spaces."""
    result = subprocess.run(  # noqa: S603 - Debian's pdftotext with fixed arguments
        [str(PDFTOTEXT), "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().translate(BIDI_CONTROLS).split())


def plain(text):
    """``text`` without combining marks and zero-width joiners: pdftotext may write a
    Persian hamza (U+0654) before the letter it sits on ("بستٔه" for "بستهٔ") and drops the
    zero-width non-joiner ("تازهواردان"), so phrases are compared without them."""
    return "".join(
        char
        for char in unicodedata.normalize("NFC", text)
        if unicodedata.category(char) != "Mn" and char not in "\u200c\u200d"
    )


def has_phrase(text, phrase):
    """Whether ``phrase`` is in the PDF's ``text``, whatever pdftotext does to marks."""
    return plain(phrase) in plain(text)


def has_figure(text, shown):
    """Whether a figure such as "27 %" is in ``text``: pdftotext writes right-to-left lines
    in visual order, where it reads "% 27"."""
    return shown in text or " ".join(reversed(shown.split())) in text


def image_xobjects(content):
    """The names of the image XObjects on the PDF's pages."""
    found = []
    for page in PdfReader(io.BytesIO(content)).pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        for name, ref in xobjects.items():
            if ref.get_object().get("/Subtype") == "/Image":
                found.append(name)
    return found
