"""Find every interface string the project marks for translation, without GNU gettext.

``manage.py makemessages`` needs ``xgettext``, which a fresh CI machine or a developer laptop may
not have. This module does the same extraction in pure Python, so that a test can prove every
string in the code is in all four catalogues (``tests/test_catalogue_complete.py``) and
``manage.py update_catalogues`` can add what is missing.

- Python files are parsed with :mod:`ast`; calls to the gettext functions below with literal
  string arguments are messages (``_("…")``, ``verbose_name=gettext_lazy("…")``,
  ``pgettext("context", "…")``, ``ngettext("one", "many", n)`` …), also as attributes
  (``translation.gettext("…")``).
- Templates (``*.html`` and ``*.txt`` in template directories) are first turned into gettext
  calls by Django's own :func:`django.utils.translation.template.templatize`, the function
  ``makemessages`` uses, so ``{% translate %}`` and ``{% blocktranslate %}`` (with ``count``,
  ``context``, ``trimmed`` and ``{{ variables }}`` as ``%(name)s``) give the same msgids.

The result matches ``makemessages`` for this project's code; the few deliberate differences
are listed in :data:`DIFFERENCES_FROM_XGETTEXT`.
"""

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.utils.translation.template import templatize

# The project's own code; third-party packages bring their own catalogues.
SOURCE_ROOTS = ("home", "practices", "search", "learning_platform", "templates")
SKIPPED_DIRECTORIES = frozenset({".venv", "migrations", "tests", "node_modules", "static"})
TEMPLATE_SUFFIXES = frozenset({".html", ".txt"})
TEMPLATE_DIRECTORY = "templates"
# Comments just above a call that start with this tag are notes for translators (``#.`` lines),
# as with makemessages' ``xgettext --add-comments=Translators``.
TRANSLATOR_COMMENT_TAG = "Translators"

