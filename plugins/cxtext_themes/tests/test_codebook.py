"""Codebook files: parsing YAML and TOML, and a clear error for every kind of mistake."""

from __future__ import annotations

import pytest
import yaml

from cxtext.errors import InputError
from cxtext_themes.analyzer import GENERIC_CODEBOOK
from cxtext_themes.codebook import codebook_from_dict, load_codebook, write_codebook


def test_yaml_codebook_loads_with_hierarchy(codebook_path):
    book = load_codebook(codebook_path)
    assert book.name == "test-book" and book.version == "1.0"
    assert [t.id for t in book.themes] == ["billing", "fees", "waiting", "app", "install"]
    assert book.by_id["fees"].parent == "billing"
    assert book.ancestors("fees") == ["billing"]
    assert book.children("billing") == ["fees"]
    assert book.by_id["fees"].exclude == ["no fee"]


def test_toml_codebook_loads(tmp_path):
    path = tmp_path / "book.toml"
    path.write_text(
        'name = "t"\nversion = 2\n[[themes]]\nid = "a"\nlabel = "A"\ndescription = "about a"\n'
        'keywords = ["alpha"]\n[[themes]]\nid = "b"\nlabel = "B"\ndescription = "about b"\nparent = "a"\n',
        encoding="utf-8",
    )
    book = load_codebook(path)
    assert book.version == "2"
    assert book.by_id["b"].parent == "a"


def test_shipped_codebooks_are_valid():
    generic = load_codebook(GENERIC_CODEBOOK)
    assert 15 <= len(generic.themes) <= 25
    assert all(len(theme.examples) >= 5 for theme in generic.themes)


def test_demo_and_benchmark_codebooks_are_valid(demo_corpora):
    from pathlib import Path

    demo = load_codebook(demo_corpora / "codebook.yaml")
    assert {"billing", "support", "installation", "onboarding", "app"} <= set(demo.by_id)
    assert demo.ancestors("double-charge") == ["billing"]
    airline = load_codebook(Path(__file__).resolve().parents[3] / "benchmarks" / "codebooks"
                            / "airline_negativereason.yaml")
    assert len(airline.themes) == 9
    # Label names, descriptions and at most four invented examples per theme.
    assert all(len(theme.examples) <= 4 for theme in airline.themes)


@pytest.mark.shared
def test_airline_codebook_examples_are_not_taken_from_the_tweets(shared_corpora):
    import csv
    import re
    from pathlib import Path

    def words(text: str) -> str:
        return " ".join(re.findall(r"[a-z']+", text.lower()))

    airline = load_codebook(Path(__file__).resolve().parents[3] / "benchmarks" / "codebooks"
                            / "airline_negativereason.yaml")
    with open(shared_corpora / "twitter_us_airline_sentiment" / "Tweets.csv", encoding="utf-8") as handle:
        tweets = [words(row["text"]) for row in csv.DictReader(handle)]
    examples = [words(example) for theme in airline.themes for example in theme.examples]
    assert examples
    copied = [example for example in examples if any(example in tweet for tweet in tweets)]
    assert not copied


def test_shipped_domain_codebooks_cover_the_common_cx_domains():
    from cxtext_themes.domains import DOMAIN_CODEBOOKS, shipped_codebook

    assert {"telecom-utilities", "retail-ecommerce", "hospitality-travel", "software-saas", "healthcare",
            "financial-services"} <= set(DOMAIN_CODEBOOKS)
    for name in DOMAIN_CODEBOOKS:
        book = shipped_codebook(name)
        assert book.name == name and 6 <= len(book.themes) <= 12
        assert all(len(theme.examples) >= 4 and theme.keywords for theme in book.themes)


def test_write_then_load_round_trips(codebook_path, tmp_path):
    book = load_codebook(codebook_path)
    copy = load_codebook(write_codebook(book, tmp_path / "copy.yaml", header="a draft\nsecond line"))
    assert copy.to_dict() == book.to_dict()
    assert (tmp_path / "copy.yaml").read_text().startswith("# a draft\n# second line\n")


def test_content_hash_changes_with_any_edit(codebook_path):
    book = load_codebook(codebook_path)
    data = yaml.safe_load(codebook_path.read_text())
    data["themes"][2]["keywords"].append("queue*")
    assert codebook_from_dict(data).content_hash != book.content_hash
    assert load_codebook(codebook_path).content_hash == book.content_hash


def base() -> dict:
    return {
        "name": "t",
        "version": "1",
        "themes": [
            {"id": "a", "label": "A", "description": "about a"},
            {"id": "b", "label": "B", "description": "about b"},
        ],
    }


def broken(change) -> dict:
    data = base()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("name"), "has no name"),
        (lambda d: d.pop("version"), "has no version"),
        (lambda d: d.update(themes=[]), "has no themes"),
        (lambda d: d.update(colour="red"), "unknown codebook key(s) colour"),
        (lambda d: d["themes"].append("just text"), "theme 3 is not a table"),
        (lambda d: d["themes"][1].pop("id"), "theme 2 has no id"),
        (lambda d: d["themes"][1].update(id="Bad Id"), "may only use lower-case letters"),
        (lambda d: d["themes"][1].update(id="a"), "theme 'a': duplicate id"),
        (lambda d: d["themes"][1].pop("label"), "theme 'b' has no label"),
        (lambda d: d["themes"][1].pop("description"), "theme 'b' has no description"),
        (lambda d: d["themes"][1].update(description="  "), "theme 'b' has no description"),
        (lambda d: d["themes"][1].update(parent="zzz"), "theme 'b': unknown parent 'zzz'"),
        (lambda d: d["themes"][1].update(parent="b"), "parents form a cycle (b -> b)"),
        (lambda d: (d["themes"][0].update(parent="b"), d["themes"][1].update(parent="a")), "parents form a cycle"),
        (lambda d: d["themes"][1].update(keywords=["ok", False]), "keywords must be a list of non-empty strings"),
        (lambda d: d["themes"][1].update(examples=[""]), "examples must be a list of non-empty strings"),
        (lambda d: d["themes"][1].update(keywords=["re:(unclosed"]), "is not a valid keyword pattern"),
        (lambda d: d["themes"][1].update(exclude=["*"]), "is not a valid keyword pattern"),
        (lambda d: d["themes"][1].update(colour="red"), "theme 'b' has unknown key(s) colour"),
    ],
)
def test_every_mistake_is_a_clear_input_error(change, message):
    with pytest.raises(InputError) as caught:
        codebook_from_dict(broken(change), path="book.yaml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("book.yaml: ")


def test_file_level_errors(tmp_path):
    with pytest.raises(InputError, match="codebook file not found"):
        load_codebook(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not parse"):
        load_codebook(bad)
    other = tmp_path / "book.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="unknown codebook format"):
        load_codebook(other)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a table"):
        load_codebook(listing)


def test_unquoted_yaml_boolean_keyword_gets_a_hint(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text('name: t\nversion: "1"\nthemes:\n  - {id: a, label: A, description: d, keywords: [yes, fine]}\n')
    with pytest.raises(InputError, match="quote words such as yes"):
        load_codebook(path)
