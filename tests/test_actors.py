"""Tests for veille.resolve.actors: KB, demonyms, sector nouns, appositions, compounds."""
from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest

from veille.errors import ModelError
from veille.models import SECTORS
from veille.resolve.actors import DEFAULT_KB, DEFAULT_LEXICONS, ActorResolver, normalize_text

ISO3 = {c.alpha_3 for c in pycountry.countries} | {"XKX"}  # Kosovo: user-assigned code


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return ActorResolver()


# ---------------------------------------------------------------- resolve()
@pytest.mark.parametrize("phrase,language,country,sector,name", [
    # the brief's examples
    ("Faleh al-Fayyad, président des Hachd al-Chaabi", "fr", "IRQ", "MIL", "Faleh al-Fayyad"),
    ("Nikolaï Patrouchev, secrétaire du Conseil de sécurité de la fédération de Russie", "fr",
     "RUS", "GOV", "Nikolai Patrushev"),
    ("Mikhaïl Bogdanov, représentant spécial du président russe pour le Moyen-Orient et l'Afrique",
     "fr", "RUS", "GOV", "Mikhail Bogdanov"),
    ("le groupe irakien « Untel al-Quelquechose »", "fr", "IRQ", "REB", "Untel al-Quelquechose"),
    ("le groupe irakien « Qassem al-Jabbarin »", "fr", "IRQ", "REB", "Qassem al-Jabbarin"),
    ("trois convois transportant du matériel logistique pour les militaires américains", "fr",
     "USA", "MIL", None),
    ("Le Parlement irakien", "fr", "IRQ", "LEG", None),
    ("les Américains", "fr", "USA", None, "United States"),
    ("Sudan's Rapid Support Forces", "en", "SDN", "REB", "Rapid Support Forces"),
    ("le ministre irakien des Affaires étrangères", "fr", "IRQ", "GOV", None),
    ("Foo Bar, a pro-Iranian group", "en", None, "REB", "Foo Bar"),
    # knowledge base across languages and scripts
    ("Daech", "fr", None, "REB", "Islamic State"),
    ("l'organisation État islamique", "fr", None, "REB", "Islamic State"),
    ("حزب الله", "ar", "LBN", "REB", "Hezbollah"),
    ("Владимир Путин", "ru", "RUS", "GOV", "Vladimir Putin"),
    ("M. Bogdanov", "fr", "RUS", "GOV", "Mikhail Bogdanov"),
    ("President Joe Biden", "en", "USA", "GOV", "Joe Biden"),
    ("Corps des gardiens de la révolution islamique", "fr", "IRN", "MIL", None),
    ("le général iranien Qassem Soleimani, commandant en chef de la Force Qods", "fr",
     "IRN", "MIL", "Qasem Soleimani"),
    ("Abou Mahdi al-Mohandes, le numéro deux des Hachd al-Chaabi", "fr", "IRQ", "MIL", None),
    ("al-Hashd al-Shaabi", "en", "IRQ", "MIL", None),
    ("Kataeb Hezbollah", "fr", "IRQ", "REB", None),
    ("the Houthis", "en", "YEM", "REB", None),
    ("les shebab somaliens", "fr", "SOM", "REB", None),
    ("Jamaat Nosrat al-Islam wal-Mouslimin (JNIM)", "fr", "MLI", "REB", None),
    ("Amnesty International", "en", None, "NGO", None),
    ("le secrétaire général de l'ONU António Guterres", "fr", None, "IGO", "António Guterres"),
    ("Tsahal", "fr", "ISR", "MIL", None),
    ("the Kremlin", "en", "RUS", "GOV", None),
    ("la Douma", "fr", "RUS", "LEG", None),
    # organisations and the nouns around them
    ("Hamas fighters", "en", "PSE", "REB", None),
    ("un député du Hezbollah", "fr", "LBN", "LEG", None),
    ("UN peacekeepers", "en", None, "IGO", None),
    ("Russia's UN envoy", "en", "RUS", "GOV", None),
    ("l'ambassadeur russe auprès de l'ONU", "fr", "RUS", "GOV", None),
    ("the Russian Security Council", "en", "RUS", "GOV", None),
    ("le porte-parole de Vladimir Poutine", "fr", "RUS", "GOV", None),
    ("Moussa Faki, African Union Commission chairman", "en", None, "IGO", None),
    # generic descriptions: sector noun + country
    ("la police gabonaise", "fr", "GAB", "COP", "police gabonaise"),
    ("les forces de sécurité irakiennes", "fr", "IRQ", "COP", None),
    ("des manifestants soudanais", "fr", "SDN", "CVL", None),
    ("le tribunal militaire de Kinshasa", "fr", "COD", "JUD", None),
    ("le tribunal militaire", "fr", None, "JUD", None),
    ("des journalistes turcs", "fr", "TUR", "JRN", None),
    ("l'imam de la grande mosquée", "fr", None, "REL", None),
    ("Iranian-backed militias", "en", None, "REB", None),
    ("Israeli warplanes", "en", "ISR", "MIL", None),
    ("army spokesman", "en", None, "MIL", None),
    ("Spanish police officers", "en", "ESP", "COP", None),
    ("Syrian state television", "en", "SYR", "JRN", None),
    ("Chinese oil companies", "en", "CHN", "BUS", None),
    ("Burundi foreign minister", "en", "BDI", "GOV", None),
    ("the Brazilian Senate", "en", "BRA", "LEG", None),
    ("Iraqi Foreign Minister John Doe", "en", "IRQ", "GOV", "John Doe"),
    ("l'ambassadeur de France en Irak", "fr", "FRA", "GOV", None),
    ("Paul Kaba Thiéba, Prime Minister of Burkina Faso", "en", "BFA", "GOV", "Paul Kaba Thiéba"),
    ("Arnauld Engandji, spokesman of Ali Bongo", "en", "GAB", "GOV", "Arnauld Engandji"),
    ("les rebelles du M23", "fr", "COD", "REB", None),
    ("des combattants kurdes des YPG", "fr", "SYR", "REB", None),
    # countries and metonyms are the state
    ("l'Irak", "fr", "IRQ", "GOV", "Iraq"),
    ("the U.S.", "en", "USA", "GOV", "United States"),
    ("les États-Unis", "fr", "USA", "GOV", "United States"),
    ("Washington", "fr", "USA", "GOV", None),
    ("Moscou", "fr", "RUS", "GOV", None),
])
def test_resolve(resolver, phrase, language, country, sector, name):
    actor = resolver.resolve(phrase, language)
    assert actor is not None
    assert (actor.country, actor.sector) == (country, sector)
    if name is not None:
        assert actor.name == name


