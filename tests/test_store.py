"""The DuckDB store: schema versions, idempotent writes, sources, cross-article merging, queries."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from veille.errors import StoreError
from veille.models import Actor, Article, ArticleResult, Event, Evidence, Place, content_id
from veille.store import EventFilter, QueryError, Store
from veille.store.migrations import LATEST_VERSION

HILLA = Place("Hilla", 98182, 32.48, 44.42, "IRQ", "Babil", "city")
AL_HILLAH = Place("Al Hillah", 98182, 32.4637, 44.4196, "IRQ", "Babil", "city")
BASRA = Place("Basra", 99532, 30.51, 47.78, "IRQ", "Basra", "city")
PARIS = Place("Paris", 2988507, 48.8534, 2.3488, "FRA", "Île-de-France", "city")

FR_TEXT = ("Irak : attaques contre des convois\n\nUn convoi logistique de l'armée américaine a été attaqué à Hilla "
           "ce mercredi 7 avril. Un autre convoi a été visé à Bassora le même jour.\n")
EN_TEXT = "Iraq convoy attack\n\nA US military convoy was hit by a roadside bomb near Al Hillah on Wednesday.\n"
PROTEST_TEXT = "Paris\n\nThousands of farmers protested in Paris on 2 February 2021 against the new law.\n"


def sentence_event(text: str, sentence: str, **kw: object) -> Event:
    start = text.index(sentence)
    return Event(evidence=Evidence(sentence, start, start + len(sentence)), **kw)  # type: ignore[arg-type]


def article(text: str, source: str, language: str, published: str, title: str) -> Article:
    return Article(id=content_id(text), source=source, text=text, title=title, language=language, published=published)


def sample_results() -> list[ArticleResult]:
    """Three articles: the Hilla attack in French and English (one happening), Basra, and a Paris protest."""
    fr = article(FR_TEXT, "fr/convois.txt", "fr", "2021-04-07", "Irak : attaques contre des convois")
    en = article(EN_TEXT, "en/convoy.txt", "en", "2021-04-08", "Iraq convoy attack")
    pa = article(PROTEST_TEXT, "en/paris.txt", "en", "2021-02-02", "Paris")
    s_hilla = "Un convoi logistique de l'armée américaine a été attaqué à Hilla ce mercredi 7 avril."
    s_basra = "Un autre convoi a été visé à Bassora le même jour."
    s_en = "A US military convoy was hit by a roadside bomb near Al Hillah on Wednesday."
    s_paris = "Thousands of farmers protested in Paris on 2 February 2021 against the new law."
    common = {"type": "ASSAULT", "date": "2021-04-07", "date_precision": "day",
              "target": Actor("US military convoy", "USA", "MIL"), "confidence": 0.6}
    return [
        ArticleResult(fr, (
            sentence_event(FR_TEXT, s_hilla, location=HILLA, actor=Actor("Some group", "IRQ", "REB"), **common),
            sentence_event(FR_TEXT, s_basra, location=BASRA, **common),
        )),
        ArticleResult(en, (sentence_event(EN_TEXT, s_en, location=AL_HILLAH, mode="explosion", cameo="183",
                                          trigger="hit", **common),)),
        ArticleResult(pa, (sentence_event(PROTEST_TEXT, s_paris, type="PROTEST", location=PARIS,
                                          actor=Actor("farmers", "FRA", "CVL"), target=Actor("government", "FRA", "GOV"),
                                          date="2021-02-02", date_precision="day", background=False,
                                          confidence=0.7),)),
    ]


@pytest.fixture()
def store() -> Iterator[Store]:
    s = Store(":memory:")
    s.write_results(sample_results())
    yield s
    s.close()


def test_schema_is_versioned_and_migrations_apply_once(tmp_path: Path) -> None:
    db = tmp_path / "v.duckdb"
    Store(db).close()
    Store(db).close()
    con = duckdb.connect(str(db))
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(LATEST_VERSION,)]
    con.execute("INSERT INTO schema_version VALUES (99, now())")
    con.close()
    with pytest.raises(StoreError, match=r"\[E401\].*newer"):
        Store(db)


def test_read_only_open_of_a_missing_or_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"\[E401\]"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    foreign = tmp_path / "foreign.duckdb"
    duckdb.connect(str(foreign)).close()
    with pytest.raises(StoreError, match="not a Veille store"):
        Store(foreign, read_only=True)


def test_cross_language_reports_merge_and_two_towns_stay_apart(store: Store) -> None:
    assert store.counts()["events"] == 3
    page = store.query_events(EventFilter(types=("ASSAULT",)))
    by_place = {se.event.location.name: se for se in page.events}  # type: ignore[union-attr]
    assert set(by_place) == {"Hilla", "Basra"}
    hilla = by_place["Hilla"]
    assert (hilla.n_mentions, hilla.n_articles, hilla.n_sources) == (2, 2, 2)
    assert hilla.event.actor == Actor("Some group", "IRQ", "REB")
    assert hilla.event.mode == "explosion" and hilla.event.cameo == "183"
    _, mentions = store.get_event(hilla.id)  # type: ignore[misc]
    assert {m.article_id for m in mentions} == {content_id(FR_TEXT), content_id(EN_TEXT)}
    assert store.check_consistency() == []


def _stored_rows(s: Store) -> list[tuple[object, ...]]:
    con = s._con  # noqa: SLF001 - comparing whole tables
    return [tuple(con.execute(f"SELECT * {extra} FROM {table} ORDER BY id").fetchall())
            for table, extra in (("events", "EXCLUDE (created_at, updated_at)"), ("mentions", ""),
                                 ("actors", ""), ("places", ""))]


def test_batching_does_not_change_what_is_stored(store: Store) -> None:
    """Events matched inside one batch (kept in memory until the batch is written) and across
    batches (read back from the table) end up the same, whatever the batch size."""
    fr = sample_results()[0].article
    from dataclasses import replace

    mirror = ArticleResult(replace(fr, source="mirror/convois.txt"))
    store.write_results([mirror])
    one_by_one = Store(":memory:")
    for result in [*sample_results(), mirror]:
        one_by_one.write_results([result])
    together = Store(":memory:")
    together.write_results([*sample_results(), mirror])
    assert _stored_rows(one_by_one) == _stored_rows(store) == _stored_rows(together)
    hilla = together.query_events(EventFilter(place="hilla")).events[0]
    assert (hilla.n_mentions, hilla.n_articles, hilla.n_sources) == (2, 2, 3)
    assert together.check_consistency() == [] and one_by_one.check_consistency() == []


def test_reingesting_changes_nothing(store: Store) -> None:
    before = store.counts()
    summary = store.write_results(sample_results())
    assert summary.articles_new == 0 and summary.articles_known == 3 and summary.mentions == 0
    assert store.counts() == before


def test_same_content_from_a_second_source_is_one_article_with_two_sources(store: Store) -> None:
    fr = sample_results()[0].article
    from dataclasses import replace

    summary = store.write_results([ArticleResult(replace(fr, source="mirror/convois.txt"))])
    assert (summary.articles_known, summary.sources_added) == (1, 1)
    stored, _ = store.get_article(fr.id)  # type: ignore[misc]
    assert stored.sources == ("fr/convois.txt", "mirror/convois.txt")
    assert store.counts()["articles"] == 3
    hilla = store.query_events(EventFilter(place="hilla")).events[0]
    assert hilla.n_sources == 3 and hilla.n_articles == 2


def test_a_failing_batch_leaves_the_store_unchanged() -> None:
    s = Store(":memory:")
    results = sample_results()

    def explode() -> Iterator[ArticleResult]:
        yield results[0]
        raise RuntimeError("crash in the middle of a batch")

    with pytest.raises(RuntimeError):
        s.write_results(explode())
    assert s.counts()["articles"] == 0 and s.counts()["events"] == 0
    s.write_results(results)
    assert s.counts()["events"] == 3


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (EventFilter(), {"Hilla", "Basra", "Paris"}),
        (EventFilter(types=("PROTEST",)), {"Paris"}),
        (EventFilter(types=("PROTEST", "ASSAULT")), {"Hilla", "Basra", "Paris"}),
        (EventFilter(mode="explosion"), {"Hilla"}),
        (EventFilter(actor="some GR"), {"Hilla"}),
        (EventFilter(actor_country="fra"), {"Paris"}),
        (EventFilter(target_country="USA"), {"Hilla", "Basra"}),
        (EventFilter(country="IRQ"), {"Hilla", "Basra"}),
        (EventFilter(place="bas"), {"Basra"}),
        (EventFilter(place="babil"), {"Hilla"}),
        (EventFilter(bbox=(44.0, 32.0, 45.0, 33.0)), {"Hilla"}),
        (EventFilter(bbox=(170.0, -10.0, 10.0, 60.0)), {"Paris"}),  # crosses the antimeridian
        (EventFilter(since="2021-04-07"), {"Hilla", "Basra"}),
        (EventFilter(since="2021-04-08"), set()),  # filters are exact: no day of slack
        (EventFilter(until="2021-02"), {"Paris"}),
        (EventFilter(since="2021", until="2021"), {"Hilla", "Basra", "Paris"}),
        (EventFilter(background=True), set()),
        (EventFilter(q="ROADSIDE bomb"), {"Hilla"}),
        (EventFilter(q="bassora"), {"Basra"}),
        (EventFilter(article_id=content_id(PROTEST_TEXT)), {"Paris"}),
    ],
)
def test_filters(store: Store, filters: EventFilter, expected: set[str]) -> None:
    page = store.query_events(filters, limit=500)
    assert {se.event.location.name for se in page.events} == expected  # type: ignore[union-attr]
    assert page.total == len(expected)


def test_pagination_by_offset_and_cursor_visits_every_event_once(store: Store) -> None:
    everything = [se.id for se in store.query_events(EventFilter(), limit=500).events]
    by_offset = [se.id for off in range(3) for se in store.query_events(EventFilter(), limit=1, offset=off).events]
    by_cursor, cursor = [], None
    while True:
        page = store.query_events(EventFilter(), limit=2, cursor=cursor)
        by_cursor += [se.id for se in page.events]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert everything == by_offset == by_cursor
    assert len(set(everything)) == 3


@pytest.mark.parametrize(
    "bad", [EventFilter(since="2021-13-01"), EventFilter(until="yesterday"), EventFilter(bbox=(0, 50, 10, 40))],
)
def test_malformed_filters_raise_query_error(store: Store, bad: EventFilter) -> None:
    with pytest.raises(QueryError):
        store.query_events(bad)


def test_bad_cursor_and_limits(store: Store) -> None:
    for kwargs in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"limit": 501}, {"offset": -1}):
        with pytest.raises(QueryError):
            store.query_events(EventFilter(), **kwargs)  # type: ignore[arg-type]


def test_article_with_spans_and_stats(store: Store) -> None:
    stored, mentions = store.get_article(content_id(FR_TEXT))  # type: ignore[misc]
    assert stored.article.text == FR_TEXT
    for m in mentions:
        assert FR_TEXT[m.event.evidence.start:m.event.evidence.end] == m.event.evidence.sentence
    stats = store.stats(EventFilter()).to_dict()
    assert stats["total"] == 3
    assert {"day": "2021-04-07", "count": 2} in stats["by_day"]
    assert {"type": "ASSAULT", "count": 2} in stats["by_type"]
    assert stats["by_country"][0] == {"country": "IRQ", "count": 2}
    assert store.get_article("nope") is None and store.get_event("nope") is None


def test_readers_run_while_the_single_writer_writes(tmp_path: Path) -> None:
    s = Store(tmp_path / "c.duckdb")
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                page = s.query_events(EventFilter(), limit=500)
                assert page.total == len(page.events)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(30):
        text = f"Report {i}\n\nAn attack was reported in Basra on 7 April 2021, number {i}.\n"
        art = Article(id=content_id(text), source=f"r{i}.txt", text=text)
        s.write_results([ArticleResult(art, (sentence_event(text, text.split("\n\n")[1].strip(), type="ASSAULT",
                                                            location=BASRA, date="2021-04-07", date_precision="day"),))])
    stop.set()
    for t in threads:
        t.join()
    assert errors == []
    assert s.counts()["events"] == 1 and s.counts()["mentions"] == 30  # 30 reports of one happening
    assert s.check_consistency() == []
    s.close()


def test_a_second_writer_process_gets_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "locked.duckdb"
    s = Store(db)
    code = ("from veille.store import Store\n"
            "from veille.errors import StoreError\n"
            f"try:\n    Store({str(db)!r})\nexcept StoreError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    s.close()
    assert "[E401]" in out.stdout and "another process" in out.stdout


def test_events_command_prints_a_table_and_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from veille.cli import main

    db = tmp_path / "cli.duckdb"
    with Store(db) as s:
        s.write_results(sample_results())
    assert main(["events", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].startswith("date")
    assert "Hilla" in table and "3 of 3 event(s)" in table
    assert main(["events", "--db", str(db), "--type", "PROTEST", "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(x)["location"]["name"] for x in lines] == ["Paris"]
    assert main(["events", "--db", str(db), "--since", "bad"]) == 1
    assert "invalid date" in capsys.readouterr().err
