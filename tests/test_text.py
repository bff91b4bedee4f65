"""Sentence splitting and language detection."""

from cxtext.text import detect_languages, split_sentences


def test_sentences_keep_offsets_into_the_record():
    text = "Lovely engineer.  But the wait was awful!\nAlso the bill was wrong"
    sentences = split_sentences([text], ["r1"])[0]
    assert [s.text for s in sentences] == ["Lovely engineer.", "But the wait was awful!", "Also the bill was wrong"]
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
    assert [s.id for s in sentences] == ["r1:0", "r1:1", "r1:2"]


def test_empty_and_blank_text():
    assert split_sentences(["", "   \n "], ["a", "b"]) == [[], []]


def test_languages_are_flagged_not_assumed_english():
    guesses = detect_languages([
        "Le service était horrible, personne ne m'a rappelé",
        "El router llegó tarde y nadie me llamó",
        "My bill was wrong again and nobody called me back",
        "@united thx!! http://t.co/abc",  # too little text to call
    ])
    assert [g.code for g in guesses] == ["fr", "es", "en", None]


def test_short_informal_english_stays_english():
    guesses = detect_languages(["@SouthwestAir OMG OMG OMG !!! I JUST DID!!", "@united noooooope, not again"])
    assert all(g.code in ("en", None) for g in guesses)
