from interchange.markdown import from_markdown, html_to_markdown, normalise, to_markdown


def test_headings_steps_paragraphs_and_quotes_become_blocks():
    blocks = from_markdown(
        "## Syfte\nText med **fetstil** och [länk](https://example.se).\n\n"
        "1. Första steget\n2. Andra steget\n\n> Det fungerade.\n> — Deltagare"
    )
    assert [block["type"] for block in blocks] == ["heading", "paragraph", "steps", "quote"]
    assert blocks[0]["value"] == {"text": "Syfte", "level": "h2"}
    assert blocks[1]["value"] == (
        '<p>Text med <b>fetstil</b> och <a href="https://example.se">länk</a>.</p>'
    )
    assert blocks[2]["value"] == ["<p>Första steget</p>", "<p>Andra steget</p>"]
    assert blocks[3]["value"] == {"quote": "Det fungerade.", "attribution": "Deltagare"}


def test_bullet_list_directly_after_a_paragraph_line_is_a_list():
    html = from_markdown("Vi erbjuder:\n- praktik\n- mentorskap")[0]["value"]
    assert html == "<p>Vi erbjuder:</p><ul><li>praktik</li><li>mentorskap</li></ul>"


def test_markdown_survives_a_round_trip_unchanged_after_one_pass():
    text = "## A\n\nOne *two* three.\n\n- x\n- y\n\n1. step\n2. step two\n\n### B\n\nEnd."
    assert normalise(text) == text
    assert to_markdown(from_markdown(normalise(text))) == text


def test_html_to_markdown_ignores_editor_attributes():
    assert html_to_markdown('<p data-block-key="a1">Hej <i>där</i></p>') == "Hej *där*"


def test_html_in_markdown_text_is_not_passed_through_as_markup():
    html = from_markdown("Hej <script>alert(1)</script>")[0]["value"]
    assert "<script>" not in html


def test_script_links_lose_their_target():
    html = from_markdown("[klicka](javascript:alert(1)) och [bra](https://example.se)")[0]["value"]
    assert "javascript" not in html
    assert html == '<p>klicka och <a href="https://example.se">bra</a></p>'
