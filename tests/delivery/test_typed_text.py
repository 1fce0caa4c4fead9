import pytest

from delivery.typed_text import MAX_NESTING, first_refusal, refused_character, without_refused


@pytest.mark.parametrize("text", ["\x00", "a\x07b", "\x1b[31m", "\x7f", "\x85", "\x9f", "\ud800",
                                  "\udfff", "\ufffe", "\uffff"])
def test_it_refuses_control_characters_lone_surrogates_and_xml_non_characters(text):
    assert "U+" in refused_character(text)


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "dòng 1\r\ndòng 2\tcột", "<b>&'\"", "\u202eevil",
                                  "😀 \U0001f1fb\U0001f1f3", "\u00a0", ""])
def test_it_keeps_every_other_character(text):
    assert refused_character(text) is None


def test_it_names_the_field_holding_a_refused_character():
    body = {"dossier_code": "x", "recipient": {"name": "An\x07", "phone": "\x00"}}
    assert first_refusal(body)[0] == "recipient.name"
    assert first_refusal({"scans": [{}, {"note": "\ud800"}]})[0] == "scans[1].note"
    assert first_refusal("\x00")[0] == "body" and first_refusal(["ok", 1, None, 2.5]) is None


def test_it_refuses_a_key_and_shows_it_escaped():
    field, _ = first_refusal({"proof": {"k\ud800": "v"}})
    assert field == "proof.k\\ud800" and field.encode()


def test_it_names_the_outer_field_of_a_value_nested_too_deep_without_recursing():
    deep: list = []
    inner = deep
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    field, message = first_refusal({"note": deep}, "scans[2]")
    assert field == "scans[2].note" and str(MAX_NESTING) in message
    assert first_refusal({"a": [[[["just deep enough"]]]]}) is None


def test_it_takes_out_only_the_refused_characters_of_what_was_typed():
    assert without_refused("Trần\x00 Thị\x1b\u0085 Bình\t<b>") == "Trần Thị Bình\t<b>"
