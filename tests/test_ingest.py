"""Ingest of well-formed inputs: the seed header, plain text, folders, JSON Lines, stdin, HTML, feeds."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from veille.ingest import article_from_html, article_from_text, iter_inputs
from veille.ingest.text import parse_dateline
from veille.models import Article, IngestFailure, content_id

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "000_df33abab451251a8.txt"
WINER = SHARED / "eval" / "winer_events"

FR_BODY = (
    "Le ministre des Affaires étrangères a rencontré son homologue russe mercredi à Moscou.\n\n"
    "Les deux parties ont conclu un accord de coopération, selon un communiqué officiel."
)


def articles(items: list[Article | IngestFailure]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


@pytest.fixture(scope="module")
def seed_article() -> Article:
    return article_from_text(SEED.read_text(encoding="utf-8"), str(SEED))


def test_seed_header_metadata(seed_article: Article) -> None:
    assert seed_article.title == "Irak: Poutine pactise avec la Résistance..."
    assert seed_article.published == "2021-04-07"
    assert seed_article.modified == "2021-04-07T16:05:18+00:00"
    assert seed_article.language == "fr"
    assert seed_article.source == str(SEED)


def test_seed_header_removed_from_text(seed_article: Article) -> None:
    text = seed_article.text
    assert text.startswith("Le numéro un des Hachd al-Chaabi")
    assert "Mots clés" not in text
    assert "•" not in text
    assert "(last modified" not in text
    assert "Apr 07, 2021" not in text
    assert text.endswith("non loin de l’aéroport de Bagdad.")
    assert seed_article.id == content_id(text)


def test_seed_body_is_complete(seed_article: Article) -> None:
    raw = SEED.read_text(encoding="utf-8")
    for sentence in ("Par ailleurs, trois convois", "Toutes les trois attaques",
                     "Le Parlement irakien a ratifié, en janvier 2020"):
        assert sentence in raw and sentence in seed_article.text
    assert "\n\n" in seed_article.text  # paragraphs kept


@pytest.mark.parametrize("gold", sorted(WINER.glob("*.json")), ids=lambda p: p.stem)
def test_winer_dateline_gives_date_and_text_is_kept_whole(gold: Path) -> None:
    meta = json.loads(gold.read_text(encoding="utf-8"))
    raw = (gold.parent / meta["text_file"]).read_text(encoding="utf-8")
    art = article_from_text(raw, gold.stem)
    assert art.published == meta["published"]
    assert art.title == meta["title"]
    assert art.text.startswith(meta["title"])  # no header shape: nothing removed
    assert len(art.text) >= len(raw.strip()) * 0.97


@pytest.mark.parametrize(
    ("raw", "title", "published", "text"),
    [
        ("Big news today\n(last modified Tue, 06 Apr 2021 09:00:00 GMT)\n\nBody sentence one here.",
         "Big news today", "2021-04-06", "Body sentence one here."),
        ("Titre\nApr 07, 2021 16:05 UTC\nLe corps du texte.", "Titre", "2021-04-07", "Le corps du texte."),
        ("Titre\n7 avril 2021\n  • résumé\n\nTexte.\n\n• une puce du corps", "Titre", "2021-04-07",
         "Texte.\n\n• une puce du corps"),
        ("Just a sentence without any header at all.", None, None,
         "Just a sentence without any header at all."),
        ("A headline\n\nFirst paragraph of the story.", "A headline", None,
         "A headline\n\nFirst paragraph of the story."),
        ("A headline\nsecond line directly after it.", None, None,
         "A headline\nsecond line directly after it."),
    ],
    ids=["last-modified-only", "dateline-only", "body-bullets-kept", "no-header", "headline-kept",
         "no-blank-no-title"],
)
def test_header_variants(raw: str, title: str | None, published: str | None, text: str) -> None:
    art = article_from_text(raw, "x")
    assert (art.title, art.published, art.text) == (title, published, text)


@pytest.mark.parametrize(
    ("tail", "keywords"),
    [
        ("Mots clés", ()),
        ("Mots clés : Irak, Russie", ("Irak", "Russie")),
        ("Keywords: Iraq; Russia", ("Iraq", "Russia")),
        ("Tags\nIraq\nRussia", ("Iraq", "Russia")),
    ],
)
def test_trailing_keyword_line(tail: str, keywords: tuple[str, ...]) -> None:
    art = article_from_text(FR_BODY + "\n\n" + tail, "x")
    assert art.text == FR_BODY
    assert art.keywords == keywords


def test_keyword_word_inside_a_sentence_is_kept() -> None:
    raw = FR_BODY + "\n\nTags are what the editors use to classify stories."
    assert article_from_text(raw, "x").text == raw


@pytest.mark.parametrize(
    ("line", "iso"),
    [("Apr 07, 2021 16:05 UTC", "2021-04-07"), ("1er septembre 2016", "2016-09-01"),
     ("mercredi 7 avril 2021", "2021-04-07"), ("2021-04-07T10:00:00Z", "2021-04-07"),
     ("7 de abril de 2021", "2021-04-07"), ("7. April 2021", "2021-04-07"),
     ("30 février 2020", None), ("Le 7 avril 2021, il a dit", None)],
)
def test_parse_dateline(line: str, iso: str | None) -> None:
    assert parse_dateline(line) == iso


def test_folder_sources_join_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "b.txt").write_text(FR_BODY + " B", encoding="utf-8")
    (tmp_path / "in" / "a.txt").write_text(FR_BODY + " A", encoding="utf-8")
    (tmp_path / "in" / "sub" / "c.txt").write_text(FR_BODY + " C", encoding="utf-8")
    (tmp_path / "in" / ".hidden.txt").write_text(FR_BODY, encoding="utf-8")
    (tmp_path / "in" / ".git").mkdir()
    (tmp_path / "in" / ".git" / "x.txt").write_text(FR_BODY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for given in ("in", "in/", "./in"):
        items = list(iter_inputs([given]))
        assert all(isinstance(i, Article) for i in items)
        assert [i.source for i in items] == [
            os.path.join(given, "a.txt"), os.path.join(given, "b.txt"), os.path.join(given, "sub", "c.txt")
        ]


def test_file_source_is_the_path_exactly_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(FR_BODY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [art] = list(iter_inputs(["./a.txt"]))
    assert isinstance(art, Article) and art.source == "./a.txt"


def test_duplicate_content_yields_two_articles_with_one_id(tmp_path: Path) -> None:
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text(FR_BODY, encoding="utf-8")
    items = list(iter_inputs([str(tmp_path / "one.txt"), str(tmp_path / "two.txt"), str(tmp_path / "one.txt")]))
    assert len(articles(items)) == 3
    assert len({a.id for a in articles(items)}) == 1
    assert [a.source for a in articles(items)] == [str(tmp_path / n) for n in ("one.txt", "two.txt", "one.txt")]


def test_jsonl_ids_sources_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        {"id": "art-1", "text": FR_BODY, "url": "https://example.org/1", "title": "T1",
         "published": "2021-04-07", "language": "fr"},
        {"text": "The minister met his counterpart in Paris on Monday to discuss security."},
        {"text": FR_BODY, "language": "xx"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8")
    items = list(iter_inputs([str(path)]))
    assert all(isinstance(i, Article) for i in items)
    first, second, third = articles(items)
    assert (first.source, first.url, first.title, first.published, first.language) == (
        "art-1", "https://example.org/1", "T1", "2021-04-07", "fr")
    assert first.id == content_id(FR_BODY)
    assert second.source == f"{path}:2" and second.language == "en"
    assert third.source == f"{path}:3" and third.language == "xx"  # the record's language wins
    assert third.id == first.id


def test_stdin_text_and_html(tmp_path: Path) -> None:
    [art] = list(iter_inputs(["-"], stdin=io.BytesIO(FR_BODY.encode("utf-8"))))
    assert isinstance(art, Article) and art.source == "-" and art.text == FR_BODY
    html = f"<!DOCTYPE html><html><head><title>T</title></head><body><p>{FR_BODY}</p></body></html>"
    [page] = list(iter_inputs(["-"], stdin=io.BytesIO(html.encode("utf-8"))))
    assert isinstance(page, Article) and "homologue russe" in page.text and "<p>" not in page.text


HTML_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><title>Irak : rencontre à Moscou | Le Journal</title>
<meta property="og:title" content="Irak : rencontre à Moscou">
<meta property="article:published_time" content="2021-04-07T16:05:18Z">
<meta name="keywords" content="Irak, Russie">
<script>var tracker = "SCRIPT-SECRET";</script>
</head><body>
<nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
<article>
<h1>Irak : rencontre à Moscou</h1>
<p>Le président des Hachd al-Chaabi a rencontré mercredi à Moscou le secrétaire du Conseil de sécurité russe.</p>
<script>document.write("SCRIPT-SECRET-2");</script>
<p>Les deux responsables ont évoqué la sécurité régionale et la coopération entre l'Irak et la Russie.</p>
</article>
<footer>© Le Journal — mentions légales</footer>
</body></html>"""


