"""Compare the interface catalogues (``locale/*/LC_MESSAGES/django.po``) with the code.

:func:`learning_platform.i18n_catalogue.extract_messages` says which strings the code asks
for; this module says what a catalogue lacks (:func:`translation_problems`, used by
``tests/test_catalogue_complete.py``) and brings a catalogue up to date with polib
(:func:`update_catalogue`, used by ``manage.py update_catalogues``), the way ``makemessages``
would: new strings get an empty translation, strings gone from the code become obsolete
(``#~``), and existing translations are never changed.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

import polib

from .i18n_catalogue import Message, MessageKey, is_python_format

WRAP_WIDTH = 79  # the width xgettext and msgmerge wrap at, so saved files diff cleanly
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")

MISSING = "missing"
OBSOLETE = "obsolete (#~) in the catalogue"
FUZZY = "marked fuzzy"
UNTRANSLATED = "untranslated"
NOT_PLURAL = "needs plural forms (msgid_plural)"
NOT_SINGULAR = "has plural forms the code does not use"


@dataclass(frozen=True)
class Problem:
    key: MessageKey
    reason: str


@dataclass
class CatalogueChanges:
    """What :func:`update_catalogue` changes (or, in a dry run, would change)."""

    added: list[MessageKey] = field(default_factory=list)
    revived: list[MessageKey] = field(default_factory=list)  # obsolete, back in the code
    reshaped: list[MessageKey] = field(default_factory=list)  # singular <-> plural
    obsoleted: list[MessageKey] = field(default_factory=list)  # no longer in the code

    def __bool__(self):
        return bool(self.added or self.revived or self.reshaped or self.obsoleted)


def load_catalogue(path):
    return polib.pofile(str(path), wrapwidth=WRAP_WIDTH)


def entry_key(entry) -> MessageKey:
    return (entry.msgctxt or None, entry.msgid)


def translation_problems(catalogue, messages: dict[MessageKey, Message]) -> list[Problem]:
    """Each extracted message the catalogue does not translate, in the messages' order.

    A message is translated when its entry is present, not obsolete, not fuzzy, has the same
    singular/plural shape as the code, and every translation (every plural form) is non-empty.
    """
    entries = {entry_key(entry): entry for entry in catalogue}
    problems = []
    for key, message in messages.items():
        entry = entries.get(key)
        if entry is None:
            reason = MISSING
        elif entry.obsolete:
            reason = OBSOLETE
        elif message.msgid_plural and not entry.msgid_plural:
            reason = NOT_PLURAL
        elif entry.msgid_plural and not message.msgid_plural:
            reason = NOT_SINGULAR
        elif "fuzzy" in entry.flags:
            reason = FUZZY
        elif not all(text.strip() for text in _translations(entry, plural_forms(catalogue))):
            reason = UNTRANSLATED
        else:
            continue
        problems.append(Problem(key, reason))
    return problems


def pending_changes(catalogue, messages: dict[MessageKey, Message]) -> CatalogueChanges:
    """What :func:`update_catalogue` would change, without changing anything."""
    return _plan(catalogue, messages)


def update_catalogue(catalogue, messages, *, remove_obsolete=False) -> CatalogueChanges:
    """Bring ``catalogue`` in line with ``messages`` in place; the caller saves it.

    New messages are added untranslated with their ``#:`` locations and ``#.`` notes for
    translators, in makemessages' order; known ones get their current locations and notes and
    keep their translations; obsolete entries that are back in the code are revived; entries
    no longer in the code become obsolete (or, with ``remove_obsolete``, are dropped). An
    entry whose message changed between singular and plural keeps its translation as the
    first form and is marked fuzzy, as msgmerge does.

    Unlike msgmerge, a new message never gets a "fuzzy" guess copied from a similar old one:
    it stays empty, so the completeness test names it instead of a wrong translation shipping.
    """
    changes = _plan(catalogue, messages)
    reshaped = set(changes.reshaped)
    entries = {entry_key(entry): entry for entry in catalogue}
    forms = plural_forms(catalogue)
    active = []
    for key, message in messages.items():
        entry = entries.pop(key, None)
        if entry is None:
            entry = _new_entry(key, message, forms)
        entry.obsolete = False
        entry.occurrences = [(location.path, str(location.line)) for location in message.locations]
        entry.comment = translator_notes(message)
        if key in reshaped:
            _reshape(entry, message, forms)
        active.append(entry)
    retired = []
    for entry in entries.values():  # the rest: no longer in the code
        if remove_obsolete:
            continue
        entry.obsolete = True
        entry.occurrences = []
        entry.comment = ""
        retired.append(entry)
    catalogue[:] = active + retired
    return changes


def plural_forms(catalogue):
    match = _NPLURALS.search(catalogue.metadata.get("Plural-Forms", ""))
    return int(match[1]) if match else 2


def format_problems(problems, messages, heading):
    """A report grouped by source file, so a developer sees exactly what to add where."""
    return format_grouped(
        [(problem.key, problem.reason) for problem in problems], messages, heading
    )


def format_grouped(items, messages, heading, indent="  "):
    """``heading``, then each ``(key, note)`` under the source file it comes from."""
    by_file = defaultdict(list)
    elsewhere = []  # keys the code no longer has
    for key, note in items:
        message = messages.get(key)
        if message and message.locations:
            location = message.locations[0]
            by_file[location.path].append((location.line, key, note))
        else:
            elsewhere.append((key, note))
    lines = [heading]
    for path in sorted(by_file):
        lines.append(f"{indent}{path}")
        for line, key, note in sorted(by_file[path], key=lambda item: item[0]):
            lines.append(f"{indent}  line {line}: {_describe(key, messages, note)}")
    lines.extend(f"{indent}{_describe(key, messages, note)}" for key, note in elsewhere)
    return "\n".join(lines)


def _describe(key, messages, note):
    return describe_key(key, messages) + (f" — {note}" if note else "")


def describe_key(key, messages=None):
    msgctxt, msgid = key
    message = (messages or {}).get(key)
    text = f"msgid {_quote(msgid)}"
    if message is not None and message.msgid_plural:
        text += f" msgid_plural {_quote(message.msgid_plural)}"
    if msgctxt is not None:
        text = f"msgctxt {_quote(msgctxt)} {text}"
    return text


def _plan(catalogue, messages):
    changes = CatalogueChanges()
    entries = {entry_key(entry): entry for entry in catalogue}
    for key, message in messages.items():
        entry = entries.get(key)
        if entry is None:
            changes.added.append(key)
            continue
        if entry.obsolete:
            changes.revived.append(key)
        if bool(entry.msgid_plural) != bool(message.msgid_plural) or (
            entry.msgid_plural and entry.msgid_plural != message.msgid_plural
        ):
            changes.reshaped.append(key)
    changes.obsoleted = [
        key for key, entry in entries.items() if key not in messages and not entry.obsolete
    ]
    return changes


def _new_entry(key, message, forms):
    msgctxt, msgid = key
    entry = polib.POEntry(msgctxt=msgctxt, msgid=msgid)
    if message.msgid_plural:
        entry.msgid_plural = message.msgid_plural
        entry.msgstr_plural = dict.fromkeys(range(forms), "")
    if is_python_format(msgid, message.msgid_plural):
        entry.flags.append("python-format")
    return entry


def _reshape(entry, message, forms):
    if message.msgid_plural and entry.msgid_plural:
        entry.msgid_plural = message.msgid_plural  # only the plural wording changed
    elif message.msgid_plural:
        first = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
        entry.msgid_plural = message.msgid_plural
        entry.msgstr_plural = {index: first if index == 0 else "" for index in range(forms)}
        entry.msgstr = ""
    else:
        entry.msgstr = (entry.msgstr_plural or {}).get(0, "")
        entry.msgid_plural = ""
        entry.msgstr_plural = {}
    if "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")


def translator_notes(message):
    """Notes for translators as ``#.`` lines; polib cannot keep empty ones, so they go."""
    lines = (line for comment in message.comments for line in comment.splitlines())
    return "\n".join(line for line in lines if line.strip())


def _translations(entry, forms):
    if not entry.msgid_plural:
        return [entry.msgstr]
    plural = {int(index): text for index, text in entry.msgstr_plural.items()}
    return [plural.get(index, "") for index in range(forms)]


def _quote(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
