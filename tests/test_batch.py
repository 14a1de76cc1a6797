"""veille.batch: Parquet shards, order preservation, and identical events from 1 process, 2 workers and Dask."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from veille.batch import ProcessRunner, _ordered, read_shard, run_paths_parallel, write_shard
from veille.errors import VeilleError
from veille.models import Actor, Article, ArticleResult, Event, Evidence, IngestFailure, Place, content_id

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _article(text: str, source: str = "a.txt", **kw: object) -> Article:
    return Article(id=content_id(text), source=source, text=text, **kw)  # type: ignore[arg-type]


def _rich_result() -> ArticleResult:
    text = "Des hommes armés ont attaqué lundi un poste de l'armée malienne à Tessalit."
    place = Place("Tessalit", 2450678, 20.2, 1.01, "MLI", "Kidal", "city", 0.9, "P.PPL")
    event = Event(type="ASSAULT", mode="firearms", actor=Actor("hommes armés", None, "REB"),
                  target=Actor("armée malienne", "MLI", "MIL", "Q123"), date="2023-03-13", date_precision="day",
                  location=place, confidence=0.812, trigger="attaqué", cameo="19", acled="Battles / Armed clash",
                  evidence=Evidence(text, 0, len(text)))
    art = _article(text, title="Mali", url="https://example.org/a", published="2023-03-14", language="fr",
                   keywords=("Mali", "sécurité"))
    return ArticleResult(article=art, events=(event, event), warnings=("w1",))


@pytest.mark.parametrize("results", [
    [],
    [IngestFailure("x.txt", "[E102] x.txt: empty input")],
    "rich",
    "mixed",
])
def test_shard_round_trip_is_lossless(tmp_path: Path, results: object) -> None:
    if results == "rich":
        results = [_rich_result()]
    elif results == "mixed":
        results = [_rich_result(), IngestFailure("b", "[E601] b: processing failed: boom"),
                   ArticleResult(article=_article("Texte sans événement.", "c.txt"))]
    path = write_shard(results, str(tmp_path / "part-000000.parquet"))  # type: ignore[arg-type]
    assert read_shard(path) == results


def test_unreadable_shard_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(VeilleError, match=r"\[E602\].*--shards"):
        read_shard(str(tmp_path / "missing.parquet"))


class _EchoRunner:
    """A runner without processes: one result per article, in order."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def process(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[ArticleResult]:
        for art in articles:
            self.seen.append(art.source)
            yield ArticleResult(article=art, warnings=("done",))


@pytest.mark.parametrize("layout", [
    "AFA", "FFA", "AAF", "F", "", "AAAA", "FAFAF",
])
def test_ordered_keeps_input_order_with_failures_between_articles(layout: str) -> None:
    items: list[Article | IngestFailure] = []
    for i, kind in enumerate(layout):
        items.append(_article(f"text {i}", f"s{i}") if kind == "A" else IngestFailure(f"s{i}", f"[E102] s{i}: empty"))
    out = list(_ordered(items, _EchoRunner(), batch_size=2))
    assert [getattr(o, "source", None) or o.article.source for o in out] == [f"s{i}" for i in range(len(layout))]
    assert [isinstance(o, ArticleResult) for o in out] == [k == "A" for k in layout]


def test_process_runner_refuses_zero_workers() -> None:
    with pytest.raises(VeilleError, match=r"\[E602\] --workers"):
        ProcessRunner(0)


# ---------------------------------------------------------------- real pipeline, real workers
def _inputs() -> list[str]:
    paths = sorted(str(p) for p in (ROOT / "examples").glob("*.txt"))
    seed = sorted((SHARED / "seed").glob("*.txt"))
    return paths + [str(p) for p in seed[:1]]


def _stored(db: Path) -> tuple[set[object], set[str], int]:
    from veille.store import EventFilter, Store

    with Store(str(db), read_only=True) as store:
        events = set(store.iter_events(EventFilter()))
        counts = store.counts()
    return events, {e.id for e in events}, counts.get("mentions", -1)


@pytest.mark.slow
def test_single_process_workers_and_dask_store_identical_events(tmp_path: Path) -> None:
    from distributed import LocalCluster

    from veille import service
    from veille.pipeline import Pipeline
    from veille.store import Store

    paths = _inputs()
    with Store(str(tmp_path / "one.duckdb")) as store:
        one = service.run_paths(store, paths, Pipeline(), batch_size=2)
    with Store(str(tmp_path / "workers.duckdb")) as store:
        two = run_paths_parallel(store, paths, workers=2, batch_size=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Store(str(tmp_path / "dask.duckdb")) as store:
            dask = run_paths_parallel(store, paths, scheduler=cluster.scheduler_address, batch_size=2,
                                      shard_dir=str(tmp_path / "shards"))
        shards = sorted(p.name for p in (tmp_path / "shards").glob("*.parquet"))

    assert one.processed == two.processed == dask.processed == len(paths)
    assert one.write == two.write == dask.write
    ev1, ids1, m1 = _stored(tmp_path / "one.duckdb")
    ev2, ids2, m2 = _stored(tmp_path / "workers.duckdb")
    ev3, ids3, m3 = _stored(tmp_path / "dask.duckdb")
    assert ev1, "the sample articles must yield events"
    assert ev1 == ev2 == ev3
    assert m1 == m2 == m3 > 0
    assert len(shards) == (len(paths) + 1) // 2  # one shard per partition of batch_size articles