def test_html_metadata_and_text() -> None:
    art = article_from_html(HTML_PAGE, "page.html", url="https://example.org/irak")
    assert art.title == "Irak : rencontre à Moscou"
    assert art.published == "2021-04-07"
    assert art.language == "fr"
    assert art.url == "https://example.org/irak"
    assert set(art.keywords) >= {"Irak", "Russie"}
    assert "rencontré mercredi à Moscou" in art.text
    assert "coopération entre l'Irak et la Russie" in art.text
    assert "SCRIPT-SECRET" not in art.text
    assert "mentions légales" not in art.text
    assert art.id == content_id(art.text)


def test_html_file_by_extension(tmp_path: Path) -> None:
    (tmp_path / "p.htm").write_text(HTML_PAGE, encoding="utf-8")
    [art] = list(iter_inputs([str(tmp_path / "p.htm")]))
    assert isinstance(art, Article) and art.published == "2021-04-07"


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Fil</title><language>fr-FR</language>
<item><title>Premier</title><link>https://example.org/1</link>
<pubDate>Wed, 07 Apr 2021 16:05:18 GMT</pubDate>
<description>&lt;p&gt;Le ministre a rencontré son homologue à Moscou mercredi.&lt;/p&gt;&lt;script&gt;alert("X")&lt;/script&gt;</description></item>
<item><title>Second</title><link>https://example.org/2</link>
<description>The minister met his counterpart in Paris on Monday to discuss security.</description></item>
<item><title>Vide</title><link>https://example.org/3</link><description></description></item>
</channel></rss>"""


def test_rss_items_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    items = list(iter_inputs([str(path)]))
    first, second, empty = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.source, first.url, first.title, first.published) == (
        f"{path}#1", "https://example.org/1", "Premier", "2021-04-07")
    assert first.text == "Le ministre a rencontré son homologue à Moscou mercredi."
    assert first.language == "fr" and second.language == "en"
    assert isinstance(empty, IngestFailure) and empty.message.startswith("[E108]")


def test_atom_feed_sniffed_without_extension(tmp_path: Path) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>E</title><link href="https://example.org/e"/><updated>2021-04-07T10:00:00Z</updated>
<content type="html">&lt;p&gt;Les manifestants ont défilé samedi dans le centre de Paris.&lt;/p&gt;</content></entry>
</feed>"""
    path = tmp_path / "feed"
    path.write_text(atom, encoding="utf-8")
    [art] = list(iter_inputs([str(path)]))
    assert isinstance(art, Article)
    assert art.text == "Les manifestants ont défilé samedi dans le centre de Paris."
    assert art.published == "2021-04-07" and art.url == "https://example.org/e"
