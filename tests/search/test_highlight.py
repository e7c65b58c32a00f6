"""Snippets: matched words marked in escaped text, without analysing more text than is shown."""

from search import highlight
from search.analysis import word_forms


def forms(word, language="sv"):
    return set(word_forms(word, language))


def test_snippet_around_a_late_match_marks_it_and_escapes_the_text():
    text = "Inledning <b>fet</b> " + "ord " * 100 + "Mentorer träffar <script>x</script> deltagare."
    snippet = str(highlight.snippet([text], forms("mentor"), "sv"))
    assert snippet.startswith("…")
    assert "<mark>Mentorer</mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet


def test_the_first_text_with_a_match_is_used_and_callables_only_when_needed():
    called = []

    def body():
        called.append(True)
        return "Språkcafé med volontärer"

    snippet = str(highlight.snippet(["Ett språkcafé i Karlstad", body], forms("språkcafé"), "sv"))
    assert snippet == "Ett <mark>språkcafé</mark> i Karlstad"
    assert not called
    snippet = str(highlight.snippet(["Ingen träff här", body], forms("volontär"), "sv"))
    assert snippet == "Språkcafé med <mark>volontärer</mark>"


def test_matches_within_the_window_are_the_same_as_over_the_whole_text():
    text = " ".join(f"ord{n} mentor" if n % 7 == 0 else f"ord{n}" for n in range(400))
    terms = forms("mentor")
    everything = highlight.matches(text, terms, "sv")
    shown = highlight.matches(text, terms, "sv", highlight.SNIPPET_LENGTH)
    _start, end = highlight._window(text, everything[0][0], highlight.SNIPPET_LENGTH)
    assert shown == [span for span in everything if span[1] <= end]
    assert len(everything) > len(shown) > 1


def test_each_word_is_analysed_once_and_not_past_the_snippet(monkeypatch):
    analysed = []

    def counting(word, language):
        analysed.append(word)
        return word_forms(word, language)

    monkeypatch.setattr(highlight, "word_forms", counting)
    highlight.forms_of.cache_clear()
    text = "mentor och mentor och mentor " + " ".join(f"ord{n}" for n in range(5000))
    snippet = str(highlight.snippet([text], forms("mentor"), "sv"))
    assert snippet.count("<mark>") == 3
    assert len(analysed) == len(set(analysed))
    assert len(analysed) < 60