@pytest.mark.parametrize("phrase,language", [
    ("", "fr"), ("   ", "en"), ("il", "fr"), ("the day after", "en"), ("ce mercredi", "fr"),
])
def test_resolve_returns_none_without_actor(resolver, phrase, language):
    assert resolver.resolve(phrase, language) is None


def test_unknown_proper_name_keeps_its_name(resolver):
    actor = resolver.resolve("Jean Dupont", "fr")
    assert actor is not None and actor.name == "Jean Dupont"
    assert (actor.country, actor.sector) == (None, None)


def test_head_hint_picks_the_noun(resolver):
    actor = resolver.resolve("des soldats et des policiers", "fr", head="policiers")
    assert actor is not None and actor.sector == "COP"


def test_acronyms_are_case_sensitive(resolver):
    # "un" is the French article, "UN" the United Nations.
    assert resolver.resolve("un soldat", "fr").sector == "MIL"
    assert resolver.resolve("the UN", "en").sector == "IGO"
    assert resolver.lookup("us") is None


def test_unsupported_language_uses_the_knowledge_base(resolver):
    actor = resolver.resolve("die Hamas", "de")
    assert actor is not None and actor.country == "PSE" and actor.sector == "REB"


# ---------------------------------------------------------------- resolve_many()
@pytest.mark.parametrize("phrase,language,expected", [
    ("Hungarian and Romanian officials", "en", [("HUN", "GOV"), ("ROU", "GOV")]),
    ("Saudi Arabia, Egypt, Bahrain and the UAE", "en",
     [("SAU", "GOV"), ("EGY", "GOV"), ("BHR", "GOV"), ("ARE", "GOV")]),
    ("les forces irakiennes et américaines", "fr", [("IRQ", "MIL"), ("USA", "MIL")]),
    ("l'Irak et la Russie", "fr", [("IRQ", "GOV"), ("RUS", "GOV")]),
    ("Nikolaï Patrouchev, secrétaire du Conseil de sécurité de la fédération de Russie, et "
     "Mikhaïl Bogdanov, représentant spécial du président russe pour le Moyen-Orient et l'Afrique",
     "fr", [("RUS", "GOV"), ("RUS", "GOV")]),
    ("Trinidad and Tobago", "en", [("TTO", "GOV")]),
    ("le ministère des Affaires étrangères", "fr", [(None, "GOV")]),
    ("Hamas and Islamic Jihad", "en", [("PSE", "REB"), ("PSE", "REB")]),
])
def test_resolve_many(resolver, phrase, language, expected):
    got = [(a.country, a.sector) for a in resolver.resolve_many(phrase, language)]
    assert got == expected