# Function name -> (context argument, singular argument, plural argument), 0-based, like
# xgettext's ``--keyword=name:1c,2,3``: Django's keywords plus xgettext's Python defaults.
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ugettext": (None, 0, None),
    "dgettext": (None, 1, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "ungettext": (None, 0, 1),
    "dngettext": (None, 1, 2),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

DIFFERENCES_FROM_XGETTEXT = (
    "f-strings with {placeholders} are skipped: xgettext extracts their raw text, which never "
    "matches the string looked up at run time (use %(name)s placeholders instead).",
    'A literal in redundant parentheses, _(("text")), is extracted; xgettext skips it.',
    "\\u and \\N{…} escapes in plain string literals are decoded as Python 3 does; xgettext "
    "0.21 keeps them as typed (Python 2 rules), a msgid that never matches at run time.",
    "Only *.html and *.txt files inside a templates/ directory are read as templates; "
    "makemessages templatizes every .html/.txt file it walks past (requirements.txt, "
    "licence files), which holds no translatable strings anyway.",
    'A comment after code on the same line (x = _("a")  # Translators: …) is not a note for '
    "the next call; xgettext attaches it to whatever call comes next.",
)

PYTHON_FORMAT_DIRECTIVE = re.compile(
    r"%(?:%|(?:\(\w+\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa])"
)
_STRING_LITERAL = r"""[uUrRbB]{0,2}(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
# What matters in templatize()'s output: comments (translator notes), literals, and calls.
_TEMPLATIZED_TOKEN = re.compile(
    rf"(?P<comment>#[^\n]*)|(?P<string>{_STRING_LITERAL})"
    r"|(?P<call>(?<![\w.])(?:npgettext|ngettext|pgettext|gettext|_)\s*\()"
)
_STRING_OR_PARENTHESIS = re.compile(rf"{_STRING_LITERAL}|[()]")


class ExtractionError(Exception):
    """A source file cannot be read for messages (a syntax error, a broken translation tag)."""


@dataclass(frozen=True)
class Location:
    path: str  # relative to the project root, with forward slashes
    line: int

    def __str__(self):
        return f"{self.path}:{self.line}"


@dataclass
class Message:
    """One catalogue entry's source side; unpacks as ``(msgid_plural, locations)``."""

    msgid_plural: str | None
    locations: list[Location] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # notes for translators

    def __iter__(self):  # unpacks as the (msgid_plural, locations) pair
        return iter((self.msgid_plural, self.locations))


MessageKey = tuple[str | None, str]  # (msgctxt, msgid)


class Found(NamedTuple):
    """One gettext call in one file."""

    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    line: int  # the line of the msgid, as xgettext reports it
    comment: str | None = None  # the "Translators: …" comment just above the call


def is_python_format(msgid, msgid_plural=None):
    """Whether xgettext would flag the message ``python-format``.

    Like xgettext: the text has a ``%`` and every ``%`` starts a valid directive (``%%``,
    ``%s``, ``%(name)s`` …).
    """
    return any(
        "%" in text and "%" not in PYTHON_FORMAT_DIRECTIVE.sub("", text)
        for text in (msgid, msgid_plural or "")
    )


def extract_messages(base_dir, roots=SOURCE_ROOTS) -> dict[MessageKey, Message]:
    """Every translatable string under ``roots`` of ``base_dir``, in makemessages' order.

    Keys are ``(msgctxt, msgid)`` (``msgctxt`` is ``None`` without a context); values are
    :class:`Message` objects, which unpack as ``(msgid_plural, [Location, …])``.
    """
    base_dir = Path(base_dir)
    messages: dict[MessageKey, Message] = {}
    for path in source_files(base_dir, roots):
        relative = path.relative_to(base_dir).as_posix()
        if path.suffix == ".py":
            found = messages_in_python(_read(path), relative)
        else:
            found = messages_in_template(_read(path), relative)
        for call in found:
            message = messages.setdefault((call.msgctxt, call.msgid), Message(call.msgid_plural))
            if call.msgid_plural and not message.msgid_plural:
                message.msgid_plural = call.msgid_plural
            location = Location(relative, call.line)
            if location not in message.locations:
                message.locations.append(location)
            if call.comment and call.comment not in message.comments:
                message.comments.append(call.comment)
    return messages


def source_files(base_dir, roots=SOURCE_ROOTS):
    """The Python files and templates to read, sorted by path as makemessages does."""
    base_dir = Path(base_dir)
    files = []
    for root in roots:
        top = base_dir / root
        if not top.is_dir():
            continue
        for path in top.rglob("*"):
            relative_parts = path.relative_to(base_dir).parts
            if not path.is_file() or any(_skipped(part) for part in relative_parts[:-1]):
                continue
            if path.suffix == ".py" or (
                path.suffix in TEMPLATE_SUFFIXES and TEMPLATE_DIRECTORY in relative_parts[:-1]
            ):
                files.append(path)
    return sorted(set(files), key=lambda path: path.relative_to(base_dir).as_posix())


def messages_in_python(source, origin="<string>"):
    """A :class:`Found` for each gettext call with literal arguments in Python ``source``."""
    calls = _calls_in_python(source, origin)
    comment_lines, code_lines = _python_lines(source)
    return _with_comments(calls, comment_lines, code_lines)


def messages_in_template(source, origin="<template>"):
    """A :class:`Found` for each translation tag in a Django template."""
    try:
        python_like = templatize(source, origin=origin)
    except SyntaxError as error:
        raise ExtractionError(f"{origin}: {error}") from error
    calls = []
    position = 0
    while match := _TEMPLATIZED_TOKEN.search(python_like, position):
        position = match.end()
        if not match["call"]:
            continue
        end = _closing_parenthesis(python_like, match.end())
        if end is None:
            continue
        line_offset = python_like.count("\n", 0, match.start())
        try:
            calls.extend(_calls_in_python(python_like[match.start() : end], origin, line_offset))
        except ExtractionError:
            continue  # templatize copies filter arguments verbatim; not every one is a call
        position = end
    comment_lines, code_lines = _templatized_lines(python_like)
    return _with_comments(calls, comment_lines, code_lines)


def _calls_in_python(source, origin, line_offset=0):
    """``(Found without comment, keyword line)`` pairs, in the order the msgids appear."""
    try:
        tree = ast.parse(source, filename=origin)
    except SyntaxError as error:
        raise ExtractionError(f"{origin}:{error.lineno}: cannot parse: {error.msg}") from error
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            message = _message_from_call(node)
            if message is not None:
                found, column = message
                found = found._replace(line=found.line + line_offset)
                calls.append((found, node.lineno + line_offset, column))
    # ast.walk is breadth-first; makemessages lists messages in the order they appear.
    calls.sort(key=lambda call: (call[0].line, call[2]))
    return [(found, keyword_line) for found, keyword_line, _column in calls]


def _with_comments(calls, comment_lines, code_lines):
    """Give each call the translator comment block just above its line, as xgettext does.

    The block is the run of comment-only lines (blank lines allowed) right above the line the
    function name is on, from the line starting with "Translators" on. Only the first call
    after a block gets it.
    """
    found = []
    used = set()
    for call, keyword_line in calls:
        block = []
        line = keyword_line - 1
        while line > 0 and line not in code_lines:
            if line in comment_lines:
                block.insert(0, (line, comment_lines[line]))
            line -= 1
        starts = [index for index, (_l, text) in enumerate(block) if _is_translator_note(text)]
        comment = None
        if starts and block[starts[0]][0] not in used:
            used.add(block[starts[0]][0])
            comment = "\n".join(text for _line, text in block[starts[0] :])
        found.append(call._replace(comment=comment))
    return found


def _is_translator_note(text):
    return text.startswith(TRANSLATOR_COMMENT_TAG)


def _python_lines(source):
    """``({line: comment text}, {lines with code})`` for Python source."""
    comment_lines, code_lines = {}, set()
    ignored = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                if token.start[0] not in code_lines:
                    comment_lines[token.start[0]] = token.string[1:].strip()
            elif token.type not in ignored:
                code_lines.update(range(token.start[0], token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return {}, set()  # no comments then; the calls were already found with ast
    return comment_lines, code_lines


def _templatized_lines(python_like):
    """``({line: comment text}, {lines with code})`` for templatize() output."""
    comment_lines, code_lines = {}, set()
    for number, text in enumerate(python_like.splitlines(), start=1):
        stripped = text.strip()
        if stripped.startswith("#"):
            comment_lines[number] = stripped[1:].strip()
        elif stripped:
            code_lines.add(number)
    return comment_lines, code_lines


def _message_from_call(call):
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
    spec = KEYWORDS.get(name)
    if spec is None:
        return None
    context_index, singular_index, plural_index = spec
    needed = max(index for index in spec if index is not None)
    if len(call.args) <= needed or any(isinstance(arg, ast.Starred) for arg in call.args):
        return None
    texts = {}
    for index in (context_index, singular_index, plural_index):
        if index is None:
            continue
        text = _literal(call.args[index])
        if text is None:
            return None
        texts[index] = text
    msgid = texts[singular_index]
    if not msgid:
        return None  # "" is the catalogue header, never a message (xgettext skips it too)
    first = _first_literal(call.args[singular_index])
    found = Found(texts.get(context_index), msgid, texts.get(plural_index), first.lineno)
    return found, first.col_offset


def _literal(node):
    """The text of a string literal, adjacent literals or literals joined with ``+``."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return node.value
        if isinstance(node.value, bytes):
            return node.value.decode("utf-8", "replace")
        return None
    if isinstance(node, ast.JoinedStr):  # an f-string without {placeholders} is a literal
        if all(isinstance(value, ast.Constant) for value in node.values):
            return "".join(value.value for value in node.values)
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _first_literal(node):
    while isinstance(node, ast.BinOp):
        node = node.left
    return node


def _closing_parenthesis(text, start):
    """Index just past the ``)`` closing a call whose arguments start at ``start``."""
    depth = 1
    for token in _STRING_OR_PARENTHESIS.finditer(text, start):
        if token[0] == "(":
            depth += 1
        elif token[0] == ")":
            depth -= 1
            if depth == 0:
                return token.end()
    return None


def _skipped(part):
    return part in SKIPPED_DIRECTORIES or part.startswith(".") or part == "__pycache__"


def _read(path):
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ExtractionError(f"{path}: cannot read: {error}") from error
