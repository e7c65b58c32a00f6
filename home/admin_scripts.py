"""Wagtail's admin, under a policy with no inline script.

Wagtail 8's admin still writes a few small inline scripts: the initialisers of its choosers,
date pickers and inline panels (``new PageChooser("id_…", {…});``), and wagtail-localize's
chooser addresses. Allowing every inline script ('unsafe-inline') would let an injected script
run too. Instead each admin page's policy lists the hashes of exactly those of its inline
scripts that have one of these known shapes, with data-only arguments (checked by parsing them
as JSON); anything else inline stays blocked.
"""

import base64
import hashlib
import json
import re

INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
CONSTRUCTORS = (
    "PageChooser|ImageChooser|DocumentChooser|SnippetChooser|TaskChooser|AdminTaskChooser"
)
CALL = re.compile(
    rf"(?:new (?:{CONSTRUCTORS})|initDateChooser|initDateTimeChooser|initTimeChooser)"
    r"\((?P<arguments>.*)\);"
)
PANEL = re.compile(
    r"\(function\(\) \{ var panel = new (?:InlinePanel|MultipleChooserPanel)"
    r'\(JSON\.parse\((?P<argument>"(?:[^"\\]|\\.)*")\)\); \}\)\(\);'
)
LOCALIZE_CHOOSERS = re.compile(
    r'if \(typeof window\.chooserUrls === "undefined"\) \{ window\.chooserUrls = \{ '
    r'(?:\w+: "/[\w/\-]*", )+\} \}'
)


def _is_data(text):
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def is_known_initialiser(script):
    """Whether an inline script is one of Wagtail's initialisers, with data-only arguments."""
    text = " ".join(script.split())
    match = CALL.fullmatch(text)
    if match:
        return _is_data(f"[{match['arguments']}]")
    match = PANEL.fullmatch(text)
    if match:
        return _is_data(match["argument"])
    return LOCALIZE_CHOOSERS.fullmatch(text) is not None


def script_hash(script):
    digest = hashlib.sha256(script.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def allowed_hashes(html):
    return sorted(
        {
            script_hash(script)
            for script in INLINE_SCRIPT.findall(html)
            if is_known_initialiser(script)
        }
    )