def test_resolve_many_names_borrow_the_head_noun(resolver):
    names = [a.name for a in resolver.resolve_many("Hungarian and Romanian officials", "en")]
    assert names == ["Hungarian officials", "Romanian officials"]


# ---------------------------------------------------------------- country_of()
@pytest.mark.parametrize("text,language,iso3", [
    ("de la fédération de Russie", "fr", "RUS"),
    ("russe", "fr", "RUS"), ("irakiennes", "fr", "IRQ"), ("Etats-Unis", "fr", "USA"),
    ("États-Unis", "fr", "USA"), ("US", "en", "USA"), ("U.S.", "en", "USA"), ("USA", "fr", "USA"),
    ("UK", "en", "GBR"), ("Britons", "en", "GBR"), ("Iraqis", "en", "IRQ"),
    ("burkinabè", "fr", "BFA"), ("turques", "fr", "TUR"), ("grecque", "fr", "GRC"),
    ("nord-coréens", "fr", "PRK"), ("South Sudanese", "en", "SSD"), ("Côte d'Ivoire", "fr", "CIV"),
    ("irako-russes", "fr", "IRQ"), ("la RDC", "fr", "COD"), ("Burma", "en", "MMR"),
    ("pro-iranien", "fr", None), ("Iranian-backed", "en", None), ("nothing here", "en", None),
])
def test_country_of(resolver, text, language, iso3):
    assert resolver.country_of(text, language) == iso3


# ---------------------------------------------------------------- lookup()
@pytest.mark.parametrize("name,entry_id", [
    ("Hachd al-Chaabi", "pmf"), ("hachd al chaabi", "pmf"), ("HACHD AL-CHAABI", "pmf"),
    ("al-Hashd al-Shaabi", "pmf"), ("Hashd al-Shaabi", "pmf"), ("الحشد الشعبي", "pmf"),
    ("Nikolai Patrushev", "patrushev"), ("Nikolaï Patrouchev", "patrushev"),
    ("Patrouchev", "patrushev"), ("Erdogan", "erdogan"), ("Erdoğan", "erdogan"),
    ("Shabaab", "alshabaab"), ("Daech", "isis"), ("ISIS", "isis"), ("OTAN", "nato"),
    ("Corps des gardiens de la révolution islamique", "irgc"),
])
def test_lookup_is_exact_on_normalised_aliases(resolver, name, entry_id):
    entry = resolver.lookup(name)
    assert entry is not None and entry.id == entry_id


@pytest.mark.parametrize("name", ["Hachd al-Chaab", "Patruchev", "Islamic", "the", ""])
def test_lookup_has_no_fuzzy_matching(resolver, name):
    assert resolver.lookup(name) is None


def test_normalize_text():
    assert normalize_text("  L’État-Islamique «EI» ") == "l etat islamique ei"
    assert normalize_text("Kılıçdaroğlu") == "kilicdaroglu"


# ---------------------------------------------------------------- data integrity
@pytest.fixture(scope="module")
def kb_records() -> list[dict]:
    return [json.loads(line) for line in DEFAULT_KB.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_kb_has_several_hundred_valid_entries(kb_records):
    assert len(kb_records) >= 400
    ids = [r["id"] for r in kb_records]
    assert len(ids) == len(set(ids))
    for r in kb_records:
        assert r["sector"] in SECTORS, r
        assert r["kind"] in ("org", "person"), r
        assert r["country"] is None or r["country"] in ISO3, r
        assert r["name"].strip() and all(a.strip() for a in r["aliases"]), r
        if r["sector"] == "IGO":
            assert r["country"] is None, r
        if "wikidata" in r:
            assert r["wikidata"].startswith("Q") and r["wikidata"][1:].isdigit(), r
    sectors = {r["sector"] for r in kb_records}
    assert {"IGO", "NGO", "REB", "GOV", "MIL", "COP", "LEG", "PTY", "JRN"} <= sectors


def test_kb_aliases_are_unique_or_consistent(kb_records):
    owner: dict[str, tuple] = {}
    for r in kb_records:
        for alias in [r["name"], *r["aliases"]]:
            key = alias if alias.isupper() and len(alias) <= 6 else normalize_text(alias)
            value = (r["country"], r["sector"])
            assert owner.setdefault(key, value) == value, (alias, r["id"])


def test_kb_does_not_hold_reference_article_names(kb_records):
    text = normalize_text(json.dumps(kb_records, ensure_ascii=False))
    for name in ("Qassem al-Jabbarin", "Jibla", "al-Nil"):
        assert normalize_text(name) not in text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_demonyms_cover_every_country(language):
    data = json.loads((DEFAULT_LEXICONS / language / "demonyms.json").read_text(encoding="utf-8"))
    assert set(data["countries"]) >= {c.alpha_3 for c in pycountry.countries}
    assert all(code in ISO3 for section in ("countries", "demonyms", "capitals", "prefixes")
               for code in data[section])
    # every UN member state (193) has demonyms; a few non-members too (PSE, TWN, XKX, VAT)
    assert len(data["demonyms"]) >= 197
    for code in ("IRQ", "USA", "RUS", "FRA", "BFA", "CIV", "PRK", "KOR", "SSD", "TLS"):
        assert data["demonyms"][code], code


def test_french_demonyms_have_all_forms():
    data = json.loads((DEFAULT_LEXICONS / "fr" / "demonyms.json").read_text(encoding="utf-8"))
    assert {"irakien", "irakienne", "irakiens", "irakiennes"} <= set(data["demonyms"]["IRQ"])
    assert {"français", "française", "françaises"} <= set(data["demonyms"]["FRA"])
    assert {"turc", "turque", "turcs", "turques"} <= set(data["demonyms"]["TUR"])
    assert {"États-Unis", "Etats-Unis", "USA", "US"} <= set(data["countries"]["USA"])
    assert "fédération de Russie" in data["countries"]["RUS"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_sector_lexicon_is_well_formed(language):
    data = json.loads((DEFAULT_LEXICONS / language / "sectors.json").read_text(encoding="utf-8"))
    assert set(data["sectors"]) <= set(SECTORS)
    terms = {normalize_text(t) for ts in data["sectors"].values() for t in ts}
    for listed in ("roles", "keep"):
        missing = {normalize_text(t) for t in data[listed]} - terms
        assert not missing, (listed, missing)


# ---------------------------------------------------------------- injected resources, errors
def _write_lexicons(root: Path) -> Path:
    lex = root / "lexicons" / "xx"
    lex.mkdir(parents=True)
    (lex / "demonyms.json").write_text(json.dumps({
        "countries": {"FRA": ["Frankland"]}, "demonyms": {"FRA": ["frankish"]},
        "display": {"FRA": "Frankland"}}), encoding="utf-8")
    (lex / "sectors.json").write_text(json.dumps({
        "sectors": {"MIL": ["soldier"], "GOV": ["chief"]}, "roles": ["chief"],
        "prepositions": ["of"], "genitive": ["of"], "location": ["in"],
        "conjunctions": ["and"], "determiners": ["the"]}), encoding="utf-8")
    return root / "lexicons"


def test_injected_small_resources(tmp_path):
    kb = tmp_path / "kb.jsonl"
    kb.write_text(json.dumps({"id": "x", "name": "Example Front", "aliases": ["EXF"],
                              "country": "FRA", "sector": "REB", "kind": "org"}) + "\n",
                  encoding="utf-8")
    r = ActorResolver(kb_path=kb, lexicon_dir=_write_lexicons(tmp_path))
    assert r.languages == ("xx",)
    assert r.resolve("the frankish soldiers", "xx").to_dict() == {
        "name": "frankish soldiers", "country": "FRA", "sector": "MIL"}
    assert r.resolve("chief of the EXF", "xx").sector == "REB"
    assert r.lookup("exf") is None and r.lookup("EXF").id == "x"


@pytest.mark.parametrize("line,code", [
    ("{not json", "E703"),
    (json.dumps({"id": "x", "name": "X", "sector": "WAT", "kind": "org"}), "E703"),
    (json.dumps({"name": "X", "sector": "GOV"}), "E703"),
])
def test_bad_kb_lines_raise_coded_errors(tmp_path, line, code):
    kb = tmp_path / "kb.jsonl"
    kb.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ModelError, match=code):
        ActorResolver(kb_path=kb, lexicon_dir=_write_lexicons(tmp_path))


def test_missing_kb_raises_coded_error(tmp_path):
    with pytest.raises(ModelError, match="E702"):
        ActorResolver(kb_path=tmp_path / "nope.jsonl", lexicon_dir=_write_lexicons(tmp_path))


def test_command_prints_resolution(capsys):
    from veille.cli import main

    assert main(["actors", "--language", "en", "--many", "Hungarian and Romanian officials"]) == 0
    out = capsys.readouterr().out
    assert "country=HUN | sector=GOV" in out and "country=ROU | sector=GOV" in out
    assert main(["actors", "rien du tout"]) == 1


@pytest.mark.parametrize("phrase,language,country,sector", [
    ("l'ambassadeur en Russie", "fr", None, "GOV"),
    ("the envoy to Yemen", "en", None, "GOV"),
    ("des manifestants à Bagdad", "fr", "IRQ", "CVL"),
    ("l'envoyé de l'ONU au Yémen", "fr", None, "IGO"),
])
def test_place_prepositions_do_not_give_diplomats_a_country(resolver, phrase, language, country, sector):
    actor = resolver.resolve(phrase, language)
    assert actor is not None and (actor.country, actor.sector) == (country, sector)


@pytest.mark.parametrize("phrase,language", [
    ("l'unité et la souveraineté en Irak", "fr"), ("talks held in Baghdad", "en"),
])
def test_a_place_alone_is_not_an_actor(resolver, phrase, language):
    assert resolver.resolve(phrase, language) is None


# ---------------------------------------------------------------- misspellings, sponsors, seats
@pytest.mark.parametrize("phrase, language, country, sector", [
    ("Ethiopa", "en", "ETH", "GOV"),  # a letter dropped
    ("Quatar's foreign minister", "en", "QAT", "GOV"),  # a letter added
    ("Isreal", "en", "ISR", "GOV"),  # two letters swapped
    ("le ministre du Quatar", "fr", "QAT", "GOV"),
    ("l'Ethopie", "fr", "ETH", "GOV"),
    ("President Hosni Moubarek", "en", "EGY", "GOV"),  # a known person's surname, one vowel off
])
def test_resolve_corrects_one_typing_slip(resolver, phrase, language, country, sector):
    actor = resolver.resolve(phrase, language)
    assert actor is not None and (actor.country, actor.sector) == (country, sector)


@pytest.mark.parametrize("phrase, language", [
    ("Siberia", "en"),  # a consonant changed is another name (Liberia)
    ("Ghani", "en"),  # five letters: too short to correct (Ghana)
    ("Moubarek", "fr"),  # a lone surname is not corrected
])
def test_resolve_does_not_correct_other_names(resolver, phrase, language):
    actor = resolver.resolve(phrase, language)
    assert actor is None or actor.country is None


@pytest.mark.parametrize("phrase, language, country, sector", [
    ("the pro-Iranian Hezbollah", "en", "LBN", "REB"),
    ("le Hezbollah pro-iranien", "fr", "LBN", "REB"),
    ("pro-Iranian militias", "en", None, "REB"),
])
def test_sponsor_marks_only_the_nearest_name(resolver, phrase, language, country, sector):
    actor = resolver.resolve(phrase, language)
    assert actor is not None and (actor.country, actor.sector) == (country, sector)


@pytest.mark.parametrize("text, language, iso3", [
    ("Tehran", "en", "IRN"), ("Téhéran", "fr", "IRN"), ("Moscou", "fr", "RUS"),
    ("the Iranian government", "en", None), ("Alep", "fr", None),
])
def test_capital_country(resolver, text, language, iso3):
    assert resolver.capital_country(text, language) == iso3


@pytest.mark.parametrize("phrase, language, country", [
    ("President Francois Mitterrand", "en", "FRA"),
    ("le président François Mitterrand", "fr", "FRA"),
    ("le roi Hassan II", "fr", "MAR"),
    ("Mikhaïl Gorbatchev", "fr", "RUS"),
    ("Chancellor Helmut Kohl", "en", "DEU"),
])
def test_former_heads_of_state_are_known(resolver, phrase, language, country):
    actor = resolver.resolve(phrase, language)
    assert actor is not None and actor.country == country and actor.sector == "GOV"
